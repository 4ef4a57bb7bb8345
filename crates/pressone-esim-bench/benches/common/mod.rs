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
