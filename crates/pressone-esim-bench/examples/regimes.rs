//! Regime survey (not a benchmark): one process, the usage call at concurrency `C` (default
//! 64), `R` rounds (default 20) of 2,000 calls per side, SDK and baseline alternating. Prints
//! one line: the median time per call of each side and the median of the rounds' ratios.
//! Run it many times to see how often a process lands in the slow regime and what the ratio
//! is in each (docs/benchmarks.md, "The machine").
//!
//! `cargo run --release -p pressone-esim-bench --example regimes -- [C] [R]`

use std::time::Duration;

use pressone_esim_bench::harness::{
    baseline_usage, client_runtime, sdk_usage, spread_on, usage_setup,
};

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

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
    let per_op = |d: Duration| d.as_nanos() as f64 / OPS as f64;
    let (mut s, mut b, mut r) = (Vec::new(), Vec::new(), Vec::new());
    for round in 0..rounds {
        let (sd, bd) = if round % 2 == 0 {
            let sd = sdk_round();
            (sd, baseline_round())
        } else {
            let bd = baseline_round();
            (sdk_round(), bd)
        };
        s.push(per_op(sd));
        b.push(per_op(bd));
        r.push(per_op(sd) / per_op(bd));
    }
    let nice = pressone_esim_bench::server::server_nice()
        .map(|n| format!(" [server nice {n}]"))
        .unwrap_or_default();
    println!(
        "c{concurrency}: sdk {:.2} us, baseline {:.2} us, ratio {:.3}{nice}",
        median(s) / 1000.0,
        median(b) / 1000.0,
        median(r)
    );
}
