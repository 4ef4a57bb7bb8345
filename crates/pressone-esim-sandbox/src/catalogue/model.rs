//! The catalogue's types: countries, entries, operators, packages, currencies.

use std::collections::HashMap;

use rust_decimal::Decimal;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Region {
    Europe,
    Asia,
    Africa,
    LatinAmerica,
    MiddleEast,
    NorthAmerica,
    Oceania,
}

pub(crate) struct Country {
    pub code: &'static str,
    pub name: &'static str,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PackageKind {
    Sim,
    Topup,
}

impl PackageKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PackageKind::Sim => "sim",
            PackageKind::Topup => "topup",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PlanType {
    Data,
    VoiceText,
}

impl PlanType {
    pub fn as_str(self) -> &'static str {
        match self {
            PlanType::Data => "data",
            PlanType::VoiceText => "voice-text",
        }
    }
}

/// Behaviour forced by one of the Airalo sandbox test package ids.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TestBehaviour {
    Normal,
    InsufficientBalance,
    Maintenance,
    DisabledTopup,
    NotEnoughStock,
    OutOfStock,
    BadRequest,
    UnexpectedError,
}

pub(crate) struct Package {
    pub id: String,
    pub kind: PackageKind,
    pub operator: usize,
    pub amount_mb: u64,
    pub day: u32,
    pub unlimited: bool,
    /// e.g. "1 GB - 7 Days"
    pub title: String,
    /// e.g. "1 GB", "Unlimited"
    pub data: String,
    pub voice: Option<u32>,
    pub text: Option<u32>,
    /// Recommended retail price, USD.
    pub price: Decimal,
    /// Wholesale price, USD.
    pub net_price: Decimal,
    pub short_info: Option<String>,
    pub fair_usage_policy: Option<String>,
    pub test: TestBehaviour,
}

pub(crate) struct Operator {
    pub id: u64,
    pub slug: String,
    pub title: String,
    pub global: bool,
    pub plan_type: PlanType,
    pub is_roaming: bool,
    pub rechargeable: bool,
    pub apn_type: &'static str,
    pub apn_value: Option<String>,
    /// Indexes into `Catalog::countries`.
    pub countries: Vec<usize>,
    pub entry: Option<usize>,
    pub packages: Vec<usize>,
    pub topups: Vec<usize>,
    pub network: String,
    pub style: &'static str,
    pub gradient_start: &'static str,
    pub gradient_end: &'static str,
}

pub(crate) struct Entry {
    pub slug: String,
    pub country_code: String,
    pub title: String,
    pub global: bool,
    pub operators: Vec<usize>,
}

pub(crate) struct Catalog {
    pub countries: Vec<Country>,
    pub entries: Vec<Entry>,
    pub operators: Vec<Operator>,
    pub packages: Vec<Package>,
    pub by_id: HashMap<String, usize>,
}

/// (code, rate per USD as mantissa/scale, decimals shown)
pub(crate) const CURRENCIES: &[(&str, i64, u32, u32)] = &[
    ("USD", 1, 0, 2),
    ("EUR", 92, 2, 2),
    ("GBP", 79, 2, 2),
    ("AED", 367, 2, 2),
    ("JPY", 156, 0, 0),
    ("AUD", 152, 2, 2),
    ("CAD", 137, 2, 2),
    ("INR", 835, 1, 2),
    ("NGN", 1550, 0, 0),
    ("SGD", 135, 2, 2),
    ("BRL", 51, 1, 2),
    ("ZAR", 186, 1, 2),
    ("KWD", 307, 3, 3),
    ("IDR", 16200, 0, 0),
    ("ILS", 371, 2, 2),
    ("KRW", 1380, 0, 0),
    ("MXN", 171, 1, 2),
    ("MYR", 447, 2, 2),
    ("VND", 25400, 0, 0),
];

/// Converts a USD amount into every catalogue currency.
pub(crate) fn convert(usd: Decimal) -> Vec<(&'static str, Decimal)> {
    CURRENCIES
        .iter()
        .map(|&(code, mantissa, scale, dp)| {
            let rate = Decimal::new(mantissa, scale);
            let mut v = (usd * rate).round_dp(dp);
            v = v.normalize();
            (code, v)
        })
        .collect()
}

impl Catalog {
    pub(crate) fn package(&self, id: &str) -> Option<(usize, &Package)> {
        self.by_id.get(id).map(|&i| (i, &self.packages[i]))
    }

    pub(crate) fn coverage_names(&self, op: &Operator) -> String {
        if op.countries.len() > 5 {
            let entry = op.entry.map(|e| self.entries[e].title.clone());
            return entry.unwrap_or_else(|| format!("{} countries", op.countries.len()));
        }
        op.countries
            .iter()
            .map(|&c| self.countries[c].name)
            .collect::<Vec<_>>()
            .join(", ")
    }
}
