//! What an answer means: the SDK's error for whatever the generated client returned (error
//! statuses and their bodies, transport failures, bodies that do not decode).

use std::time::Duration;

use pressone_esim_raw::OperationId;
use pressone_esim_raw::body::{self, ReadError};
use progenitor_client::Error as RawError;
use reqwest::header::{HeaderMap, RETRY_AFTER};
use serde::Serialize;
use serde_json::Value;

use crate::error::{BusinessCode, Error, ErrorKind, FieldError, Reached};
use crate::text::excerpt;

/// Turns whatever the generated client returned into the SDK's error.
pub(crate) async fn normalize<E: Serialize>(
    err: RawError<E>,
    status: Option<u16>,
    op: OperationId,
) -> Error {
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
        RawError::UnexpectedResponse(mut response) => {
            let status = response.status().as_u16();
            let retry_after = retry_after(response.headers());
            let announced = response.content_length();
            let limit = body::limit_of(&response);
            match body::read(&mut response, announced, limit).await {
                // A success status the spec does not declare (201, 204): not an answer we know.
                Ok(bytes) if (200..300).contains(&status) => {
                    decode_error(Some(status), &bytes, None, op)
                }
                Ok(bytes) => {
                    let body = serde_json::from_slice::<Value>(&bytes).ok();
                    classify(status, retry_after, body.as_ref())
                }
                // An error status is understood without its (too long) body.
                Err(ReadError::TooLarge { .. }) => classify(status, retry_after, None),
                Err(ReadError::Body(e)) => from_reqwest(e, true).with_status(status),
            }
        }
        RawError::Custom(message) => Error::config(message),
    };
    err.with_operation(op)
}

/// The error of a body that does not decode (never quoting the token endpoint's body).
pub(crate) fn decode_error(
    status: Option<u16>,
    bytes: &[u8],
    source: Option<serde_json::Error>,
    op: OperationId,
) -> Error {
    // The token endpoint's body holds the access token: never quote it.
    let secret_body = op == OperationId::RequestAccessToken;
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
    use reqwest::header::HeaderValue;
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
    fn the_token_body_is_never_quoted() {
        let body = br#"{"data": {"access_token": "secret-token"}}"#;
        let e = decode_error(Some(200), body, None, OperationId::RequestAccessToken);
        assert!(!format!("{e} {e:?}").contains("secret-token"));
        let e = decode_error(Some(200), body, None, OperationId::GetUsage);
        assert!(e.to_string().contains("access_token"));
    }
}
