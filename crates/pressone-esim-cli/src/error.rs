//! The CLI's failures, their one-line messages and their exit codes.

use std::fmt;

use pressone_esim::{ErrorKind, OperationId};

use crate::text::one_line;

/// Exit code: success.
pub const EXIT_OK: u8 = 0;
/// Exit code: anything not covered below.
pub const EXIT_OTHER: u8 = 1;
/// Exit code: bad command line (clap) or invalid/missing configuration.
pub const EXIT_USAGE: u8 = 2;
/// Exit code: the credentials or the token were refused.
pub const EXIT_AUTH: u8 = 3;
/// Exit code: the API rejected the request (validation, business code, forbidden), or the
/// SDK refused an invalid argument before sending it.
pub const EXIT_REJECTED: u8 = 4;
/// Exit code: the resource does not exist.
pub const EXIT_NOT_FOUND: u8 = 5;
/// Exit code: still rate limited after the retries.
pub const EXIT_RATE_LIMITED: u8 = 6;
/// Exit code: network failure, timeout or server error (5xx).
pub const EXIT_UNAVAILABLE: u8 = 7;
/// Exit code: the response could not be understood.
pub const EXIT_DECODE: u8 = 8;
/// Exit code: a write (order, top-up, claim, renew) failed in a way that may have reached the
/// server: it may have been carried out.
pub const EXIT_MAYBE_DONE: u8 = 9;
/// Exit code: `sims watch --once` found at least one eSIM below the level.
pub const EXIT_BELOW_THRESHOLD: u8 = 10;

/// How to find out whether a write was carried out.
#[derive(Clone, Debug)]
pub enum Reference {
    /// An order or top-up: its description.
    Description(String),
    /// A voice claim or renewal: the user's e-mail.
    Email(String),
}

impl Reference {
    /// The reference's text.
    pub fn text(&self) -> &str {
        match self {
            Reference::Description(d) | Reference::Email(d) => d,
        }
    }

    /// The command that tells whether the write was carried out.
    pub fn check_command(&self) -> String {
        match self {
            Reference::Description(d) => {
                format!("pressone-esim orders find --description {}", shell_word(d))
            }
            Reference::Email(e) => format!("pressone-esim users list --email {}", shell_word(e)),
        }
    }
}

/// A word quoted for a POSIX shell when it needs it.
fn shell_word(text: &str) -> String {
    let plain = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.@+:/=,".contains(c));
    if plain {
        text.to_string()
    } else {
        format!("'{}'", text.replace('\'', "'\\''"))
    }
}

/// What can go wrong in a command.
#[derive(Debug)]
pub enum CliError {
    /// The API call failed.
    Api(pressone_esim::Error),
    /// A command-line or configuration problem found by the CLI itself.
    Usage(String),
    /// Anything else (files, the local sandbox, terminal output).
    Other(String),
    /// A failure during a named step (of the demo), with the step's name.
    InStep(String, Box<CliError>),
    /// A write (order, top-up, claim, renew) failed: what it was and how to find it.
    Write {
        /// The SDK's error.
        err: pressone_esim::Error,
        /// e.g. `the order`.
        what: &'static str,
        /// How to look it up.
        reference: Reference,
    },
    /// A command that handles many items printed each item's result; some failed. The exit
    /// code is the most serious item's (no JSON error document follows the printed results).
    Reported {
        /// The exit code.
        code: u8,
        /// One line for stderr.
        message: String,
    },
}

impl CliError {
    /// An error of the "anything else" kind.
    pub fn other(message: impl Into<String>) -> Self {
        CliError::Other(message.into())
    }

    /// Turns the SDK error of the write `what` (e.g. `the order`) into a [`CliError::Write`]
    /// naming `reference`, for `map_err`.
    pub fn write(
        what: &'static str,
        reference: Reference,
    ) -> impl FnOnce(pressone_esim::Error) -> Self {
        move |err| CliError::Write {
            err,
            what,
            reference,
        }
    }

    /// The process exit code for this error.
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Api(err) => api_exit_code(err),
            CliError::Usage(_) => EXIT_USAGE,
            CliError::Other(_) => EXIT_OTHER,
            CliError::InStep(_, inner) => inner.exit_code(),
            CliError::Write { err, .. } if may_have_been_carried_out(err) => EXIT_MAYBE_DONE,
            CliError::Write { err, .. } => api_exit_code(err),
            CliError::Reported { code, .. } => *code,
        }
    }

    /// Whether this failure may have left a write carried out.
    pub fn may_have_been_carried_out(&self) -> bool {
        match self {
            CliError::Write { err, .. } => may_have_been_carried_out(err),
            CliError::InStep(_, inner) => inner.may_have_been_carried_out(),
            CliError::Reported { code, .. } => *code == EXIT_MAYBE_DONE,
            _ => false,
        }
    }

    /// The write's reference, if this is a write's failure.
    pub fn reference(&self) -> Option<&Reference> {
        match self {
            CliError::Write { reference, .. } => Some(reference),
            CliError::InStep(_, inner) => inner.reference(),
            _ => None,
        }
    }

    /// The SDK's error, if any.
    pub fn api(&self) -> Option<&pressone_esim::Error> {
        match self {
            CliError::Api(err) | CliError::Write { err, .. } => Some(err),
            CliError::InStep(_, inner) => inner.api(),
            _ => None,
        }
    }
}

/// Whether a failed write may have been carried out: the request may have reached the
/// server and no answer said it was refused (a timeout, a dropped connection, a 5xx, or a
/// success answer that could not be read).
pub fn may_have_been_carried_out(err: &pressone_esim::Error) -> bool {
    pressone_esim::bulk::may_exist(err)
}

impl From<pressone_esim::Error> for CliError {
    fn from(err: pressone_esim::Error) -> Self {
        CliError::Api(err)
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CliError::Api(err) => f.write_str(&describe(err)),
            CliError::Usage(message)
            | CliError::Other(message)
            | CliError::Reported { message, .. } => f.write_str(&one_line(message)),
            CliError::InStep(step, inner) => write!(f, "{}: {inner}", one_line(step)),
            CliError::Write {
                err,
                what,
                reference,
            } => {
                if may_have_been_carried_out(err) {
                    write!(
                        f,
                        "{}: {what} may have been carried out (reference {}): check with `{}` before trying again",
                        describe(err),
                        one_line(reference.text()),
                        one_line(&reference.check_command())
                    )
                } else {
                    write!(
                        f,
                        "{} (reference {})",
                        describe(err),
                        one_line(reference.text())
                    )
                }
            }
        }
    }
}

/// The error as one JSON object (for `-o json`): its message, exit code and kind, and for
/// writes whether they may have been carried out and their reference.
#[derive(Debug, serde::Serialize)]
pub struct ErrorView {
    /// The one-line message.
    pub message: String,
    /// The process exit code.
    pub exit_code: u8,
    /// The HTTP status, when the server answered.
    pub status: Option<u16>,
    /// Whether a write may have been carried out (exit 9).
    pub may_have_been_carried_out: bool,
    /// The write's reference (order description or user e-mail).
    pub reference: Option<String>,
    /// The command that tells whether the write was carried out.
    pub check_with: Option<String>,
    /// How long the server asked to wait (seconds), when rate limited.
    pub retry_after_seconds: Option<u64>,
}

#[derive(Debug, serde::Serialize)]
struct ErrorDocument<'a> {
    error: &'a ErrorView,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    sandbox: bool,
}

impl ErrorView {
    /// The view of an error.
    pub fn new(err: &CliError) -> Self {
        let api = err.api();
        ErrorView {
            message: err.to_string(),
            exit_code: err.exit_code(),
            status: api.and_then(pressone_esim::Error::status),
            may_have_been_carried_out: err.may_have_been_carried_out(),
            reference: err.reference().map(|r| r.text().to_string()),
            check_with: err.reference().map(Reference::check_command),
            retry_after_seconds: api.and_then(|e| e.retry_after()).map(|d| d.as_secs()),
        }
    }

    /// The JSON document `{"error": {...}, "sandbox": true}` (pretty, one document).
    pub fn document(&self, sandbox: bool) -> String {
        serde_json::to_string_pretty(&ErrorDocument {
            error: self,
            sandbox,
        })
        .unwrap_or_default()
    }
}

/// The exit code of an SDK error.
pub fn api_exit_code(err: &pressone_esim::Error) -> u8 {
    match err.kind() {
        ErrorKind::Authentication => EXIT_AUTH,
        ErrorKind::Forbidden { .. }
        | ErrorKind::Validation { .. }
        | ErrorKind::Business { .. }
        | ErrorKind::InvalidInput { .. } => EXIT_REJECTED,
        ErrorKind::NotFound => EXIT_NOT_FOUND,
        ErrorKind::RateLimited { .. } => EXIT_RATE_LIMITED,
        ErrorKind::Server | ErrorKind::Transport | ErrorKind::Timeout => EXIT_UNAVAILABLE,
        ErrorKind::Decode { .. } => EXIT_DECODE,
        ErrorKind::Config { .. } => EXIT_USAGE,
        ErrorKind::UnexpectedStatus => match err.status() {
            Some(400..=499) => EXIT_REJECTED,
            Some(500..=599) => EXIT_UNAVAILABLE,
            _ => EXIT_OTHER,
        },
        _ => EXIT_OTHER,
    }
}

/// One line naming the kind, then the business code and reason or the server's message.
///
/// Built from the SDK's structured error (whose texts never hold the secret or a token).
pub fn describe(err: &pressone_esim::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    let status = err.status();
    match err.kind() {
        ErrorKind::Authentication => parts.push("authentication failed".into()),
        ErrorKind::Forbidden { code } => {
            parts.push("rejected: forbidden".into());
            if let Some(code) = code {
                parts.push(format!("code {code}"));
            }
        }
        ErrorKind::NotFound => {
            parts.push("not found".into());
            parts.push(format!(
                "{} does not exist",
                missing_thing(err.operation_id())
            ));
        }
        ErrorKind::Validation { fields } => {
            parts.push("rejected: validation failed".into());
            if !fields.is_empty() {
                let fields: Vec<String> = fields
                    .iter()
                    .map(|f| format!("{}: {}", f.field, f.message))
                    .collect();
                parts.push(fields.join("; "));
            }
        }
        ErrorKind::Business { code, reason } => {
            parts.push("rejected".into());
            parts.push(format!("code {code}"));
            if !reason.trim().is_empty() {
                parts.push(reason.clone());
            }
        }
        ErrorKind::RateLimited { retry_after } => {
            parts.push("rate limited".into());
            if let Some(after) = retry_after {
                let at = chrono::Utc::now()
                    + chrono::Duration::from_std(*after).unwrap_or(chrono::Duration::zero());
                parts.push(format!(
                    "the server asks to wait {}s: retry after {}",
                    after.as_secs(),
                    at.format("%Y-%m-%d %H:%M:%S UTC")
                ));
            }
        }
        ErrorKind::Server => parts.push(match status {
            Some(s) => format!("server error (HTTP {s})"),
            None => "server error".into(),
        }),
        ErrorKind::UnexpectedStatus => parts.push(match status {
            Some(s) => format!("unexpected response (HTTP {s})"),
            None => "unexpected response".into(),
        }),
        ErrorKind::Transport => parts.push("network error".into()),
        ErrorKind::Timeout => parts.push("timed out".into()),
        ErrorKind::Decode { excerpt } => {
            parts.push("unreadable response".into());
            if !excerpt.is_empty() {
                parts.push(format!("body starts {excerpt:?}"));
            }
        }
        ErrorKind::InvalidInput { field, message } => {
            parts.push("rejected: invalid input".into());
            parts.push(format!("{field}: {message}"));
        }
        ErrorKind::Config { message } => {
            parts.push("invalid configuration".into());
            parts.push(message.clone());
        }
        _ => parts.push(err.to_string()),
    }
    let shows_message = !matches!(
        err.kind(),
        ErrorKind::Business { .. }
            | ErrorKind::Validation { .. }
            | ErrorKind::InvalidInput { .. }
            | ErrorKind::Config { .. }
    );
    if shows_message && let Some(message) = err.message() {
        parts.push(message.to_string());
    }
    if matches!(
        err.kind(),
        ErrorKind::Transport | ErrorKind::Timeout | ErrorKind::Decode { .. }
    ) && let Some(cause) = root_cause(err)
    {
        parts.push(cause);
    }
    one_line(&parts.join(": "))
}

/// What a 404 of this operation means is missing.
fn missing_thing(operation: Option<OperationId>) -> &'static str {
    use OperationId as O;
    match operation {
        Some(
            O::GetEsim
            | O::GetUsage
            | O::GetTopups
            | O::GetInstallationInstructions
            | O::GetEsimPackageHistory
            | O::SubmitTopup,
        ) => "the eSIM",
        Some(O::GetOrder) => "the order",
        Some(O::RenewNumber | O::ClaimNumber) => "the user or number",
        _ => "the resource",
    }
}

/// The innermost cause's message (e.g. "Connection refused (os error 111)").
fn root_cause(err: &pressone_esim::Error) -> Option<String> {
    let mut source = std::error::Error::source(err)?;
    while let Some(next) = source.source() {
        source = next;
    }
    Some(source.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usage_and_other_codes() {
        assert_eq!(CliError::Usage("x".into()).exit_code(), EXIT_USAGE);
        assert_eq!(CliError::other("x").exit_code(), EXIT_OTHER);
    }
}
