//! The SDK's integration tests, one test binary (one link instead of one per file): real HTTP
//! on loopback (httpmock and hand-written misbehaving servers), the wire fixtures of
//! `tests/fixtures/`, and the shared support of `common`.

mod auth;
mod common;
#[cfg(feature = "compression")]
mod compression;
mod input;
mod lists_and_cache;
mod never_invented;
mod operations;
mod pipeline;
mod resilience;
mod secrets;
