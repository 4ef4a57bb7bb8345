//! Benchmark 1: the time of one `sims usage` call through the SDK vs a hand-written `reqwest`
//! GET + `serde_json` decoding, at concurrency 1 and 64, over warm connections to the
//! loopback server. Criterion reports the time per call (wall time of N calls / N); then paired
//! rounds (SDK and baseline alternating: 30 of 1,000 calls at concurrency 1, 40 of 2,000 at
//! 64) give the ratio.

mod common;

use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use pressone_esim_bench::harness::{
    baseline_usage, client_runtime, sdk_usage, spread_on, usage_setup,
};
use pressone_esim_bench::paired::{self, Kind};

fn per_call(c: &mut Criterion) {
    let runtime = client_runtime();
    let (_server, sdk, baseline) = usage_setup(&runtime);
    for concurrency in [1usize, 64] {
        let mut group = c.benchmark_group(format!("usage_c{concurrency}"));
        group.throughput(Throughput::Elements(1));
        group.bench_function("sdk", |b| {
            b.iter_custom(|iters| spread_on(&runtime, concurrency, iters, sdk.clone(), sdk_usage))
        });
        group.bench_function("baseline", |b| {
            b.iter_custom(|iters| {
                spread_on(
                    &runtime,
                    concurrency,
                    iters,
                    baseline.clone(),
                    baseline_usage,
                )
            })
        });
        group.finish();
        // The ratio, from alternating rounds (see `paired`).
        let ops = if concurrency == 1 { 1_000 } else { 2_000 };
        paired::run(
            &format!("usage_c{concurrency}"),
            Kind::Time,
            if concurrency == 1 { 30 } else { 40 },
            ops,
            || spread_on(&runtime, concurrency, ops, sdk.clone(), sdk_usage),
            || spread_on(&runtime, concurrency, ops, baseline.clone(), baseline_usage),
        );
    }
}

criterion_group! {
    name = benches;
    config = common::config(Duration::from_secs(1), Duration::from_secs(4), 30);
    targets = per_call
}
criterion_main!(benches);
