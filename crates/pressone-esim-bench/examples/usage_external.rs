//! Per-call rate against an external server (issue 20, goal 3): the SDK's usage call and the
//! bare reqwest + serde_json baseline, alternating round by round against the same server,
//! so that neither side shares its core with the server (unlike the in-process `per_call`
//! bench, whose server competes with the client for the 2 cores).
//!
//! ```sh
//! cargo build --release -p pressone-esim-bench --example usage_external
//! B=target/release/examples/usage_external
//! $B nginx-conf 8089 /tmp/usage-nginx > /tmp/usage-nginx.conf  # writes the two bodies too
//! taskset -c 0 nginx -c /tmp/usage-nginx.conf                  # 1 worker, on core 0
//! taskset -c 1 $B run http://127.0.0.1:8089 20000 1 9          # sequential, on core 1
//! taskset -c 1 $B run http://127.0.0.1:8089 40000 32 9         # 32 in flight
//! nginx -c /tmp/usage-nginx.conf -s stop
//! ```
//!
//! `run BASE_URL CALLS CONCURRENCY ROUNDS`: after 2,000 warm-up calls per side, ROUNDS rounds,
//! each timing CALLS calls of one side then of the other (the first side alternates). It
//! prints each round's rates and the median of the per-round ratio SDK rate / baseline rate.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use pressone_esim_bench::baseline::Baseline;
use pressone_esim_bench::harness::{client_runtime, spread};
use pressone_esim_bench::{CLIENT_ID, CLIENT_SECRET, ICCID, generate};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let words: Vec<&str> = args.iter().map(String::as_str).collect();
    let result = match words.as_slice() {
        ["nginx-conf", port, dir] => nginx_conf(port, Path::new(dir)),
        ["run", base_url, calls, concurrency, rounds] => {
            match (calls.parse(), concurrency.parse(), rounds.parse()) {
                (Ok(calls), Ok(concurrency), Ok(rounds)) => {
                    run(base_url, calls, concurrency, rounds);
                    Ok(())
                }
                _ => Err("CALLS, CONCURRENCY and ROUNDS are whole numbers".to_string()),
            }
        }
        ["one", side, base_url, calls, concurrency] => match (calls.parse(), concurrency.parse()) {
            (Ok(calls), Ok(concurrency)) => one(side, base_url, calls, concurrency),
            _ => Err("CALLS and CONCURRENCY are whole numbers".to_string()),
        },
        _ => Err(
            "usage: usage_external nginx-conf PORT DIR | run BASE_URL CALLS CONCURRENCY \
             ROUNDS | one sdk|baseline BASE_URL CALLS CONCURRENCY"
                .to_string(),
        ),
    };
    if let Err(message) = result {
        eprintln!("usage_external: {message}");
        std::process::exit(2);
    }
}

/// Writes the token and usage bodies (the benches' own fixtures) into `dir` and prints an
/// nginx configuration that serves them with one worker and no access log.
fn nginx_conf(port: &str, dir: &Path) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let path = dir.join("usage.json");
    std::fs::write(&path, generate::usage_body())
        .map_err(|e| format!("{}: {e}", path.display()))?;
    // The token is a POST, which nginx's static files do not answer: `return` it inline.
    let token = String::from_utf8(generate::token_body().to_vec()).map_err(|e| e.to_string())?;
    if token.contains(['\'', '$', '\\']) {
        return Err("the token body cannot be quoted for nginx".to_string());
    }
    let dir = dir.display();
    println!(
        "worker_processes 1;\n\
         daemon on;\n\
         pid {dir}/nginx.pid;\n\
         error_log {dir}/error.log;\n\
         events {{ worker_connections 1024; }}\n\
         http {{\n\
         \x20   access_log off;\n\
         \x20   keepalive_requests 10000000;\n\
         \x20   keepalive_timeout 300s;\n\
         \x20   default_type application/json;\n\
         \x20   client_body_temp_path {dir}/body;\n\
         \x20   server {{\n\
         \x20       listen 127.0.0.1:{port};\n\
         \x20       root {dir};\n\
         \x20       location = /customer/v2/token {{ return 200 '{token}'; }}\n\
         \x20       location ~ ^/customer/v2/sims/[0-9]+/usage$ {{ try_files /usage.json =404; }}\n\
         \x20   }}\n\
         }}"
    );
    Ok(())
}

/// The two sides of the comparison: `n` usage calls, `concurrency` in flight, on `runtime`.
struct Sides {
    runtime: tokio::runtime::Runtime,
    sdk: pressone_esim::Client,
    baseline: Arc<Baseline>,
    concurrency: usize,
}

impl Sides {
    fn new(base_url: &str, concurrency: usize) -> Sides {
        Sides {
            runtime: client_runtime(),
            sdk: pressone_esim::Client::builder()
                .base_url(base_url)
                .credentials(CLIENT_ID, CLIENT_SECRET)
                .build()
                .expect("the SDK client builds"),
            baseline: Arc::new(Baseline::new(base_url, &generate::token())),
            concurrency,
        }
    }

    fn sdk(&self, n: u64) -> Duration {
        self.runtime
            .block_on(spread(self.concurrency, n, self.sdk.clone(), |sdk| {
                let sdk = sdk.clone();
                async move {
                    sdk.sims().usage(ICCID).await.expect("usage");
                }
            }))
    }

    fn baseline(&self, n: u64) -> Duration {
        self.runtime.block_on(spread(
            self.concurrency,
            n,
            Arc::clone(&self.baseline),
            |b| {
                let b = Arc::clone(b);
                async move {
                    b.usage(ICCID).await.expect("usage");
                }
            },
        ))
    }
}

/// `one SIDE …`: one side only, after its warm-up, for a profiler (`valgrind --tool=cachegrind`
/// counts this process alone, not the server's).
fn one(side: &str, base_url: &str, calls: u64, concurrency: usize) -> Result<(), String> {
    let sides = Sides::new(base_url, concurrency);
    let round: fn(&Sides, u64) -> Duration = match side {
        "sdk" => Sides::sdk,
        "baseline" => Sides::baseline,
        other => return Err(format!("unknown side {other:?} (sdk or baseline)")),
    };
    round(&sides, 2_000);
    let took = round(&sides, calls);
    println!("{side}: {calls} calls in {took:?}");
    Ok(())
}

fn run(base_url: &str, calls: u64, concurrency: usize, rounds: usize) {
    let sides = Sides::new(base_url, concurrency);
    let sdk_round = |n: u64| sides.sdk(n);
    let baseline_round = |n: u64| sides.baseline(n);
    sdk_round(2_000);
    baseline_round(2_000);
    let rate = |d: Duration| calls as f64 / d.as_secs_f64();
    let mut ratios = Vec::with_capacity(rounds);
    for round in 0..rounds {
        let (sdk_time, baseline_time) = if round % 2 == 0 {
            let s = sdk_round(calls);
            (s, baseline_round(calls))
        } else {
            let b = baseline_round(calls);
            (sdk_round(calls), b)
        };
        let ratio = rate(sdk_time) / rate(baseline_time);
        println!(
            "round {round}: SDK {:.0} calls/s, baseline {:.0} calls/s, ratio {ratio:.3}",
            rate(sdk_time),
            rate(baseline_time)
        );
        ratios.push(ratio);
    }
    ratios.sort_by(f64::total_cmp);
    let at = |q: f64| ratios[((ratios.len() - 1) as f64 * q).round() as usize];
    println!(
        "usage, concurrency {concurrency}, {calls} calls x {rounds} rounds: SDK rate / baseline rate median {:.3} (quartiles {:.3}-{:.3})",
        at(0.5),
        at(0.25),
        at(0.75)
    );
}
