//! One worker of a fleet sharing its token (and package histories) through Redis: the
//! processes of the fleet tests (`tests/tests/fleet.rs`).
//!
//! Usage: `fleet_worker <redis-url> <mode>` with the client configured by `PRESSONE_BASE_URL`,
//! `PRESSONE_CLIENT_ID` and `PRESSONE_CLIENT_SECRET`; modes:
//! * `calls:N`: N concurrent balance calls, then prints `ok N`;
//! * `gated:N`: prints `waiting`, waits for a line on stdin (so a test starts every worker's
//!   calls at once), then N concurrent calls and prints `ok N`;
//! * `pause:N`: N concurrent calls, prints `ready`, waits for a line on stdin, N more calls,
//!   then prints `ok 2N`;
//! * `history:ICCID`: the eSIM's package history, then prints `ok <entries>`.
//!
//! Exits 1 (printing the errors) when any call fails. Logs go to stderr at debug level for the
//! SDK (the tests check that no token is in them).

use std::io::BufRead;
use std::sync::Arc;

use pressone_esim::{Client, RedisTokenStore};

fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new("pressone_esim=debug"))
        .with_writer(std::io::stderr)
        .init();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [url, mode] = args.as_slice() else {
        eprintln!("usage: fleet_worker <redis-url> <mode>");
        std::process::exit(2);
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build();
    let code = match runtime {
        Ok(runtime) => runtime.block_on(run(url, mode)),
        Err(err) => {
            eprintln!("no runtime: {err}");
            1
        }
    };
    std::process::exit(code);
}

async fn run(url: &str, mode: &str) -> i32 {
    let store = match RedisTokenStore::new(url) {
        Ok(store) => Arc::new(store),
        Err(err) => return fail(&err),
    };
    let client = match pressone_esim::ClientBuilder::from_env()
        .map(|b| b.token_store(store.clone()).shared_cache(store))
        .and_then(|b| b.build())
    {
        Ok(client) => client,
        Err(err) => return fail(&err),
    };
    match mode.split_once(':') {
        Some(("calls", n)) => match calls(&client, n).await {
            Ok(n) => ok(n),
            Err(code) => code,
        },
        Some(("gated", n)) => {
            println!("waiting");
            if !next_line() {
                return 1;
            }
            match calls(&client, n).await {
                Ok(n) => ok(n),
                Err(code) => code,
            }
        }
        Some(("pause", n)) => {
            let Ok(first) = calls(&client, n).await else {
                return 1;
            };
            println!("ready");
            if !next_line() {
                return 1;
            }
            match calls(&client, n).await {
                Ok(second) => ok(first + second),
                Err(code) => code,
            }
        }
        Some(("history", iccid)) => match client.sims().history(iccid).send().await {
            Ok(entries) => ok(entries.len()),
            Err(err) => fail(&err),
        },
        _ => {
            eprintln!("unknown mode {mode}");
            2
        }
    }
}

/// `n` concurrent balance calls; the number that succeeded, or the exit code after printing
/// the failures.
async fn calls(client: &Client, n: &str) -> Result<usize, i32> {
    let Ok(n) = n.parse::<usize>() else {
        eprintln!("not a number: {n}");
        return Err(2);
    };
    let results = futures::future::join_all((0..n).map(|_| client.balance().send())).await;
    let failures: Vec<_> = results.iter().filter_map(|r| r.as_ref().err()).collect();
    if let Some(first) = failures.first() {
        println!("failed {} of {n}: {first}", failures.len());
        return Err(1);
    }
    Ok(n)
}

/// Waits for a line on stdin (the test's go signal).
fn next_line() -> bool {
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line).is_ok()
}

fn ok(n: usize) -> i32 {
    println!("ok {n}");
    0
}

fn fail(err: &pressone_esim::Error) -> i32 {
    println!("failed: {err}");
    1
}
