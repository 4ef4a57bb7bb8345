//! Every conversion from the raw wire types to the domain types, in one place.
//!
//! Raw values are moved, not cloned, so a 5 MB catalogue is converted without copying its
//! strings.
//!
//! A value the response must carry (an id, a quantity, an amount of money, an ICCID, a status)
//! is never made up: without it the conversion fails with [`ErrorKind::Decode`], quoting the
//! object that lacks it. A default remains only where the API documents one; each says where.

mod catalog;
mod catalog_page;
mod esim;
mod page;
mod time;
mod usage;

#[cfg(test)]
mod tests;

use std::time::{Duration, SystemTime};

use rust_decimal::Decimal;
use serde::Serialize;

use crate::error::{Error, ErrorKind, Reached, Result};
use crate::models::*;
use crate::raw::types as w;
use crate::token::Token;

pub(crate) use catalog::{device, topup};
pub(crate) use catalog_page::CatalogPage;
pub(crate) use esim::{esim, history_entry, instructions, order};
pub(crate) use page::{drf_page, laravel_page};
pub(crate) use time::timestamp;
pub(crate) use usage::UsageBody;

/// The `pricing` of a list answer; an object with neither field is no pricing.
pub(crate) fn list_pricing(p: Option<w::Pricing>) -> Option<ListPricing> {
    let p = p?;
    let model = non_empty(p.model).map(|m| PricingModel::from(m.as_str()));
    if model.is_none() && p.discount_percentage.is_none() {
        return None;
    }
    Some(ListPricing {
        model,
        discount_percentage: p.discount_percentage,
    })
}

fn money(m: Option<crate::raw::wire::Money>) -> Option<Decimal> {
    m.map(|m| m.0)
}

fn non_empty(s: Option<String>) -> Option<String> {
    s.filter(|s| !blank(s))
}

/// The text of a field, if it holds any (blank counts as absent).
fn text<S: std::ops::Deref<Target = str>>(s: &Option<S>) -> Option<&str> {
    s.as_deref().filter(|s| !blank(s))
}

/// Whether `s` is empty or only white space. A text that starts with a visible ASCII
/// character (nearly every one a catalogue holds) is answered without trimming it.
fn blank(s: &str) -> bool {
    match s.as_bytes().first() {
        Some(b) if b.is_ascii_graphic() => false,
        _ => s.trim().is_empty(),
    }
}

/// A `Decode` error for a value `raw` lacks: the message names the value, the excerpt shows
/// the start of the object as received (re-encoded; the body itself is gone by now).
fn missing(what: &str, raw: &impl Serialize) -> Error {
    let excerpt = serde_json::to_vec(raw)
        .map(|body| crate::text::excerpt(&body))
        .unwrap_or_default();
    Error::new(ErrorKind::Decode { excerpt }, Reached::Yes)
        .with_message(Some(format!("the response has no {what}")))
}

/// `value`, or the `Decode` error that `raw` lacks it.
fn required<T>(value: Option<T>, what: &str, raw: &impl Serialize) -> Result<T> {
    value.ok_or_else(|| missing(what, raw))
}

pub(crate) fn token(response: w::TokenResponse, obtained_at: SystemTime) -> Result<Token> {
    let data = response.data;
    if data.access_token.trim().is_empty() {
        // Never quote this body: it is where the token would be.
        return Err(Error::new(
            ErrorKind::Decode {
                excerpt: String::new(),
            },
            Reached::Yes,
        )
        .with_message(Some("the response has no access token".into()))
        .with_operation(crate::raw::OperationId::RequestAccessToken));
    }
    // Without `expires_in`, the lifetime the API documents: 366 days (api.md §3, the example
    // `expires_in: 31622400`); the max-age policy refreshes sooner.
    let lifetime = data
        .expires_in
        .filter(|s| *s > 0)
        .map_or(Duration::from_secs(366 * 86_400), |s| {
            Duration::from_secs(s as u64)
        });
    let expires_at = obtained_at.checked_add(lifetime).unwrap_or(obtained_at);
    Ok(Token::new(data.access_token, obtained_at, expires_at))
}

pub(crate) fn balances(response: w::BalanceResponse) -> Result<Vec<Balance>> {
    let list = match response.data.balances {
        Some(w::Balances::Array(list)) => list,
        Some(w::Balances::Balance(one)) => vec![one],
        // "If the partner has no account, the accounts part of the response is an empty
        // array" (api.md §5.2): an absent list is not that.
        None => return Err(missing("balances", &response.data)),
    };
    list.into_iter()
        .map(|b| {
            let available = required(b.available_balance.as_ref(), "availableBalance", &b)?;
            let amount = required(money(available.amount), "balance amount", &b)?;
            Ok(Balance {
                name: non_empty(b.name),
                amount,
                currency: non_empty(b.available_balance.and_then(|a| a.currency)),
            })
        })
        .collect()
}

/// A listed number without its number offers nothing to claim: it is left out of the page
/// (no number is made up; the page says how many it shows).
pub(crate) fn available_number(n: w::AvailableNumber) -> Option<AvailableNumber> {
    Some(AvailableNumber {
        number: non_empty(n.number)?,
        country: non_empty(n.country),
    })
}

fn json_text(v: Option<serde_json::Value>) -> Option<String> {
    match v? {
        serde_json::Value::String(s) => non_empty(Some(s)),
        serde_json::Value::Number(n) => Some(n.to_string()),
        serde_json::Value::Object(o) => o.get("name").and_then(|n| n.as_str()).map(str::to_string),
        _ => None,
    }
}

/// Every field of a voice user is optional in the voice API (api.md §6): absent stays absent.
pub(crate) fn voice_user(u: w::VoiceUser) -> VoiceUser {
    VoiceUser {
        id: json_text(u.id),
        email: non_empty(u.email),
        mobile: non_empty(u.mobile),
        first_name: non_empty(u.first_name),
        last_name: non_empty(u.last_name),
        number: non_empty(u.number),
        date_joined: timestamp(u.date_joined),
        subscription: u.subscription.map(|s| Subscription {
            plan: json_text(s.plan),
            status: non_empty(s.status).map(|s| SubscriptionStatus::from(s.as_str())),
            is_trial: s.is_trial,
            start_date: timestamp(s.start_date),
            end_date: timestamp(s.end_date),
        }),
    }
}
