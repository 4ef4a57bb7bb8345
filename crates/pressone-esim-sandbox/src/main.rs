//! Runs the PressOne eSIM sandbox as a standalone server until Ctrl-C.
//!
//! ```text
//! pressone-esim-sandbox [--addr 127.0.0.1:8080] [--seed N] [--no-token-rate-limit] …
//! pressone-esim-sandbox --help
//! ```
//!
//! Every [`SandboxConfig`] option has a flag; the first line printed is
//! `PressOne eSIM sandbox listening on <base URL>` (with `--addr 127.0.0.1:0` the port is free
//! and chosen by the system).

use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;

use chrono::{DateTime, Utc};
use clap::Parser;
use pressone_esim_sandbox::{
    Decimal, FaultConfig, Pricing, Sandbox, SandboxConfig, parse_duration,
};

/// A stateful local simulator of the PressOne eSIM partner API (data and voice), with a
/// controllable clock and fault injection. Control endpoints live under /_sandbox/ (see
/// `pressone-esim sandbox --help` for the CLI that drives them).
#[derive(Parser, Debug)]
#[command(version, about, long_about = None)]
struct Args {
    /// Address to listen on (port 0: any free port).
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "HOST:PORT")]
    addr: SocketAddr,
    /// Seed of the generated data (same seed and requests, same answers).
    #[arg(long, value_name = "N")]
    seed: Option<u64>,
    /// Accepted client_id.
    #[arg(long, value_name = "ID")]
    client_id: Option<String>,
    /// Accepted client_secret.
    #[arg(long, value_name = "SECRET")]
    client_secret: Option<String>,
    /// Lifetime of issued tokens, e.g. 24h.
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    token_ttl: Option<Duration>,
    /// Starting balance in USD.
    #[arg(long, value_name = "USD")]
    balance: Option<Decimal>,
    /// The partner has no balance account: Get balance answers `balances: []`.
    #[arg(long)]
    no_balance_account: bool,
    /// Token requests allowed per minute (default 3, as in the API family).
    #[arg(long, value_name = "N", conflicts_with = "no_token_rate_limit")]
    token_rate_limit: Option<u32>,
    /// No rate limit on the token endpoint.
    #[arg(long)]
    no_token_rate_limit: bool,
    /// How long Get usage answers the same figures (default 20m, as PressOne documents).
    #[arg(long, value_name = "DURATION", value_parser = parse_duration, conflicts_with = "no_usage_cache")]
    usage_cache: Option<Duration>,
    /// Live usage figures (no cache).
    #[arg(long)]
    no_usage_cache: bool,
    /// Usage requests allowed per eSIM per minute (default 100).
    #[arg(long, value_name = "N")]
    usage_per_minute_limit: Option<u32>,
    /// Interval in which one package-history request per eSIM is allowed (default 15m).
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    history_interval: Option<Duration>,
    /// Voice numbers available to claim (default 50).
    #[arg(long, value_name = "N")]
    voice_numbers: Option<usize>,
    /// Pricing model: `net`, or `discount:PERCENT` (e.g. discount:15).
    #[arg(long, value_name = "MODEL", value_parser = parse_pricing)]
    pricing: Option<Pricing>,
    /// A brand accepted as brand_settings_name (repeat for several; default two sandbox
    /// brands).
    #[arg(long = "brand", value_name = "NAME")]
    brands: Vec<String>,
    /// Accept any brand_settings_name.
    #[arg(long, conflicts_with = "brands")]
    any_brand: bool,
    /// SM-DP+ address in LPA strings.
    #[arg(long, value_name = "HOST")]
    smdp_address: Option<String>,
    /// Sandbox time at start (RFC 3339, e.g. 2025-03-14T09:26:53Z).
    #[arg(long, value_name = "TIME")]
    start_time: Option<DateTime<Utc>>,
    /// Time moves only through the clock control endpoint.
    #[arg(long)]
    frozen_clock: bool,
    /// Activate eSIMs automatically this long after their order, e.g. 10m.
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    auto_activate_after: Option<Duration>,
    /// Data an active eSIM uses per hour of sandbox time, in MB (default 60).
    #[arg(long, value_name = "MB")]
    consumption_mb_per_hour: Option<u64>,
    /// Top-ups allowed per eSIM (default 20).
    #[arg(long, value_name = "N")]
    max_topups_per_esim: Option<u32>,
    /// Largest request body in bytes (default 65536); larger ones get 413.
    #[arg(long, value_name = "BYTES")]
    body_limit: Option<usize>,
    /// Voice free-trial days (default 7).
    #[arg(long, value_name = "DAYS")]
    trial_days: Option<u32>,
    /// Voice paid-period days (default 30).
    #[arg(long, value_name = "DAYS")]
    subscription_days: Option<u32>,
    /// Faults from the start, as the JSON of `PUT /_sandbox/faults`, e.g.
    /// '{"error_rate":0.1,"error_status":503}'.
    #[arg(long, value_name = "JSON", value_parser = parse_faults)]
    faults: Option<FaultConfig>,
}

fn parse_pricing(text: &str) -> Result<Pricing, String> {
    match text.trim() {
        "net" => Ok(Pricing::Net),
        other => other
            .strip_prefix("discount:")
            .and_then(|p| p.parse::<u8>().ok())
            .filter(|p| *p <= 100)
            .map(Pricing::Discount)
            .ok_or_else(|| "use `net` or `discount:PERCENT` (0 to 100)".to_string()),
    }
}

fn parse_faults(text: &str) -> Result<FaultConfig, String> {
    let faults: FaultConfig = serde_json::from_str(text).map_err(|e| e.to_string())?;
    faults.validate()?;
    Ok(faults)
}

impl Args {
    fn config(self) -> SandboxConfig {
        let mut c = SandboxConfig::default();
        macro_rules! set {
            ($($field:ident),* $(,)?) => {$(
                if let Some(v) = self.$field { c = c.$field(v); }
            )*};
        }
        set!(
            seed,
            client_id,
            client_secret,
            token_ttl,
            usage_per_minute_limit,
            history_interval,
            voice_numbers,
            pricing,
            smdp_address,
            start_time,
            consumption_mb_per_hour,
            max_topups_per_esim,
            body_limit,
            faults,
        );
        if let Some(b) = self.balance {
            c = c.initial_balance(b);
        }
        if self.no_balance_account {
            c = c.balance_account(false);
        }
        if self.no_token_rate_limit {
            c = c.token_rate_limit(None);
        } else if let Some(n) = self.token_rate_limit {
            c = c.token_rate_limit(Some(n));
        }
        if self.no_usage_cache {
            c = c.usage_cache(None);
        } else if let Some(ttl) = self.usage_cache {
            c = c.usage_cache(Some(ttl));
        }
        if self.any_brand {
            c = c.brands(Vec::<String>::new());
        } else if !self.brands.is_empty() {
            c = c.brands(self.brands);
        }
        if self.frozen_clock {
            c = c.frozen_clock(true);
        }
        if self.auto_activate_after.is_some() {
            c = c.auto_activate_after(self.auto_activate_after);
        }
        if self.trial_days.is_some() || self.subscription_days.is_some() {
            c = c.voice_periods(
                self.trial_days.unwrap_or(7),
                self.subscription_days.unwrap_or(30),
            );
        }
        c
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    let addr = args.addr;
    let handle = match Sandbox::bind(addr, args.config()).await {
        Ok(h) => h,
        Err(e) => {
            eprintln!("could not start the sandbox on {addr}: {e}");
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
