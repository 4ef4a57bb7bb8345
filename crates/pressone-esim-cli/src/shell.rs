//! Shell integration: completion scripts (clap_complete) and the man page (clap_mangen).

use clap::CommandFactory;

use crate::cli::Cli;
use crate::error::CliError;
use crate::output::write_stdout;

/// Prints the completion script for `shell`.
pub fn completions(shell: clap_complete::Shell) -> Result<(), CliError> {
    let mut command = Cli::command();
    let mut bytes = Vec::new();
    clap_complete::generate(shell, &mut command, "pressone-esim", &mut bytes);
    write_stdout(&String::from_utf8_lossy(&bytes))
}

/// Prints the man page (roff).
pub fn man() -> Result<(), CliError> {
    let mut bytes = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .render(&mut bytes)
        .map_err(|e| CliError::other(format!("could not write the man page: {e}")))?;
    write_stdout(&String::from_utf8_lossy(&bytes))
}
