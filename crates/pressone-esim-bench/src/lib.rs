//! Shared code of the `pressone-esim` benchmarks (`cargo bench -p pressone-esim-bench`).
//!
//! Every benchmark talks to an in-process loopback [`server::Server`] that answers with
//! pre-built bodies, so what is measured is the client, not the server. The pieces:
//!
//! * [`server`]: the fixed-body HTTP/1.1 server (hyper) on its own runtime and threads, with a
//!   token endpoint that counts its hits.
//! * [`generate`]: the bodies, built from the wire fixtures in `tests/fixtures`: the usage
//!   answer, a catalogue of 20,000 packages (6.3 MB), and 10,000 orders cut into
//!   pages.
//! * [`floor`]: the catalogue floor of issue 20: plain hand-written structs decoded by
//!   `serde_json`, and a page loop fetching them.
//! * [`baseline`]: the hand-written `reqwest` + `serde_json` calls the SDK is compared with.
//! * [`alloc`]: a counting global allocator for peak-memory measurements (installed only by
//!   the bench binaries that measure memory).
//! * [`harness`]: runtimes, SDK clients and the "N calls over C concurrent tasks" driver.
//! * [`paired`]: SDK and baseline timed in alternating rounds, for ratios that hold on a
//!   shared machine.
//!
//! Nothing here is part of the SDK; the crate is not published.

pub mod alloc;
pub mod baseline;
pub mod floor;
pub mod generate;
pub mod harness;
pub mod paired;
pub mod server;

/// The ICCID used for usage calls (any 16 to 22 digits pass the SDK's check).
pub const ICCID: &str = "8944465400000267221";
/// The client id the benches authenticate with (the server accepts anything).
pub const CLIENT_ID: &str = "bench-client";
/// The client secret the benches authenticate with.
pub const CLIENT_SECRET: &str = "bench-secret";
