//! Paired rounds: the SDK and the baseline measured in alternation, so that both see the same
//! machine (on 2 shared cores, other work comes and goes within a criterion run).
//!
//! Criterion measures one function for seconds, then the other; a burst of other work during
//! one of them moves the ratio. Here each round times a batch of the SDK and a batch of the
//! baseline back to back (in alternating order) and keeps the round's ratio; the median of the
//! rounds' ratios is robust to bursts that last less than a few rounds. Results are printed and
//! saved as JSON next to criterion's (`<criterion dir>/paired/<group>/<run>.json`, `run` being
//! the `--save-baseline` name or `new`), where `bench-report` reads them.

use std::path::PathBuf;
use std::time::Duration;

use serde::{Deserialize, Serialize};

/// How long `f` takes, once.
pub fn timed(f: &dyn Fn()) -> Duration {
    let started = std::time::Instant::now();
    f();
    started.elapsed()
}

/// What a ratio compares.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Kind {
    /// SDK time over baseline time (lower is better).
    Time,
    /// SDK rate over baseline rate, i.e. baseline time over SDK time (higher is better).
    Rate,
}

/// The saved result of one paired comparison.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Paired {
    /// The criterion group it accompanies.
    pub group: String,
    /// What the ratios compare.
    pub kind: Kind,
    /// Operations timed per side and round.
    pub ops_per_round: u64,
    /// Nanoseconds per operation of the SDK, per round.
    pub sdk_ns: Vec<f64>,
    /// Nanoseconds per operation of the baseline, per round.
    pub baseline_ns: Vec<f64>,
}

/// The median and the quartiles of `values`.
pub fn quartiles(values: &[f64]) -> (f64, f64, f64) {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let at = |q: f64| {
        if v.is_empty() {
            return f64::NAN;
        }
        let pos = q * (v.len() - 1) as f64;
        let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
        v[lo] + (v[hi] - v[lo]) * (pos - lo as f64)
    };
    (at(0.25), at(0.5), at(0.75))
}

impl Paired {
    /// Each round's ratio (see [`Kind`]).
    pub fn ratios(&self) -> Vec<f64> {
        self.sdk_ns
            .iter()
            .zip(&self.baseline_ns)
            .map(|(s, b)| match self.kind {
                Kind::Time => s / b,
                Kind::Rate => b / s,
            })
            .collect()
    }

    /// A one-line summary.
    pub fn summary(&self) -> String {
        let (q1, ratio, q3) = quartiles(&self.ratios());
        let (_, sdk, _) = quartiles(&self.sdk_ns);
        let (_, baseline, _) = quartiles(&self.baseline_ns);
        format!(
            "paired {}: {} rounds of {} ops per side; SDK {:.0} ns/op, baseline {:.0} ns/op; \
             ratio median {ratio:.3} (quartiles {q1:.3}–{q3:.3}, {})",
            self.group,
            self.sdk_ns.len(),
            self.ops_per_round,
            sdk,
            baseline,
            match self.kind {
                Kind::Time => "SDK time / baseline time",
                Kind::Rate => "SDK rate / baseline rate",
            }
        )
    }
}

/// Whether the binary runs as a benchmark (`cargo bench`), not as a smoke test.
pub fn bench_mode() -> bool {
    std::env::args().any(|a| a == "--bench")
}

/// Criterion's output directory, as criterion finds it.
pub fn criterion_dir() -> PathBuf {
    if let Some(home) = std::env::var_os("CRITERION_HOME") {
        return PathBuf::from(home);
    }
    if let Some(target) = std::env::var_os("CARGO_TARGET_DIR") {
        return PathBuf::from(target).join("criterion");
    }
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/criterion")
}

/// The `--save-baseline` name this run saves under, or `new`.
pub fn run_name() -> String {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == "--save-baseline")
        .and_then(|i| args.get(i + 1).cloned())
        .unwrap_or_else(|| "new".to_string())
}

/// Times `rounds` rounds of `sdk` and `baseline` (each returns the wall time of
/// `ops_per_round` operations), alternating which goes first, and returns the times per
/// operation. Prints and saves nothing (see [`run`]).
pub fn alternate(
    group: &str,
    kind: Kind,
    rounds: usize,
    ops_per_round: u64,
    mut sdk: impl FnMut() -> Duration,
    mut baseline: impl FnMut() -> Duration,
) -> Paired {
    let per_op = |d: Duration| d.as_nanos() as f64 / ops_per_round as f64;
    let mut result = Paired {
        group: group.to_string(),
        kind,
        ops_per_round,
        sdk_ns: Vec::with_capacity(rounds),
        baseline_ns: Vec::with_capacity(rounds),
    };
    for round in 0..rounds {
        let (s, b) = if round % 2 == 0 {
            let s = sdk();
            (s, baseline())
        } else {
            let b = baseline();
            (sdk(), b)
        };
        result.sdk_ns.push(per_op(s));
        result.baseline_ns.push(per_op(b));
    }
    result
}

/// Times `rounds` rounds of `sdk` and `baseline` (each returns the wall time of
/// `ops_per_round` operations), alternating which goes first, then prints and saves the
/// result. Does nothing outside `cargo bench`.
pub fn run(
    group: &str,
    kind: Kind,
    rounds: usize,
    ops_per_round: u64,
    sdk: impl FnMut() -> Duration,
    baseline: impl FnMut() -> Duration,
) -> Option<Paired> {
    if !bench_mode() {
        return None;
    }
    let result = alternate(group, kind, rounds, ops_per_round, sdk, baseline);
    match crate::server::server_nice() {
        Some(nice) => println!("{} [server nice {nice}]", result.summary()),
        None => println!("{}", result.summary()),
    }
    let dir = criterion_dir().join("paired").join(group);
    let saved = std::fs::create_dir_all(&dir).and_then(|()| {
        let json = serde_json::to_vec_pretty(&result).map_err(std::io::Error::other)?;
        std::fs::write(dir.join(format!("{}.json", run_name())), json)
    });
    if let Err(e) = saved {
        eprintln!("could not save the paired result of {group}: {e}");
    }
    Some(result)
}
