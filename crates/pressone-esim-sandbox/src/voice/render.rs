//! Wire shapes of the voice API: the user, DRF `PageNumberPagination` pages.

use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;
use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use pressone_esim_raw::types;

use super::VoiceUser;
use crate::web::{Query, base_url, detail, json_response};

const DEFAULT_PAGE_SIZE: usize = 20;
const MAX_PAGE_SIZE: usize = 100;

fn iso_z(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// A voice user in the spec's own wire type (`VoiceUser` with its `Subscription`): every field
/// is sent.
pub(crate) fn user_json(u: &VoiceUser, now: DateTime<Utc>) -> Value {
    let subscription = types::Subscription {
        plan: Some("monthly".into()),
        status: Some(u.status_at(now).into()),
        is_trial: Some(u.sub_status == super::SubStatus::Trial),
        start_date: Some(iso_z(u.start)),
        end_date: Some(iso_z(u.end)),
    };
    json!(types::VoiceUser {
        id: Some(u.id.into()),
        email: Some(u.email.clone()),
        mobile: Some(u.mobile.clone()),
        first_name: Some(u.first_name.clone()),
        last_name: Some(u.last_name.clone()),
        number: Some(u.number.clone()),
        date_joined: Some(iso_z(u.date_joined)),
        subscription: Some(subscription),
    })
}

/// `page_size` as the spec declares it (an integer from 1 to 100); anything else is a DRF
/// field error (400 `{"page_size": ["…"]}`), never silently replaced by the default.
fn page_size(q: &Query) -> Result<usize, Response> {
    let Some(raw) = q.raw("page_size") else {
        return Ok(DEFAULT_PAGE_SIZE);
    };
    let message = match raw.trim().parse::<i64>() {
        Err(_) => "A valid integer is required.".to_string(),
        Ok(n) if n < 1 => "Ensure this value is greater than or equal to 1.".to_string(),
        Ok(n) => match usize::try_from(n) {
            Ok(n) if n <= MAX_PAGE_SIZE => return Ok(n),
            _ => format!("Ensure this value is less than or equal to {MAX_PAGE_SIZE}."),
        },
    };
    Err(json_response(
        StatusCode::BAD_REQUEST,
        &json!({ "page_size": [message] }),
    ))
}

/// DRF `PageNumberPagination`: returns the page body, 400 for a bad `page_size` or 404
/// `Invalid page.`.
pub(crate) fn drf_page(
    headers: &HeaderMap,
    uri: &Uri,
    q: &Query,
    items: Vec<Value>,
) -> Result<Value, Response> {
    let page_size = page_size(q)?;
    // A present but empty `page` is refused like any other non-number: the spec declares an
    // integer, and no client of ours sends one empty.
    let page = match q.raw("page").map(str::trim) {
        None => 1,
        Some("last") => items.len().div_ceil(page_size).max(1),
        Some(raw) => match raw.parse::<usize>() {
            Ok(n) if n >= 1 => n,
            _ => return Err(detail(StatusCode::NOT_FOUND, "Invalid page.")),
        },
    };
    let count = items.len();
    let pages = count.div_ceil(page_size).max(1);
    if page > pages {
        return Err(detail(StatusCode::NOT_FOUND, "Invalid page."));
    }
    let url = |p: Option<usize>| {
        let mut pairs: Vec<(String, String)> = q
            .pairs()
            .iter()
            .filter(|(k, _)| k != "page")
            .cloned()
            .collect();
        if let Some(p) = p {
            pairs.push(("page".into(), p.to_string()));
        }
        let qs = serde_urlencoded::to_string(&pairs).unwrap_or_default();
        let base = format!("{}{}", base_url(headers), uri.path());
        if qs.is_empty() {
            base
        } else {
            format!("{base}?{qs}")
        }
    };
    let next = if page < pages {
        Value::from(url(Some(page + 1)))
    } else {
        Value::Null
    };
    let previous = match page {
        1 => Value::Null,
        2 => Value::from(url(None)),
        p => Value::from(url(Some(p - 1))),
    };
    let results: Vec<Value> = items
        .into_iter()
        .skip((page - 1) * page_size)
        .take(page_size)
        .collect();
    Ok(json!({"count": count, "next": next, "previous": previous, "results": results}))
}
