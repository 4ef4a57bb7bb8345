//! HTTP layer: router, shared state, response helpers.

pub(crate) mod control;
pub(crate) mod data;
pub(crate) mod voice;

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use axum::Router;
use axum::body::Body;
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE, HOST};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Value, json};

use crate::catalog::Catalog;
use crate::config::SandboxConfig;
use crate::render::Ctx;
use crate::state::{ApiError, State};

/// State shared by all handlers. All mutable state sits behind the one mutex; handlers never
/// hold it across an `.await`.
pub(crate) struct Shared {
    state: Mutex<State>,
    pub cat: Catalog,
    pub config: SandboxConfig,
}

impl Shared {
    pub fn new(config: SandboxConfig) -> Shared {
        Shared {
            state: Mutex::new(State::new(&config)),
            cat: Catalog::build(),
            config,
        }
    }

    /// Locks the state; a poisoned lock (impossible without a panic) is recovered.
    pub fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub fn ctx(&self, base: String) -> Ctx<'_> {
        Ctx {
            cat: &self.cat,
            config: &self.config,
            base,
        }
    }
}

pub(crate) type App = Arc<Shared>;

/// Builds the router with every route, the fault layer and the 404/405 fallbacks.
pub(crate) fn build_router(app: App) -> Router {
    let data = Router::new()
        .route("/customer/v2/token", post(data::token))
        .route("/customer/v2/balance", get(data::balance))
        .route(
            "/customer/v2/compatible-devices-lite",
            get(data::compatible_devices),
        )
        .route("/customer/v2/packages", get(data::packages))
        .route(
            "/customer/v2/orders",
            post(data::submit_order).get(data::list_orders),
        )
        .route("/customer/v2/orders/topups", post(data::submit_topup))
        .route("/customer/v2/orders/{order_id}", get(data::get_order))
        .route("/customer/v2/sims", get(data::list_sims))
        .route("/customer/v2/sims/{iccid}", get(data::get_sim))
        .route(
            "/customer/v2/sims/{iccid}/instructions",
            get(data::instructions),
        )
        .route("/customer/v2/sims/{iccid}/usage", get(data::usage))
        .route("/cusomter/v2/sims/{iccid}/usage", get(data::usage))
        .route("/customer/v2/sims/{iccid}/topups", get(data::topups))
        .route(
            "/customer/v2/sims/{iccid}/packages",
            get(data::package_history),
        );
    let mut voice_routes = Router::new();
    for suffix in ["/", ""] {
        voice_routes = voice_routes
            .route(
                &format!("/api/third-party/partner/available-numbers{suffix}"),
                get(voice::available_numbers),
            )
            .route(
                &format!("/api/third-party/partner/claim-number{suffix}"),
                post(voice::claim),
            )
            .route(
                &format!("/api/third-party/partner/renew-number{suffix}"),
                post(voice::renew),
            )
            .route(
                &format!("/api/third-party/partner/user{suffix}"),
                get(voice::users),
            );
    }
    let api = data
        .merge(voice_routes)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(axum::middleware::from_fn_with_state(
            app.clone(),
            crate::faults::fault_layer,
        ));
    api.merge(control::routes())
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(app)
}

// ------------------------------------------------------------------------- helpers

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

pub(crate) fn too_large() -> Response {
    meta_message(
        StatusCode::PAYLOAD_TOO_LARGE,
        "The request body is too large.",
    )
}

/// The externally visible base URL, from the `Host` header.
pub(crate) fn base_url(headers: &HeaderMap) -> String {
    let host = headers
        .get(HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| !h.is_empty() && h.chars().all(|c| c.is_ascii_graphic()))
        .unwrap_or("127.0.0.1");
    format!("http://{host}")
}

pub(crate) fn bearer(headers: &HeaderMap) -> Option<&str> {
    let raw = headers.get(AUTHORIZATION)?.to_str().ok()?.trim();
    let (scheme, token) = raw.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim())
        .filter(|t| !t.is_empty())
}

pub(crate) fn authorize(state: &State, headers: &HeaderMap) -> Result<(), ApiError> {
    match bearer(headers) {
        Some(t) if state.token_valid(t) => Ok(()),
        _ => Err(ApiError::Unauthenticated),
    }
}

fn is_voice_path(path: &str) -> bool {
    path.starts_with("/api/")
}

async fn not_found(uri: Uri) -> Response {
    if is_voice_path(uri.path()) {
        json_response(StatusCode::NOT_FOUND, &json!({"detail": "Not found."}))
    } else {
        meta_message(StatusCode::NOT_FOUND, "messages.resource_not_found")
    }
}

async fn method_not_allowed(method: Method, uri: Uri) -> Response {
    let resp = if is_voice_path(uri.path()) {
        json_response(
            StatusCode::METHOD_NOT_ALLOWED,
            &json!({"detail": format!("Method \"{method}\" not allowed.")}),
        )
    } else {
        meta_message(
            StatusCode::METHOD_NOT_ALLOWED,
            &format!("The {method} method is not supported for this route."),
        )
    };
    resp.into_response()
}
