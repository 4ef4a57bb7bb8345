//! The sandbox console: one server-rendered HTML page (`GET /` and `GET /_sandbox/console`)
//! that shows what an integration did (balance and spends, orders, eSIMs with their QR codes
//! and usage, the last API requests) and steers the sandbox with plain HTML forms.
//!
//! Security: the console is for the local sandbox only. Every console request must name a
//! loopback host (`localhost`, `127.x.x.x`, `[::1]`) in `Host`, which defeats DNS rebinding;
//! every form post must carry the per-process CSRF token embedded in the page and must not
//! come from another origin (`Origin`, `Sec-Fetch-Site`). The page never shows the client
//! secret or any token, and maud escapes everything it renders.

mod actions;
mod esim_view;
mod guard;
mod model;
mod page;
mod requests;

use std::collections::VecDeque;
use std::hash::{BuildHasher, Hasher};
use std::sync::{Mutex, MutexGuard, PoisonError};

use axum::Router;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha20Rng;

pub(crate) use self::requests::record_layer;
use self::requests::{NextFault, RequestRecord};
use crate::web::App;

/// Requests kept for the Requests section (the oldest is dropped first).
pub(crate) const REQUEST_LOG_CAPACITY: usize = 200;

/// Where the console lives (also served at `/`).
pub(crate) const CONSOLE_PATH: &str = "/_sandbox/console";

/// The console's own state: the CSRF token, the request log, the one-shot fault and the
/// outcome of the last control action.
pub(crate) struct Console {
    csrf: String,
    inner: Mutex<Inner>,
}

struct Inner {
    requests: VecDeque<RequestRecord>,
    next_fault: Option<NextFault>,
    note: Option<Note>,
    rng: ChaCha20Rng,
}

/// The outcome of the last control action, shown once at the top of the page.
#[derive(Clone)]
pub(super) struct Note {
    ok: bool,
    text: String,
}

impl Console {
    pub(crate) fn new() -> Console {
        let mut rng = ChaCha20Rng::try_from_os_rng().unwrap_or_else(|_| {
            // No OS randomness: fall back on std's per-process random hasher keys.
            let mut h = std::collections::hash_map::RandomState::new().build_hasher();
            h.write_u128(
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.as_nanos())
                    .unwrap_or_default(),
            );
            ChaCha20Rng::seed_from_u64(h.finish())
        });
        let csrf = hex_token(&mut rng);
        Console {
            csrf,
            inner: Mutex::new(Inner {
                requests: VecDeque::with_capacity(REQUEST_LOG_CAPACITY),
                next_fault: None,
                note: None,
                rng,
            }),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn set_note(&self, ok: bool, text: impl Into<String>) {
        self.lock().note = Some(Note {
            ok,
            text: text.into(),
        });
    }

    fn nonce(&self) -> String {
        hex_token(&mut self.lock().rng)
    }
}

fn hex_token(rng: &mut ChaCha20Rng) -> String {
    let bytes: [u8; 16] = rng.random();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub(crate) fn routes() -> Router<App> {
    Router::new()
        .route("/", get(show))
        .route(CONSOLE_PATH, get(show))
        .route(
            "/_sandbox/console/sims/{iccid}/{action}",
            post(actions::sim),
        )
        .route("/_sandbox/console/clock", post(actions::clock))
        .route("/_sandbox/console/tokens/revoke", post(actions::revoke))
        .route("/_sandbox/console/fault", post(actions::fault))
}

/// Seconds between automatic reloads (0 = never).
#[derive(serde::Deserialize, Default)]
struct ShowQuery {
    refresh: Option<String>,
}

pub(super) const DEFAULT_REFRESH_SECS: u32 = 5;

/// Reads a refresh interval: a number of seconds up to an hour, else the default.
pub(super) fn refresh_secs(raw: Option<&str>) -> u32 {
    raw.and_then(|r| r.trim().parse::<u32>().ok())
        .filter(|&s| s <= 3600)
        .unwrap_or(DEFAULT_REFRESH_SECS)
}

async fn show(State(app): State<App>, headers: HeaderMap, RawQuery(query): RawQuery) -> Response {
    if let Err(r) = guard::loopback_host(&headers) {
        return r;
    }
    let query: ShowQuery =
        serde_urlencoded::from_str(query.as_deref().unwrap_or_default()).unwrap_or_default();
    let refresh = refresh_secs(query.refresh.as_deref());
    let base = crate::web::base_url(&headers);
    let view = model::gather(&app, &base);
    let note = app.console.lock().note.take();
    let nonce = app.console.nonce();
    let page = page::render(&page::PageInput {
        view: &view,
        csrf: &app.console.csrf,
        nonce: &nonce,
        refresh,
        note: note.as_ref(),
    });
    let mut resp = Html(page.into_string()).into_response();
    let csp = format!(
        "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; \
         script-src 'nonce-{nonce}'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    );
    let h = resp.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&csp) {
        h.insert(header::CONTENT_SECURITY_POLICY, v);
    }
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    // Not `no-referrer`: under it browsers send `Origin: null` on the page's own form posts,
    // which the same-origin check must refuse.
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    resp
}
