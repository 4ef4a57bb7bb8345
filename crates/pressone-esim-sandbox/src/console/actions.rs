//! The console's form posts. Each checks the request (loopback host, same origin, CSRF
//! token), calls the same state operation as the matching `/_sandbox/...` control endpoint,
//! keeps the outcome for the next page and redirects back to the console (303).

use std::collections::HashMap;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::requests::NextFault;
use super::{CONSOLE_PATH, guard, refresh_secs};
use crate::SandboxError;
use crate::body::read_body;
use crate::esims::SimAction;
use crate::web::App;

/// A checked form post: its fields.
struct Form(HashMap<String, String>);

impl Form {
    fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str)
    }
}

async fn checked_form(app: &App, headers: &HeaderMap, body: Body) -> Result<Form, Response> {
    // The Host check comes first, before the body is even read.
    guard::loopback_host(headers)?;
    let bytes = read_body(body, app.config.body_limit).await.map_err(|_| {
        (
            StatusCode::PAYLOAD_TOO_LARGE,
            "sandbox console: form too large\n",
        )
            .into_response()
    })?;
    let fields: Vec<(String, String)> = serde_urlencoded::from_bytes(&bytes).map_err(|_| {
        (
            StatusCode::BAD_REQUEST,
            "sandbox console: unreadable form\n",
        )
            .into_response()
    })?;
    let form = Form(fields.into_iter().collect());
    guard::same_origin_post(headers, &app.console.csrf, form.get("csrf"))?;
    Ok(form)
}

/// 303 back to the console, keeping the refresh interval.
fn back(form: &Form) -> Response {
    let location = format!(
        "{CONSOLE_PATH}?refresh={}",
        refresh_secs(form.get("refresh"))
    );
    let mut resp = StatusCode::SEE_OTHER.into_response();
    if let Ok(v) = HeaderValue::from_str(&location) {
        resp.headers_mut().insert(header::LOCATION, v);
    }
    resp
}

/// `POST /_sandbox/console/sims/{iccid}/{activate|consume|expire|recycle}`.
pub(super) async fn sim(
    State(app): State<App>,
    headers: HeaderMap,
    Path((iccid, action)): Path<(String, String)>,
    body: Body,
) -> Response {
    let form = match checked_form(&app, &headers, body).await {
        Ok(f) => f,
        Err(r) => return r,
    };
    let parsed = match action.as_str() {
        "activate" => Ok(SimAction::Activate),
        "expire" => Ok(SimAction::Expire),
        "recycle" => Ok(SimAction::Recycle),
        "consume" => match form.get("data_mb").map(|m| m.trim().parse::<u64>()) {
            Some(Ok(data_mb)) => Ok(SimAction::Consume {
                data_mb,
                voice_minutes: 0,
                sms: 0,
            }),
            _ => Err("consume: data_mb must be a whole number of MB".to_string()),
        },
        other => Err(format!("unknown eSIM action `{other}`")),
    };
    let outcome = parsed.and_then(|a| {
        app.sim_action(&iccid, a).map_err(|e| match e {
            SandboxError::UnknownIccid(_) => format!("unknown ICCID {iccid}"),
            other => format!("{action} {iccid}: {other}"),
        })
    });
    match outcome {
        Ok(()) => app
            .console
            .set_note(true, format!("{action}: done on {iccid}")),
        Err(msg) => app.console.set_note(false, msg),
    }
    back(&form)
}

/// `POST /_sandbox/console/clock` with `amount` = `1h`, `1d`, `7d` or `30d`.
pub(super) async fn clock(State(app): State<App>, headers: HeaderMap, body: Body) -> Response {
    let form = match checked_form(&app, &headers, body).await {
        Ok(f) => f,
        Err(r) => return r,
    };
    let secs = match form.get("amount") {
        Some("1h") => Some(3600),
        Some("1d") => Some(86_400),
        Some("7d") => Some(7 * 86_400),
        Some("30d") => Some(30 * 86_400),
        _ => None,
    };
    match secs {
        Some(secs) => {
            app.advance_clock(Duration::from_secs(secs));
            let now = app.lock().now();
            app.console.set_note(
                true,
                format!(
                    "clock advanced; sandbox time is now {}",
                    crate::web::ymd_hms(now)
                ),
            );
        }
        None => app
            .console
            .set_note(false, "advance: amount must be 1h, 1d, 7d or 30d"),
    }
    back(&form)
}

/// `POST /_sandbox/console/tokens/revoke`.
pub(super) async fn revoke(State(app): State<App>, headers: HeaderMap, body: Body) -> Response {
    let form = match checked_form(&app, &headers, body).await {
        Ok(f) => f,
        Err(r) => return r,
    };
    let n = std::mem::take(&mut app.lock().tokens).len();
    app.console.set_note(
        true,
        format!("{n} token(s) revoked; clients must ask for a new one"),
    );
    back(&form)
}

/// `POST /_sandbox/console/fault` with `fault` = a [`NextFault`] key, or `none` to disarm.
pub(super) async fn fault(State(app): State<App>, headers: HeaderMap, body: Body) -> Response {
    let form = match checked_form(&app, &headers, body).await {
        Ok(f) => f,
        Err(r) => return r,
    };
    match form.get("fault") {
        Some("none") => {
            app.console.arm(None);
            app.console.set_note(true, "fault disarmed");
        }
        Some(key) => match NextFault::from_key(key) {
            Some(f) => {
                app.console.arm(Some(f));
                app.console.set_note(
                    true,
                    format!("the next API request will get: {}", f.label()),
                );
            }
            None => app.console.set_note(false, "unknown fault"),
        },
        None => app.console.set_note(false, "no fault chosen"),
    }
    back(&form)
}
