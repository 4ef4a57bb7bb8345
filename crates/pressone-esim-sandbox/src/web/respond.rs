//! Response helpers: the data API's Laravel shapes, the voice API's DRF shapes, and
//! [`ApiError`], the business layer's error.

use axum::body::Body;
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::response::Response;
use serde_json::{Value, json};

/// Errors of the business layer, turned into wire responses by [`api_error`].
#[derive(Debug)]
pub(crate) enum ApiError {
    /// 401 `{"data":[],"meta":{"message":"Unauthenticated."}}`
    Unauthenticated,
    /// 422 `{"data":{field:msg},"meta":{"message":"the parameter is invalid"}}`
    Validation(Vec<(String, String)>),
    /// 422 (or 403 for 89) `{"code":n,"reason":"…"}`
    Business { code: u32, reason: String },
    /// 404 `{"data":[],"meta":{"message":"messages.resource_not_found"}}`
    NotFound,
    /// 429 `{"message":"Too Many Attempts."}`
    TooManyAttempts { limit: u32, retry_after: u64 },
}

impl ApiError {
    pub(crate) fn field(field: &str, msg: impl Into<String>) -> ApiError {
        ApiError::Validation(vec![invalid(field, msg)])
    }
}

/// One entry of a [`ApiError::Validation`]: the field and its message.
pub(crate) fn invalid(field: impl Into<String>, msg: impl Into<String>) -> (String, String) {
    (field.into(), msg.into())
}

pub(crate) fn json_response(status: StatusCode, body: &Value) -> Response {
    let bytes = serde_json::to_vec(body).unwrap_or_else(|_| b"{}".to_vec());
    let mut resp = Response::new(Body::from(bytes));
    *resp.status_mut() = status;
    resp.headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    resp
}

pub(crate) fn with_headers(mut resp: Response, headers: &[(&'static str, String)]) -> Response {
    for (name, value) in headers {
        if let Ok(v) = HeaderValue::from_str(value) {
            resp.headers_mut().insert(HeaderName::from_static(name), v);
        }
    }
    resp
}

/// `{"data": data, "meta": {"message": message}}` with 200.
pub(crate) fn success_with(data: Value, message: &str) -> Response {
    json_response(
        StatusCode::OK,
        &json!({"data": data, "meta": {"message": message}}),
    )
}

pub(crate) fn success(data: Value) -> Response {
    success_with(data, "success")
}

pub(crate) fn meta_message(status: StatusCode, message: &str) -> Response {
    json_response(status, &json!({"data": [], "meta": {"message": message}}))
}

/// The voice API's (DRF) `{"detail": message}`.
pub(crate) fn detail(status: StatusCode, msg: &str) -> Response {
    json_response(status, &json!({"detail": msg}))
}

pub(crate) fn too_many(limit: u32, retry_after: u64) -> Response {
    with_headers(
        json_response(
            StatusCode::TOO_MANY_REQUESTS,
            &json!({"message": "Too Many Attempts."}),
        ),
        &[
            ("retry-after", retry_after.to_string()),
            ("x-ratelimit-limit", limit.to_string()),
            ("x-ratelimit-remaining", "0".to_string()),
            ("x-ratelimit-reset", retry_after.to_string()),
        ],
    )
}

/// Turns a business-layer error into the API's wire shape.
pub(crate) fn api_error(e: ApiError) -> Response {
    match e {
        ApiError::Unauthenticated => meta_message(StatusCode::UNAUTHORIZED, "Unauthenticated."),
        ApiError::Validation(fields) => {
            let mut data = serde_json::Map::new();
            for (k, v) in fields {
                data.entry(k).or_insert(Value::String(v));
            }
            json_response(
                StatusCode::UNPROCESSABLE_ENTITY,
                &json!({"data": data, "meta": {"message": "the parameter is invalid"}}),
            )
        }
        ApiError::Business { code, reason } => {
            let status = if code == 89 {
                StatusCode::FORBIDDEN
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            json_response(status, &json!({"code": code, "reason": reason}))
        }
        ApiError::NotFound => meta_message(StatusCode::NOT_FOUND, "messages.resource_not_found"),
        ApiError::TooManyAttempts { limit, retry_after } => too_many(limit, retry_after),
    }
}

/// [`api_error`], but a validation error is answered with HTTP 400 (same body), as PressOne
/// documents for Get order list.
pub(crate) fn validation_400(e: ApiError) -> Response {
    let validation = matches!(e, ApiError::Validation(_));
    let mut resp = api_error(e);
    if validation {
        *resp.status_mut() = StatusCode::BAD_REQUEST;
    }
    resp
}

pub(crate) fn too_large() -> Response {
    meta_message(
        StatusCode::PAYLOAD_TOO_LARGE,
        "The request body is too large.",
    )
}
