//! Benchmark 3: 1,000 concurrent usage calls on a fresh SDK client (no token, no connection).
//! Every run checks that they caused exactly one token request, and criterion reports the time
//! until all 1,000 are answered. For context, `baseline_fresh_client` makes the same 1,000
//! calls with a fresh hand-written client that already holds a token (no token request):
//! both open their connections (up to 1,000) during the measured time.

mod common;

use std::sync::Arc;
use std::time::Duration;

use criterion::{Criterion, SamplingMode, criterion_group, criterion_main};
use pressone_esim_bench::baseline::Baseline;
use pressone_esim_bench::harness::{
    SERVER_THREADS, baseline_usage, client_runtime, open_files, sdk_client, sdk_usage, settle,
    spread_on,
};
use pressone_esim_bench::paired::{self, Kind};
use pressone_esim_bench::server::{Bodies, Server};

/// Concurrent calls on the fresh client.
const CALLS: u64 = 1_000;

fn cold_start(c: &mut Criterion) {
    let runtime = client_runtime();
    let server = Server::start(Bodies::small(), SERVER_THREADS);
    // Open files before any client: each run waits for its connections to close to this.
    let idle = open_files() + 8;
    let token = pressone_esim_bench::generate::token();
    // One run each: the time until all calls are answered. The client and its connections
    // are dropped, and closed, outside the measured time.
    let sdk_run = || {
        let client = sdk_client(&server);
        server.reset_counters();
        let time = spread_on(&runtime, CALLS as usize, CALLS, client.clone(), sdk_usage);
        let hits = server.token_hits();
        assert_eq!(
            hits, 1,
            "{CALLS} calls on a fresh client made {hits} token requests"
        );
        assert_eq!(server.requests() as u64, CALLS + 1);
        drop(client);
        settle(idle);
        time
    };
    let baseline_run = || {
        let client = Arc::new(Baseline::new(&server.base_url(), &token));
        let time = spread_on(
            &runtime,
            CALLS as usize,
            CALLS,
            client.clone(),
            baseline_usage,
        );
        drop(client);
        settle(idle);
        time
    };
    let mut group = c.benchmark_group(format!("cold_start_{CALLS}"));
    group.sampling_mode(SamplingMode::Flat);
    group.bench_function("sdk", |b| {
        b.iter_custom(|iters| (0..iters).map(|_| sdk_run()).sum())
    });
    group.bench_function("baseline_fresh_client", |b| {
        b.iter_custom(|iters| (0..iters).map(|_| baseline_run()).sum())
    });
    group.finish();
    // The ratio, from alternating rounds (see `paired`).
    paired::run(
        &format!("cold_start_{CALLS}"),
        Kind::Time,
        10,
        1,
        sdk_run,
        baseline_run,
    );
}

criterion_group! {
    name = benches;
    config = common::config(Duration::from_millis(500), Duration::from_secs(3), 10);
    targets = cold_start
}
criterion_main!(benches);
