//! Auth area: Request access token, and the token store every other endpoint checks.

use std::time::Duration;

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::json;

use crate::state::{State as Store, add_std};
use crate::web::{ApiError, App, api_error, meta_message, read_form, success};

/// The token endpoint's throttle, counted before anything else (Laravel route middleware).
fn throttle(app: &App) -> Result<(), Response> {
    let Some(limit) = app.config.token_rate_limit else {
        return Ok(());
    };
    app.lock()
        .hit("token", "", limit, Duration::from_secs(60))
        .map(|_| ())
        .map_err(api_error)
}

impl Store {
    pub fn issue_token(&mut self, ttl: Duration) -> String {
        let token = format!("sbx.{}", self.alnum(60));
        let expires = add_std(self.now(), ttl);
        let now = self.now();
        self.tokens.retain(|_, exp| *exp > now);
        self.tokens.insert(token.clone(), expires);
        token
    }

    pub fn token_valid(&self, token: &str) -> bool {
        self.tokens.get(token).is_some_and(|exp| *exp > self.now())
    }
}

pub(crate) async fn request_access_token(
    State(app): State<App>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    if let Err(resp) = throttle(&app) {
        return resp;
    }
    let form = match read_form(&headers, body, app.config.body_limit).await {
        Ok(Ok(f)) => f,
        Ok(Err(msg)) => return api_error(ApiError::field("body", msg)),
        Err(resp) => return resp,
    };
    let mut errors = Vec::new();
    let client_id = form.get("client_id");
    let client_secret = form.get("client_secret");
    let grant_type = form.get("grant_type");
    if client_id.is_none() {
        errors.push((
            "client_id".to_string(),
            "The client id field is required.".to_string(),
        ));
    }
    if client_secret.is_none() {
        errors.push((
            "client_secret".to_string(),
            "The client secret field is required.".to_string(),
        ));
    }
    match grant_type {
        None => errors.push((
            "grant_type".to_string(),
            "The grant type field is required.".to_string(),
        )),
        Some("client_credentials") => {}
        Some(_) => errors.push((
            "grant_type".to_string(),
            "The selected grant type is invalid.".to_string(),
        )),
    }
    if !errors.is_empty() {
        return api_error(ApiError::Validation(errors));
    }
    if client_id != Some(app.config.client_id.as_str()) {
        return api_error(ApiError::field(
            "client_id",
            "The selected client id is invalid.",
        ));
    }
    if client_secret != Some(app.config.client_secret.as_str()) {
        return meta_message(StatusCode::UNAUTHORIZED, "Client authentication failed");
    }
    let token = app.lock().issue_token(app.config.token_ttl);
    success(json!({
        "token_type": "Bearer",
        "expires_in": app.config.token_ttl.as_secs(),
        "access_token": token,
    }))
}
