//! Benchmark 2: throughput of 256 concurrent tasks sharing one client, SDK vs the hand-written
//! baseline, over warm connections to the loopback server. Criterion reports requests per
//! second (`thrpt`, elements = answered calls); then 40 paired rounds (SDK and baseline
//! alternating, 4,000 calls each) give the ratio.

mod common;

use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use pressone_esim_bench::paired::Kind;

fn throughput(c: &mut Criterion) {
    // 256 tasks sharing the client; 40 paired rounds of 4,000 calls.
    common::usage_comparisons(c, &[("throughput_c256", Kind::Rate, 256, (40, 4_000))]);
}

criterion_group! {
    name = benches;
    config = common::config(Duration::from_secs(1), Duration::from_secs(4), 30);
    targets = throughput
}
criterion_main!(benches);
