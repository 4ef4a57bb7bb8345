//! Formatting shared by every wire shape: the rendering context, money, timestamps.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde_json::Value;

use crate::catalogue::Catalog;
use crate::config::{Pricing, SandboxConfig};

/// Rendering context: catalogue, configuration and the externally visible base URL.
pub(crate) struct Ctx<'a> {
    pub cat: &'a Catalog,
    pub config: &'a SandboxConfig,
    pub base: String,
}

/// A money amount as a JSON number: integral amounts as integers (`10`), others as the
/// shortest float that prints the exact decimal (`9.5`).
pub(crate) fn num(d: Decimal) -> Value {
    let d = d.normalize();
    if d.scale() == 0
        && let Ok(i) = i64::try_from(d)
    {
        return Value::from(i);
    }
    d.to_string()
        .parse::<f64>()
        .ok()
        .and_then(serde_json::Number::from_f64)
        .map(Value::Number)
        .unwrap_or(Value::Null)
}

pub(crate) fn ymd_hms(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M:%S").to_string()
}

pub(crate) fn iso(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S+00:00").to_string()
}

pub(crate) fn opt<T: Into<Value>>(v: Option<T>) -> Value {
    v.map(Into::into).unwrap_or(Value::Null)
}

impl Ctx<'_> {
    /// Whether the partner is on discount pricing (no `net_price` in catalogue responses).
    pub(crate) fn is_discount(&self) -> bool {
        matches!(self.config.pricing, Pricing::Discount(_))
    }
}

/// Formats money with exactly two decimals ("9.50").
pub(crate) fn money2(d: Decimal) -> String {
    let mut v = d.round_dp(2);
    v.rescale(2);
    v.to_string()
}
