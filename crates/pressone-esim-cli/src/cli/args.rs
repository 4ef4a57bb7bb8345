//! The commands and their arguments.

use chrono::NaiveDate;
use clap::{Args, Subcommand, ValueEnum};

use super::examples as ex;
use super::{QrPath, parse_qr_path};

/// The commands.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Show the partner account's balance.
    #[command(after_help = ex::BALANCE)]
    Balance,
    /// List devices that support eSIMs.
    #[command(after_help = ex::DEVICES)]
    Devices {
        /// Print at most N devices (default: all).
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
        limit: Option<u32>,
    },
    /// Browse the package catalogue.
    #[command(subcommand, after_help = ex::PACKAGES)]
    Packages(PackagesCommand),
    /// Order eSIMs and look orders up.
    #[command(subcommand, after_help = ex::ORDERS)]
    Orders(OrdersCommand),
    /// eSIMs: details, usage, installation, QR codes, top-up offers, history.
    #[command(subcommand, after_help = ex::SIMS)]
    Sims(SimsCommand),
    /// Buy top-ups for existing eSIMs.
    #[command(subcommand, after_help = ex::TOPUPS)]
    Topups(TopupsCommand),
    /// Voice-only numbers (provisional API).
    #[command(subcommand, after_help = ex::NUMBERS)]
    Numbers(NumbersCommand),
    /// Users who signed up to voice through the partner (provisional API).
    #[command(subcommand, after_help = ex::USERS)]
    Users(UsersCommand),
    /// Run the API simulator as a local server until Ctrl-C, or steer a running one.
    #[command(after_help = ex::SANDBOX)]
    Sandbox(SandboxArgs),
    /// Walk through a purchase and a top-up against the embedded sandbox (never a real API).
    #[command(after_help = ex::DEMO)]
    Demo(DemoArgs),
    /// The configuration: profiles and effective settings.
    #[command(subcommand, after_help = ex::CONFIG)]
    Config(ConfigCommand),
    /// Print a shell completion script.
    #[command(after_help = ex::COMPLETIONS)]
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff).
    #[command(after_help = ex::MAN)]
    Man,
}

/// How many items a list prints and how it pages.
#[derive(Args, Debug, Clone, Copy, Default)]
pub struct ListArgs {
    /// Print at most N items (default: all); pages stop being fetched once N are printed.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub limit: Option<u32>,
    /// Fetch only this page (1-based).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub page: Option<u32>,
    /// Items per page asked of the server.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub page_size: Option<u32>,
}

/// A creation-date range (both ends, inclusive).
#[derive(Args, Debug, Clone, Copy, Default)]
pub struct CreatedArgs {
    /// Only items created on or after this day (YYYY-MM-DD; needs --created-to).
    #[arg(long, value_name = "DATE", requires = "created_to")]
    pub created_from: Option<NaiveDate>,
    /// Only items created on or before this day (YYYY-MM-DD; needs --created-from).
    #[arg(long, value_name = "DATE", requires = "created_from")]
    pub created_to: Option<NaiveDate>,
}

impl CreatedArgs {
    /// Both ends of the range, when both are given (clap makes sure neither comes alone).
    pub fn range(self) -> Option<(NaiveDate, NaiveDate)> {
        self.created_from.zip(self.created_to)
    }
}

/// `packages ...`
#[derive(Subcommand, Debug)]
pub enum PackagesCommand {
    /// List packages (every page unless --page is given).
    #[command(after_help = ex::PACKAGES_LIST)]
    List(PackagesListArgs),
    /// Export the catalogue, one row per package, with optional retail prices.
    #[command(after_help = ex::PACKAGES_EXPORT)]
    Export(super::ExportArgs),
    /// Compare two jsonl exports: added, removed and re-priced packages.
    #[command(after_help = ex::PACKAGES_DIFF)]
    Diff(super::DiffArgs),
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
    /// The language of the texts (e.g. en, fr).
    #[arg(long, value_name = "L")]
    pub language: Option<String>,
    /// Paging (--page-size counts catalogue entries; --limit counts packages).
    #[command(flatten)]
    pub list: ListArgs,
}

/// `orders ...`
#[derive(Subcommand, Debug)]
pub enum OrdersCommand {
    /// Order eSIMs of a package (spends credit).
    #[command(after_help = ex::ORDERS_CREATE)]
    Create(OrdersCreateArgs),
    /// Order the lines of a CSV file, each once, even across interrupted runs (spends credit).
    #[command(after_help = ex::ORDERS_CREATE_MANY)]
    CreateMany(super::CreateManyArgs),
    /// List orders, newest first (every page unless --page is given).
    #[command(after_help = ex::ORDERS_LIST)]
    List(OrdersListArgs),
    /// Find the orders whose description is exactly TEXT (every page, newest first).
    #[command(after_help = ex::ORDERS_FIND)]
    Find {
        /// The description (your reference) to match exactly.
        #[arg(long, value_name = "TEXT")]
        description: String,
    },
    /// Show one order with its eSIMs.
    #[command(after_help = ex::ORDERS_GET)]
    Get {
        /// The order id.
        id: String,
    },
}

/// How an order's eSIMs are shared by e-mail.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum SharingArg {
    /// A link to the eSIM's sharing page.
    Link,
    /// A PDF attachment.
    Pdf,
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
    /// Your own reference for the order (e.g. your order id), to find it again. Default: a
    /// generated unique one, printed.
    #[arg(long, value_name = "TEXT")]
    pub description: Option<String>,
    /// E-mail the eSIMs to this address.
    #[arg(long, value_name = "EMAIL")]
    pub email_to: Option<String>,
    /// Also send the e-mail to this address (repeatable; needs --email-to).
    #[arg(long, value_name = "EMAIL", requires = "email_to")]
    pub copy_to: Vec<String>,
    /// How the e-mail shares the eSIMs (repeatable; default link; needs --email-to).
    #[arg(long, value_enum, value_name = "HOW", requires = "email_to")]
    pub sharing_option: Vec<SharingArg>,
    /// The brand (brand settings name) of the sharing pages and e-mail.
    #[arg(long, value_name = "NAME")]
    pub brand: Option<String>,
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
    /// Creation dates.
    #[command(flatten)]
    pub created: CreatedArgs,
    /// Paging.
    #[command(flatten)]
    pub list: ListArgs,
}

/// `sims ...`
#[derive(Subcommand, Debug)]
pub enum SimsCommand {
    /// List eSIMs, newest first (every page unless --page is given).
    #[command(after_help = ex::SIMS_LIST)]
    List(SimsListArgs),
    /// Show one eSIM.
    #[command(after_help = ex::SIMS_GET)]
    Get(IccidArg),
    /// Show the data, voice and SMS usage of one or many eSIMs.
    #[command(after_help = ex::SIMS_USAGE)]
    Usage(super::UsageArgs),
    /// Alert when eSIMs run low on data (once, or every --interval).
    #[command(after_help = ex::SIMS_WATCH)]
    Watch(super::WatchArgs),
    /// Show installation instructions for iOS and Android.
    #[command(after_help = ex::SIMS_INSTRUCTIONS)]
    Instructions {
        /// The eSIM's ICCID.
        iccid: String,
        /// The language of the texts (e.g. en, fr).
        #[arg(long, value_name = "L")]
        language: Option<String>,
    },
    /// List the top-up packages an eSIM can buy now.
    #[command(after_help = ex::SIMS_TOPUPS)]
    Topups {
        /// The eSIM's ICCID.
        iccid: String,
        /// Print at most N packages.
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
        limit: Option<u32>,
    },
    /// Show every package an eSIM had (original and top-ups).
    #[command(after_help = ex::SIMS_HISTORY)]
    History {
        /// The eSIM's ICCID.
        iccid: String,
        /// Ask the server even if a cached answer is less than 15 minutes old.
        #[arg(long)]
        fresh: bool,
        /// Print at most N entries.
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
        limit: Option<u32>,
    },
    /// Write the eSIM's activation QR code to a PNG or SVG file.
    #[command(after_help = ex::SIMS_QR)]
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
    /// Print the one-tap install links (Apple, Android), the SM-DP+ address, the activation
    /// code (matching id) and the LPA string.
    #[command(after_help = ex::SIMS_INSTALL_LINK)]
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
    /// Creation dates.
    #[command(flatten)]
    pub created: CreatedArgs,
    /// Paging.
    #[command(flatten)]
    pub list: ListArgs,
}

/// `topups ...`
#[derive(Subcommand, Debug)]
pub enum TopupsCommand {
    /// Buy a top-up package for an eSIM (spends credit).
    #[command(after_help = ex::TOPUPS_CREATE)]
    Create(TopupsCreateArgs),
    /// Buy the top-ups of a CSV file, each once, even across interrupted runs (spends credit).
    #[command(after_help = ex::TOPUPS_CREATE_MANY)]
    CreateMany(super::CreateManyArgs),
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
    /// Your own reference for the order. Default: a generated unique one, printed.
    #[arg(long, value_name = "TEXT")]
    pub description: Option<String>,
}

/// `numbers ...`
#[derive(Subcommand, Debug)]
pub enum NumbersCommand {
    /// List numbers that can be claimed (every page unless --page is given).
    #[command(after_help = ex::NUMBERS_AVAILABLE)]
    Available {
        /// Only numbers of this country (ISO 3166-1 alpha-2).
        #[arg(long, value_name = "CC")]
        country: Option<String>,
        /// Paging.
        #[command(flatten)]
        list: ListArgs,
    },
    /// Claim a number for a user (changes state).
    #[command(after_help = ex::NUMBERS_CLAIM)]
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
    #[command(after_help = ex::NUMBERS_RENEW)]
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
    #[command(after_help = ex::USERS_LIST)]
    List {
        /// Only the user with this mobile number.
        #[arg(long, value_name = "M")]
        mobile: Option<String>,
        /// Only the user with this e-mail.
        #[arg(long, value_name = "E")]
        email: Option<String>,
        /// Paging.
        #[command(flatten)]
        list: ListArgs,
    },
}

/// `config ...`
#[derive(Subcommand, Debug)]
pub enum ConfigCommand {
    /// Print the effective settings (secrets redacted) and where each came from.
    #[command(after_help = ex::CONFIG_SHOW)]
    Show,
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
    /// The running sandbox a control subcommand steers (default: $PRESSONE_SANDBOX_URL, else
    /// $PRESSONE_BASE_URL, else http://127.0.0.1:8080).
    #[arg(long, global = true, value_name = "URL")]
    pub url: Option<String>,
    /// Steer a running sandbox instead of starting one.
    #[command(subcommand)]
    pub control: Option<crate::sandbox_control::SandboxControl>,
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
