//! What the criterion bench binaries share: their criterion settings.

use std::time::Duration;

use criterion::Criterion;

/// Criterion warming up for `warm_up`, measuring each function for `measure`, in `samples`
/// samples (everything else criterion's default).
pub fn config(warm_up: Duration, measure: Duration, samples: usize) -> Criterion {
    Criterion::default()
        .warm_up_time(warm_up)
        .measurement_time(measure)
        .sample_size(samples)
}

/// One comparison of usage calls: criterion's group name, how the ratio is read, the tasks
/// the calls are spread over, and the paired rounds (rounds, calls per round).
pub type UsageComparison = (
    &'static str,
    pressone_esim_bench::paired::Kind,
    usize,
    (usize, u64),
);

/// For each comparison, over one server and one pair of warm clients: usage calls spread over
/// its tasks, SDK then baseline, in its criterion group (one element per answered call); then
/// its paired rounds (SDK and baseline alternating, see `paired`) give the ratio.
#[allow(dead_code)] // Only the usage benches (per_call, throughput) compare usage calls.
pub fn usage_comparisons(c: &mut Criterion, comparisons: &[UsageComparison]) {
    use pressone_esim_bench::harness::{
        baseline_usage, client_runtime, sdk_usage, spread_on, usage_setup,
    };
    let runtime = client_runtime();
    let (_server, sdk, baseline) = usage_setup(&runtime);
    for &(group, kind, tasks, (rounds, ops)) in comparisons {
        let mut criterion_group = c.benchmark_group(group);
        criterion_group.throughput(criterion::Throughput::Elements(1));
        criterion_group.bench_function("sdk", |b| {
            b.iter_custom(|iters| spread_on(&runtime, tasks, iters, sdk.clone(), sdk_usage))
        });
        criterion_group.bench_function("baseline", |b| {
            b.iter_custom(|iters| {
                spread_on(&runtime, tasks, iters, baseline.clone(), baseline_usage)
            })
        });
        criterion_group.finish();
        pressone_esim_bench::paired::run(
            group,
            kind,
            rounds,
            ops,
            || spread_on(&runtime, tasks, ops, sdk.clone(), sdk_usage),
            || spread_on(&runtime, tasks, ops, baseline.clone(), baseline_usage),
        );
    }
}
