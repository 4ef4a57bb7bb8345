//! eSIMs and their packages: lifecycle, time-based consumption, expiry, control actions.

use chrono::{DateTime, Utc};

use crate::catalogue::Catalog;
use crate::config::SandboxConfig;
use crate::iccid;
use crate::state::{State, add_secs, add_std};
use crate::web::ApiError;

const MS_PER_HOUR: u128 = 3_600_000;

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
#[derive(Clone)]
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

impl State {
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

    pub(crate) fn new_iccid(&mut self) -> String {
        loop {
            let body = format!("8923410{}", self.digits(11));
            let candidate = iccid::with_check_digit(&body);
            if !self.sim_index.contains_key(&candidate) {
                return candidate;
            }
        }
    }

    pub(crate) fn new_entry(&mut self, package: usize, cat: &Catalog) -> PkgEntry {
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

    // ---------------------------------------------------------------- control actions

    /// Applies a control action to an eSIM (brought to the current time first). The error is
    /// `unknown iccid` or why the eSIM's state does not allow the action.
    pub fn sim_action(
        &mut self,
        iccid: &str,
        action: SimAction,
        cat: &Catalog,
        config: &SandboxConfig,
    ) -> Result<(), String> {
        let idx = self
            .sim_ticked(iccid, cat, config)
            .map_err(|_| "unknown iccid".to_string())?;
        let now = self.now();
        let sim = &mut self.sims[idx];
        let status = sim.status();
        match action {
            SimAction::Activate | SimAction::Expire if status == SimStatus::Recycled => {
                Err("the eSIM is recycled".into())
            }
            SimAction::Activate if status != SimStatus::NotActive => {
                Err(format!("the eSIM is {}, not NOT_ACTIVE", status.as_str()))
            }
            SimAction::Activate => {
                sim.activate(now, cat);
                Ok(())
            }
            SimAction::Expire => {
                for p in &mut sim.packages {
                    if matches!(p.status, PkgStatus::Active | PkgStatus::NotActive) {
                        p.status = PkgStatus::Expired;
                        p.expired_at = Some(now);
                    }
                }
                sim.activated_at.get_or_insert(now);
                sim.last_tick = now;
                Ok(())
            }
            SimAction::Recycle => {
                sim.recycled_at.get_or_insert(now);
                Ok(())
            }
            SimAction::Consume { .. } if status != SimStatus::Active => {
                Err(format!("the eSIM is {}, not ACTIVE", status.as_str()))
            }
            SimAction::Consume {
                data_mb,
                voice_minutes,
                sms,
            } => {
                sim.consume_voice_text(voice_minutes, sms);
                sim.consume_data(data_mb, now, cat);
                Ok(())
            }
        }
    }
}

/// What the control endpoints (and the handle) can do to an eSIM.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum SimAction {
    /// NOT_ACTIVE → ACTIVE, as if the end user installed it.
    Activate,
    /// Expire every package now.
    Expire,
    /// Recycle the eSIM (terminal).
    Recycle,
    /// Use data, voice minutes and SMS on an ACTIVE eSIM.
    Consume {
        data_mb: u64,
        voice_minutes: u32,
        sms: u32,
    },
}

pub(crate) fn recycled(iccid: &str) -> ApiError {
    ApiError::Business {
        code: 73,
        reason: format!(
            "The eSIM with iccid {iccid} has been recycled. It can no longer be used or topped up."
        ),
    }
}
