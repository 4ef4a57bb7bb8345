//! Raw client of the PressOne eSIM partner API, generated from `openapi/pressone-esim.yaml`
//! by progenitor (`cargo xtask gen`).
//!
//! This crate mirrors the wire: field names, optional and nullable fields, numbers sent as
//! strings. Most users want the `pressone-esim` crate, which wraps it with credentials, token
//! caching, typed errors, retries, pagination and clean domain types.
//!
//! The generated code lives in `generated.rs` and is never edited by hand; the hand-written
//! parts sit beside it: [`wire`] (tolerant number types the generator is told to use),
//! [`hooks`] (auth header injection, multipart re-encoding, response status capture) and
//! [`body`] (the reader of JSON answers the generated code is pointed at). The operation table
//! ([`OperationId`] and [`OperationId::info`]) is generated from the spec into `operations.rs`.

#![deny(missing_docs)]

pub mod body;
pub mod hooks;
mod operation;
#[rustfmt::skip]
mod operations;
pub mod wire;

#[rustfmt::skip]
#[allow(missing_docs, unused_imports, unused_mut, clippy::all, rustdoc::all)]
mod generated;

pub use generated::*;
pub use operation::{Api, Auth, Operation, RateLimit, RateScope, UnknownOperation};
pub use operations::OperationId;

/// The path prefix of the data-eSIM API, appended by the SDK to the configured base URL.
pub const DATA_API_PREFIX: &str = "/customer/v2";
/// The path prefix of the voice-only API.
pub const VOICE_API_PREFIX: &str = "/api/third-party/partner";
