//! In-memory sandbox state and the business rules. Everything here is synchronous and runs
//! under the one state mutex.

use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, Instant};

use chrono::{DateTime, TimeDelta, Utc};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rust_decimal::Decimal;

use crate::catalog::{Catalog, PackageKind, PlanType, TestBehaviour};
use crate::config::{FaultConfig, Operation, Pricing, SandboxConfig};
use crate::iccid;

pub(crate) const FIRST_ORDER_ID: u64 = 1001;
pub(crate) const FIRST_SIM_ID: u64 = 5001;
pub(crate) const FIRST_ENTRY_ID: u64 = 701;
const MS_PER_HOUR: u128 = 3_600_000;

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

/// Errors of the business layer, turned into wire responses by `api`.
#[derive(Debug)]
pub(crate) enum ApiError {
    /// 401 `{"data":[],"meta":{"message":"Unauthenticated."}}`
    Unauthenticated,
    /// 422 `{"data":{field:msg},"meta":{"message":"the parameter is invalid"}}`
    Validation(Vec<(String, String)>),
    /// 422 (or 403 for 89) `{"code":n,"reason":"…"}`
    Business { code: u32, reason: String },
    /// 404 `{"data":[],"meta":{"message":"messages.resource_not_found"}}`
    NotFound,
    /// 429 `{"message":"Too Many Attempts."}`
    TooManyAttempts { limit: u32, retry_after: u64 },
}

impl ApiError {
    pub(crate) fn field(field: &str, msg: impl Into<String>) -> ApiError {
        ApiError::Validation(vec![(field.to_string(), msg.into())])
    }
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

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum OrderKind {
    Sim,
    Topup,
}

pub(crate) struct Order {
    pub id: u64,
    pub code: String,
    pub created_at: DateTime<Utc>,
    pub kind: OrderKind,
    pub package: usize,
    pub quantity: u32,
    pub description: Option<String>,
    pub brand: Option<String>,
    pub sims: Vec<usize>,
    pub topup_iccid: Option<String>,
    /// Unit retail price (USD).
    pub price: Decimal,
    /// Unit net price (USD).
    pub net_price: Decimal,
    pub pricing: Pricing,
    /// Total charged to the balance.
    pub charged: Decimal,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PkgStatus {
    NotActive,
    Active,
    Finished,
    Expired,
}

impl PkgStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            PkgStatus::NotActive => "NOT_ACTIVE",
            PkgStatus::Active => "ACTIVE",
            PkgStatus::Finished => "FINISHED",
            PkgStatus::Expired => "EXPIRED",
        }
    }
}

/// One package loaded on an eSIM (the original one or a top-up).
pub(crate) struct PkgEntry {
    pub id: u64,
    pub package: usize,
    pub status: PkgStatus,
    pub remaining_mb: u64,
    pub remaining_voice: u32,
    pub remaining_text: u32,
    pub activated_at: Option<DateTime<Utc>>,
    pub expired_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
}

/// The eSIM status reported by usage (and used by the top-up rules).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum SimStatus {
    NotActive,
    Active,
    Finished,
    Expired,
    Recycled,
}

impl SimStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            SimStatus::NotActive => "NOT_ACTIVE",
            SimStatus::Active => "ACTIVE",
            SimStatus::Finished => "FINISHED",
            SimStatus::Expired => "EXPIRED",
            SimStatus::Recycled => "RECYCLED",
        }
    }
}

pub(crate) struct Sim {
    pub id: u64,
    pub iccid: String,
    pub matching_id: String,
    pub created_at: DateTime<Utc>,
    pub order_id: u64,
    pub operator: usize,
    pub msisdn: Option<String>,
    pub brand: Option<String>,
    pub recycled_at: Option<DateTime<Utc>>,
    pub activated_at: Option<DateTime<Utc>>,
    pub packages: Vec<PkgEntry>,
    pub last_tick: DateTime<Utc>,
    pub carry: u128,
    pub qr_expires: i64,
    pub qr_signature: String,
    pub sharing_code: String,
    pub sharing_slug: String,
    pub topups_disabled: bool,
    pub topup_count: u32,
}

impl Sim {
    pub fn status(&self) -> SimStatus {
        if self.recycled_at.is_some() {
            return SimStatus::Recycled;
        }
        if self.packages.iter().any(|p| p.status == PkgStatus::Active) {
            return SimStatus::Active;
        }
        if self
            .packages
            .iter()
            .all(|p| p.status == PkgStatus::NotActive)
        {
            return SimStatus::NotActive;
        }
        let last = self
            .packages
            .iter()
            .filter(|p| matches!(p.status, PkgStatus::Finished | PkgStatus::Expired))
            .max_by_key(|p| (p.finished_at.or(p.expired_at), p.id));
        match last.map(|p| p.status) {
            Some(PkgStatus::Finished) => SimStatus::Finished,
            _ => SimStatus::Expired,
        }
    }

    fn activate(&mut self, at: DateTime<Utc>, cat: &Catalog) {
        if self.activated_at.is_none() {
            self.activated_at = Some(at);
            self.last_tick = at;
        }
        for p in &mut self.packages {
            if p.status == PkgStatus::NotActive {
                p.status = PkgStatus::Active;
                p.activated_at = Some(at);
                let day = cat.packages[p.package].day;
                p.expired_at = Some(add_secs(at, i64::from(day) * 86_400));
            }
        }
    }

    fn has_active_unlimited(&self, cat: &Catalog) -> bool {
        self.packages
            .iter()
            .any(|p| p.status == PkgStatus::Active && cat.packages[p.package].unlimited)
    }

    /// Consumes `mb` of data from the active packages, earliest expiry first.
    fn consume_data(&mut self, mut mb: u64, at: DateTime<Utc>, cat: &Catalog) {
        if mb == 0 || self.has_active_unlimited(cat) {
            return;
        }
        let mut order: Vec<usize> = (0..self.packages.len())
            .filter(|&i| self.packages[i].status == PkgStatus::Active)
            .collect();
        order.sort_by_key(|&i| (self.packages[i].expired_at, self.packages[i].id));
        for i in order {
            if mb == 0 {
                break;
            }
            let p = &mut self.packages[i];
            let take = p.remaining_mb.min(mb);
            p.remaining_mb -= take;
            mb -= take;
            if p.remaining_mb == 0 {
                p.status = PkgStatus::Finished;
                p.finished_at = Some(at);
            }
        }
    }

    fn consume_voice_text(&mut self, mut minutes: u32, mut sms: u32) {
        for p in self
            .packages
            .iter_mut()
            .filter(|p| p.status == PkgStatus::Active)
        {
            let m = p.remaining_voice.min(minutes);
            p.remaining_voice -= m;
            minutes -= m;
            let s = p.remaining_text.min(sms);
            p.remaining_text -= s;
            sms -= s;
        }
    }

    /// Brings the eSIM up to `now`: auto-activation, time-based data consumption, expiry.
    pub fn tick(&mut self, now: DateTime<Utc>, cat: &Catalog, config: &SandboxConfig) {
        if self.recycled_at.is_some() {
            return;
        }
        if self.activated_at.is_none() {
            match config.auto_activate_after {
                Some(delay) => {
                    let at = add_std(self.created_at, delay);
                    if now < at {
                        return;
                    }
                    self.activate(at, cat);
                }
                None => return,
            }
        }
        // Walk from the last tick to now, stopping at each expiry.
        for _ in 0..=self.packages.len() {
            let next_expiry = self
                .packages
                .iter()
                .filter(|p| p.status == PkgStatus::Active)
                .filter_map(|p| p.expired_at)
                .min();
            let Some(next_expiry) = next_expiry else {
                break;
            };
            let seg_end = next_expiry.min(now);
            if seg_end > self.last_tick {
                let elapsed = (seg_end - self.last_tick).num_milliseconds().max(0) as u128;
                if !self.has_active_unlimited(cat) {
                    let units = elapsed * u128::from(config.consumption_mb_per_hour) + self.carry;
                    let mb = u64::try_from(units / MS_PER_HOUR).unwrap_or(u64::MAX);
                    self.carry = units % MS_PER_HOUR;
                    self.consume_data(mb, seg_end, cat);
                }
                self.last_tick = seg_end;
            }
            if next_expiry <= now {
                for p in &mut self.packages {
                    if p.status == PkgStatus::Active && p.expired_at.is_some_and(|e| e <= now) {
                        p.status = PkgStatus::Expired;
                    }
                }
            } else {
                break;
            }
        }
        if now > self.last_tick {
            self.last_tick = now;
        }
    }
}

pub(crate) struct VoiceNumber {
    pub number: String,
    pub country: &'static str,
    pub claimed: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum SubStatus {
    Trial,
    Active,
}

pub(crate) struct VoiceUser {
    pub id: u64,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub number: String,
    pub date_joined: DateTime<Utc>,
    pub sub_status: SubStatus,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

impl VoiceUser {
    pub fn status_at(&self, now: DateTime<Utc>) -> &'static str {
        if now >= self.end {
            "expired"
        } else {
            match self.sub_status {
                SubStatus::Trial => "trial",
                SubStatus::Active => "active",
            }
        }
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

pub(crate) struct NewOrder {
    pub package_id: String,
    pub quantity: u32,
    pub description: Option<String>,
    pub brand: Option<String>,
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
    next_entry_id: u64,
    windows: HashMap<(&'static str, String), Window>,
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

    // ---------------------------------------------------------------- auth

    pub fn issue_token(&mut self, ttl: Duration) -> String {
        let token = format!("sbx.{}", self.alnum(60));
        let expires = add_std(self.now(), ttl);
        let now = self.now();
        self.tokens.retain(|_, exp| *exp > now);
        self.tokens.insert(token.clone(), expires);
        token
    }

    pub fn token_valid(&self, token: &str) -> bool {
        self.tokens.get(token).is_some_and(|exp| *exp > self.now())
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

    // ---------------------------------------------------------------- eSIMs

    pub fn sim_idx(&self, iccid: &str) -> Option<usize> {
        self.sim_index.get(iccid).copied()
    }

    /// Looks an eSIM up and brings it to the current time.
    pub fn sim_ticked(
        &mut self,
        iccid: &str,
        cat: &Catalog,
        config: &SandboxConfig,
    ) -> Result<usize, ApiError> {
        let idx = self.sim_idx(iccid).ok_or(ApiError::NotFound)?;
        let now = self.now();
        self.sims[idx].tick(now, cat, config);
        Ok(idx)
    }

    pub fn tick_all(&mut self, cat: &Catalog, config: &SandboxConfig) {
        let now = self.now();
        for s in &mut self.sims {
            s.tick(now, cat, config);
        }
    }

    fn new_iccid(&mut self) -> String {
        loop {
            let body = format!("8923410{}", self.digits(11));
            let candidate = iccid::with_check_digit(&body);
            if !self.sim_index.contains_key(&candidate) {
                return candidate;
            }
        }
    }

    fn new_entry(&mut self, package: usize, cat: &Catalog) -> PkgEntry {
        let p = &cat.packages[package];
        let id = self.next_entry_id;
        self.next_entry_id += 1;
        PkgEntry {
            id,
            package,
            status: PkgStatus::NotActive,
            remaining_mb: p.amount_mb,
            remaining_voice: p.voice.unwrap_or(0),
            remaining_text: p.text.unwrap_or(0),
            activated_at: None,
            expired_at: None,
            finished_at: None,
        }
    }

    fn unit_charge(pricing: Pricing, price: Decimal, net: Decimal) -> Decimal {
        match pricing {
            Pricing::Net => net,
            Pricing::Discount(_) => {
                let pct = Decimal::from(pricing.percentage());
                (price * (Decimal::ONE_HUNDRED - pct) / Decimal::ONE_HUNDRED)
                    .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
            }
        }
    }

    fn charge(&mut self, total: Decimal) -> Result<(), ApiError> {
        if self.balance - total < Decimal::ZERO {
            return Err(ApiError::Business {
                code: 11,
                reason: format!(
                    "Insufficient PressOne Credit: the order costs {} USD but the available balance is {} USD.",
                    money2(total),
                    money2(self.balance)
                ),
            });
        }
        self.balance -= total;
        Ok(())
    }

    pub fn submit_order(
        &mut self,
        req: NewOrder,
        cat: &Catalog,
        config: &SandboxConfig,
    ) -> Result<usize, ApiError> {
        let (pkg_idx, pkg) = cat
            .package(&req.package_id)
            .filter(|(_, p)| p.kind == PackageKind::Sim)
            .ok_or_else(|| ApiError::field("package_id", "The selected package is invalid."))?;
        match pkg.test {
            TestBehaviour::InsufficientBalance => {
                return Err(ApiError::Business {
                    code: 11,
                    reason: "Insufficient PressOne Credit: test package forces this error.".into(),
                });
            }
            TestBehaviour::Maintenance => {
                return Err(ApiError::Business {
                    code: 13,
                    reason: "The requested operator is currently undergoing maintenance. Please try again later.".into(),
                });
            }
            TestBehaviour::NotEnoughStock => {
                return Err(ApiError::Business {
                    code: 33,
                    reason: format!(
                        "Insufficient stock of eSIMs remaining: {} requested, 0 available. Please try your request again later.",
                        req.quantity
                    ),
                });
            }
            TestBehaviour::OutOfStock => {
                return Err(ApiError::Business {
                    code: 34,
                    reason: "The requested eSIM package is invalid or it is currently out of stock. Please try again later.".into(),
                });
            }
            TestBehaviour::Normal | TestBehaviour::DisabledTopup => {}
        }
        let unit = Self::unit_charge(config.pricing, pkg.price, pkg.net_price);
        let total = unit * Decimal::from(req.quantity);
        self.charge(total)?;

        let now = self.now();
        let order_id = FIRST_ORDER_ID + self.orders.len() as u64;
        let op = &cat.operators[pkg.operator];
        let mut sim_idxs = Vec::new();
        for _ in 0..req.quantity {
            let iccid = self.new_iccid();
            let matching_id = format!(
                "{}-{}-{}-{}",
                self.alnum_upper(5),
                self.alnum_upper(5),
                self.alnum_upper(5),
                self.alnum_upper(5)
            );
            let msisdn = (op.plan_type == PlanType::VoiceText)
                .then(|| format!("88319060{}", self.digits(7)));
            let qr_signature = self.hex(64);
            let sharing_code = self.digits(4);
            let sharing_slug = self.alnum(10).to_ascii_lowercase();
            let entry = self.new_entry(pkg_idx, cat);
            let sim = Sim {
                id: FIRST_SIM_ID + self.sims.len() as u64,
                iccid: iccid.clone(),
                matching_id,
                created_at: now,
                order_id,
                operator: pkg.operator,
                msisdn,
                brand: req.brand.clone(),
                recycled_at: None,
                activated_at: None,
                packages: vec![entry],
                last_tick: now,
                carry: 0,
                qr_expires: add_secs(now, 365 * 86_400).timestamp(),
                qr_signature,
                sharing_code,
                sharing_slug,
                topups_disabled: pkg.test == TestBehaviour::DisabledTopup,
                topup_count: 0,
            };
            self.sim_index.insert(iccid, self.sims.len());
            sim_idxs.push(self.sims.len());
            self.sims.push(sim);
        }
        let code = format!("{}-{:06}", now.format("%Y%m%d"), order_id);
        self.orders.push(Order {
            id: order_id,
            code,
            created_at: now,
            kind: OrderKind::Sim,
            package: pkg_idx,
            quantity: req.quantity,
            description: req.description,
            brand: req.brand,
            sims: sim_idxs,
            topup_iccid: None,
            price: pkg.price,
            net_price: pkg.net_price,
            pricing: config.pricing,
            charged: total,
        });
        Ok(self.orders.len() - 1)
    }

    pub fn topup_precheck(&self, sim_idx: usize) -> Result<(), ApiError> {
        let sim = &self.sims[sim_idx];
        match sim.status() {
            SimStatus::Recycled => Err(recycled(&sim.iccid)),
            SimStatus::NotActive => Err(ApiError::Business {
                code: 43,
                reason: format!(
                    "Bad request. The eSIM with iccid {} is not active yet (status NOT_ACTIVE); top-ups are only available for activated eSIMs. Please check your input and try again.",
                    sim.iccid
                ),
            }),
            SimStatus::Active | SimStatus::Finished | SimStatus::Expired => Ok(()),
        }
    }

    pub fn submit_topup(
        &mut self,
        sim_idx: usize,
        package_id: &str,
        description: Option<String>,
        cat: &Catalog,
        config: &SandboxConfig,
    ) -> Result<usize, ApiError> {
        self.topup_precheck(sim_idx)?;
        let sim_op = self.sims[sim_idx].operator;
        let (pkg_idx, pkg) = cat
            .package(package_id)
            .filter(|(_, p)| p.kind == PackageKind::Topup && p.operator == sim_op)
            .ok_or_else(|| ApiError::field("package_id", "invalid topup package"))?;
        if self.sims[sim_idx].topups_disabled {
            return Err(ApiError::Business {
                code: 23,
                reason: "The requested top-up has been disabled by the operator. Test package test-disabled-top-up-7days-1gb forces this error.".into(),
            });
        }
        if self.sims[sim_idx].topup_count >= config.max_topups_per_esim {
            return Err(ApiError::field(
                "package_id",
                "validation.order_exceed_limit",
            ));
        }
        let unit = Self::unit_charge(config.pricing, pkg.price, pkg.net_price);
        self.charge(unit)?;
        let now = self.now();
        let mut entry = self.new_entry(pkg_idx, cat);
        entry.status = PkgStatus::Active;
        entry.activated_at = Some(now);
        entry.expired_at = Some(add_secs(now, i64::from(pkg.day) * 86_400));
        let sim = &mut self.sims[sim_idx];
        if sim.activated_at.is_none() {
            sim.activated_at = Some(now);
        }
        if sim.status() != SimStatus::Active {
            sim.last_tick = now;
        }
        sim.packages.push(entry);
        sim.topup_count += 1;
        let iccid = sim.iccid.clone();
        let order_id = FIRST_ORDER_ID + self.orders.len() as u64;
        self.orders.push(Order {
            id: order_id,
            code: format!("{}-{:06}", now.format("%Y%m%d"), order_id),
            created_at: now,
            kind: OrderKind::Topup,
            package: pkg_idx,
            quantity: 1,
            description: Some(description.unwrap_or_else(|| format!("Topup ({iccid})"))),
            brand: None,
            sims: Vec::new(),
            topup_iccid: Some(iccid),
            price: pkg.price,
            net_price: pkg.net_price,
            pricing: config.pricing,
            charged: unit,
        });
        Ok(self.orders.len() - 1)
    }

    pub fn order_idx(&self, id: &str) -> Option<usize> {
        let id: u64 = id.parse().ok()?;
        let idx = usize::try_from(id.checked_sub(FIRST_ORDER_ID)?).ok()?;
        (idx < self.orders.len()).then_some(idx)
    }

    // ---------------------------------------------------------------- control

    pub fn activate(
        &mut self,
        iccid: &str,
        cat: &Catalog,
        config: &SandboxConfig,
    ) -> Result<(), String> {
        let idx = self
            .sim_ticked(iccid, cat, config)
            .map_err(|_| "unknown iccid".to_string())?;
        let now = self.now();
        let sim = &mut self.sims[idx];
        if sim.recycled_at.is_some() {
            return Err("the eSIM is recycled".into());
        }
        if sim.status() != SimStatus::NotActive {
            return Err(format!(
                "the eSIM is {}, not NOT_ACTIVE",
                sim.status().as_str()
            ));
        }
        sim.activate(now, cat);
        Ok(())
    }

    pub fn expire(
        &mut self,
        iccid: &str,
        cat: &Catalog,
        config: &SandboxConfig,
    ) -> Result<(), String> {
        let idx = self
            .sim_ticked(iccid, cat, config)
            .map_err(|_| "unknown iccid".to_string())?;
        let now = self.now();
        let sim = &mut self.sims[idx];
        if sim.recycled_at.is_some() {
            return Err("the eSIM is recycled".into());
        }
        for p in &mut sim.packages {
            if matches!(p.status, PkgStatus::Active | PkgStatus::NotActive) {
                p.status = PkgStatus::Expired;
                p.expired_at = Some(now);
            }
        }
        if sim.activated_at.is_none() {
            sim.activated_at = Some(now);
        }
        sim.last_tick = now;
        Ok(())
    }

    pub fn recycle(
        &mut self,
        iccid: &str,
        cat: &Catalog,
        config: &SandboxConfig,
    ) -> Result<(), String> {
        let idx = self
            .sim_ticked(iccid, cat, config)
            .map_err(|_| "unknown iccid".to_string())?;
        let now = self.now();
        let sim = &mut self.sims[idx];
        if sim.recycled_at.is_none() {
            sim.recycled_at = Some(now);
        }
        Ok(())
    }

    pub fn consume(
        &mut self,
        iccid: &str,
        data_mb: u64,
        voice_minutes: u32,
        sms: u32,
        cat: &Catalog,
        config: &SandboxConfig,
    ) -> Result<(), String> {
        let idx = self
            .sim_ticked(iccid, cat, config)
            .map_err(|_| "unknown iccid".to_string())?;
        let now = self.now();
        let sim = &mut self.sims[idx];
        if sim.status() != SimStatus::Active {
            return Err(format!("the eSIM is {}, not ACTIVE", sim.status().as_str()));
        }
        sim.consume_voice_text(voice_minutes, sms);
        sim.consume_data(data_mb, now, cat);
        Ok(())
    }

    // ---------------------------------------------------------------- voice

    pub fn claim_number(
        &mut self,
        number: &str,
        email: &str,
        first_name: &str,
        last_name: &str,
        config: &SandboxConfig,
    ) -> Result<usize, Vec<(String, String)>> {
        let mut errors = Vec::new();
        let n = self.numbers.iter().position(|n| n.number == number);
        match n {
            Some(i) if !self.numbers[i].claimed => {}
            Some(_) => errors.push((
                "number".to_string(),
                "This number has already been claimed.".to_string(),
            )),
            None => errors.push((
                "number".to_string(),
                "This number is not available.".to_string(),
            )),
        }
        if self
            .users
            .iter()
            .any(|u| u.email.eq_ignore_ascii_case(email))
        {
            errors.push((
                "email".to_string(),
                "A user with this email already exists.".to_string(),
            ));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        if let Some(i) = n {
            self.numbers[i].claimed = true;
        }
        let now = self.now();
        self.users.push(VoiceUser {
            id: 1 + self.users.len() as u64,
            email: email.to_string(),
            first_name: first_name.to_string(),
            last_name: last_name.to_string(),
            number: number.to_string(),
            date_joined: now,
            sub_status: SubStatus::Trial,
            start: now,
            end: add_secs(now, i64::from(config.trial_days) * 86_400),
        });
        Ok(self.users.len() - 1)
    }

    pub fn renew(&mut self, email: &str, config: &SandboxConfig) -> Option<usize> {
        let now = self.now();
        let i = self
            .users
            .iter()
            .position(|u| u.email.eq_ignore_ascii_case(email))?;
        let u = &mut self.users[i];
        let period = i64::from(config.subscription_days) * 86_400;
        if u.sub_status == SubStatus::Active && u.end > now {
            u.end = add_secs(u.end, period);
        } else {
            u.sub_status = SubStatus::Active;
            u.start = now;
            u.end = add_secs(now, period);
        }
        Some(i)
    }
}

pub(crate) fn recycled(iccid: &str) -> ApiError {
    ApiError::Business {
        code: 73,
        reason: format!(
            "The eSIM with iccid {iccid} has been recycled. It can no longer be used or topped up."
        ),
    }
}

/// Formats money with exactly two decimals ("9.50").
pub(crate) fn money2(d: Decimal) -> String {
    let mut v = d.round_dp(2);
    v.rescale(2);
    v.to_string()
}

fn generate_numbers(rng: &mut ChaCha8Rng, count: usize) -> Vec<VoiceNumber> {
    // (country, prefix, random digits)
    const PLANS: &[(&str, &str, usize)] = &[
        ("NG", "+234201", 7),
        ("NG", "+234209", 7),
        ("GB", "+44203", 7),
        ("US", "+1415", 7),
        ("GH", "+23330", 7),
        ("KE", "+25420", 7),
    ];
    let mut out: Vec<VoiceNumber> = Vec::with_capacity(count);
    let mut guard = 0usize;
    while out.len() < count && guard < count.saturating_mul(20) + 100 {
        guard += 1;
        let (country, prefix, n) = PLANS[out.len() % PLANS.len()];
        let digits: String = (0..n)
            .map(|_| char::from(b'0' + rng.random_range(0..10u8)))
            .collect();
        let number = format!("{prefix}{digits}");
        if out.iter().any(|v| v.number == number) {
            continue;
        }
        out.push(VoiceNumber {
            number,
            country,
            claimed: false,
        });
    }
    out
}
