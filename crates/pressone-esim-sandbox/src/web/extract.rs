//! Extractors for the prologue every API handler shares: check the bearer token, then look
//! the addressed eSIM or order up. They answer in the API's own shapes (Laravel for the data
//! API, DRF for the voice API), so a handler starts with what it needs.

use std::marker::PhantomData;
use std::sync::MutexGuard;

use axum::extract::{FromRequest, FromRequestParts, Path, Request};
use axum::http::header::{AUTHORIZATION, HOST};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;

use super::query::read_form;
use super::respond::{ApiError, api_error, detail, with_headers};
use super::{App, Ctx};
use crate::body::Form;
use crate::state::State;

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

/// A request whose bearer token was valid when it arrived. Rejects with 401 in the shape of
/// the API the path belongs to.
pub(crate) struct Authed {
    pub app: App,
    /// The base URL the client used (for URLs in responses).
    pub base: String,
}

impl Authed {
    /// Rendering context for this request.
    pub fn ctx(&self) -> Ctx<'_> {
        self.app.ctx(self.base.clone())
    }

    /// Locks the sandbox state.
    pub fn lock(&self) -> MutexGuard<'_, State> {
        self.app.lock()
    }
}

fn unauthorized(path: &str, token_sent: bool) -> Response {
    if !path.starts_with("/api/") {
        return api_error(ApiError::Unauthenticated);
    }
    let msg = if token_sent {
        "Invalid token."
    } else {
        "Authentication credentials were not provided."
    };
    with_headers(
        detail(StatusCode::UNAUTHORIZED, msg),
        &[("www-authenticate", "Bearer realm=\"api\"".to_string())],
    )
}

impl FromRequestParts<App> for Authed {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, Response> {
        let token = bearer(&parts.headers);
        let valid = token.is_some_and(|t| app.lock().token_valid(t));
        if !valid {
            return Err(unauthorized(parts.uri.path(), token.is_some()));
        }
        Ok(Authed {
            app: app.clone(),
            base: base_url(&parts.headers),
        })
    }
}

/// The single path parameter of the route; a malformed one is a 404, like an unknown id.
async fn path_param(parts: &mut Parts, app: &App) -> Result<String, Response> {
    Path::<String>::from_request_parts(parts, app)
        .await
        .map(|Path(v)| v)
        .map_err(|_| api_error(ApiError::NotFound))
}

/// A resource a path parameter names (an eSIM by ICCID, an order by id): how it is found.
pub(crate) trait Lookup {
    /// The resource's index in the state, or the API's error (404).
    fn find(st: &mut State, app: &App, key: &str) -> Result<usize, ApiError>;
}

/// The prologue of a request for one resource: the token, then the path parameter, then the
/// lookup (under the state lock). Any failure is the API's answer (401 or 404).
pub(crate) struct Found<R> {
    pub caller: Authed,
    /// Index into the state's list of `R` (never removed, so it stays valid).
    pub idx: usize,
    resource: PhantomData<R>,
}

impl<R: Lookup> FromRequestParts<App> for Found<R> {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, Response> {
        let caller = Authed::from_request_parts(parts, app).await?;
        let key = path_param(parts, app).await?;
        let idx = R::find(&mut app.lock(), app, &key).map_err(api_error)?;
        Ok(Found {
            caller,
            idx,
            resource: PhantomData,
        })
    }
}

/// `/sims/{iccid}/...`: the eSIM exists (else 404) and was brought up to the sandbox's current
/// time; the index is into `State::sims`.
pub(crate) enum Esim {}

impl Lookup for Esim {
    fn find(st: &mut State, app: &App, iccid: &str) -> Result<usize, ApiError> {
        st.sim_ticked(iccid, &app.cat, &app.config)
    }
}

/// `/orders/{order_id}`: the order exists (else 404); the index is into `State::orders`.
pub(crate) enum Order {}

impl Lookup for Order {
    fn find(st: &mut State, _: &App, id: &str) -> Result<usize, ApiError> {
        st.order_idx(id).ok_or(ApiError::NotFound)
    }
}

/// An authenticated request for one eSIM.
pub(crate) type EsimRef = Found<Esim>;
/// An authenticated request for one order.
pub(crate) type OrderRef = Found<Order>;

/// An authenticated data-API request with its form (urlencoded, multipart or JSON). A body over
/// the limit is refused (413) before the token is looked at; an unreadable one is a 422 on
/// `body` after it.
pub(crate) struct AuthedForm {
    pub caller: Authed,
    pub form: Form,
}

impl FromRequest<App> for AuthedForm {
    type Rejection = Response;

    async fn from_request(req: Request, app: &App) -> Result<Self, Response> {
        let (mut parts, body) = req.into_parts();
        let form = read_form(&parts.headers, body, app.config.body_limit).await?;
        let caller = Authed::from_request_parts(&mut parts, app).await?;
        let form = form.map_err(|msg| api_error(ApiError::field("body", msg)))?;
        Ok(AuthedForm { caller, form })
    }
}
