//! Benchmark 3: 1,000 concurrent usage calls on a fresh SDK client (no token, no connection).
//! Every run checks that they caused exactly one token request, and criterion reports the time
//! until all 1,000 are answered. For context, `baseline_fresh_client` makes the same 1,000
//! calls with a fresh hand-written client that already holds a token (no token request):
//! both open their connections (up to 1,000) during the measured time.

use std::sync::Arc;
use std::time::Duration;

use criterion::{Criterion, SamplingMode, criterion_group, criterion_main};
use pressone_esim_bench::baseline::Baseline;
use pressone_esim_bench::harness::{
    SERVER_THREADS, baseline_usage, client_runtime, open_files, sdk_client, sdk_usage, settle,
    spread_on,
};
use pressone_esim_bench::server::{Bodies, Server};

/// Concurrent calls on the fresh client.
const CALLS: u64 = 1_000;

fn cold_start(c: &mut Criterion) {
    let runtime = client_runtime();
    let server = Server::start(Bodies::small(), SERVER_THREADS);
    // Open files before any client: each run waits for its connections to close to this.
    let idle = open_files() + 8;
    let mut group = c.benchmark_group(format!("cold_start_{CALLS}"));
    group.sampling_mode(SamplingMode::Flat);
    group.bench_function("sdk", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let client = sdk_client(&server);
                server.reset_counters();
                total += spread_on(&runtime, CALLS as usize, CALLS, client.clone(), sdk_usage);
                let hits = server.token_hits();
                assert_eq!(
                    hits, 1,
                    "{CALLS} calls on a fresh client made {hits} token requests"
                );
                assert_eq!(server.requests() as u64, CALLS + 1);
                // The client and its connections are dropped outside the measured time.
                drop(client);
                settle(idle);
            }
            total
        })
    });
    let token = pressone_esim_bench::generate::token();
    group.bench_function("baseline_fresh_client", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let client = Arc::new(Baseline::new(&server.base_url(), &token));
                total += spread_on(
                    &runtime,
                    CALLS as usize,
                    CALLS,
                    client.clone(),
                    baseline_usage,
                );
                drop(client);
                settle(idle);
            }
            total
        })
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3))
        .sample_size(10);
    targets = cold_start
}
criterion_main!(benches);
