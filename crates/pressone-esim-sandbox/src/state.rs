//! The in-memory store shared by every area (balance, tokens, orders, eSIMs, voice users), the
//! sandbox clock, the seeded randomness and the rate limiter. Each area adds its business rules
//! to [`State`] in its own module. Everything here is synchronous and runs under the one state
//! mutex.

use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, Instant};

use chrono::{DateTime, TimeDelta, Utc};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rust_decimal::Decimal;

use crate::config::{FaultConfig, SandboxConfig};
use crate::esims::Sim;
use crate::operation::Operation;
use crate::orders::Order;
use crate::voice::{VoiceNumber, VoiceUser, generate_numbers};
use crate::web::ApiError;

pub(crate) const FIRST_ORDER_ID: u64 = 1001;
pub(crate) const FIRST_SIM_ID: u64 = 5001;
pub(crate) const FIRST_ENTRY_ID: u64 = 701;

/// Adds seconds to a time without ever panicking (saturates at the maximum date).
pub(crate) fn add_secs(t: DateTime<Utc>, secs: i64) -> DateTime<Utc> {
    let delta = TimeDelta::try_seconds(secs).unwrap_or(TimeDelta::MAX);
    t.checked_add_signed(delta)
        .unwrap_or(DateTime::<Utc>::MAX_UTC)
}

pub(crate) fn add_std(t: DateTime<Utc>, d: Duration) -> DateTime<Utc> {
    let delta = TimeDelta::from_std(d).unwrap_or(TimeDelta::MAX);
    t.checked_add_signed(delta)
        .unwrap_or(DateTime::<Utc>::MAX_UTC)
}

/// The sandbox clock: real time (unless frozen) plus an offset moved by `advance`.
pub(crate) struct Clock {
    base: DateTime<Utc>,
    started: Instant,
    frozen: bool,
    offset: Duration,
}

impl Clock {
    fn new(config: &SandboxConfig) -> Clock {
        Clock {
            base: config.start_time.unwrap_or_else(Utc::now),
            started: Instant::now(),
            frozen: config.frozen_clock,
            offset: Duration::ZERO,
        }
    }

    pub fn now(&self) -> DateTime<Utc> {
        let real = if self.frozen {
            Duration::ZERO
        } else {
            self.started.elapsed()
        };
        add_std(add_std(self.base, real), self.offset)
    }

    pub fn advance(&mut self, by: Duration) {
        self.offset = self.offset.saturating_add(by);
    }

    pub fn offset(&self) -> Duration {
        self.offset
    }
}

struct Window {
    start: DateTime<Utc>,
    count: u32,
}

/// Outcome of a rate-limited request.
pub(crate) struct RateInfo {
    pub limit: u32,
    pub remaining: u32,
}

/// Request statistics kept per operation.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Stats {
    /// Requests received per operation (counted before any fault or rate limit).
    pub requests: BTreeMap<Operation, u64>,
    /// Faults injected per operation (by configuration or by the `X-Sandbox-Fault` header).
    pub faults: BTreeMap<Operation, u64>,
}

impl Stats {
    /// Requests received for `op`.
    pub fn count(&self, op: Operation) -> u64 {
        self.requests.get(&op).copied().unwrap_or(0)
    }

    /// Faults injected into `op`.
    pub fn faults_injected(&self, op: Operation) -> u64 {
        self.faults.get(&op).copied().unwrap_or(0)
    }

    /// Requests received over all operations.
    pub fn total(&self) -> u64 {
        self.requests.values().sum()
    }
}

pub(crate) struct State {
    pub rng: ChaCha8Rng,
    pub fault_rng: ChaCha8Rng,
    pub clock: Clock,
    pub balance: Decimal,
    pub tokens: HashMap<String, DateTime<Utc>>,
    pub orders: Vec<Order>,
    pub sims: Vec<Sim>,
    pub sim_index: HashMap<String, usize>,
    pub(crate) next_entry_id: u64,
    windows: HashMap<(&'static str, String), Window>,
    /// Get usage answers by ICCID with the time they were computed (the usage cache).
    pub usage_cache: HashMap<String, (DateTime<Utc>, serde_json::Value)>,
    pub faults: FaultConfig,
    pub stats: Stats,
    pub numbers: Vec<VoiceNumber>,
    pub users: Vec<VoiceUser>,
    pub created_at: DateTime<Utc>,
}

impl State {
    pub fn new(config: &SandboxConfig) -> State {
        let mut rng = ChaCha8Rng::seed_from_u64(config.seed);
        let mut fault_rng = ChaCha8Rng::seed_from_u64(config.seed);
        fault_rng.set_stream(7);
        let clock = Clock::new(config);
        let created_at = clock.now();
        let numbers = generate_numbers(&mut rng, config.voice_numbers);
        State {
            rng,
            fault_rng,
            clock,
            balance: config.initial_balance,
            tokens: HashMap::new(),
            orders: Vec::new(),
            sims: Vec::new(),
            sim_index: HashMap::new(),
            next_entry_id: FIRST_ENTRY_ID,
            windows: HashMap::new(),
            usage_cache: HashMap::new(),
            faults: config.faults.clone(),
            stats: Stats::default(),
            numbers,
            users: Vec::new(),
            created_at,
        }
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    // ---------------------------------------------------------------- randomness

    pub fn digits(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| char::from(b'0' + self.rng.random_range(0..10u8)))
            .collect()
    }

    pub fn alnum_upper(&mut self, n: usize) -> String {
        const CHARS: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        (0..n)
            .map(|_| char::from(CHARS[self.rng.random_range(0..CHARS.len())]))
            .collect()
    }

    pub fn alnum(&mut self, n: usize) -> String {
        const CHARS: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        (0..n)
            .map(|_| char::from(CHARS[self.rng.random_range(0..CHARS.len())]))
            .collect()
    }

    pub fn hex(&mut self, n: usize) -> String {
        const CHARS: &[u8] = b"0123456789abcdef";
        (0..n)
            .map(|_| char::from(CHARS[self.rng.random_range(0..16)]))
            .collect()
    }

    // ---------------------------------------------------------------- rate limits

    /// Fixed-window limiter keyed by `(kind, key)`, on sandbox time.
    pub fn hit(
        &mut self,
        kind: &'static str,
        key: &str,
        limit: u32,
        interval: Duration,
    ) -> Result<RateInfo, ApiError> {
        let now = self.now();
        let w = self
            .windows
            .entry((kind, key.to_string()))
            .or_insert(Window {
                start: now,
                count: 0,
            });
        let end = add_std(w.start, interval);
        if now >= end {
            w.start = now;
            w.count = 0;
        }
        if w.count >= limit {
            let end = add_std(w.start, interval);
            let ms = (end - now).num_milliseconds().max(0);
            let retry_after = u64::try_from((ms + 999) / 1000).unwrap_or(1).max(1);
            return Err(ApiError::TooManyAttempts { limit, retry_after });
        }
        w.count += 1;
        Ok(RateInfo {
            limit,
            remaining: limit - w.count,
        })
    }
}
