//! Sandbox configuration: [`SandboxConfig`], [`FaultConfig`], [`Pricing`].

use std::time::Duration;

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::operation::Operation;

/// Parses a duration as the sandbox's command lines take it: `15m`, `2h`, `7d`, `90s`, or a bare
/// number of seconds.
///
/// ```
/// use std::time::Duration;
/// use pressone_esim_sandbox::parse_duration;
/// assert_eq!(parse_duration("15m"), Ok(Duration::from_secs(900)));
/// assert!(parse_duration("soon").is_err());
/// ```
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let n: u64 = number
        .parse()
        .map_err(|_| format!("`{text}` is not a duration like 15m, 2h, 7d or 90s"))?;
    let unit_secs = match unit {
        "" | "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        _ => return Err(format!("unknown unit `{unit}`: use s, m, h or d")),
    };
    n.checked_mul(unit_secs)
        .map(Duration::from_secs)
        .ok_or_else(|| format!("`{text}` is too long"))
}

/// The partner's pricing model, reported as `pricing{model, discount_percentage}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Pricing {
    /// `net_pricing`: the partner pays each package's `net_price`.
    #[default]
    Net,
    /// `discount_pricing`: the partner pays the retail `price` minus this percentage
    /// (`net_price` is then `null`/absent in catalogue responses).
    Discount(u8),
}

impl Pricing {
    pub(crate) fn model(self) -> &'static str {
        match self {
            Pricing::Net => "net_pricing",
            Pricing::Discount(_) => "discount_pricing",
        }
    }

    pub(crate) fn percentage(self) -> u8 {
        match self {
            Pricing::Net => 0,
            Pricing::Discount(p) => p.min(100),
        }
    }
}

/// Fault injection settings.
///
/// Probabilities are drawn from the sandbox's seeded PRNG (a stream separate from the one that
/// generates ICCIDs, tokens, …), so the same seed and the same request sequence give the same
/// faults. For each request of a selected operation one number `u` in `[0, 1)` is drawn:
/// `u < drop_rate` drops the connection, else `u < drop_rate + error_rate` answers
/// `error_status`, else `u < drop_rate + error_rate + rate_limit_rate` answers 429 with
/// `Retry-After: retry_after_secs`. Latency (`latency_ms` plus a uniform draw in
/// `[0, jitter_ms]`) applies to every selected request.
///
/// The JSON form (control endpoint `PUT /_sandbox/faults`) uses the field names below; every
/// field is optional.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FaultConfig {
    /// Fixed latency added to each selected request, in milliseconds.
    pub latency_ms: u64,
    /// Maximum extra random latency (uniform in `[0, jitter_ms]`), in milliseconds.
    pub jitter_ms: u64,
    /// Probability of answering with `error_status` instead of the real response.
    pub error_rate: f64,
    /// Status used for injected server errors (default 500).
    pub error_status: u16,
    /// Probability of answering 429 `{"message":"Too Many Attempts."}`.
    pub rate_limit_rate: f64,
    /// `Retry-After` seconds sent with injected 429s (default 1).
    pub retry_after_secs: u64,
    /// Probability of closing the connection without a complete response.
    pub drop_rate: f64,
    /// Operations the faults apply to; empty = every API operation. Control endpoints under
    /// `/_sandbox/` are never faulted.
    pub operations: Vec<Operation>,
    /// When true, injected server errors and dropped connections happen *after* the request
    /// was processed: the order/top-up/claim IS executed, the client just never learns it.
    pub after_processing: bool,
}

impl Default for FaultConfig {
    fn default() -> Self {
        FaultConfig {
            latency_ms: 0,
            jitter_ms: 0,
            error_rate: 0.0,
            error_status: 500,
            rate_limit_rate: 0.0,
            retry_after_secs: 1,
            drop_rate: 0.0,
            operations: Vec::new(),
            after_processing: false,
        }
    }
}

impl FaultConfig {
    /// No faults at all (same as `Default`).
    pub fn none() -> Self {
        Self::default()
    }

    /// Adds a fixed latency to every selected request.
    pub fn latency(mut self, latency: Duration) -> Self {
        self.latency_ms = u64::try_from(latency.as_millis()).unwrap_or(u64::MAX);
        self
    }

    /// Adds a random latency, uniform in `[0, jitter]`, to every selected request.
    pub fn jitter(mut self, jitter: Duration) -> Self {
        self.jitter_ms = u64::try_from(jitter.as_millis()).unwrap_or(u64::MAX);
        self
    }

    /// Answers `status` (e.g. 500, 502, 503) with probability `rate`.
    pub fn server_errors(mut self, rate: f64, status: u16) -> Self {
        self.error_rate = rate;
        self.error_status = status;
        self
    }

    /// Answers 429 with `Retry-After: retry_after` (whole seconds) with probability `rate`.
    pub fn rate_limits(mut self, rate: f64, retry_after: Duration) -> Self {
        self.rate_limit_rate = rate;
        self.retry_after_secs = retry_after.as_secs();
        self
    }

    /// Drops the connection (no complete response) with probability `rate`.
    pub fn drops(mut self, rate: f64) -> Self {
        self.drop_rate = rate;
        self
    }

    /// Restricts the faults to these operations.
    pub fn only(mut self, operations: impl IntoIterator<Item = Operation>) -> Self {
        self.operations = operations.into_iter().collect();
        self
    }

    /// Injects server errors and drops after the request was processed (see the field doc).
    pub fn after_processing(mut self, after: bool) -> Self {
        self.after_processing = after;
        self
    }

    /// Whether the faults apply to `op`.
    pub fn applies_to(&self, op: Operation) -> bool {
        self.operations.is_empty() || self.operations.contains(&op)
    }

    /// Whether anything at all is configured.
    pub fn is_active(&self) -> bool {
        self.latency_ms > 0
            || self.jitter_ms > 0
            || self.error_rate > 0.0
            || self.rate_limit_rate > 0.0
            || self.drop_rate > 0.0
    }

    /// Checks probabilities (each in `[0, 1]`, sum ≤ 1) and the error status (400..=599).
    pub fn validate(&self) -> Result<(), String> {
        for (name, p) in [
            ("error_rate", self.error_rate),
            ("rate_limit_rate", self.rate_limit_rate),
            ("drop_rate", self.drop_rate),
        ] {
            if !(0.0..=1.0).contains(&p) {
                return Err(format!("{name} must be between 0 and 1"));
            }
        }
        if self.error_rate + self.rate_limit_rate + self.drop_rate > 1.0 + 1e-9 {
            return Err("error_rate + rate_limit_rate + drop_rate must not exceed 1".into());
        }
        if !(400..=599).contains(&self.error_status) {
            return Err("error_status must be between 400 and 599".into());
        }
        Ok(())
    }
}

/// Configuration of a sandbox instance. Build it with [`SandboxConfig::default`] and the
/// builder-style setters.
///
/// ```
/// use std::time::Duration;
/// use pressone_esim_sandbox::{FaultConfig, SandboxConfig};
/// let config = SandboxConfig::default()
///     .seed(42)
///     .client_id("my-id")
///     .client_secret("my-secret")
///     .initial_balance("250.00".parse().unwrap())
///     .token_ttl(Duration::from_secs(3600))
///     .faults(FaultConfig::none());
/// # let _ = config;
/// ```
#[derive(Clone, Debug)]
pub struct SandboxConfig {
    pub(crate) seed: u64,
    pub(crate) client_id: String,
    pub(crate) client_secret: String,
    pub(crate) token_ttl: Duration,
    pub(crate) initial_balance: Decimal,
    pub(crate) faults: FaultConfig,
    pub(crate) usage_per_minute_limit: u32,
    pub(crate) history_interval: Duration,
    pub(crate) voice_numbers: usize,
    pub(crate) pricing: Pricing,
    pub(crate) brands: Vec<String>,
    pub(crate) smdp_address: String,
    pub(crate) start_time: Option<DateTime<Utc>>,
    pub(crate) frozen_clock: bool,
    pub(crate) auto_activate_after: Option<Duration>,
    pub(crate) consumption_mb_per_hour: u64,
    pub(crate) max_topups_per_esim: u32,
    pub(crate) body_limit: usize,
    pub(crate) trial_days: u32,
    pub(crate) subscription_days: u32,
    pub(crate) balance_account: bool,
    pub(crate) token_rate_limit: Option<u32>,
    pub(crate) usage_cache: Option<Duration>,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        SandboxConfig {
            seed: 0x5EED_0001,
            client_id: "sandbox-client-id".into(),
            client_secret: "sandbox-client-secret".into(),
            token_ttl: Duration::from_secs(24 * 3600),
            initial_balance: Decimal::new(100_000, 2),
            faults: FaultConfig::default(),
            usage_per_minute_limit: 100,
            history_interval: Duration::from_secs(15 * 60),
            voice_numbers: 50,
            pricing: Pricing::Net,
            brands: vec!["PressOne Sandbox".into(), "our perfect brand".into()],
            smdp_address: "smdp.pressone-sandbox.test".into(),
            start_time: None,
            frozen_clock: false,
            auto_activate_after: None,
            consumption_mb_per_hour: 60,
            max_topups_per_esim: 20,
            body_limit: 64 * 1024,
            trial_days: 7,
            subscription_days: 30,
            balance_account: true,
            token_rate_limit: Some(3),
            usage_cache: Some(Duration::from_secs(20 * 60)),
        }
    }
}

/// Builder setters: `name(arg: Type) = value;` stores `value` (by default the argument itself) in
/// the field `name`; every setter is this one pattern.
macro_rules! setters {
    ($($(#[doc = $doc:literal])* $name:ident($arg:ident: $ty:ty) $(= $value:expr)?;)*) => {
        $(
            $(#[doc = $doc])*
            pub fn $name(mut self, $arg: $ty) -> Self {
                self.$name = setters!(@value $arg $(, $value)?);
                self
            }
        )*
    };
    (@value $arg:ident) => { $arg };
    (@value $arg:ident, $value:expr) => { $value };
}

impl SandboxConfig {
    setters! {
        /// Seed of the PRNG that generates tokens, ICCIDs, activation codes, order codes, voice
        /// numbers and fault draws. Same seed + same request sequence = same responses.
        seed(seed: u64);

        /// Accepted `client_id` (default `sandbox-client-id`).
        client_id(id: impl Into<String>) = id.into();

        /// Accepted `client_secret` (default `sandbox-client-secret`).
        client_secret(secret: impl Into<String>) = secret.into();

        /// Lifetime of issued tokens (default 24 h), reported as `expires_in`.
        token_ttl(ttl: Duration);

        /// Starting account balance in USD (default 1000.00).
        initial_balance(amount: Decimal);

        /// Faults active from the start (default none).
        faults(faults: FaultConfig);

        /// Usage requests allowed per ICCID per minute (default 100).
        usage_per_minute_limit(limit: u32) = limit.max(1);

        /// Interval in which one package-history request per eSIM is allowed (default 15 min).
        history_interval(interval: Duration);

        /// Number of voice numbers available to claim (default 50).
        voice_numbers(count: usize);

        /// Pricing model (default [`Pricing::Net`]).
        pricing(pricing: Pricing);

        /// Brand names accepted as `brand_settings_name` (default `PressOne Sandbox`,
        /// `our perfect brand`). An empty list accepts any name.
        brands(brands: impl IntoIterator<Item = impl Into<String>>) =
            brands.into_iter().map(Into::into).collect();

        /// SM-DP+ address put in `lpa` and the LPA strings (default `smdp.pressone-sandbox.test`).
        smdp_address(address: impl Into<String>) = address.into();

        /// Sandbox time at start (default: the real current time).
        start_time(start: DateTime<Utc>) = Some(start);

        /// When true, sandbox time only moves through `advance_clock` (fully reproducible
        /// timestamps). Default false: sandbox time = real time + offset.
        frozen_clock(frozen: bool);

        /// Activate eSIMs automatically this long (sandbox time) after their order, as if the end
        /// user installed them. Default: never (use the control endpoint / handle).
        auto_activate_after(delay: Option<Duration>);

        /// Data an ACTIVE eSIM consumes per hour of sandbox time, in MB (default 60).
        consumption_mb_per_hour(mb: u64);

        /// Top-ups allowed per eSIM before `validation.order_exceed_limit` (default 20).
        max_topups_per_esim(max: u32);

        /// Maximum request body size in bytes (default 64 KiB); larger bodies get 413.
        body_limit(bytes: usize);

        /// Whether the partner has a balance account (default true). Without one, Get balance
        /// answers the documented empty `balances: []` (PressOne); ordering is not affected.
        balance_account(has_account: bool);

        /// Token requests allowed per minute of sandbox time (default `Some(3)`, as in the API
        /// family); the excess gets 429 with `Retry-After`. `None` turns the limit off (for test
        /// suites that start many clients).
        token_rate_limit(per_minute: Option<u32>) = per_minute.map(|n| n.max(1));

        /// How long Get usage answers the same figures for an eSIM (default `Some(20 min)` of
        /// sandbox time, as PressOne documents); `None` makes usage live.
        usage_cache(ttl: Option<Duration>);
    }

    /// Length of the voice free trial (default 7 days) and of a paid period (default 30 days).
    pub fn voice_periods(mut self, trial_days: u32, subscription_days: u32) -> Self {
        self.trial_days = trial_days;
        self.subscription_days = subscription_days;
        self
    }
}
