//! Control endpoints under `/_sandbox/` (no auth, never faulted) and the small static assets
//! referenced by API responses (QR codes, images, installation guide).

use std::str::FromStr;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use super::{App, Shared, base_url, json_response};
use crate::body::{BodyError, read_body};
use crate::config::FaultConfig;
use crate::render;
use crate::state::{OrderKind, Stats};

/// A snapshot of the sandbox state, as returned by `GET /_sandbox/state` and
/// [`SandboxHandle::snapshot`](crate::SandboxHandle::snapshot).
#[derive(Clone, Debug, Serialize)]
#[non_exhaustive]
pub struct Snapshot {
    /// Available balance (USD), serialized as a decimal string.
    pub balance: Decimal,
    /// Always `USD`.
    pub currency: String,
    /// Orders of type `sim`.
    pub orders: usize,
    /// Orders of type `topup`.
    pub topup_orders: usize,
    /// eSIMs created.
    pub esims: usize,
    /// Tokens issued and not yet expired.
    pub active_tokens: usize,
    /// Voice users (claimed numbers).
    pub voice_users: usize,
    /// Voice numbers still available.
    pub available_numbers: usize,
    /// The sandbox's current time.
    pub now: DateTime<Utc>,
    /// How far `advance_clock` moved the clock, in seconds.
    pub clock_offset_secs: u64,
    /// Request statistics.
    pub stats: Stats,
    /// Active fault configuration.
    pub faults: FaultConfig,
}

impl Shared {
    pub(crate) fn snapshot(&self) -> Snapshot {
        let st = self.lock();
        let now = st.now();
        Snapshot {
            balance: st.balance,
            currency: "USD".into(),
            orders: st
                .orders
                .iter()
                .filter(|o| o.kind == OrderKind::Sim)
                .count(),
            topup_orders: st
                .orders
                .iter()
                .filter(|o| o.kind == OrderKind::Topup)
                .count(),
            esims: st.sims.len(),
            active_tokens: st.tokens.values().filter(|e| **e > now).count(),
            voice_users: st.users.len(),
            available_numbers: st.numbers.iter().filter(|n| !n.claimed).count(),
            now,
            clock_offset_secs: st.clock.offset().as_secs(),
            stats: st.stats.clone(),
            faults: st.faults.clone(),
        }
    }
}

pub(crate) fn routes() -> Router<App> {
    Router::new()
        .route("/_sandbox/state", get(state))
        .route(
            "/_sandbox/faults",
            get(get_faults)
                .put(set_faults)
                .post(set_faults)
                .delete(clear_faults),
        )
        .route("/_sandbox/clock/advance", post(advance))
        .route(
            "/_sandbox/balance",
            get(get_balance).put(set_balance).post(set_balance),
        )
        .route("/_sandbox/tokens/revoke", post(revoke_tokens))
        .route("/_sandbox/sims", get(list_sims))
        .route("/_sandbox/sims/{iccid}/activate", post(activate))
        .route("/_sandbox/sims/{iccid}/expire", post(expire))
        .route("/_sandbox/sims/{iccid}/recycle", post(recycle))
        .route("/_sandbox/sims/{iccid}/consume", post(consume))
        .route("/_sandbox/qr/{file}", get(qr))
        .route("/_sandbox/images/{file}", get(image))
        .route("/_sandbox/installation-guide", get(guide))
        .route("/_sandbox/esims-cloud/{slug}", get(cloud))
}

fn error(status: StatusCode, msg: impl Into<String>) -> Response {
    json_response(status, &json!({"error": msg.into()}))
}

async fn json_body<T: DeserializeOwned>(body: Body, limit: usize) -> Result<T, Response> {
    let bytes = match read_body(body, limit).await {
        Ok(b) => b,
        Err(BodyError::TooLarge) => {
            return Err(error(StatusCode::PAYLOAD_TOO_LARGE, "body too large"));
        }
        Err(BodyError::Unreadable) => {
            return Err(error(StatusCode::BAD_REQUEST, "unreadable body"));
        }
    };
    let bytes: &[u8] = if bytes.iter().all(u8::is_ascii_whitespace) {
        b"{}"
    } else {
        &bytes
    };
    serde_json::from_slice(bytes)
        .map_err(|e| error(StatusCode::BAD_REQUEST, format!("invalid JSON: {e}")))
}

fn snapshot_response(app: &App) -> Response {
    match serde_json::to_value(app.snapshot()) {
        Ok(v) => json_response(StatusCode::OK, &v),
        Err(e) => error(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
    }
}

async fn state(State(app): State<App>) -> Response {
    snapshot_response(&app)
}

async fn get_faults(State(app): State<App>) -> Response {
    let faults = app.lock().faults.clone();
    match serde_json::to_value(faults) {
        Ok(v) => json_response(StatusCode::OK, &v),
        Err(e) => error(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
    }
}

async fn set_faults(State(app): State<App>, body: Body) -> Response {
    let faults: FaultConfig = match json_body(body, app.config.body_limit).await {
        Ok(f) => f,
        Err(r) => return r,
    };
    if let Err(msg) = faults.validate() {
        return error(StatusCode::BAD_REQUEST, msg);
    }
    app.lock().faults = faults;
    get_faults(State(app)).await
}

async fn clear_faults(State(app): State<App>) -> Response {
    app.lock().faults = FaultConfig::default();
    get_faults(State(app)).await
}

#[derive(serde::Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
struct Advance {
    seconds: u64,
    minutes: u64,
    hours: u64,
    days: u64,
}

/// Upper bound of one clock advance (100 years), keeps every date computation in range.
const MAX_ADVANCE_SECS: u64 = 100 * 366 * 86_400;

async fn advance(State(app): State<App>, body: Body) -> Response {
    let a: Advance = match json_body(body, app.config.body_limit).await {
        Ok(a) => a,
        Err(r) => return r,
    };
    let secs = a
        .seconds
        .checked_add(a.minutes.saturating_mul(60))
        .and_then(|s| s.checked_add(a.hours.saturating_mul(3600)))
        .and_then(|s| s.checked_add(a.days.saturating_mul(86_400)))
        .filter(|&s| s <= MAX_ADVANCE_SECS);
    let Some(secs) = secs else {
        return error(
            StatusCode::BAD_REQUEST,
            "advance at most 100 years at a time",
        );
    };
    app.advance_clock(Duration::from_secs(secs));
    snapshot_response(&app)
}

async fn get_balance(State(app): State<App>) -> Response {
    let b = app.lock().balance;
    json_response(
        StatusCode::OK,
        &json!({"balance": b.to_string(), "currency": "USD"}),
    )
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct SetBalance {
    amount: Value,
}

async fn set_balance(State(app): State<App>, body: Body) -> Response {
    let req: SetBalance = match json_body(body, app.config.body_limit).await {
        Ok(r) => r,
        Err(r) => return r,
    };
    let text = match &req.amount {
        Value::String(s) => s.trim().to_string(),
        Value::Number(n) => n.to_string(),
        _ => {
            return error(
                StatusCode::BAD_REQUEST,
                "amount must be a decimal string or number",
            );
        }
    };
    let amount = match Decimal::from_str(&text).or_else(|_| Decimal::from_scientific(&text)) {
        Ok(d) if d >= Decimal::ZERO => d,
        _ => {
            return error(
                StatusCode::BAD_REQUEST,
                "amount must be a non-negative decimal",
            );
        }
    };
    app.lock().balance = amount;
    get_balance(State(app)).await
}

async fn revoke_tokens(State(app): State<App>) -> Response {
    let n = {
        let mut st = app.lock();
        let n = st.tokens.len();
        st.tokens.clear();
        n
    };
    json_response(StatusCode::OK, &json!({"revoked": n}))
}

async fn list_sims(State(app): State<App>) -> Response {
    let mut st = app.lock();
    st.tick_all(&app.cat, &app.config);
    let sims: Vec<Value> = st
        .sims
        .iter()
        .map(|s| json!({"iccid": s.iccid, "status": s.status().as_str(), "order_id": s.order_id}))
        .collect();
    json_response(StatusCode::OK, &json!({"sims": sims}))
}

fn sim_status_response(app: &App, iccid: &str) -> Response {
    let ctx = app.ctx(String::new());
    let mut st = app.lock();
    match st.sim_ticked(iccid, &app.cat, &app.config) {
        Ok(i) => {
            let usage = render::usage_json(&ctx, &st.sims[i]);
            json_response(StatusCode::OK, &json!({"iccid": iccid, "usage": usage}))
        }
        Err(_) => error(StatusCode::NOT_FOUND, "unknown iccid"),
    }
}

fn control_result(app: &App, iccid: &str, r: Result<(), crate::SandboxError>) -> Response {
    match r {
        Ok(()) => sim_status_response(app, iccid),
        Err(crate::SandboxError::UnknownIccid(_)) => error(StatusCode::NOT_FOUND, "unknown iccid"),
        Err(e) => error(StatusCode::CONFLICT, e.to_string()),
    }
}

async fn activate(State(app): State<App>, Path(iccid): Path<String>) -> Response {
    let r = app.activate(&iccid);
    control_result(&app, &iccid, r)
}

async fn expire(State(app): State<App>, Path(iccid): Path<String>) -> Response {
    let r = app.expire(&iccid);
    control_result(&app, &iccid, r)
}

async fn recycle(State(app): State<App>, Path(iccid): Path<String>) -> Response {
    let r = app.recycle(&iccid);
    control_result(&app, &iccid, r)
}

#[derive(serde::Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
struct Consume {
    data_mb: u64,
    voice_minutes: u32,
    text: u32,
}

async fn consume(State(app): State<App>, Path(iccid): Path<String>, body: Body) -> Response {
    let c: Consume = match json_body(body, app.config.body_limit).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let r = app.consume(&iccid, c.data_mb, c.voice_minutes, c.text);
    control_result(&app, &iccid, r)
}

fn content(content_type: &'static str, body: impl Into<Body>) -> Response {
    let mut resp = Response::new(body.into());
    resp.headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    resp
}

fn qr_svg(text: &str) -> Option<String> {
    let code = qrcode::QrCode::new(text.as_bytes()).ok()?;
    Some(
        code.render::<qrcode::render::svg::Color<'_>>()
            .min_dimensions(240, 240)
            .build(),
    )
}

async fn qr(State(app): State<App>, Path(file): Path<String>) -> Response {
    let iccid = file.strip_suffix(".svg").unwrap_or(&file);
    let ctx = app.ctx(String::new());
    let lpa = {
        let st = app.lock();
        st.sim_idx(iccid)
            .map(|i| render::lpa_string(&ctx, &st.sims[i]))
    };
    match lpa.and_then(|l| qr_svg(&l)) {
        Some(svg) => content("image/svg+xml", svg),
        None => error(StatusCode::NOT_FOUND, "unknown iccid"),
    }
}

async fn image(Path(file): Path<String>) -> Response {
    let name = file.strip_suffix(".svg").unwrap_or(&file);
    if name.is_empty()
        || name.len() > 64
        || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    {
        return error(StatusCode::NOT_FOUND, "unknown image");
    }
    let label: String = name
        .chars()
        .take(14)
        .collect::<String>()
        .to_ascii_uppercase();
    let svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"132\" height=\"99\" viewBox=\"0 0 132 99\"><rect width=\"132\" height=\"99\" rx=\"8\" fill=\"#0f4c81\"/><text x=\"66\" y=\"55\" font-family=\"sans-serif\" font-size=\"12\" fill=\"#ffffff\" text-anchor=\"middle\">{label}</text></svg>"
    );
    content("image/svg+xml", svg)
}

async fn guide() -> Response {
    content(
        "text/html; charset=utf-8",
        "<!doctype html><html><head><title>eSIM installation guide (sandbox)</title></head><body><h1>Installing an eSIM</h1><ol><li>Make sure the device is eSIM compatible and carrier-unlocked.</li><li>Scan the QR code (Settings &gt; Cellular &gt; Add eSIM), or enter the SM-DP+ address and activation code manually.</li><li>Turn on the new line and data roaming when you arrive.</li></ol><p>This page is served by the PressOne eSIM sandbox.</p></body></html>",
    )
}

async fn cloud(State(app): State<App>, headers: HeaderMap, Path(slug): Path<String>) -> Response {
    let base = base_url(&headers);
    let ctx = app.ctx(base.clone());
    let found = {
        let st = app.lock();
        st.sims.iter().find(|s| s.sharing_slug == slug).map(|s| {
            (
                s.iccid.clone(),
                render::lpa_string(&ctx, s),
                render::apple_url(&ctx, s),
            )
        })
    };
    let Some((iccid, lpa, apple)) = found else {
        return error(StatusCode::NOT_FOUND, "unknown link");
    };
    content(
        "text/html; charset=utf-8",
        format!(
            "<!doctype html><html><head><title>Your eSIM</title></head><body><h1>Your eSIM</h1><p>ICCID: {iccid}</p><p><img alt=\"QR code\" src=\"{base}/_sandbox/qr/{iccid}.svg\"></p><p>Activation string: <code>{lpa}</code></p><p><a href=\"{apple}\">Install on iPhone (iOS 17.4+)</a></p></body></html>"
        ),
    )
}
