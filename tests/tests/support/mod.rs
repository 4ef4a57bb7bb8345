//! Helpers of the fault, load and secrets tests: credentials and client builders. The
//! fixtures, token bodies, the raw server that breaks answers, the gated proxy and the log
//! capture are the workspace's test kit (`pressone-esim-testkit`), re-exported here.
#![allow(dead_code, unused_imports)]

use std::time::Duration;

use pressone_esim::{Client, ClientBuilder, RetryPolicy};
use pressone_esim_sandbox::{FaultConfig, Operation, SandboxHandle};

pub use pressone_esim_testkit::raw_server::TOKEN_PATH;
pub use pressone_esim_testkit::*;

pub const CLIENT_ID: &str = "fault-client-id";
pub const CLIENT_SECRET: &str = "fault-client-secret";
pub const TOKEN: &str = "fault-access-token";
pub const ICCID: &str = "8944465400000267221";

/// A package for France from the catalogue (one with a net price when `priced`).
pub async fn french_package(client: &Client, priced: bool) -> pressone_esim::Package {
    client
        .packages()
        .list()
        .country("FR")
        .await
        .expect("the catalogue")
        .items
        .iter()
        .flat_map(|e| e.packages())
        .find(|p| !priced || p.net_price.is_some())
        .expect("a package for France")
        .clone()
}

/// Retries without jitter, with short back-offs, 3 attempts in all.
pub fn fast_retry() -> RetryPolicy {
    RetryPolicy::default()
        .jitter(false)
        .initial_backoff(Duration::from_millis(10))
        .max_attempts(3)
}

/// A builder for `base_url` with the test credentials, `timeout` per attempt and fast retries.
pub fn builder_for(base_url: &str, timeout: Duration) -> ClientBuilder {
    Client::builder()
        .base_url(base_url)
        .credentials(CLIENT_ID, CLIENT_SECRET)
        .request_timeout(timeout)
        .connect_timeout(timeout)
        .retry_policy(fast_retry())
}

/// Makes the sandbox wait `latency` before it answers `operation` (and nothing else), until
/// its faults are cleared.
pub fn delay(sandbox: &SandboxHandle, operation: Operation, latency: Duration) {
    let faults = FaultConfig::none().latency(latency).only([operation]);
    sandbox.set_faults(faults).expect("valid faults");
}
