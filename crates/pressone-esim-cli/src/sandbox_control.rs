//! `sandbox activate|consume|expire|recycle|clock|fault|order-status|state`: steers a running
//! sandbox (`pressone-esim sandbox` or `pressone-esim-sandbox`) through its control endpoints
//! under `/_sandbox/`, so nobody needs curl.

use std::time::Duration;

use clap::{Args, Subcommand, ValueEnum};
use serde_json::{Map, Value, json};

use crate::error::CliError;
use crate::output::Printer;

/// Where the control subcommands find the sandbox when `--url` is not given.
const DEFAULT_URL: &str = "http://127.0.0.1:8080";

/// Examples of `sandbox fault`.
const FAULT_EXAMPLES: &str = "Examples:\n  pressone-esim sandbox fault set --error-rate 1 --error-status 503 --only submit_order --after-processing\n  pressone-esim sandbox fault set --rate-limit-rate 0.5 --retry-after 2\n  pressone-esim sandbox fault show\n  pressone-esim sandbox fault clear";

/// A control action on a running sandbox.
#[derive(Subcommand, Debug)]
pub enum SandboxControl {
    /// Activate an eSIM (NOT_ACTIVE → ACTIVE), as if the end user installed it.
    #[command(after_help = "Examples:\n  pressone-esim sandbox activate 8944465400000267221")]
    Activate(SimTarget),
    /// Use up data, voice minutes or texts of an eSIM.
    #[command(
        after_help = "Examples:\n  pressone-esim sandbox consume 8944465400000267221 --data-mb 500 --voice-minutes 10"
    )]
    Consume(ConsumeArgs),
    /// Expire every package of an eSIM now.
    #[command(after_help = "Examples:\n  pressone-esim sandbox expire 8944465400000267221")]
    Expire(SimTarget),
    /// Recycle an eSIM (it can no longer be used or topped up).
    #[command(after_help = "Examples:\n  pressone-esim sandbox recycle 8944465400000267221")]
    Recycle(SimTarget),
    /// Move the sandbox clock.
    #[command(
        subcommand,
        after_help = "Examples:\n  pressone-esim sandbox clock advance 15m"
    )]
    Clock(ClockCommand),
    /// Show, set or clear the injected faults.
    #[command(subcommand, after_help = FAULT_EXAMPLES)]
    Fault(FaultCommand),
    /// Move an order to completed, failed, partially_refunded or refunded (refunds credit the
    /// balance).
    #[command(after_help = "Examples:\n  pressone-esim sandbox order-status 1001 refunded")]
    OrderStatus {
        /// The order id.
        order_id: u64,
        /// The new status.
        #[arg(value_enum)]
        status: OrderStatus,
    },
    /// The sandbox's state: balance, counts, clock, request statistics and faults.
    #[command(after_help = "Examples:\n  pressone-esim sandbox state -o json")]
    State,
}

/// An eSIM of the sandbox.
#[derive(Args, Debug)]
pub struct SimTarget {
    /// The eSIM's ICCID.
    pub iccid: String,
}

/// `sandbox consume` arguments.
#[derive(Args, Debug)]
pub struct ConsumeArgs {
    /// The eSIM's ICCID.
    pub iccid: String,
    /// Data to use, in MB.
    #[arg(long, default_value_t = 0, value_name = "MB")]
    pub data_mb: u64,
    /// Voice minutes to use.
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub voice_minutes: u32,
    /// Texts to use.
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub text: u32,
}

/// `sandbox clock` subcommands.
#[derive(Subcommand, Debug)]
pub enum ClockCommand {
    /// Move the clock forward, e.g. `15m`, `2h`, `7d`, `90s` (a bare number is seconds).
    #[command(
        after_help = "Examples:\n  pressone-esim sandbox clock advance 15m\n  pressone-esim sandbox clock advance 7d"
    )]
    Advance {
        /// How far.
        #[arg(value_parser = pressone_esim_sandbox::parse_duration)]
        by: Duration,
    },
}

/// `sandbox fault` subcommands.
#[derive(Subcommand, Debug)]
pub enum FaultCommand {
    /// Show the injected faults.
    #[command(after_help = FAULT_EXAMPLES)]
    Show,
    /// Replace the injected faults (options not given are off).
    #[command(after_help = FAULT_EXAMPLES)]
    Set(FaultArgs),
    /// Remove every injected fault.
    #[command(after_help = FAULT_EXAMPLES)]
    Clear,
}

/// The faults of `sandbox fault set` (the sandbox's `FaultConfig`).
#[derive(Args, Debug)]
pub struct FaultArgs {
    /// Probability (0 to 1) of answering `--error-status` instead of the real answer.
    #[arg(long, value_name = "P")]
    pub error_rate: Option<f64>,
    /// Status of the injected errors (400 to 599; default 500).
    #[arg(long, value_name = "STATUS")]
    pub error_status: Option<u16>,
    /// Probability (0 to 1) of answering 429 Too Many Attempts.
    #[arg(long, value_name = "P")]
    pub rate_limit_rate: Option<f64>,
    /// `Retry-After` seconds of injected 429s (default 1).
    #[arg(long, value_name = "SECS")]
    pub retry_after: Option<u64>,
    /// Probability (0 to 1) of closing the connection without an answer.
    #[arg(long, value_name = "P")]
    pub drop_rate: Option<f64>,
    /// Latency added to every selected request, in milliseconds.
    #[arg(long, value_name = "MS")]
    pub latency_ms: Option<u64>,
    /// Extra random latency, up to this many milliseconds.
    #[arg(long, value_name = "MS")]
    pub jitter_ms: Option<u64>,
    /// Only these operations (operationIds, e.g. submit_order); default: all.
    #[arg(long = "only", value_name = "OPERATION", value_delimiter = ',')]
    pub operations: Vec<String>,
    /// Fail after processing: the order IS placed, the client just never hears of it.
    #[arg(long)]
    pub after_processing: bool,
}

/// An order status the sandbox can set.
#[derive(ValueEnum, Clone, Copy, Debug)]
#[value(rename_all = "snake_case")]
pub enum OrderStatus {
    /// Completed (the status of every new order).
    Completed,
    /// Failed: the charge is given back.
    Failed,
    /// Partially refunded: half of the charge is given back.
    PartiallyRefunded,
    /// Refunded: the charge is given back.
    Refunded,
}

impl OrderStatus {
    fn slug(self) -> &'static str {
        match self {
            OrderStatus::Completed => "completed",
            OrderStatus::Failed => "failed",
            OrderStatus::PartiallyRefunded => "partially_refunded",
            OrderStatus::Refunded => "refunded",
        }
    }
}

/// The sandbox's URL: `--url`, else `PRESSONE_SANDBOX_URL`, else `PRESSONE_BASE_URL` (which
/// `pressone-esim sandbox` tells you to export), else `http://127.0.0.1:8080`.
fn sandbox_url(url: Option<String>) -> String {
    let url = url
        .or_else(|| std::env::var("PRESSONE_SANDBOX_URL").ok())
        .or_else(|| std::env::var("PRESSONE_BASE_URL").ok())
        .filter(|u| !u.trim().is_empty())
        .unwrap_or_else(|| DEFAULT_URL.to_string());
    let url = url.trim().trim_end_matches('/');
    url.strip_suffix("/customer/v2").unwrap_or(url).to_string()
}

/// Runs one control action against the sandbox at `url` and prints its answer.
pub async fn run(
    action: SandboxControl,
    url: Option<String>,
    out: Printer,
) -> Result<(), CliError> {
    let base = sandbox_url(url);
    let (method, path, body) = request(&action);
    let answer = call(&base, method, &path, body).await?;
    let text = summary(&action, &answer);
    out.item_or_text(&answer, &text)
}

fn request(action: &SandboxControl) -> (reqwest::Method, String, Option<Value>) {
    use reqwest::Method;
    let sim = |iccid: &str, what: &str| format!("/_sandbox/sims/{iccid}/{what}");
    match action {
        SandboxControl::Activate(t) => (Method::POST, sim(&t.iccid, "activate"), None),
        SandboxControl::Expire(t) => (Method::POST, sim(&t.iccid, "expire"), None),
        SandboxControl::Recycle(t) => (Method::POST, sim(&t.iccid, "recycle"), None),
        SandboxControl::Consume(c) => (
            Method::POST,
            sim(&c.iccid, "consume"),
            Some(json!({"data_mb": c.data_mb, "voice_minutes": c.voice_minutes, "text": c.text})),
        ),
        SandboxControl::Clock(ClockCommand::Advance { by }) => (
            Method::POST,
            "/_sandbox/clock/advance".into(),
            Some(json!({"seconds": by.as_secs()})),
        ),
        SandboxControl::Fault(FaultCommand::Show) => (Method::GET, "/_sandbox/faults".into(), None),
        SandboxControl::Fault(FaultCommand::Clear) => {
            (Method::DELETE, "/_sandbox/faults".into(), None)
        }
        SandboxControl::Fault(FaultCommand::Set(f)) => {
            (Method::PUT, "/_sandbox/faults".into(), Some(fault_json(f)))
        }
        SandboxControl::OrderStatus { order_id, status } => (
            Method::POST,
            format!("/_sandbox/orders/{order_id}/status"),
            Some(json!({"status": status.slug()})),
        ),
        SandboxControl::State => (Method::GET, "/_sandbox/state".into(), None),
    }
}

fn fault_json(f: &FaultArgs) -> Value {
    let mut m = Map::new();
    let mut put = |key: &str, value: Option<Value>| {
        if let Some(v) = value {
            m.insert(key.to_string(), v);
        }
    };
    put("error_rate", f.error_rate.map(Value::from));
    put("error_status", f.error_status.map(Value::from));
    put("rate_limit_rate", f.rate_limit_rate.map(Value::from));
    put("retry_after_secs", f.retry_after.map(Value::from));
    put("drop_rate", f.drop_rate.map(Value::from));
    put("latency_ms", f.latency_ms.map(Value::from));
    put("jitter_ms", f.jitter_ms.map(Value::from));
    m.insert("operations".into(), json!(f.operations));
    m.insert("after_processing".into(), f.after_processing.into());
    Value::Object(m)
}

async fn call(
    base: &str,
    method: reqwest::Method,
    path: &str,
    body: Option<Value>,
) -> Result<Value, CliError> {
    let client = reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(30))
        .build()
        .map_err(|e| CliError::other(format!("could not build an HTTP client: {e}")))?;
    let mut request = client.request(method, format!("{base}{path}"));
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.map_err(|e| {
        CliError::other(format!(
            "no sandbox answers at {base} ({e}); start one with `pressone-esim sandbox`, or give --url"
        ))
    })?;
    let status = response.status();
    let text = response
        .text()
        .await
        .map_err(|e| CliError::other(format!("the sandbox at {base} broke off its answer: {e}")))?;
    let answer: Value = serde_json::from_str(&text).map_err(|_| {
        CliError::other(format!(
            "{base} did not answer as a sandbox (HTTP {status}); is it a pressone-esim sandbox?"
        ))
    })?;
    if !status.is_success() {
        let why = answer["error"].as_str().unwrap_or("refused");
        return Err(CliError::other(format!(
            "the sandbox refused: {why} (HTTP {status})"
        )));
    }
    Ok(answer)
}

/// The text-mode line(s) for an answer.
fn summary(action: &SandboxControl, answer: &Value) -> String {
    let usage = |iccid: &str| {
        let u = &answer["usage"];
        format!(
            "{iccid}: {}, {} of {} MB left, expires {}\n",
            u["status"].as_str().unwrap_or("?"),
            u["remaining"],
            u["total"],
            u["expired_at"].as_str().unwrap_or("never")
        )
    };
    match action {
        SandboxControl::Activate(t) | SandboxControl::Expire(t) | SandboxControl::Recycle(t) => {
            usage(&t.iccid)
        }
        SandboxControl::Consume(c) => usage(&c.iccid),
        SandboxControl::Clock(_) => format!(
            "sandbox time is now {} (moved {} s in all)\n",
            answer["now"].as_str().unwrap_or("?"),
            answer["clock_offset_secs"]
        ),
        SandboxControl::Fault(_) => format!("faults: {answer}\n"),
        SandboxControl::OrderStatus { order_id, .. } => format!(
            "order {order_id}: {} (charged {} USD)\n",
            answer["status"].as_str().unwrap_or("?"),
            answer["charged"].as_str().unwrap_or("?")
        ),
        SandboxControl::State => format!(
            "balance {} {}, {} orders, {} top-ups, {} eSIMs, time {}, {} requests\n",
            answer["balance"].as_str().unwrap_or("?"),
            answer["currency"].as_str().unwrap_or("USD"),
            answer["orders"],
            answer["topup_orders"],
            answer["esims"],
            answer["now"].as_str().unwrap_or("?"),
            answer["stats"]["requests"]
                .as_object()
                .map_or(0, |m| m.values().filter_map(Value::as_u64).sum::<u64>())
        ),
    }
}
