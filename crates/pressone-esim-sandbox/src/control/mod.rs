//! Control area: endpoints under `/_sandbox/` (no auth, never faulted) that read and steer the
//! sandbox (state, faults, clock, balance, tokens, eSIM lifecycle, order status), and the
//! [`Snapshot`].

use std::str::FromStr;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

mod assets;
mod orders;

use self::assets::{cloud, guide, image, qr};
use crate::SandboxError;
use crate::body::{BodyError, read_body};
use crate::config::FaultConfig;
use crate::esims::SimAction;
use crate::esims::render::usage_json;
use crate::orders::OrderKind;
use crate::state::Stats;
use crate::voice::SubStatus;
use crate::web::{App, Shared, json_response};

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

/// One voice user as the sandbox holds it, from [`SandboxHandle::voice_users`] and
/// `GET /_sandbox/voice/users`.
///
/// [`SandboxHandle::voice_users`]: crate::SandboxHandle::voice_users
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct VoiceUserSnapshot {
    /// E-mail used at claim time.
    pub email: String,
    /// The user's own mobile number (never the claimed number).
    pub mobile: String,
    /// The claimed PressOne number.
    pub number: String,
    /// Subscription status now: `trial`, `active`, `expired` or `cancelled`.
    pub status: String,
    /// Whether the subscription is still the free trial.
    pub is_trial: bool,
    /// Start of the current period.
    pub start: DateTime<Utc>,
    /// End of the current period.
    pub end: DateTime<Utc>,
}

impl Shared {
    pub(crate) fn voice_users(&self) -> Vec<VoiceUserSnapshot> {
        let st = self.lock();
        let now = st.now();
        st.users
            .iter()
            .map(|u| VoiceUserSnapshot {
                email: u.email.clone(),
                mobile: u.mobile.clone(),
                number: u.number.clone(),
                status: u.status_at(now).to_string(),
                is_trial: u.sub_status == SubStatus::Trial,
                start: u.start,
                end: u.end,
            })
            .collect()
    }

    pub(crate) fn cancel_voice_subscription(&self, email: &str) -> Result<(), SandboxError> {
        self.lock()
            .cancel_subscription(email)
            .map(|_| ())
            .ok_or_else(|| SandboxError::UnknownVoiceUser(email.to_string()))
    }

    pub(crate) fn snapshot(&self) -> Snapshot {
        self.lock().snapshot()
    }
}

impl crate::state::State {
    /// The counters, clock and faults of [`Snapshot`], read under the caller's lock (the
    /// console shows the same figures).
    pub(crate) fn snapshot(&self) -> Snapshot {
        let now = self.now();
        Snapshot {
            balance: self.balance,
            currency: "USD".into(),
            orders: self.order_count(OrderKind::Sim),
            topup_orders: self.order_count(OrderKind::Topup),
            esims: self.sims.len(),
            active_tokens: self.tokens.values().filter(|e| **e > now).count(),
            voice_users: self.users.len(),
            available_numbers: self.numbers.iter().filter(|n| !n.claimed).count(),
            now,
            clock_offset_secs: self.clock.offset().as_secs(),
            stats: self.stats.clone(),
            faults: self.faults.clone(),
        }
    }

    /// Number of orders of `kind`.
    pub(crate) fn order_count(&self, kind: OrderKind) -> usize {
        self.orders.iter().filter(|o| o.kind() == kind).count()
    }
}

impl Shared {
    pub(crate) fn sim_action(&self, iccid: &str, action: SimAction) -> Result<(), SandboxError> {
        self.lock()
            .sim_action(iccid, action, &self.cat, &self.config)
            .map_err(|msg| {
                if msg == "unknown iccid" {
                    SandboxError::UnknownIccid(iccid.to_string())
                } else {
                    SandboxError::InvalidState(msg)
                }
            })
    }

    pub(crate) fn advance_clock(&self, by: Duration) {
        let mut st = self.lock();
        // Bring every eSIM to the old "now" first is unnecessary: ticks are lazy and exact.
        st.clock.advance(by);
        st.tick_all(&self.cat, &self.config);
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
        .route("/_sandbox/sims/{iccid}/{action}", post(sim_action))
        .route("/_sandbox/voice/users", get(voice_users))
        .route("/_sandbox/voice/users/{email}/cancel", post(cancel_voice))
        .route("/_sandbox/qr/{file}", get(qr))
        .route("/_sandbox/images/{file}", get(image))
        .route("/_sandbox/installation-guide", get(guide))
        .route("/_sandbox/esims-cloud/{slug}", get(cloud))
        .merge(orders::routes())
}

pub(super) fn error(status: StatusCode, msg: impl Into<String>) -> Response {
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
            let usage = usage_json(&ctx, &st.sims[i]);
            json_response(StatusCode::OK, &json!({"iccid": iccid, "usage": usage}))
        }
        Err(_) => error(StatusCode::NOT_FOUND, "unknown iccid"),
    }
}

#[derive(serde::Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
struct Consume {
    data_mb: u64,
    voice_minutes: u32,
    text: u32,
}

/// `POST /_sandbox/sims/{iccid}/{activate|expire|recycle|consume}`; answers the eSIM's usage.
async fn sim_action(
    State(app): State<App>,
    Path((iccid, action)): Path<(String, String)>,
    body: Body,
) -> Response {
    let action = match action.as_str() {
        "activate" => SimAction::Activate,
        "expire" => SimAction::Expire,
        "recycle" => SimAction::Recycle,
        "consume" => match json_body::<Consume>(body, app.config.body_limit).await {
            Ok(c) => SimAction::Consume {
                data_mb: c.data_mb,
                voice_minutes: c.voice_minutes,
                sms: c.text,
            },
            Err(r) => return r,
        },
        _ => return error(StatusCode::NOT_FOUND, "unknown action"),
    };
    match app.sim_action(&iccid, action) {
        Ok(()) => sim_status_response(&app, &iccid),
        Err(SandboxError::UnknownIccid(_)) => error(StatusCode::NOT_FOUND, "unknown iccid"),
        Err(e) => error(StatusCode::CONFLICT, e.to_string()),
    }
}

fn voice_users_response(app: &App) -> Response {
    match serde_json::to_value(app.voice_users()) {
        Ok(v) => json_response(StatusCode::OK, &json!({"users": v})),
        Err(e) => error(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
    }
}

async fn voice_users(State(app): State<App>) -> Response {
    voice_users_response(&app)
}

async fn cancel_voice(State(app): State<App>, Path(email): Path<String>) -> Response {
    match app.cancel_voice_subscription(&email) {
        Ok(()) => voice_users_response(&app),
        Err(_) => error(StatusCode::NOT_FOUND, "unknown voice user"),
    }
}
