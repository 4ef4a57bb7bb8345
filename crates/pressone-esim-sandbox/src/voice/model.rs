//! Voice numbers and users: claim, renew, subscription periods.

use chrono::{DateTime, Utc};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use crate::config::SandboxConfig;
use crate::state::{State, add_secs};

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
    /// The user's own mobile number.
    pub mobile: String,
    pub date_joined: DateTime<Utc>,
    pub sub_status: SubStatus,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    /// Set by the control endpoint; a cancelled subscription is never renewed.
    pub cancelled_at: Option<DateTime<Utc>>,
}

impl VoiceUser {
    pub fn status_at(&self, now: DateTime<Utc>) -> &'static str {
        if self.cancelled_at.is_some() {
            "cancelled"
        } else if now >= self.end {
            "expired"
        } else {
            match self.sub_status {
                SubStatus::Trial => "trial",
                SubStatus::Active => "active",
            }
        }
    }
}

impl State {
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
        let id = 1 + self.users.len() as u64;
        self.users.push(VoiceUser {
            id,
            email: email.to_string(),
            first_name: first_name.to_string(),
            last_name: last_name.to_string(),
            number: number.to_string(),
            mobile: user_mobile(id),
            date_joined: now,
            sub_status: SubStatus::Trial,
            start: now,
            end: add_secs(now, i64::from(config.trial_days) * 86_400),
            cancelled_at: None,
        });
        Ok(self.users.len() - 1)
    }

    fn voice_user(&self, email: &str) -> Option<usize> {
        self.users
            .iter()
            .position(|u| u.email.eq_ignore_ascii_case(email))
    }

    /// Renews the subscription of the user who claimed with `email`: a trial, an expired or a
    /// running paid period becomes (or stays) a paid period of `subscription_days`; a
    /// cancelled subscription is refused.
    pub fn renew(&mut self, email: &str, config: &SandboxConfig) -> Result<usize, RenewRefused> {
        let now = self.now();
        let i = self.voice_user(email).ok_or(RenewRefused::UnknownEmail)?;
        let u = &mut self.users[i];
        if u.cancelled_at.is_some() {
            return Err(RenewRefused::Cancelled);
        }
        let period = i64::from(config.subscription_days) * 86_400;
        if u.sub_status == SubStatus::Active && u.end > now {
            u.end = add_secs(u.end, period);
        } else {
            u.sub_status = SubStatus::Active;
            u.start = now;
            u.end = add_secs(now, period);
        }
        Ok(i)
    }

    /// Cancels the subscription of the user who claimed with `email` (control action).
    pub fn cancel_subscription(&mut self, email: &str) -> Option<usize> {
        let now = self.now();
        let i = self.voice_user(email)?;
        let u = &mut self.users[i];
        u.cancelled_at.get_or_insert(now);
        Some(i)
    }
}

/// Why Renew number refused.
pub(crate) enum RenewRefused {
    /// Nobody claimed a number with this e-mail.
    UnknownEmail,
    /// The subscription was cancelled.
    Cancelled,
}

/// Prefix of the end users' own mobiles (a Nigerian mobile range). No claimable number starts
/// with it (see `NUMBER_PLANS`), so a user's mobile never equals a claimed number and a client
/// that sends one where the other belongs finds nothing.
const MOBILE_PREFIX: &str = "+234803";

/// The mobile of voice user `id`: unique per user, distinct from every claimable number.
fn user_mobile(id: u64) -> String {
    format!("{MOBILE_PREFIX}{:07}", id % 10_000_000)
}

/// `(country, prefix, random digits)` of the claimable numbers.
const NUMBER_PLANS: &[(&str, &str, usize)] = &[
    ("NG", "+234201", 7),
    ("NG", "+234209", 7),
    ("GB", "+44203", 7),
    ("US", "+1415", 7),
    ("GH", "+23330", 7),
    ("KE", "+25420", 7),
];

pub(crate) fn generate_numbers(rng: &mut ChaCha8Rng, count: usize) -> Vec<VoiceNumber> {
    let mut out: Vec<VoiceNumber> = Vec::with_capacity(count);
    let mut guard = 0usize;
    while out.len() < count && guard < count.saturating_mul(20) + 100 {
        guard += 1;
        let (country, prefix, n) = NUMBER_PLANS[out.len() % NUMBER_PLANS.len()];
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mobiles_never_look_like_claimable_numbers() {
        for &(_, prefix, _) in NUMBER_PLANS {
            assert!(!prefix.starts_with(MOBILE_PREFIX) && !MOBILE_PREFIX.starts_with(prefix));
        }
        assert_ne!(user_mobile(1), user_mobile(2));
    }
}
