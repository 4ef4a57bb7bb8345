//! Prints the medians and SDK/baseline ratios of the criterion results as a Markdown table.
//!
//! ```sh
//! cargo bench -p pressone-esim-bench -- --save-baseline run1   # as many runs as wanted
//! cargo run -p pressone-esim-bench --bin bench-report -- run1 run2 run3
//! ```
//!
//! With no argument it reads the latest run (criterion's `new`). `--dir PATH` reads another
//! criterion directory (default: `target/criterion` of the workspace, or
//! `$CARGO_TARGET_DIR/criterion`). A ratio is the SDK's time over the baseline's (for
//! throughput: the SDK's requests per second over the baseline's); the last row of each
//! comparison is the median over the runs. A second table gives the paired rounds each bench
//! saves (`paired/<group>/<run>.json`): SDK and baseline alternating, robust to other work on
//! the machine; its ratios are the ones to judge by.

use std::path::{Path, PathBuf};

use pressone_esim_bench::paired::{Paired, quartiles};

/// How a comparison's ratio is judged.
#[derive(Clone, Copy)]
enum Goal {
    /// Time ratio at most `must`, aim at most `aim`.
    TimeAtMost { must: f64, aim: f64 },
    /// Throughput ratio at least `must`, aim at least `aim`.
    RateAtLeast { must: f64, aim: f64 },
    /// Reported, not judged.
    Info,
}

struct Comparison {
    title: &'static str,
    group: &'static str,
    sdk: &'static str,
    baseline: &'static str,
    goal: Goal,
}

/// Benchmark 1 at one concurrency: time per usage call, Must ≤ 1.10, Aim ≤ 1.05.
const fn usage_call(title: &'static str, group: &'static str) -> Comparison {
    Comparison {
        title,
        group,
        sdk: "sdk",
        baseline: "baseline",
        goal: Goal::TimeAtMost {
            must: 1.10,
            aim: 1.05,
        },
    }
}

const COMPARISONS: &[Comparison] = &[
    usage_call("1. usage call, concurrency 1 (time per call)", "usage_c1"),
    usage_call("1. usage call, concurrency 64 (time per call)", "usage_c64"),
    Comparison {
        title: "2. throughput, 256 tasks (requests/s)",
        group: "throughput_c256",
        sdk: "sdk",
        baseline: "baseline",
        goal: Goal::RateAtLeast {
            must: 0.90,
            aim: 0.97,
        },
    },
    Comparison {
        title: "3. cold start, 1,000 calls on a fresh client (time until all answered)",
        group: "cold_start_1000",
        sdk: "sdk",
        baseline: "baseline_fresh_client",
        goal: Goal::Info,
    },
    Comparison {
        title: "4. catalogue decode, 20,000 packages (body in memory)",
        group: "catalogue_decode",
        sdk: "sdk_domain",
        baseline: "serde_raw",
        goal: Goal::TimeAtMost {
            must: 1.5,
            aim: 1.2,
        },
    },
    Comparison {
        title: "4. catalogue over HTTP, 20,000 packages",
        group: "catalogue_http",
        sdk: "sdk",
        baseline: "baseline",
        goal: Goal::Info,
    },
    Comparison {
        title: "5. stream of 10,000 orders, pages of 100",
        group: "orders_stream_10000",
        sdk: "sdk_limit100",
        baseline: "baseline_limit100",
        goal: Goal::Info,
    },
    Comparison {
        title: "6. catalogue decode vs the hand-written floor (issue 20, paired only)",
        group: "catalogue_floor_decode",
        sdk: "sdk",
        baseline: "floor",
        goal: Goal::TimeAtMost {
            must: 1.0,
            aim: 0.8,
        },
    },
    Comparison {
        title: "6. catalogue over HTTP vs the hand-written floor (issue 20, paired only)",
        group: "catalogue_floor_http",
        sdk: "sdk",
        baseline: "floor",
        goal: Goal::TimeAtMost {
            must: 1.0,
            aim: 0.8,
        },
    },
];

fn median(values: &mut [f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    Some(if values.len() % 2 == 1 {
        values[mid]
    } else {
        (values[mid - 1] + values[mid]) / 2.0
    })
}

/// Criterion's median estimate (ns per iteration) of one benchmark in one run.
fn estimate(dir: &Path, group: &str, bench: &str, run: &str) -> Option<f64> {
    let path = dir.join(group).join(bench).join(run).join("estimates.json");
    let text = std::fs::read_to_string(path).ok()?;
    let json: serde_json::Value = serde_json::from_str(&text).ok()?;
    json["median"]["point_estimate"].as_f64()
}

fn human_time(ns: f64) -> String {
    if ns >= 1e6 {
        format!("{:.2} ms", ns / 1e6)
    } else if ns >= 1e3 {
        format!("{:.2} µs", ns / 1e3)
    } else {
        format!("{ns:.0} ns")
    }
}

fn human(ns: f64, goal: Goal) -> String {
    match goal {
        Goal::RateAtLeast { .. } => format!("{:.0} req/s", 1e9 / ns),
        _ => human_time(ns),
    }
}

fn ratio(sdk_ns: f64, baseline_ns: f64, goal: Goal) -> f64 {
    match goal {
        Goal::RateAtLeast { .. } => baseline_ns / sdk_ns,
        _ => sdk_ns / baseline_ns,
    }
}

fn verdict(ratio: f64, goal: Goal) -> String {
    match goal {
        Goal::TimeAtMost { must, aim } if ratio <= aim => {
            format!("Must ≤ {must}: met; Aim ≤ {aim}: met")
        }
        Goal::TimeAtMost { must, aim } if ratio <= must => {
            format!("Must ≤ {must}: met; Aim ≤ {aim}: missed")
        }
        Goal::TimeAtMost { must, .. } => format!("Must ≤ {must}: MISSED"),
        Goal::RateAtLeast { must, aim } if ratio >= aim => {
            format!("Must ≥ {must}: met; Aim ≥ {aim}: met")
        }
        Goal::RateAtLeast { must, aim } if ratio >= must => {
            format!("Must ≥ {must}: met; Aim ≥ {aim}: missed")
        }
        Goal::RateAtLeast { must, .. } => format!("Must ≥ {must}: MISSED"),
        Goal::Info => "(context)".to_string(),
    }
}

fn default_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(target) => PathBuf::from(target).join("criterion"),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/criterion"),
    }
}

/// The paired result of one comparison in one run, if saved.
fn paired(dir: &Path, group: &str, run: &str) -> Option<Paired> {
    let path = dir.join("paired").join(group).join(format!("{run}.json"));
    serde_json::from_slice(&std::fs::read(path).ok()?).ok()
}

/// The closing row of a comparison's table part: the medians over the runs and the verdict
/// (`gap`: the empty cells between the run column and the SDK column).
fn median_row(
    c: &Comparison,
    gap: &str,
    sdks: &mut [f64],
    baselines: &mut [f64],
    ratios: &mut [f64],
) {
    if let (Some(sdk), Some(baseline), Some(r)) = (median(sdks), median(baselines), median(ratios))
    {
        println!(
            "| **{}** | **median of {}** |{gap} **{}** | **{}** | **{r:.3}** | {} |",
            c.title,
            ratios.len(),
            human(sdk, c.goal),
            human(baseline, c.goal),
            verdict(r, c.goal)
        );
    }
}

/// The table of paired rounds: per run the medians per operation and the median ratio with
/// its quartiles, then the median over the runs with the verdict.
fn paired_table(dir: &Path, runs: &[String]) {
    println!(
        "\nPaired rounds (SDK and baseline alternating; the ratio is the median of the rounds' ratios):\n"
    );
    println!(
        "| comparison | run | rounds | SDK (median per op) | baseline (median per op) | ratio (quartiles) | verdict |"
    );
    println!("| --- | --- | --- | --- | --- | --- | --- |");
    for c in COMPARISONS {
        let (mut sdks, mut baselines, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
        for run in runs {
            let Some(p) = paired(dir, c.group, run) else {
                continue;
            };
            let (q1, r, q3) = quartiles(&p.ratios());
            let (_, sdk, _) = quartiles(&p.sdk_ns);
            let (_, baseline, _) = quartiles(&p.baseline_ns);
            println!(
                "| {} | {run} | {} × {} ops | {} | {} | {r:.3} ({q1:.3}–{q3:.3}) | |",
                c.title,
                p.sdk_ns.len(),
                p.ops_per_round,
                human(sdk, c.goal),
                human(baseline, c.goal),
            );
            sdks.push(sdk);
            baselines.push(baseline);
            ratios.push(r);
        }
        median_row(c, " |", &mut sdks, &mut baselines, &mut ratios);
    }
}

fn main() {
    let mut dir = default_dir();
    let mut runs = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--dir" {
            dir = PathBuf::from(args.next().expect("--dir needs a path"));
        } else {
            runs.push(arg);
        }
    }
    if runs.is_empty() {
        runs.push("new".to_string());
    }
    let dir = dir.canonicalize().unwrap_or(dir);
    println!(
        "criterion results in {} (runs: {})\n",
        dir.display(),
        runs.join(", ")
    );
    println!("Criterion (each function measured for seconds, one after the other):\n");
    println!("| comparison | run | SDK (median) | baseline (median) | ratio | verdict |");
    println!("| --- | --- | --- | --- | --- | --- |");
    for c in COMPARISONS {
        let (mut sdks, mut baselines, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
        for run in &runs {
            let sdk = estimate(&dir, c.group, c.sdk, run);
            let baseline = estimate(&dir, c.group, c.baseline, run);
            let (Some(sdk), Some(baseline)) = (sdk, baseline) else {
                println!("| {} | {run} | (missing) | (missing) | | |", c.title);
                continue;
            };
            let r = ratio(sdk, baseline, c.goal);
            println!(
                "| {} | {run} | {} | {} | {r:.3} | |",
                c.title,
                human(sdk, c.goal),
                human(baseline, c.goal)
            );
            sdks.push(sdk);
            baselines.push(baseline);
            ratios.push(r);
        }
        median_row(c, "", &mut sdks, &mut baselines, &mut ratios);
    }
    paired_table(&dir, &runs);
}
