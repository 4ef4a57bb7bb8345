//! Benchmark 2: throughput of 256 concurrent tasks sharing one client, SDK vs the hand-written
//! baseline, over warm connections to the loopback server. Criterion reports requests per
//! second (`thrpt`, elements = answered calls); then 40 paired rounds (SDK and baseline
//! alternating, 4,000 calls each) give the ratio.

mod common;

use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use pressone_esim_bench::harness::{
    baseline_usage, client_runtime, sdk_usage, spread_on, usage_setup,
};
use pressone_esim_bench::paired::{self, Kind};

/// Tasks sharing the client.
const TASKS: usize = 256;

fn throughput(c: &mut Criterion) {
    let runtime = client_runtime();
    let (_server, sdk, baseline) = usage_setup(&runtime);
    let mut group = c.benchmark_group(format!("throughput_c{TASKS}"));
    group.throughput(Throughput::Elements(1));
    group.bench_function("sdk", |b| {
        b.iter_custom(|iters| spread_on(&runtime, TASKS, iters, sdk.clone(), sdk_usage))
    });
    group.bench_function("baseline", |b| {
        b.iter_custom(|iters| spread_on(&runtime, TASKS, iters, baseline.clone(), baseline_usage))
    });
    group.finish();
    // The ratio, from alternating rounds (see `paired`).
    const OPS: u64 = 4_000;
    paired::run(
        &format!("throughput_c{TASKS}"),
        Kind::Rate,
        40,
        OPS,
        || spread_on(&runtime, TASKS, OPS, sdk.clone(), sdk_usage),
        || spread_on(&runtime, TASKS, OPS, baseline.clone(), baseline_usage),
    );
}

criterion_group! {
    name = benches;
    config = common::config(Duration::from_secs(1), Duration::from_secs(4), 30);
    targets = throughput
}
criterion_main!(benches);
