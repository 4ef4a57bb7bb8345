//! The command line: global options, commands and their arguments (clap derive).

use std::fmt;
use std::path::PathBuf;

use clap::builder::FalseyValueParser;
use clap::{ArgAction, Args, Parser, Subcommand, ValueEnum};

/// Command-line tool for the PressOne eSIM partner API.
///
/// Without a base URL (`--base-url` / PRESSONE_BASE_URL) every command runs against an
/// embedded sandbox started in-process, so the tool can be tried with no account.
#[derive(Parser, Debug)]
#[command(
    name = "pressone-esim",
    version,
    propagate_version = true,
    max_term_width = 100,
    after_help = "Exit codes: 0 success, 1 other failure, 2 usage or configuration error, \
3 authentication failed, 4 rejected by the API, 5 not found, 6 rate limited, \
7 network/timeout/server error, 8 unreadable response."
)]
pub struct Cli {
    /// Options shared by every command.
    #[command(flatten)]
    pub global: GlobalArgs,

    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The client secret: its `Debug` never shows the value.
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
pub struct GlobalArgs {
    /// The data API's base URL (scheme, host and optional prefix). Without one, an embedded
    /// sandbox is started.
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

    /// Output format: human-readable tables, or one JSON document.
    #[arg(
        short,
        long,
        value_enum,
        env = "PRESSONE_OUTPUT",
        default_value_t = OutputFormat::Table,
        global = true
    )]
    pub output: OutputFormat,

    /// How long one HTTP attempt may take, in seconds (default 30).
    #[arg(
        long,
        env = "PRESSONE_TIMEOUT",
        global = true,
        value_name = "SECONDS",
        value_parser = clap::value_parser!(u64).range(1..=3600)
    )]
    pub timeout: Option<u64>,

    /// Log requests to stderr (-v: each call, -vv: more detail). Never logs secrets or tokens.
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

    /// Where the token cache (`tokens.json`) lives. Default: the user's cache directory,
    /// `<cache>/pressone-esim`.
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
}

/// The commands.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Show the partner account's balance.
    Balance,
    /// List devices that support eSIMs.
    Devices,
    /// Browse the package catalogue.
    #[command(subcommand)]
    Packages(PackagesCommand),
    /// Order eSIMs and look orders up.
    #[command(subcommand)]
    Orders(OrdersCommand),
    /// eSIMs: details, usage, installation, QR codes, top-up offers, history.
    #[command(subcommand)]
    Sims(SimsCommand),
    /// Buy top-ups for existing eSIMs.
    #[command(subcommand)]
    Topups(TopupsCommand),
    /// Voice-only numbers (provisional API).
    #[command(subcommand)]
    Numbers(NumbersCommand),
    /// Users who signed up to voice through the partner (provisional API).
    #[command(subcommand)]
    Users(UsersCommand),
    /// Run the API simulator as a local server until Ctrl-C.
    Sandbox(SandboxArgs),
    /// Walk through a purchase and a top-up against the embedded sandbox (never a real API).
    Demo(DemoArgs),
}

/// `packages ...`
#[derive(Subcommand, Debug)]
pub enum PackagesCommand {
    /// List packages (every page unless --page is given).
    List(PackagesListArgs),
}

/// Which packages to list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum PackageTypeArg {
    /// Packages of one country.
    Local,
    /// Regional and worldwide packages.
    Global,
}

/// `packages list` arguments.
#[derive(Args, Debug)]
pub struct PackagesListArgs {
    /// Only local or only regional/global packages.
    #[arg(long = "type", value_enum, value_name = "TYPE")]
    pub package_type: Option<PackageTypeArg>,
    /// Only packages of this country (ISO 3166-1 alpha-2, e.g. NG).
    #[arg(long, value_name = "CC")]
    pub country: Option<String>,
    /// Also list top-up packages.
    #[arg(long)]
    pub include_topups: bool,
    /// Catalogue entries per page.
    #[arg(long, value_name = "N")]
    pub limit: Option<u32>,
    /// Fetch only this page (1-based).
    #[arg(long, value_name = "N")]
    pub page: Option<u32>,
}

/// `orders ...`
#[derive(Subcommand, Debug)]
pub enum OrdersCommand {
    /// Order eSIMs of a package (spends credit).
    Create(OrdersCreateArgs),
    /// List orders, newest first (every page unless --page is given).
    List(OrdersListArgs),
    /// Show one order with its eSIMs.
    Get {
        /// The order id.
        id: String,
    },
}

/// `orders create` arguments.
#[derive(Args, Debug)]
pub struct OrdersCreateArgs {
    /// The package id, e.g. kallur-digital-7days-1gb.
    #[arg(long, value_name = "ID")]
    pub package: String,
    /// How many eSIMs (1 to 50).
    #[arg(long, default_value_t = 1, value_name = "N")]
    pub quantity: u32,
    /// Your own reference for the order (e.g. your order id), to find it again.
    #[arg(long, value_name = "TEXT")]
    pub description: Option<String>,
}

/// Order statuses the list can filter by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum OrderStatusArg {
    /// Completed.
    Completed,
    /// Failed.
    Failed,
    /// Partially refunded.
    #[value(name = "partially-refunded", alias = "partially_refunded")]
    PartiallyRefunded,
    /// Refunded.
    Refunded,
}

/// `orders list` arguments.
#[derive(Args, Debug)]
pub struct OrdersListArgs {
    /// Fetch only this page (1-based).
    #[arg(long, value_name = "N")]
    pub page: Option<u32>,
    /// Orders per page.
    #[arg(long, value_name = "N")]
    pub limit: Option<u32>,
    /// Only orders with this status.
    #[arg(long, value_enum, value_name = "S")]
    pub status: Option<OrderStatusArg>,
    /// Only orders of eSIMs whose ICCID contains this text.
    #[arg(long, value_name = "X")]
    pub iccid: Option<String>,
    /// Only orders whose description contains this text.
    #[arg(long, value_name = "D")]
    pub description: Option<String>,
    /// Only orders whose code contains this text.
    #[arg(long, value_name = "C")]
    pub code: Option<String>,
}

/// `sims ...`
#[derive(Subcommand, Debug)]
pub enum SimsCommand {
    /// List eSIMs, newest first (every page unless --page is given).
    List(SimsListArgs),
    /// Show one eSIM.
    Get(IccidArg),
    /// Show an eSIM's data, voice and SMS usage.
    Usage(IccidArg),
    /// Show installation instructions for iOS and Android.
    Instructions {
        /// The eSIM's ICCID.
        iccid: String,
        /// The language of the texts (e.g. en, fr).
        #[arg(long, value_name = "L")]
        language: Option<String>,
    },
    /// List the top-up packages an eSIM can buy now.
    Topups(IccidArg),
    /// Show every package an eSIM had (original and top-ups).
    History(IccidArg),
    /// Write the eSIM's activation QR code to a PNG or SVG file.
    Qr {
        /// The eSIM's ICCID.
        iccid: String,
        /// The file to write; the format follows the extension (.png or .svg).
        #[arg(long, value_name = "FILE", value_parser = parse_qr_path)]
        out: QrPath,
        /// Also draw the code in the terminal.
        #[arg(long)]
        show: bool,
    },
    /// Print the one-tap install links (Apple, Android) and the manual SM-DP+ / activation code.
    InstallLink(IccidArg),
}

/// An ICCID argument.
#[derive(Args, Debug)]
pub struct IccidArg {
    /// The eSIM's ICCID.
    pub iccid: String,
}

/// `sims list` arguments.
#[derive(Args, Debug)]
pub struct SimsListArgs {
    /// Only eSIMs whose ICCID contains this text.
    #[arg(long, value_name = "X")]
    pub iccid: Option<String>,
    /// Fetch only this page (1-based).
    #[arg(long, value_name = "N")]
    pub page: Option<u32>,
    /// eSIMs per page.
    #[arg(long, value_name = "N")]
    pub limit: Option<u32>,
}

/// `topups ...`
#[derive(Subcommand, Debug)]
pub enum TopupsCommand {
    /// Buy a top-up package for an eSIM (spends credit).
    Create(TopupsCreateArgs),
}

/// `topups create` arguments.
#[derive(Args, Debug)]
pub struct TopupsCreateArgs {
    /// The eSIM's ICCID.
    #[arg(long, value_name = "ICCID")]
    pub iccid: String,
    /// The top-up package id (see `sims topups ICCID`).
    #[arg(long, value_name = "ID")]
    pub package: String,
    /// Your own reference for the order.
    #[arg(long, value_name = "TEXT")]
    pub description: Option<String>,
}

/// `numbers ...`
#[derive(Subcommand, Debug)]
pub enum NumbersCommand {
    /// List numbers that can be claimed (every page unless --page is given).
    Available {
        /// Only numbers of this country (ISO 3166-1 alpha-2).
        #[arg(long, value_name = "CC")]
        country: Option<String>,
        /// Fetch only this page (1-based).
        #[arg(long, value_name = "N")]
        page: Option<u32>,
        /// Numbers per page.
        #[arg(long, value_name = "N")]
        limit: Option<u32>,
    },
    /// Claim a number for a user (changes state).
    Claim {
        /// The number (E.164).
        #[arg(long, value_name = "N")]
        number: String,
        /// The user's e-mail.
        #[arg(long, value_name = "E")]
        email: String,
        /// The user's first name.
        #[arg(long, value_name = "NAME")]
        first_name: Option<String>,
        /// The user's last name.
        #[arg(long, value_name = "NAME")]
        last_name: Option<String>,
    },
    /// Renew the subscription of the user with this e-mail (changes state).
    Renew {
        /// The user's e-mail.
        #[arg(long, value_name = "E")]
        email: String,
    },
}

/// `users ...`
#[derive(Subcommand, Debug)]
pub enum UsersCommand {
    /// List users (every page unless --page is given).
    List {
        /// Only the user with this mobile number.
        #[arg(long, value_name = "M")]
        mobile: Option<String>,
        /// Only the user with this e-mail.
        #[arg(long, value_name = "E")]
        email: Option<String>,
        /// Fetch only this page (1-based).
        #[arg(long, value_name = "N")]
        page: Option<u32>,
        /// Users per page.
        #[arg(long, value_name = "N")]
        limit: Option<u32>,
    },
}

/// `sandbox` arguments.
#[derive(Args, Debug)]
pub struct SandboxArgs {
    /// The port on 127.0.0.1 (0: any free port).
    #[arg(long, default_value_t = 8080, value_name = "P")]
    pub port: u16,
    /// The seed of the simulator's generated data (same seed, same answers).
    #[arg(long, value_name = "S")]
    pub seed: Option<u64>,
}

/// `demo` arguments.
#[derive(Args, Debug)]
pub struct DemoArgs {
    /// Where to write the eSIM's QR code (.png or .svg).
    #[arg(
        long,
        value_name = "FILE",
        default_value = "pressone-esim-demo-qr.png",
        value_parser = parse_qr_path
    )]
    pub out: QrPath,
    /// The seed of the sandbox's generated data.
    #[arg(long, value_name = "S")]
    pub seed: Option<u64>,
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

fn parse_qr_path(value: &str) -> Result<QrPath, String> {
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
