//! Runs the PressOne eSIM sandbox as a standalone server.
//!
//! ```text
//! pressone-esim-sandbox [--addr 127.0.0.1:8080] [--seed N] [--client-id ID]
//!                       [--client-secret SECRET] [--balance 1000.00]
//! ```

use std::net::SocketAddr;
use std::process::ExitCode;

use pressone_esim_sandbox::{Decimal, Sandbox, SandboxConfig};

fn usage() -> ExitCode {
    eprintln!(
        "usage: pressone-esim-sandbox [--addr 127.0.0.1:8080] [--seed N] [--client-id ID] [--client-secret SECRET] [--balance 1000.00]"
    );
    ExitCode::from(2)
}

#[tokio::main]
async fn main() -> ExitCode {
    let mut addr: SocketAddr = SocketAddr::from(([127, 0, 0, 1], 8080));
    let mut config = SandboxConfig::default();
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let Some(value) = args.next() else {
            return usage();
        };
        match flag.as_str() {
            "--addr" => match value.parse() {
                Ok(a) => addr = a,
                Err(_) => return usage(),
            },
            "--seed" => match value.parse() {
                Ok(s) => config = config.seed(s),
                Err(_) => return usage(),
            },
            "--client-id" => config = config.client_id(value),
            "--client-secret" => config = config.client_secret(value),
            "--balance" => match value.parse::<Decimal>() {
                Ok(b) => config = config.initial_balance(b),
                Err(_) => return usage(),
            },
            _ => return usage(),
        }
    }
    let handle = match Sandbox::bind(addr, config).await {
        Ok(h) => h,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    println!("PressOne eSIM sandbox listening on {}", handle.base_url());
    println!("console (open it in a browser): {}", handle.console_url());
    println!(
        "client_id={} client_secret={}",
        handle.client_id(),
        handle.client_secret()
    );
    let _ = tokio::signal::ctrl_c().await;
    handle.shutdown().await;
    ExitCode::SUCCESS
}
