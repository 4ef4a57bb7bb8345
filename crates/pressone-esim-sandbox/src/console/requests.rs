//! The Requests section's ring buffer and the middleware that fills it, plus the one-shot
//! "fail the next request" fault armed from the console.
//!
//! Only what a developer needs to see their own mistakes is kept: method, path (never the
//! query string), status, latency, the business error code and the error message. Headers
//! (the bearer token) and bodies (the client secret) are never recorded.

use std::time::Instant;

use axum::body::{Body, HttpBody};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use chrono::{DateTime, Utc};
use serde_json::Value;

use super::{CONSOLE_PATH, REQUEST_LOG_CAPACITY};
use crate::body::read_body;
use crate::faults::{DropConnection, FAULT_HEADER};
use crate::operation::{Operation, Served as _};
use crate::web::App;

/// Longest path and message kept (in characters).
const MAX_TEXT: usize = 200;
/// Largest error body read to find the business code.
const MAX_ERROR_BODY: usize = 64 * 1024;

/// One API request as the console shows it.
#[derive(Clone, Debug)]
pub(crate) struct RequestRecord {
    pub at: DateTime<Utc>,
    pub method: String,
    pub path: String,
    pub had_query: bool,
    pub operation: Option<Operation>,
    /// `None` when the connection was dropped (an injected fault).
    pub status: Option<u16>,
    pub latency_ms: u64,
    pub business_code: Option<i64>,
    pub message: Option<String>,
    pub fault_injected: bool,
}

/// A fault armed from the console for the next API request; applied through the
/// `X-Sandbox-Fault` header, so it behaves exactly like a fault a client asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum NextFault {
    ServiceUnavailable,
    ServerError,
    RateLimited,
    Drop,
    ProcessThenDrop,
    ProcessThen503,
}

impl NextFault {
    pub const ALL: [NextFault; 6] = [
        NextFault::ServiceUnavailable,
        NextFault::ServerError,
        NextFault::RateLimited,
        NextFault::Drop,
        NextFault::ProcessThenDrop,
        NextFault::ProcessThen503,
    ];

    /// The form value.
    pub fn key(self) -> &'static str {
        match self {
            NextFault::ServiceUnavailable => "503",
            NextFault::ServerError => "500",
            NextFault::RateLimited => "429",
            NextFault::Drop => "drop",
            NextFault::ProcessThenDrop => "drop-after",
            NextFault::ProcessThen503 => "503-after",
        }
    }

    pub fn from_key(key: &str) -> Option<NextFault> {
        NextFault::ALL.into_iter().find(|f| f.key() == key)
    }

    pub fn label(self) -> &'static str {
        match self {
            NextFault::ServiceUnavailable => "503 Service Unavailable",
            NextFault::ServerError => "500 Server Error",
            NextFault::RateLimited => "429 Too Many Attempts (Retry-After: 2)",
            NextFault::Drop => "drop the connection, unprocessed",
            NextFault::ProcessThenDrop => "process, then drop the connection (ambiguous)",
            NextFault::ProcessThen503 => "process, then answer 503 (ambiguous)",
        }
    }

    fn header(self) -> &'static str {
        match self {
            NextFault::ServiceUnavailable => "status=503",
            NextFault::ServerError => "status=500",
            NextFault::RateLimited => "status=429;retry_after=2",
            NextFault::Drop => "drop",
            NextFault::ProcessThenDrop => "drop;after",
            NextFault::ProcessThen503 => "status=503;after",
        }
    }
}

impl super::Console {
    pub(super) fn arm(&self, fault: Option<NextFault>) {
        self.lock().next_fault = fault;
    }

    pub(super) fn armed(&self) -> Option<NextFault> {
        self.lock().next_fault
    }

    /// The last requests, newest first.
    pub(super) fn requests(&self) -> Vec<RequestRecord> {
        self.lock().requests.iter().rev().cloned().collect()
    }

    fn push(&self, record: RequestRecord) {
        let mut inner = self.lock();
        if inner.requests.len() >= REQUEST_LOG_CAPACITY {
            inner.requests.pop_front();
        }
        inner.requests.push_back(record);
    }
}

fn is_console_or_control(path: &str) -> bool {
    path == "/" || path == CONSOLE_PATH || path.starts_with("/_sandbox/") || path == "/favicon.ico"
}

fn truncate(s: &str) -> String {
    match s.char_indices().nth(MAX_TEXT) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

/// The message of an error body in any of the API's shapes.
fn error_message(body: &Value) -> Option<String> {
    let text = |v: &Value| v.as_str().map(str::to_string);
    // Validation: the first field's message (`{"data":{field:msg}}` or DRF's `{field:[msg]}`).
    let field = |fields: &Value| {
        let (field, msg) = fields.as_object()?.iter().next()?;
        let msg = msg.as_str().or_else(|| msg.get(0)?.as_str())?;
        Some(format!("{field}: {msg}"))
    };
    body.get("reason")
        .and_then(text)
        .or_else(|| body.get("data").and_then(field))
        .or_else(|| body.pointer("/meta/message").and_then(text))
        .or_else(|| body.get("message").and_then(text))
        .or_else(|| body.get("detail").and_then(text))
        .or_else(|| field(body))
}

/// The middleware around the whole router: records every API request (not the console's nor
/// the control endpoints') and applies the fault armed from the console to the next one.
pub(crate) async fn record_layer(State(app): State<App>, mut req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    if is_console_or_control(&path) {
        return next.run(req).await;
    }
    let method = req.method().to_string();
    let operation = Operation::classify(&method, &path);
    if operation.is_some() && !req.headers().contains_key(FAULT_HEADER) {
        let armed = app.console.lock().next_fault.take();
        if let Some(fault) = armed {
            req.headers_mut()
                .insert(FAULT_HEADER, HeaderValue::from_static(fault.header()));
        }
    }
    let had_query = req.uri().query().is_some();
    let started = Instant::now();
    let resp = next.run(req).await;
    let latency_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    let dropped = resp.extensions().get::<DropConnection>().is_some();
    let fault_injected = dropped || resp.headers().contains_key("x-sandbox-fault-injected");
    let status = resp.status();
    // Error bodies of known, small size are read for their code and message (and put back);
    // anything else passes untouched.
    let small = HttpBody::size_hint(resp.body())
        .exact()
        .is_some_and(|n| n <= MAX_ERROR_BODY as u64);
    let (resp, body) =
        if small && !dropped && (status.is_client_error() || status.is_server_error()) {
            let (parts, body) = resp.into_parts();
            let bytes = read_body(body, MAX_ERROR_BODY).await.unwrap_or_default();
            let value = serde_json::from_slice::<Value>(&bytes).ok();
            (Response::from_parts(parts, Body::from(bytes)), value)
        } else {
            (resp, None)
        };
    let business_code = body
        .as_ref()
        .filter(|_| status == StatusCode::UNPROCESSABLE_ENTITY || status == StatusCode::FORBIDDEN)
        .and_then(|b| b.get("code"))
        .and_then(Value::as_i64);
    let secret = &app.config.client_secret;
    let message = body.as_ref().and_then(error_message).map(|m| {
        // Belt and braces: no message of the sandbox echoes the secret, but never show it.
        let m = if secret.is_empty() {
            m
        } else {
            m.replace(secret.as_str(), "[redacted]")
        };
        truncate(&m)
    });
    let at = app.lock().now();
    app.console.push(RequestRecord {
        at,
        method,
        path: truncate(&path),
        had_query,
        operation,
        status: (!dropped).then_some(status.as_u16()),
        latency_ms,
        business_code,
        message,
        fault_injected,
    });
    resp
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn messages_of_every_error_shape() {
        let m = |v: Value| error_message(&v);
        assert_eq!(
            m(json!({"code": 11, "reason": "Insufficient"})).as_deref(),
            Some("Insufficient")
        );
        assert_eq!(
            m(json!({"data": [], "meta": {"message": "Unauthenticated."}})).as_deref(),
            Some("Unauthenticated.")
        );
        assert_eq!(
            m(json!({"data": {"package_id": "invalid"}, "meta": {}})).as_deref(),
            Some("package_id: invalid")
        );
        assert_eq!(
            m(json!({"email": ["required"]})).as_deref(),
            Some("email: required")
        );
        assert_eq!(
            m(json!({"detail": "Not found."})).as_deref(),
            Some("Not found.")
        );
    }

    #[test]
    fn long_text_is_cut() {
        let long = "x".repeat(500);
        assert_eq!(truncate(&long).chars().count(), MAX_TEXT + 1);
        assert_eq!(truncate("short"), "short");
    }

    #[test]
    fn fault_keys_round_trip() {
        for f in NextFault::ALL {
            assert_eq!(NextFault::from_key(f.key()), Some(f));
        }
        assert_eq!(NextFault::from_key("nope"), None);
    }
}
