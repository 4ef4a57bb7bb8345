//! One place where every call is executed: token, headers, timeout, retries, the 401 refresh,
//! error normalization and tracing.

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use progenitor_client::{Error as RawError, ResponseValue};
use reqwest::header::{ACCEPT, AUTHORIZATION, HeaderMap, HeaderValue, RETRY_AFTER};
use serde::Serialize;
use serde_json::Value;
use tracing::Instrument;

use crate::client::{Api, Transport};
use crate::error::{BusinessCode, Error, ErrorKind, FieldError, Reached, Result};
use crate::raw::hooks::{CallContext, with_context};
use crate::token::{Token, TokenManager};

/// What the executor needs to know about an operation.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Op {
    /// The spec's `operationId`.
    pub name: &'static str,
    /// Safe to send again after an ambiguous failure (reads, the token request).
    pub idempotent: bool,
    /// Which API (base URL, auth header) it belongs to.
    pub api: Api,
    /// Whether it needs the access token.
    pub auth: bool,
    /// Whether the generated request lacks `Accept: application/json`, so the executor adds
    /// it (the balance, documented as text; every other operation's request has it).
    pub add_accept: bool,
}

impl Op {
    pub(crate) const fn read(name: &'static str, api: Api) -> Self {
        Op {
            name,
            idempotent: true,
            api,
            auth: true,
            add_accept: false,
        }
    }

    pub(crate) const fn write(name: &'static str, api: Api) -> Self {
        Op {
            name,
            idempotent: false,
            api,
            auth: true,
            add_accept: false,
        }
    }

    /// The same operation, with `Accept: application/json` added to its request.
    pub(crate) const fn accepting_json(mut self) -> Self {
        self.add_accept = true;
        self
    }
}

impl Transport {
    /// Runs `send` (a generated request) under the client's policies and returns its body;
    /// `tokens` supplies the access token of operations that need one.
    pub(crate) async fn execute<'c, T, E, F, Fut>(
        &'c self,
        op: Op,
        tokens: Option<&TokenManager>,
        send: F,
    ) -> Result<T>
    where
        F: Fn(&'c crate::raw::Client) -> Fut,
        Fut: Future<Output = std::result::Result<ResponseValue<T>, RawError<E>>> + 'c,
        E: Serialize,
    {
        let started = Instant::now();
        let mut attempt: u32 = 0;
        let mut refreshed = false;
        loop {
            attempt += 1;
            let token = match tokens {
                // The token request has its own retries; its failure ends the call, which was
                // never sent.
                Some(tokens) if op.auth && !self.uses_api_key(op.api) => Some(
                    tokens
                        .token()
                        .await
                        .map_err(|e| e.never_sent().with_operation(op.name))?,
                ),
                _ => None,
            };
            let mut context = CallContext::new()
                .with_form_encoding(self.form_encoding)
                .with_max_body(self.max_response_body);
            if let Some(user_agent) = &self.user_agent {
                context = context.with_header(reqwest::header::USER_AGENT, user_agent.clone());
            }
            if op.add_accept {
                context = context.with_header(ACCEPT, HeaderValue::from_static("application/json"));
            }
            if let Some(timeout) = self.request_timeout {
                context = context.with_timeout(timeout);
            }
            if op.auth
                && let Some((name, value)) = self.auth_header(op.api, token.as_ref())
            {
                context = context.with_auth(name, value);
            }
            let span = tracing::debug_span!(
                "pressone_esim.request",
                operation = op.name,
                attempt,
                status = tracing::field::Empty,
                latency_ms = tracing::field::Empty,
            );
            // The latency is only read by an enabled span: no clock reads otherwise.
            let sent = (!span.is_disabled()).then(Instant::now);
            let raw = self.raw(op.api);
            // The generated request future is large (kilobytes); boxed, it is moved once, not
            // at every layer it is wrapped in (context, span, this loop, the caller's future).
            let request = Box::pin(send(raw));
            let (result, status) = with_context(context, request)
                .instrument(span.clone())
                .await;
            let outcome = match result {
                Ok(value) => Ok(value.into_inner()),
                // Boxed: the error path is rare and its future large; inline, it would make
                // every call's future (and each move of it) that much bigger.
                Err(err) => Err(Box::pin(normalize(err, status, op))
                    .instrument(span.clone())
                    .await),
            };
            let status = status.or_else(|| outcome.as_ref().err().and_then(Error::status));
            if let Some(status) = status {
                span.record("status", status);
            }
            if let Some(sent) = sent {
                span.record("latency_ms", sent.elapsed().as_millis() as u64);
            }
            let err = match outcome {
                Ok(value) => {
                    tracing::debug!(parent: &span, "ok");
                    return Ok(value);
                }
                Err(err) => err,
            };
            tracing::debug!(parent: &span, error = %err, "failed");
            if matches!(err.kind(), ErrorKind::Authentication)
                && op.auth
                && !refreshed
                && let (Some(token), Some(tokens)) = (&token, tokens)
            {
                // The server refused the token: drop it and retry once with a fresh one.
                // A 401 means the request was not acted on, so this is safe for writes too.
                tokens.invalidate(token);
                self.bearer.clear();
                refreshed = true;
                attempt -= 1;
                continue;
            }
            match self.retry_delay(op, &err, attempt, started.elapsed()) {
                Some(delay) => {
                    tracing::debug!(parent: &span, delay_ms = delay.as_millis() as u64, "retrying");
                    Box::pin(tokio::time::sleep(delay)).await;
                }
                None => return Err(err),
            }
        }
    }

    fn retry_delay(
        &self,
        op: Op,
        err: &Error,
        attempt: u32,
        elapsed: Duration,
    ) -> Option<Duration> {
        let retryable = if op.idempotent {
            matches!(
                err.kind(),
                ErrorKind::RateLimited { .. }
                    | ErrorKind::Server
                    | ErrorKind::Transport
                    | ErrorKind::Timeout
            )
        } else {
            // Money and state: only when the request certainly never left this machine.
            matches!(err.kind(), ErrorKind::Transport) && err.reached() == Reached::No
        };
        if !retryable {
            return None;
        }
        self.retry.next_delay(attempt, err.retry_after(), elapsed)
    }

    fn uses_api_key(&self, api: Api) -> bool {
        api == Api::Voice && self.voice_api_key.is_some()
    }

    fn auth_header(
        &self,
        api: Api,
        token: Option<&Arc<Token>>,
    ) -> Option<(reqwest::header::HeaderName, HeaderValue)> {
        if let (Api::Voice, Some((name, value))) = (api, &self.voice_api_key) {
            return Some((name.clone(), value.clone()));
        }
        self.bearer(token?).map(|v| (AUTHORIZATION, v))
    }

    /// `Bearer <token>`, built (and marked sensitive) once per token, not once per call.
    fn bearer(&self, token: &Arc<Token>) -> Option<HeaderValue> {
        if let Some(value) = self.bearer.get(token) {
            return Some(value);
        }
        let mut value = HeaderValue::from_str(&format!("Bearer {}", token.secret())).ok()?;
        value.set_sensitive(true);
        self.bearer.set(token, &value);
        Some(value)
    }
}

/// Turns whatever the generated client returned into the SDK's error.
async fn normalize<E: Serialize>(err: RawError<E>, status: Option<u16>, op: Op) -> Error {
    let err = match err {
        RawError::InvalidRequest(message) => Error::invalid_input("request", message),
        RawError::CommunicationError(e) | RawError::InvalidUpgrade(e) => from_reqwest(e, false),
        RawError::ResponseBodyError(e) => from_reqwest(e, true),
        RawError::ErrorResponse(response) => {
            let status = response.status().as_u16();
            let retry_after = retry_after(response.headers());
            let body = serde_json::to_value(response.into_inner()).ok();
            classify(status, retry_after, body.as_ref())
        }
        RawError::InvalidResponsePayload(bytes, source) => match status {
            Some(status) if status >= 400 => {
                let body = serde_json::from_slice::<Value>(&bytes).ok();
                classify(status, None, body.as_ref())
            }
            _ => decode_error(status, &bytes, Some(source), op),
        },
        RawError::UnexpectedResponse(response) => {
            let status = response.status().as_u16();
            let retry_after = retry_after(response.headers());
            match read_limited(response).await {
                // A success status the spec does not declare (201, 204): not an answer we know.
                Ok(bytes) if (200..300).contains(&status) => {
                    decode_error(Some(status), &bytes, None, op)
                }
                Ok(bytes) => {
                    let body = serde_json::from_slice::<Value>(&bytes).ok();
                    classify(status, retry_after, body.as_ref())
                }
                Err(e) => from_reqwest(e, true).with_status(status),
            }
        }
        RawError::Custom(message) => Error::config(message),
    };
    err.with_operation(op.name)
}

/// Reads at most 64 KiB of an error body.
async fn read_limited(mut response: reqwest::Response) -> reqwest::Result<Vec<u8>> {
    const MAX: usize = 64 * 1024;
    let mut out = Vec::new();
    while let Some(chunk) = response.chunk().await? {
        let room = MAX.saturating_sub(out.len());
        out.extend_from_slice(&chunk[..chunk.len().min(room)]);
        if out.len() >= MAX {
            break;
        }
    }
    Ok(out)
}

fn decode_error(
    status: Option<u16>,
    bytes: &[u8],
    source: Option<serde_json::Error>,
    op: Op,
) -> Error {
    // The token endpoint's body holds the access token: never quote it.
    let secret_body = op.name == "request_access_token";
    let excerpt = if secret_body {
        String::new()
    } else {
        excerpt(bytes)
    };
    let mut err = Error::new(ErrorKind::Decode { excerpt }, Reached::Yes);
    if let (false, Some(source)) = (secret_body, source) {
        err = err.with_source(source);
    }
    match status {
        Some(status) => err.with_status(status),
        None => err,
    }
}

pub(crate) fn excerpt(bytes: &[u8]) -> String {
    const MAX: usize = 120;
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(MAX * 4)]);
    let mut out: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(MAX)
        .collect();
    if text.chars().count() > MAX {
        out.push('…');
    }
    out
}

pub(crate) fn from_reqwest(err: reqwest::Error, answered: bool) -> Error {
    let reached = if answered {
        Reached::Yes
    } else if err.is_connect() {
        Reached::No
    } else {
        Reached::Maybe
    };
    let kind = if err.is_timeout() {
        ErrorKind::Timeout
    } else if err.is_builder() {
        ErrorKind::Config {
            message: "the request could not be built".into(),
        }
    } else {
        // The SDK decodes JSON itself: a reqwest "decode" or "body" error only ever means the
        // body stream broke (connection reset, cut short), a transport failure.
        ErrorKind::Transport
    };
    // reqwest's message names the URL, which holds no secret (tokens travel in headers).
    let status = err.status().map(|s| s.as_u16());
    let err = Error::new(kind, reached).with_source(err.without_url());
    match status {
        Some(s) => err.with_status(s),
        None => err,
    }
}

/// `Retry-After` as seconds or an HTTP date.
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    if let Ok(secs) = value.parse::<f64>() {
        return (secs.is_finite() && secs >= 0.0)
            .then(|| Duration::from_secs_f64(secs.min(86_400.0)));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(
        when.duration_since(std::time::SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

/// Maps an error status and its (JSON) body to the SDK's error. Understands the data API's
/// shapes (`{code, reason}`, `{data: {field: msg}, meta: {message}}`, `{message}`) and the
/// voice API's (`{detail}`, `{field: [msg]}`).
pub(crate) fn classify(status: u16, retry_after: Option<Duration>, body: Option<&Value>) -> Error {
    let code = body.and_then(|b| b.get("code")).and_then(as_code);
    let message = body.and_then(server_message);
    let kind = match status {
        401 => ErrorKind::Authentication,
        403 => ErrorKind::Forbidden {
            code: code.map(BusinessCode::from_code),
        },
        404 => ErrorKind::NotFound,
        429 => ErrorKind::RateLimited { retry_after },
        400 | 422 => match code {
            Some(code) => ErrorKind::Business {
                code: BusinessCode::from_code(code),
                reason: body
                    .and_then(|b| b.get("reason"))
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string(),
            },
            None => ErrorKind::Validation {
                fields: body.map(field_errors).unwrap_or_default(),
            },
        },
        500..=599 => ErrorKind::Server,
        _ => ErrorKind::UnexpectedStatus,
    };
    Error::new(kind, Reached::Yes)
        .with_status(status)
        .with_message(message)
}

fn as_code(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn server_message(body: &Value) -> Option<String> {
    let candidates = [
        body.get("reason"),
        body.pointer("/meta/message"),
        body.get("detail"),
        body.get("message"),
    ];
    candidates
        .into_iter()
        .flatten()
        .find_map(|v| v.as_str().map(str::to_string))
}

/// Per-field messages: the data API's `data: {field: "msg"}` and the voice API's
/// `{field: ["msg", ...]}`.
fn field_errors(body: &Value) -> Vec<FieldError> {
    let mut fields = Vec::new();
    let mut push = |field: &str, v: &Value| match v {
        Value::String(s) => fields.push(FieldError {
            field: field.to_string(),
            message: s.clone(),
        }),
        Value::Array(items) => {
            for item in items {
                if let Some(s) = item.as_str() {
                    fields.push(FieldError {
                        field: field.to_string(),
                        message: s.to_string(),
                    });
                }
            }
        }
        _ => {}
    };
    if let Some(Value::Object(data)) = body.get("data") {
        for (field, v) in data {
            push(field, v);
        }
    } else if let Value::Object(top) = body {
        for (field, v) in top {
            if !matches!(
                field.as_str(),
                "detail" | "message" | "meta" | "data" | "code" | "reason"
            ) {
                push(field, v);
            }
        }
    }
    fields
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn classifies_the_documented_shapes() {
        let e = classify(
            422,
            None,
            Some(&json!({"code": 11, "reason": "Insufficient credit"})),
        );
        assert_eq!(e.business_code(), Some(BusinessCode::InsufficientCredit));
        assert_eq!(e.message(), Some("Insufficient credit"));

        let e = classify(
            400,
            None,
            Some(
                &json!({"data": {"limit": "The limit must be an integer."}, "meta": {"message": "the parameter is invalid"}}),
            ),
        );
        assert_eq!(
            e.kind(),
            &ErrorKind::Validation {
                fields: vec![FieldError {
                    field: "limit".into(),
                    message: "The limit must be an integer.".into()
                }]
            }
        );

        let e = classify(
            403,
            None,
            Some(&json!({"code": "89", "reason": "IP not allowed"})),
        );
        assert_eq!(
            e.kind(),
            &ErrorKind::Forbidden {
                code: Some(BusinessCode::IpNotAllowed)
            }
        );

        let e = classify(
            401,
            None,
            Some(&json!({"data": [], "meta": {"message": "Client authentication failed"}})),
        );
        assert_eq!(e.kind(), &ErrorKind::Authentication);
        assert_eq!(e.message(), Some("Client authentication failed"));

        let e = classify(
            429,
            Some(Duration::from_secs(3)),
            Some(&json!({"message": "Too Many Attempts."})),
        );
        assert_eq!(e.retry_after(), Some(Duration::from_secs(3)));

        let e = classify(
            400,
            None,
            Some(&json!({"email": ["Enter a valid email address."]})),
        );
        assert!(matches!(e.kind(), ErrorKind::Validation { fields } if fields[0].field == "email"));

        let e = classify(502, None, None);
        assert_eq!(e.kind(), &ErrorKind::Server);
        assert_eq!(e.status(), Some(502));
        assert!(e.is_retryable());
    }

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let mut h = HeaderMap::new();
        h.insert(RETRY_AFTER, HeaderValue::from_static("7"));
        assert_eq!(retry_after(&h), Some(Duration::from_secs(7)));
        h.insert(
            RETRY_AFTER,
            HeaderValue::from_static("Wed, 21 Oct 2015 07:28:00 GMT"),
        );
        assert_eq!(retry_after(&h), Some(Duration::ZERO));
        h.insert(RETRY_AFTER, HeaderValue::from_static("soon"));
        assert_eq!(retry_after(&h), None);
    }

    #[test]
    fn excerpts_are_short_and_single_line() {
        let body = format!("<html>\n<body>{}</body></html>", "x".repeat(500));
        let e = excerpt(body.as_bytes());
        assert!(e.chars().count() <= 121 && !e.contains('\n'));
    }
}
