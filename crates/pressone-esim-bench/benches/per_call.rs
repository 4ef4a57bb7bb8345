//! Benchmark 1: the time of one `sims usage` call through the SDK vs a hand-written `reqwest`
//! GET + `serde_json` decoding, at concurrency 1 and 64, over warm connections to the
//! loopback server. Criterion reports the time per call (wall time of N calls / N); then paired
//! rounds (SDK and baseline alternating: 30 of 1,000 calls at concurrency 1, 40 of 2,000 at
//! 64) give the ratio.

mod common;

use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use pressone_esim_bench::paired::Kind;

fn per_call(c: &mut Criterion) {
    common::usage_comparisons(
        c,
        &[
            ("usage_c1", Kind::Time, 1, (30, 1_000)),
            ("usage_c64", Kind::Time, 64, (40, 2_000)),
        ],
    );
}

criterion_group! {
    name = benches;
    config = common::config(Duration::from_secs(1), Duration::from_secs(4), 30);
    targets = per_call
}
criterion_main!(benches);
