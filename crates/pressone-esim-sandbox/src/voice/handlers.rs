//! Voice-only endpoints (`/api/third-party/partner/...`), provisional Django REST Framework
//! style: `{count, next, previous, results}` pages, `{"detail": …}` / `{"field": [msg]}` errors.

use axum::body::Body;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;
use serde_json::{Map, Value, json};

use super::RenewRefused;
use super::render::{drf_page, user_json};
use crate::body::{BodyError, Form, parse_form, read_body};
use crate::web::{App, Authed, Query, detail, json_response};

pub(crate) async fn list_available_numbers(
    caller: Authed,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    let st = caller.lock();
    let q = Query::from_uri(&uri);
    let country = q.get("country").map(str::to_ascii_uppercase);
    let items: Vec<Value> = st
        .numbers
        .iter()
        .filter(|n| !n.claimed)
        .filter(|n| country.as_deref().is_none_or(|c| n.country == c))
        .map(|n| json!({"number": n.number, "country": n.country}))
        .collect();
    drop(st);
    match drf_page(&headers, &uri, &q, items) {
        Ok(v) => json_response(StatusCode::OK, &v),
        Err(r) => r,
    }
}

pub(crate) async fn list_users(caller: Authed, headers: HeaderMap, uri: Uri) -> Response {
    let st = caller.lock();
    let q = Query::from_uri(&uri);
    let email = q.get("email");
    let mobile = q.get("mobile").map(digits_only);
    let now = st.now();
    let items: Vec<Value> = st
        .users
        .iter()
        .filter(|u| email.is_none_or(|e| u.email.eq_ignore_ascii_case(e)))
        .filter(|u| {
            mobile
                .as_deref()
                .is_none_or(|m| mobile_matches(&u.mobile, m))
        })
        .map(|u| user_json(u, now))
        .collect();
    drop(st);
    match drf_page(&headers, &uri, &q, items) {
        Ok(v) => json_response(StatusCode::OK, &v),
        Err(r) => r,
    }
}

fn digits_only(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

/// `+2348030000001`, `2348030000001` and `08030000001` all match the same mobile.
fn mobile_matches(number: &str, query_digits: &str) -> bool {
    let n = digits_only(number);
    if query_digits.is_empty() {
        return false;
    }
    n == query_digits
        || query_digits
            .strip_prefix('0')
            .is_some_and(|rest| rest.len() >= 6 && n.ends_with(rest))
}

/// Reads a DRF body (JSON, form or multipart) into string fields.
async fn drf_body(headers: &HeaderMap, body: Body, limit: usize) -> Result<Form, Response> {
    let bytes = match read_body(body, limit).await {
        Ok(b) => b,
        Err(BodyError::TooLarge) => {
            return Err(detail(
                StatusCode::PAYLOAD_TOO_LARGE,
                "Request body too large.",
            ));
        }
        Err(BodyError::Unreadable) => {
            return Err(detail(
                StatusCode::BAD_REQUEST,
                "The request body could not be read.",
            ));
        }
    };
    let ct = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let supported = [
        "application/json",
        "application/x-www-form-urlencoded",
        "multipart/form-data",
        "",
    ];
    if !supported.contains(&ct.as_str()) {
        return Err(detail(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            &format!("Unsupported media type \"{ct}\" in request."),
        ));
    }
    parse_form(headers, bytes).await.map_err(|_| {
        if ct == "application/json" {
            detail(
                StatusCode::BAD_REQUEST,
                "JSON parse error - the body is not a JSON object.",
            )
        } else {
            detail(StatusCode::BAD_REQUEST, "Malformed request body.")
        }
    })
}

/// An authenticated voice request with its body (JSON, form or multipart). As in DRF, a
/// missing or bad token is reported before anything wrong with the body.
pub(crate) struct VoiceForm {
    caller: Authed,
    form: Form,
}

impl FromRequest<App> for VoiceForm {
    type Rejection = Response;

    async fn from_request(req: Request, app: &App) -> Result<Self, Response> {
        let (mut parts, body) = req.into_parts();
        let form = drf_body(&parts.headers, body, app.config.body_limit).await;
        let caller = Authed::from_request_parts(&mut parts, app).await?;
        Ok(VoiceForm {
            caller,
            form: form?,
        })
    }
}

fn field_errors(errors: Vec<(String, String)>) -> Response {
    let mut m = Map::new();
    for (k, v) in errors {
        match m.entry(k).or_insert_with(|| Value::Array(Vec::new())) {
            Value::Array(list) => list.push(Value::String(v)),
            other => *other = Value::Array(vec![Value::String(v)]),
        }
    }
    json_response(StatusCode::BAD_REQUEST, &Value::Object(m))
}

fn valid_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !s.chars().any(char::is_whitespace)
}

pub(crate) async fn claim_number(VoiceForm { caller, form }: VoiceForm) -> Response {
    let app = &caller.app;
    let mut st = caller.lock();
    let mut errors = Vec::new();
    let required = "This field is required.";
    // The spec requires the number and the e-mail; names are optional (blank when absent).
    for field in ["number", "email"] {
        if form.get(field).is_none() {
            errors.push((field.to_string(), required.to_string()));
        }
    }
    if let Some(e) = form.get("email")
        && !valid_email(e)
    {
        errors.push((
            "email".to_string(),
            "Enter a valid email address.".to_string(),
        ));
    }
    for field in ["first_name", "last_name"] {
        if form.get(field).is_some_and(|v| v.chars().count() > 150) {
            errors.push((
                field.to_string(),
                "Ensure this field has no more than 150 characters.".to_string(),
            ));
        }
    }
    if !errors.is_empty() {
        return field_errors(errors);
    }
    let first = form.get("first_name").unwrap_or_default();
    let last = form.get("last_name").unwrap_or_default();
    let (Some(number), Some(email)) = (form.get("number"), form.get("email")) else {
        return field_errors(vec![("non_field_errors".into(), required.into())]);
    };
    // Accept the number with or without its leading '+'.
    let wanted = digits_only(number);
    let canonical = st
        .numbers
        .iter()
        .find(|n| digits_only(&n.number) == wanted)
        .map(|n| n.number.clone())
        .unwrap_or_else(|| number.to_string());
    match st.claim_number(&canonical, email, first, last, &app.config) {
        Ok(i) => {
            let now = st.now();
            let body = user_json(&st.users[i], now);
            drop(st);
            json_response(StatusCode::CREATED, &body)
        }
        Err(errors) => field_errors(errors),
    }
}

pub(crate) async fn renew_number(VoiceForm { caller, form }: VoiceForm) -> Response {
    let app = &caller.app;
    let mut st = caller.lock();
    let Some(email) = form.get("email") else {
        return field_errors(vec![("email".into(), "This field is required.".into())]);
    };
    if !valid_email(email) {
        return field_errors(vec![(
            "email".into(),
            "Enter a valid email address.".into(),
        )]);
    }
    match st.renew(email, &app.config) {
        Ok(i) => {
            let now = st.now();
            let body = user_json(&st.users[i], now);
            drop(st);
            json_response(StatusCode::OK, &body)
        }
        Err(RenewRefused::UnknownEmail) => detail(StatusCode::NOT_FOUND, "Not found."),
        Err(RenewRefused::Cancelled) => detail(
            StatusCode::FORBIDDEN,
            "The subscription was cancelled; a cancelled subscription cannot be renewed.",
        ),
    }
}
