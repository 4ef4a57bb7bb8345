//! Regime survey (not a benchmark): one process, the usage call at concurrency `C` (default
//! 64), `R` rounds (default 20) of 2,000 calls per side, SDK and baseline alternating. Prints
//! one line: the paired summary (median time per call of each side, median of the ratios).
//! Run it many times to see how often a process lands in the slow regime and what the ratio
//! is in each (docs/benchmarks.md, "The machine").
//!
//! `cargo run --release -p pressone-esim-bench --example regimes -- [C] [R]`

use pressone_esim_bench::harness::{
    baseline_usage, client_runtime, sdk_usage, spread_on, usage_setup,
};
use pressone_esim_bench::paired::{self, Kind};

fn main() {
    let mut args = std::env::args().skip(1);
    let concurrency: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(64);
    let rounds: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(20);
    const OPS: u64 = 2_000;
    let runtime = client_runtime();
    let (_server, sdk, baseline) = usage_setup(&runtime);
    let sdk_round = || spread_on(&runtime, concurrency, OPS, sdk.clone(), sdk_usage);
    let baseline_round = || spread_on(&runtime, concurrency, OPS, baseline.clone(), baseline_usage);
    // Warm both pools to `concurrency` connections.
    for _ in 0..2 {
        sdk_round();
        baseline_round();
    }
    let result = paired::alternate(
        &format!("c{concurrency}"),
        Kind::Time,
        rounds,
        OPS,
        sdk_round,
        baseline_round,
    );
    let nice = pressone_esim_bench::server::server_nice()
        .map(|n| format!(" [server nice {n}]"))
        .unwrap_or_default();
    println!("{}{nice}", result.summary());
}
