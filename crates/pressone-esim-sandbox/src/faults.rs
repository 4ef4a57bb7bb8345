//! Fault injection layer and request statistics.

use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::Response;
use bytes::Bytes;
use rand::Rng;
use serde_json::json;

use crate::operation::{Operation, Served};
use crate::state::State as SandboxState;
use crate::web::{App, json_response, meta_message, too_many, with_headers};

/// Name of the per-request fault header.
pub const FAULT_HEADER: &str = "x-sandbox-fault";

/// Response header carrying the latency (fixed plus drawn jitter, in whole milliseconds) the
/// sandbox injected before answering; absent when it injected none. Lets a test see the drawn
/// jitter without timing anything.
pub const LATENCY_HEADER: &str = "x-sandbox-latency-ms";

/// Marker put in the extensions of a response whose connection must be dropped. The sandbox's
/// own server closes the connection without writing anything; under a plain `axum::serve` the
/// body stream errors instead, which also aborts the connection mid-response.
#[derive(Clone, Copy, Debug)]
pub(crate) struct DropConnection;

/// A fault requested through the `X-Sandbox-Fault` header.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct HeaderFault {
    pub status: Option<u16>,
    pub retry_after: Option<u64>,
    pub latency_ms: Option<u64>,
    pub drop: bool,
    pub after: bool,
    pub none: bool,
}

/// Parses `status=503`, `status=429;retry_after=2`, `latency_ms=300`, `drop`, `after`, `none`
/// (directives separated by `;` or `,`, any order).
pub(crate) fn parse_header(raw: &str) -> Result<HeaderFault, String> {
    let mut f = HeaderFault::default();
    for part in raw
        .split([';', ','])
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        let (key, value) = match part.split_once('=') {
            Some((k, v)) => (k.trim().to_ascii_lowercase(), Some(v.trim())),
            None => (part.to_ascii_lowercase(), None),
        };
        let number = |v: Option<&str>| -> Result<u64, String> {
            v.and_then(|v| v.parse::<u64>().ok())
                .ok_or_else(|| format!("X-Sandbox-Fault: `{key}` needs a non-negative integer"))
        };
        match key.as_str() {
            "status" => {
                let s = number(value)?;
                if !(400..=599).contains(&s) {
                    return Err("X-Sandbox-Fault: status must be between 400 and 599".into());
                }
                f.status = Some(s as u16);
            }
            "retry_after" | "retry-after" => f.retry_after = Some(number(value)?),
            "latency_ms" | "latency" => f.latency_ms = Some(number(value)?.min(60_000)),
            "drop" => f.drop = true,
            "after" | "after_processing" => f.after = true,
            "none" => f.none = true,
            other => return Err(format!("X-Sandbox-Fault: unknown directive `{other}`")),
        }
    }
    Ok(f)
}

#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Action {
    Pass,
    Status {
        status: u16,
        retry_after: Option<u64>,
        after: bool,
    },
    Drop {
        after: bool,
    },
}

pub(crate) struct Decision {
    pub latency: Duration,
    pub action: Action,
}

/// Decides the fault of one request (draws from the fault PRNG for configured faults).
pub(crate) fn decide(
    st: &mut SandboxState,
    op: Operation,
    header: Option<HeaderFault>,
) -> Decision {
    if let Some(h) = header {
        if h.none {
            return Decision {
                latency: Duration::ZERO,
                action: Action::Pass,
            };
        }
        let latency = Duration::from_millis(h.latency_ms.unwrap_or(0));
        let action = if h.drop {
            Action::Drop { after: h.after }
        } else if let Some(status) = h.status {
            let retry_after = h.retry_after.or((status == 429).then_some(1));
            Action::Status {
                status,
                retry_after,
                after: h.after && status != 429,
            }
        } else {
            Action::Pass
        };
        return Decision { latency, action };
    }
    let f = &st.faults;
    if !f.applies_to(op) || !f.is_active() {
        return Decision {
            latency: Duration::ZERO,
            action: Action::Pass,
        };
    }
    let (latency_ms, jitter_ms) = (f.latency_ms, f.jitter_ms);
    let (drop_rate, error_rate, rl_rate) = (f.drop_rate, f.error_rate, f.rate_limit_rate);
    let (status, retry_after, after) = (f.error_status, f.retry_after_secs, f.after_processing);
    let u: f64 = st.fault_rng.random();
    let jitter = if jitter_ms > 0 {
        st.fault_rng.random_range(0..=jitter_ms)
    } else {
        0
    };
    let action = if u < drop_rate {
        Action::Drop { after }
    } else if u < drop_rate + error_rate {
        Action::Status {
            status,
            retry_after: None,
            after,
        }
    } else if u < drop_rate + error_rate + rl_rate {
        Action::Status {
            status: 429,
            retry_after: Some(retry_after),
            after: false,
        }
    } else {
        Action::Pass
    };
    Decision {
        latency: Duration::from_millis(latency_ms.saturating_add(jitter)),
        action,
    }
}

fn reason(status: u16) -> &'static str {
    StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("Error")
}

fn fault_response(op: Operation, status: u16, retry_after: Option<u64>) -> Response {
    let code = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut resp = if op.is_voice() {
        let msg = if status == 429 {
            format!(
                "Request was throttled. Expected available in {} seconds.",
                retry_after.unwrap_or(1)
            )
        } else if status >= 500 {
            "A server error occurred.".to_string()
        } else {
            reason(status).to_string()
        };
        json_response(code, &json!({"detail": msg}))
    } else if status == 429 {
        too_many(60, retry_after.unwrap_or(1))
    } else if status == 401 {
        meta_message(code, "Unauthenticated.")
    } else if status >= 500 {
        json_response(
            code,
            &json!({"message": if status == 500 { "Server Error" } else { reason(status) }}),
        )
    } else {
        meta_message(code, reason(status))
    };
    if status != 429 {
        if let Some(secs) = retry_after {
            resp = with_headers(resp, &[("retry-after", secs.to_string())]);
        }
    } else if op.is_voice() {
        resp = with_headers(
            resp,
            &[("retry-after", retry_after.unwrap_or(1).to_string())],
        );
    }
    with_headers(resp, &[("x-sandbox-fault-injected", "true".to_string())])
}

/// A response that can never complete: marked for the server to drop the connection, and with
/// a body that fails if it is ever polled.
pub(crate) fn drop_response() -> Response {
    let stream = futures_util::stream::once(async {
        Err::<Bytes, std::io::Error>(std::io::Error::new(
            std::io::ErrorKind::ConnectionAborted,
            "sandbox fault: connection dropped",
        ))
    });
    let mut resp = Response::new(Body::from_stream(stream));
    resp.extensions_mut().insert(DropConnection);
    resp
}

/// The middleware: counts requests per operation and applies faults.
pub(crate) async fn fault_layer(State(app): State<App>, req: Request, next: Next) -> Response {
    let Some(op) = Operation::classify(req.method().as_str(), req.uri().path()) else {
        return next.run(req).await;
    };
    {
        let mut st = app.lock();
        *st.stats.requests.entry(op).or_insert(0) += 1;
    }
    let header = match req.headers().get(FAULT_HEADER).map(|v| v.to_str()) {
        None => None,
        Some(Ok(raw)) => match parse_header(raw) {
            Ok(h) => Some(h),
            Err(msg) => {
                return json_response(StatusCode::BAD_REQUEST, &json!({"error": msg}));
            }
        },
        Some(Err(_)) => {
            return json_response(
                StatusCode::BAD_REQUEST,
                &json!({"error": "X-Sandbox-Fault must be ASCII"}),
            );
        }
    };
    let decision = {
        let mut st = app.lock();
        let d = decide(&mut st, op, header);
        if d.action != Action::Pass {
            *st.stats.faults.entry(op).or_insert(0) += 1;
        }
        d
    };
    if !decision.latency.is_zero() {
        tokio::time::sleep(decision.latency).await;
    }
    if decision.action != Action::Pass {
        tracing::debug!(operation = %op, action = ?decision.action, "sandbox: injecting fault");
    }
    let resp = match decision.action {
        Action::Pass => {
            let resp = next.run(req).await;
            tracing::debug!(operation = %op, status = resp.status().as_u16(), "sandbox: request served");
            resp
        }
        Action::Status {
            status,
            retry_after,
            after,
        } => {
            if after {
                let _processed = next.run(req).await;
            }
            fault_response(op, status, retry_after)
        }
        Action::Drop { after } => {
            if after {
                let _processed = next.run(req).await;
            }
            drop_response()
        }
    };
    if decision.latency.is_zero() {
        resp
    } else {
        let ms = u64::try_from(decision.latency.as_millis()).unwrap_or(u64::MAX);
        with_headers(resp, &[(LATENCY_HEADER, ms.to_string())])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_syntax() {
        assert_eq!(
            parse_header("status=503").ok().and_then(|h| h.status),
            Some(503)
        );
        let h = parse_header("status=429; retry_after=2").unwrap_or_default();
        assert_eq!((h.status, h.retry_after), (Some(429), Some(2)));
        assert!(parse_header("drop;after").is_ok_and(|h| h.drop && h.after));
        assert_eq!(
            parse_header("latency_ms=300")
                .ok()
                .and_then(|h| h.latency_ms),
            Some(300)
        );
        assert!(parse_header("status=200").is_err());
        assert!(parse_header("explode").is_err());
    }
}
