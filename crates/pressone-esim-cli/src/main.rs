//! `pressone-esim`: the command-line tool of the PressOne eSIM partner API.
//!
//! * `cli`: the command line (clap);
//! * `connect`: the client from the global options, the embedded sandbox, the token cache,
//!   logging;
//! * `commands`: the API commands; `sandbox` and `demo`: the simulator as a server and the
//!   guided tour;
//! * `views` and `output`: what is printed (JSON documents or tables);
//! * `error`: one-line error messages and exit codes.
//!
//! `main` returns the exit code: 0 success, 1 other failure, 2 usage or configuration error,
//! 3 authentication failed, 4 rejected by the API, 5 not found, 6 rate limited, 7 network,
//! timeout or server error, 8 unreadable response.

#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

mod cli;
mod commands;
mod connect;
mod demo;
mod error;
mod output;
mod sandbox;
mod views;

use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;

use crate::cli::{Cli, Command};
use crate::error::{CliError, EXIT_OK, EXIT_OTHER, EXIT_USAGE};
use crate::output::Printer;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            // Help and version go to stdout with 0; usage errors to stderr with 2.
            let _ = err.print();
            return ExitCode::from(u8::try_from(err.exit_code()).unwrap_or(EXIT_USAGE));
        }
    };
    connect::init_logging(cli.global.verbose);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: could not start the async runtime: {e}");
            return ExitCode::from(EXIT_OTHER);
        }
    };
    let result = runtime.block_on(run(cli));
    runtime.shutdown_timeout(Duration::from_millis(200));
    match result {
        Ok(()) => ExitCode::from(EXIT_OK),
        Err(err) => {
            if let CliError::Api(api) = &err {
                tracing::debug!(error = %api, "the call failed");
            }
            eprintln!("error: {err}");
            ExitCode::from(err.exit_code())
        }
    }
}

async fn run(cli: Cli) -> Result<(), CliError> {
    let out = Printer::new(cli.global.output);
    match cli.command {
        Command::Sandbox(args) => sandbox::run(args, out).await,
        Command::Demo(args) => demo::run(args, &cli.global, out).await,
        command => {
            let connection = connect::connect(&cli.global).await?;
            let result = commands::run(&connection.client, command, out).await;
            drop(connection.client);
            if let Some(sandbox) = connection.sandbox {
                let _ = tokio::time::timeout(Duration::from_secs(1), sandbox.shutdown()).await;
            }
            result
        }
    }
}
