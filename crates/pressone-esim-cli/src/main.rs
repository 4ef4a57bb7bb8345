//! `pressone-esim`: the command-line tool of the PressOne eSIM partner API.
//!
//! * `cli`: the command line (clap), with each command's examples;
//! * `config`: the effective settings (flags > environment > profile of `config.toml`);
//! * `connect`: the client from the settings, the embedded sandbox, the token cache, logging;
//! * `commands`: the API commands; `history_cache`: the package history across runs;
//!   `sandbox` and `demo`: the simulator as a server and the guided tour; `shell`:
//!   completions and the man page;
//! * `output`, `flat` and `table`: what is printed (the models' JSON, csv/tsv rows, tables);
//! * `error`: one-line error messages and exit codes.
//!
//! `main` returns the exit code: 0 success, 1 other failure, 2 usage or configuration error,
//! 3 authentication failed, 4 rejected by the API, 5 not found, 6 rate limited, 7 network,
//! timeout or server error, 8 unreadable response, 9 a write may have been carried out, 10
//! `sims watch --once` found an eSIM below the level.

#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

mod cli;
mod commands;
mod config;
mod connect;
mod demo;
mod error;
mod flat;
mod history_cache;
mod output;
mod sandbox;
mod sandbox_control;
mod shell;
mod table;
mod text;

use std::process::ExitCode;
use std::time::Duration;

use clap::{ArgMatches, CommandFactory, FromArgMatches};

use crate::cli::{Cli, Command, ConfigCommand, OutputFormat, PackagesCommand};
use crate::error::{CliError, EXIT_OK, EXIT_OTHER, EXIT_USAGE, ErrorView};
use crate::output::{Printer, prefix, write_stdout};

fn main() -> ExitCode {
    let matches = match Cli::command().try_get_matches() {
        Ok(matches) => matches,
        Err(err) => return clap_exit(err),
    };
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(err) => return clap_exit(err),
    };
    let color = output::use_color(cli.global.color);
    output::set_color(color);
    connect::init_logging(cli.global.verbose, color);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("{} could not start the async runtime: {e}", prefix("error"));
            return ExitCode::from(EXIT_OTHER);
        }
    };
    let format = cli.global.output;
    let mut sandbox = false;
    let result = runtime.block_on(run(cli, &matches, &mut sandbox));
    runtime.shutdown_timeout(Duration::from_millis(200));
    match result {
        Ok(()) => ExitCode::from(EXIT_OK),
        Err(err) => {
            if let Some(api) = err.api() {
                tracing::debug!(error = %api, "the call failed");
            }
            eprintln!("{} {err}", prefix("error"));
            // Commands that printed every item's result already wrote their one document.
            if format == OutputFormat::Json && !matches!(err, CliError::Reported { .. }) {
                let _ = write_stdout(&format!("{}\n", ErrorView::new(&err).document(sandbox)));
            }
            ExitCode::from(err.exit_code())
        }
    }
}

/// Help and version go to stdout with 0; usage errors to stderr with 2.
fn clap_exit(err: clap::Error) -> ExitCode {
    let _ = err.print();
    ExitCode::from(u8::try_from(err.exit_code()).unwrap_or(EXIT_USAGE))
}

async fn run(cli: Cli, matches: &ArgMatches, sandbox: &mut bool) -> Result<(), CliError> {
    let out = Printer::new(cli.global.output);
    match cli.command {
        Command::Sandbox(args) => sandbox::run(args, out).await,
        Command::Demo(args) => {
            *sandbox = true;
            demo::run(args, &cli.global, out.with_sandbox(true)).await
        }
        Command::Completions { shell } => shell::completions(shell),
        Command::Man => shell::man(),
        // Compares two files: no connection, no credentials.
        Command::Packages(PackagesCommand::Diff(args)) => commands::diff(args, out),
        Command::Config(ConfigCommand::Show) => {
            let settings = config::resolve(&cli.global, Some(matches))?;
            out.list(&config::shown(&settings), "No settings.")
        }
        command => {
            let settings = config::resolve(&cli.global, Some(matches))?;
            let connection = connect::connect(&cli.global, &settings).await?;
            *sandbox = connection.sandbox.is_some();
            let out = out.with_sandbox(*sandbox);
            let result = commands::run(&connection, command, out).await;
            drop(connection.client);
            if let Some(sandbox) = connection.sandbox {
                let _ = tokio::time::timeout(Duration::from_secs(1), sandbox.shutdown()).await;
            }
            result
        }
    }
}
