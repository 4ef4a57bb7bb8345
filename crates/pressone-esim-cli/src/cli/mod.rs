//! The command line: global options, commands and their arguments (clap derive).

mod args;
pub mod examples;
mod reseller;

use std::fmt;
use std::path::PathBuf;

use clap::builder::FalseyValueParser;
use clap::{ArgAction, Args, Parser, ValueEnum};

pub use args::*;
pub use reseller::*;

/// Command-line tool for the PressOne eSIM partner API.
///
/// With a base URL and credentials (flags, environment or a profile) commands talk to the
/// API. With neither, or with --sandbox, they run against an embedded sandbox started
/// in-process (simulated data, nothing is charged). Credentials without a base URL are an
/// error: nothing is sent anywhere.
#[derive(Parser, Debug)]
#[command(
    name = "pressone-esim",
    version,
    propagate_version = true,
    max_term_width = 100,
    after_help = examples::ROOT
)]
pub struct Cli {
    /// Options shared by every command.
    #[command(flatten)]
    pub global: GlobalArgs,

    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// A secret (client secret, voice API key): its `Debug` never shows the value.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// The value, for the client builder only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret(value)
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([redacted])")
    }
}

/// Options shared by every command (they may be given before or after the command).
#[derive(Args, Debug)]
#[command(next_help_heading = "Global options")]
pub struct GlobalArgs {
    /// Use the profile NAME of the config file (default: the profile `default`, if any).
    #[arg(long, env = "PRESSONE_PROFILE", global = true, value_name = "NAME")]
    pub profile: Option<String>,

    /// The config file with the profiles [default: <config dir>/pressone-esim/config.toml].
    #[arg(long, env = "PRESSONE_CONFIG", global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Run against the embedded sandbox (simulated data, nothing is charged), whatever
    /// credentials are set.
    #[arg(
        long,
        env = "PRESSONE_SANDBOX",
        global = true,
        action = ArgAction::SetTrue,
        value_parser = FalseyValueParser::new()
    )]
    pub sandbox: bool,

    /// The data API's base URL (scheme, host and optional prefix).
    #[arg(long, env = "PRESSONE_BASE_URL", global = true, value_name = "URL")]
    pub base_url: Option<String>,

    /// The voice API's base URL. Defaults to the base URL.
    #[arg(
        long,
        env = "PRESSONE_VOICE_BASE_URL",
        global = true,
        value_name = "URL"
    )]
    pub voice_base_url: Option<String>,

    /// The partner's client id.
    #[arg(long, env = "PRESSONE_CLIENT_ID", global = true, value_name = "ID")]
    pub client_id: Option<String>,

    /// The partner's client secret (prefer the environment variable: arguments are visible
    /// to other users of the machine).
    #[arg(
        long,
        env = "PRESSONE_CLIENT_SECRET",
        hide_env_values = true,
        global = true,
        value_name = "SECRET"
    )]
    pub client_secret: Option<Secret>,

    /// An API key for the voice commands, sent as the `X-Api-Key` header instead of the
    /// bearer token (never printed or logged).
    #[arg(
        long,
        env = "PRESSONE_VOICE_API_KEY",
        hide_env_values = true,
        global = true,
        value_name = "KEY"
    )]
    pub voice_api_key: Option<Secret>,

    /// Output format: tables for people, one JSON document, or csv/tsv rows (lists).
    #[arg(
        short,
        long,
        value_enum,
        env = "PRESSONE_OUTPUT",
        default_value_t = OutputFormat::Table,
        global = true
    )]
    pub output: OutputFormat,

    /// Colours on the terminal (NO_COLOR turns them off for `auto`).
    #[arg(
        long,
        value_enum,
        env = "PRESSONE_COLOR",
        default_value_t = ColorChoice::Auto,
        global = true,
        value_name = "WHEN"
    )]
    pub color: ColorChoice,

    /// How long one HTTP attempt may take, in seconds (default 30).
    #[arg(
        long,
        env = "PRESSONE_TIMEOUT",
        global = true,
        value_name = "SECONDS",
        value_parser = clap::value_parser!(u64).range(1..=3600)
    )]
    pub timeout: Option<u64>,

    /// Log requests to stderr (-v: each call with its status and latency, -vv: more detail).
    /// Never logs secrets or tokens.
    #[arg(short, long, action = ArgAction::Count, env = "PRESSONE_VERBOSE", global = true)]
    pub verbose: u8,

    /// Keep the access token in memory only (do not read or write the token cache file).
    #[arg(
        long,
        env = "PRESSONE_NO_TOKEN_CACHE",
        global = true,
        action = ArgAction::SetTrue,
        value_parser = FalseyValueParser::new()
    )]
    pub no_token_cache: bool,

    /// Where the access token is kept: `file` (the token cache file; the default), `memory`,
    /// or a Redis URL (`redis://[:password@]host[:port][/db]`, `rediss://` for TLS) shared by
    /// every process of a fleet, with their package histories. Never printed: the URL may
    /// hold a password.
    #[arg(
        long,
        env = "PRESSONE_TOKEN_STORE",
        hide_env_values = true,
        global = true,
        value_name = "memory|file|redis://..."
    )]
    pub token_store: Option<Secret>,

    /// Where the token cache (`tokens.json`) and the package history cache live. Default: the
    /// user's cache directory, `<cache>/pressone-esim`.
    #[arg(long, env = "PRESSONE_CACHE_DIR", global = true, value_name = "DIR")]
    pub cache_dir: Option<PathBuf>,
}

/// How results are printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// Tables and lines for people.
    Table,
    /// Exactly one JSON document on stdout.
    Json,
    /// Comma-separated rows with one header row (lists; one item is one row).
    Csv,
    /// Tab-separated rows with one header row.
    Tsv,
}

/// When to use colours.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// On a terminal, unless NO_COLOR is set.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// The image formats a QR code can be written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QrFormat {
    /// PNG image.
    Png,
    /// SVG image.
    Svg,
}

impl QrFormat {
    /// The name shown to people.
    pub fn name(self) -> &'static str {
        match self {
            QrFormat::Png => "PNG",
            QrFormat::Svg => "SVG",
        }
    }
}

/// A QR output file and its format (from the extension).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QrPath {
    /// The file.
    pub path: PathBuf,
    /// Its format.
    pub format: QrFormat,
}

pub(crate) fn parse_qr_path(value: &str) -> Result<QrPath, String> {
    let path = PathBuf::from(value);
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let format = match ext.as_deref() {
        Some("png") => QrFormat::Png,
        Some("svg") => QrFormat::Svg,
        _ => return Err("the file name must end in .png or .svg".to_string()),
    };
    Ok(QrPath { path, format })
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn every_command_ends_its_help_with_examples() {
        fn walk(command: &clap::Command, path: &str) {
            let help = command
                .get_after_help()
                .map(ToString::to_string)
                .unwrap_or_default();
            assert!(help.starts_with("Examples:\n"), "{path} has no examples");
            for sub in command.get_subcommands() {
                walk(sub, &format!("{path} {}", sub.get_name()));
            }
        }
        walk(&Cli::command(), "pressone-esim");
    }

    #[test]
    fn qr_paths_need_a_known_extension() {
        assert_eq!(
            parse_qr_path("a/b.PNG").map(|p| p.format),
            Ok(QrFormat::Png)
        );
        assert_eq!(parse_qr_path("b.svg").map(|p| p.format), Ok(QrFormat::Svg));
        assert!(parse_qr_path("b.jpg").is_err());
        assert!(parse_qr_path("png").is_err());
    }

    #[test]
    fn the_secret_is_redacted_in_debug() {
        let cli = Cli::try_parse_from(["pressone-esim", "--client-secret", "hunter2", "balance"]);
        let Ok(cli) = cli else { panic!("parse failed") };
        assert!(!format!("{cli:?}").contains("hunter2"));
    }
}
