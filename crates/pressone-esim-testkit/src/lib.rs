//! Test support shared by the workspace's tests (a `publish = false` crate, never shipped):
//!
//! - [`fixtures`]: the wire fixtures, read from the one folder `tests/fixtures/` at the
//!   workspace root, and the token answer every fake server gives;
//! - [`logs`]: `tracing` capture into a buffer;
//! - [`mock`]: helpers over `httpmock` (sorted query and form pairs, the count of requests
//!   each mock answered);
//! - [`raw_server`]: a raw HTTP/1.1 server whose answers break as networks and proxies break;
//! - [`ports`]: a port that refuses connections (counting the attempts) and a server that drops
//!   every connection;
//! - [`gate`]: a proxy that holds every answer until a given number of requests has arrived.
//!
//! It depends on no crate of the SDK, so every crate's tests can use it.
#![deny(missing_docs)]

pub mod fixtures;
pub mod gate;
pub mod logs;
pub mod mock;
pub mod ports;
pub mod raw_server;

pub use fixtures::{FIXTURES_DIR, fixture, fixture_json, fixture_names, json_files, token_body};
pub use gate::GatedProxy;
pub use logs::{LogBuffer, capture_tracing};
pub use mock::{calls, form_pairs, owned, sorted};
pub use ports::{ClosedPort, DroppingServer};
pub use raw_server::{RawServer, Reply, Request, read_request};
