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

impl State {
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

pub(crate) fn generate_numbers(rng: &mut ChaCha8Rng, count: usize) -> Vec<VoiceNumber> {
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
