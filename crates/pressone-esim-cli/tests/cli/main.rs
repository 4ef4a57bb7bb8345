//! End-to-end tests of the `pressone-esim` binary: every command against an in-process
//! sandbox (outputs snapshotted in both formats), exit codes of each error kind (sandbox and
//! httpmock), the token cache, the embedded sandbox, the demo, and secrecy.
//!
//! One test binary (one link) for speed; snapshots live in `tests/cli/snapshots/`.

mod support;

mod commands;
mod embedded;
pub mod errors;
mod everyday;
mod output;
mod reseller;
mod safety;
mod sandbox_control;
mod secrets;
mod tokens;
