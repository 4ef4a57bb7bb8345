//! Profiling driver (not a benchmark): `usage_loop sdk|baseline N [C]` warms up with 2,000
//! usage calls, then makes `N` more spread over `C` tasks (default 1), for
//! `valgrind --tool=callgrind`, `perf stat` or `nstat` to count what one side costs per call.
//! See docs/benchmarks.md, "Hot spots".

use std::sync::Arc;

use pressone_esim_bench::baseline::Baseline;
use pressone_esim_bench::harness::{SERVER_THREADS, client_runtime, sdk_client, spread_on};
use pressone_esim_bench::server::{Bodies, Server};
use pressone_esim_bench::{ICCID, generate};

fn main() {
    let mut args = std::env::args().skip(1);
    let side = args.next().unwrap_or_else(|| "sdk".into());
    let calls: u64 = args.next().and_then(|n| n.parse().ok()).unwrap_or(5_000);
    let concurrency: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(1);
    let server = Server::start(Bodies::small(), SERVER_THREADS);
    let runtime = client_runtime();
    match side.as_str() {
        "sdk" => {
            let sdk = sdk_client(&server);
            spread_on(&runtime, concurrency, 2_000 + calls, sdk, |sdk| {
                let sdk = sdk.clone();
                async move {
                    sdk.sims().usage(ICCID).await.expect("usage");
                }
            });
        }
        "baseline" => {
            let baseline = Arc::new(Baseline::new(&server.base_url(), &generate::token()));
            spread_on(&runtime, concurrency, 2_000 + calls, baseline, |baseline| {
                let baseline = Arc::clone(baseline);
                async move {
                    baseline.usage(ICCID).await.expect("usage");
                }
            });
        }
        other => {
            eprintln!("usage_loop: unknown side {other:?} (sdk or baseline)");
            std::process::exit(2);
        }
    }
}
