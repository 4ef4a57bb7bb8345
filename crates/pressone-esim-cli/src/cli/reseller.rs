//! Arguments of the reseller commands: bulk orders and top-ups, the usage of many eSIMs,
//! the catalogue export and diff, and the usage watch.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

/// `orders create-many` and `topups create-many` arguments.
#[derive(Args, Debug)]
pub struct CreateManyArgs {
    /// The CSV file of lines (with a header row).
    #[arg(long, value_name = "FILE")]
    pub file: PathBuf,
    /// The journal of the run [default: <FILE>.journal.jsonl beside the input].
    #[arg(long, value_name = "FILE")]
    pub journal: Option<PathBuf>,
}

/// The eSIMs of `sims usage` and `sims watch`: ICCIDs given, or read from a file, and how
/// many are asked at once.
#[derive(Args, Debug)]
pub struct ManySimsArgs {
    /// The eSIMs' ICCIDs.
    #[arg(value_name = "ICCID", required_unless_present = "from_file")]
    pub iccids: Vec<String>,
    /// Read ICCIDs from this file, one per line (`-`: standard input; blank lines and lines
    /// starting with `#` are skipped).
    #[arg(long, value_name = "FILE")]
    pub from_file: Option<PathBuf>,
    /// How many requests run at once.
    #[arg(long, default_value_t = 8, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=64))]
    pub concurrency: u16,
}

/// `sims usage` arguments.
#[derive(Args, Debug)]
pub struct UsageArgs {
    /// The eSIMs.
    #[command(flatten)]
    pub sims: ManySimsArgs,
}

/// `sims watch` arguments.
#[derive(Args, Debug)]
pub struct WatchArgs {
    /// The eSIMs.
    #[command(flatten)]
    pub sims: ManySimsArgs,
    /// Alert when the data left is below this: a share of the plan (`20%`) or an amount
    /// (`500MB`, `2GB`).
    #[arg(long, value_name = "LEVEL", value_parser = parse_threshold)]
    pub below: Threshold,
    /// Time between checks (`20m`, `1h`, `90s`). The API caches usage for 20 minutes, so
    /// the default is 20m.
    #[arg(long, value_name = "TIME", value_parser = parse_interval)]
    pub interval: Option<std::time::Duration>,
    /// Check once and exit: 0 when every eSIM is above the level, 10 when at least one is
    /// below.
    #[arg(long)]
    pub once: bool,
}

/// A data level.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Threshold {
    /// Percent of the plan's data (0 to 100).
    Percent(u8),
    /// Megabytes.
    Megabytes(i64),
}

pub(crate) fn parse_threshold(value: &str) -> Result<Threshold, String> {
    let v = value.trim().to_ascii_uppercase();
    let number = |text: &str| text.trim().parse::<i64>().ok().filter(|n| *n >= 0);
    if let Some(p) = v.strip_suffix('%') {
        return number(p)
            .and_then(|n| u8::try_from(n).ok())
            .filter(|n| *n <= 100)
            .map(Threshold::Percent)
            .ok_or_else(|| "a percentage is a whole number from 0 to 100, e.g. 20%".into());
    }
    for (suffix, factor) in [("GB", 1024), ("MB", 1)] {
        if let Some(n) = v.strip_suffix(suffix) {
            return number(n)
                .and_then(|n| n.checked_mul(factor))
                .map(Threshold::Megabytes)
                .ok_or_else(|| format!("an amount is a whole number of {suffix}, e.g. 500MB"));
        }
    }
    Err("give a share (20%) or an amount (500MB, 2GB)".into())
}

pub(crate) fn parse_interval(value: &str) -> Result<std::time::Duration, String> {
    let v = value.trim();
    let split = v.find(|c: char| !c.is_ascii_digit()).unwrap_or(v.len());
    let (n, unit) = v.split_at(split);
    let n: u64 = n
        .parse()
        .map_err(|_| "a time is a whole number and a unit: 90s, 20m, 1h".to_string())?;
    let seconds = match unit {
        "s" => n,
        "m" | "" => n.saturating_mul(60),
        "h" => n.saturating_mul(3600),
        _ => return Err("the unit is s, m or h".into()),
    };
    if seconds == 0 {
        return Err("the interval must be longer than zero".into());
    }
    Ok(std::time::Duration::from_secs(seconds))
}

/// The export file formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// One header row, then one row per package (prices in one currency).
    Csv,
    /// One JSON object per line and package (prices in every currency).
    Jsonl,
}

/// `packages export` arguments.
#[derive(Args, Debug)]
pub struct ExportArgs {
    /// The file format.
    #[arg(long, value_enum, default_value_t = ExportFormat::Csv)]
    pub format: ExportFormat,
    /// The currency of the prices (ISO 4217 code as the API sends it).
    #[arg(long, value_name = "CODE", default_value = "USD")]
    pub currency: String,
    /// Add a retail price: a percentage (`25%`) or a fixed amount (`1.50`) over the net price.
    #[arg(long, value_name = "MARKUP")]
    pub markup: Option<String>,
    /// At least this margin over the net price (an amount), with --markup.
    #[arg(long, value_name = "AMOUNT", requires = "markup")]
    pub min_margin: Option<String>,
    /// Round retail prices up: to an ending (`.99`) or to a step (`0.50`), with --markup.
    #[arg(long, value_name = "HOW", requires = "markup")]
    pub round: Option<String>,
    /// Also export top-up packages.
    #[arg(long)]
    pub include_topups: bool,
    /// Write to this file instead of standard output (`-`: standard output).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// `packages diff` arguments.
#[derive(Args, Debug)]
pub struct DiffArgs {
    /// The older export (jsonl).
    pub old: PathBuf,
    /// The newer export (jsonl).
    pub new: PathBuf,
}
