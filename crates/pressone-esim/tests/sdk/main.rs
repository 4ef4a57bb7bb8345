//! The SDK's integration tests, one test binary (one link instead of one per file): real HTTP
//! on loopback (httpmock and hand-written misbehaving servers), the wire fixtures of
//! `tests/fixtures/`, and the shared support of `common`.

/// One call of the client as a `common::Call`, its answer dropped:
/// `call!(|c| c.sims().usage(""))`.
macro_rules! call {
    (|$c:ident| $request:expr) => {
        (|$c: pressone_esim::Client| {
            futures::FutureExt::boxed(async move { $request.await.map(drop) })
        }) as crate::common::Call
    };
}

mod auth;
mod common;
#[cfg(feature = "compression")]
mod compression;
mod input;
mod lists_and_cache;
mod never_invented;
mod operations;
mod pipeline;
mod prefetch;
mod resilience;
mod secrets;
mod tls;
