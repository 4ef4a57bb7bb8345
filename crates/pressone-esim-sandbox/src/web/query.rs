//! Query strings, paging and request forms of the data API (Laravel rules), and the
//! paginator's `links`/`meta`.

use axum::body::Body;
use axum::http::StatusCode;
use axum::http::{HeaderMap, Uri};
use axum::response::Response;
use chrono::{DateTime, NaiveDate, Utc};
use serde_json::{Map, Value, json};

use super::respond::{ApiError, invalid, json_response, too_large};
use crate::body::{BodyError, Form, parse_form, parse_query, read_body};

/// Decoded query string.
pub(crate) struct Query(Vec<(String, String)>);

impl Query {
    pub fn from_uri(uri: &Uri) -> Query {
        Query(parse_query(uri.query()))
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
    }

    /// The value of `key` as sent, even when empty (Laravel validates a present empty field).
    pub fn raw(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    pub fn pairs(&self) -> &[(String, String)] {
        &self.0
    }
}

pub(crate) fn parse_int(raw: &str) -> Option<i64> {
    let t = raw.trim();
    let digits = t.strip_prefix(['-', '+']).unwrap_or(t);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    t.parse::<i64>().ok()
}

/// Validates `limit` and `page` (Laravel `integer|min:1`).
pub(crate) fn paging(q: &Query) -> Result<(Option<usize>, usize), ApiError> {
    let mut errors = Vec::new();
    let mut positive = |field: &str| -> Option<usize> {
        let raw = q.raw(field)?;
        match parse_int(raw) {
            None => errors.push((
                field.to_string(),
                format!("The {field} must be an integer."),
            )),
            Some(n) if n < 1 => {
                errors.push((
                    field.to_string(),
                    format!("The {field} must be at least 1."),
                ));
            }
            Some(n) => return Some(usize::try_from(n).unwrap_or(usize::MAX)),
        }
        None
    };
    let limit = positive("limit");
    let page = positive("page").unwrap_or(1);
    if errors.is_empty() {
        Ok((limit, page))
    } else {
        Err(ApiError::Validation(errors))
    }
}

/// Parses `filter[created_at]` = `Y-m-d - Y-m-d` (exactly that: two real calendar dates with
/// zero-padded months and days, as the spec's pattern says).
pub(crate) fn date_range(raw: Option<&str>) -> Result<Option<(NaiveDate, NaiveDate)>, ApiError> {
    let Some(raw) = raw else { return Ok(None) };
    let bad = || {
        ApiError::field(
            "filter.created_at",
            "The filter.created at does not match the format Y-m-d - Y-m-d.",
        )
    };
    let parse = |s: &str| {
        let padded = s.len() == 10 && s.as_bytes()[4] == b'-' && s.as_bytes()[7] == b'-';
        padded
            .then(|| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
            .flatten()
            .ok_or_else(bad)
    };
    let (a, b) = raw.split_once(" - ").ok_or_else(bad)?;
    Ok(Some((parse(a)?, parse(b)?)))
}

/// Validates `include` against the relations an endpoint can embed (comma-separated; an empty
/// value embeds nothing).
pub(crate) fn includes(q: &Query, allowed: &[&str]) -> Result<(), ApiError> {
    let raw = q.get("include").unwrap_or("");
    let unknown: Vec<&str> = raw
        .split(',')
        .map(str::trim)
        .filter(|part| !part.is_empty() && !allowed.contains(part))
        .collect();
    if unknown.is_empty() {
        return Ok(());
    }
    Err(ApiError::field(
        "include",
        format!(
            "Requested include(s) `{}` are not allowed. Allowed include(s) are `{}`.",
            unknown.join(", "),
            allowed.join(", ")
        ),
    ))
}

pub(crate) fn contains_ci(haystack: &str, needle: &str) -> bool {
    haystack.to_lowercase().contains(&needle.to_lowercase())
}

/// Slices `items` for `page`/`per_page`; returns (page items with their global index).
pub(crate) fn page_slice<T>(items: Vec<T>, page: usize, per_page: usize) -> Vec<(usize, T)> {
    let start = (page - 1).saturating_mul(per_page);
    items
        .into_iter()
        .enumerate()
        .skip(start)
        .take(per_page)
        .collect()
}

pub(crate) async fn read_form(
    headers: &HeaderMap,
    body: Body,
    limit: usize,
) -> Result<Result<Form, String>, Response> {
    match read_body(body, limit).await {
        Ok(bytes) => Ok(parse_form(headers, bytes).await),
        Err(BodyError::TooLarge) => Err(too_large()),
        Err(BodyError::Unreadable) => Ok(Err("The request body could not be read.".to_string())),
    }
}

/// Laravel paginator links/meta for `total` items, `per_page` per page, current `page`.
pub(crate) fn paginate(
    path_url: &str,
    query: &[(String, String)],
    page: usize,
    per_page: usize,
    total: usize,
    count_on_page: usize,
) -> (Value, Map<String, Value>) {
    let last_page = total.div_ceil(per_page.max(1)).max(1);
    let url = |p: usize| {
        let mut pairs: Vec<(String, String)> =
            query.iter().filter(|(k, _)| k != "page").cloned().collect();
        pairs.push(("page".into(), p.to_string()));
        let qs = serde_urlencoded::to_string(&pairs).unwrap_or_default();
        format!("{path_url}?{qs}")
    };
    let links = json!({
        "first": url(1),
        "last": url(last_page),
        "prev": if page > 1 { Value::from(url(page - 1)) } else { Value::Null },
        "next": if page < last_page { Value::from(url(page + 1)) } else { Value::Null },
    });
    let from = (page - 1).saturating_mul(per_page).saturating_add(1);
    let mut meta = Map::new();
    meta.insert("message".into(), "success".into());
    meta.insert("current_page".into(), page.into());
    meta.insert(
        "from".into(),
        if count_on_page > 0 {
            Value::from(from)
        } else {
            Value::Null
        },
    );
    meta.insert("last_page".into(), last_page.into());
    meta.insert("path".into(), path_url.into());
    meta.insert("per_page".into(), per_page.to_string().into());
    meta.insert(
        "to".into(),
        if count_on_page > 0 {
            Value::from(from.saturating_add(count_on_page - 1))
        } else {
            Value::Null
        },
    );
    meta.insert("total".into(), total.into());
    (links, meta)
}

/// The query of the order and eSIM lists: `limit`, `page` (Laravel rules) and
/// `filter[created_at]`, validated in that order.
pub(crate) struct ListQuery {
    pub q: Query,
    limit: Option<usize>,
    page: usize,
    created: Option<(NaiveDate, NaiveDate)>,
}

impl ListQuery {
    pub fn parse(uri: &Uri) -> Result<ListQuery, ApiError> {
        let q = Query::from_uri(uri);
        let (limit, page) = paging(&q)?;
        let created = date_range(q.get("filter[created_at]"))?;
        Ok(ListQuery {
            q,
            limit,
            page,
            created,
        })
    }

    /// Whether `t` falls in `filter[created_at]` (always, without the filter).
    pub fn created_on(&self, t: DateTime<Utc>) -> bool {
        let day = t.date_naive();
        self.created.is_none_or(|(a, b)| day >= a && day <= b)
    }

    /// The 200 answer: the requested page of `selected` (50 per page unless `limit`), each
    /// item rendered by `render`, with the paginator's `links` and `meta`.
    pub fn respond(
        &self,
        path_url: &str,
        selected: Vec<usize>,
        mut render: impl FnMut(usize) -> Value,
    ) -> Response {
        let total = selected.len();
        let per_page = self.limit.unwrap_or(50);
        let items = page_slice(selected, self.page, per_page);
        let count = items.len();
        let data: Vec<Value> = items.into_iter().map(|(_, i)| render(i)).collect();
        let (links, meta) = paginate(path_url, self.q.pairs(), self.page, per_page, total, count);
        json_response(
            StatusCode::OK,
            &json!({"data": data, "links": links, "meta": meta}),
        )
    }
}

/// The optional `description` of an order or top-up (Laravel `max:255`), an error when longer.
pub(crate) fn description_field(form: &Form, errors: &mut Vec<(String, String)>) -> Option<String> {
    let description = form.get("description").map(str::to_string);
    if description
        .as_ref()
        .is_some_and(|d| d.chars().count() > 255)
    {
        errors.push(invalid(
            "description",
            "The description may not be greater than 255 characters.",
        ));
    }
    description
}
