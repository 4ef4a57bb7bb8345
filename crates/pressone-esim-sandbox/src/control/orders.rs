//! Order control endpoints: `GET /_sandbox/orders` (every order with its status and the e-mail
//! fields it was submitted with) and `POST /_sandbox/orders/{id}/status` (fail or refund an order
//! after the fact, as the real API may).

use axum::Router;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use serde_json::{Value, json};

use super::{error, json_body};
use crate::orders::{Order, OrderKind, OrderStatus};
use crate::web::{App, json_response, money2};

pub(super) fn routes() -> Router<App> {
    Router::new()
        .route("/_sandbox/orders", get(list_orders))
        .route("/_sandbox/orders/{id}/status", post(set_status))
}

fn order_json(o: &Order) -> Value {
    json!({
        "id": o.id,
        "code": o.code(),
        "type": if o.kind() == OrderKind::Sim { "sim" } else { "topup" },
        "status": o.status.slug(),
        "charged": money2(o.charge.charged),
        "email": o.placed.email,
    })
}

async fn list_orders(State(app): State<App>) -> Response {
    let st = app.lock();
    let orders: Vec<Value> = st.orders.iter().map(order_json).collect();
    json_response(StatusCode::OK, &json!({"orders": orders}))
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct SetStatus {
    status: String,
}

/// Moves an order to `completed`, `failed`, `partially_refunded` or `refunded`; refunds credit
/// the balance (see `State::set_order_status`).
async fn set_status(State(app): State<App>, Path(id): Path<String>, body: Body) -> Response {
    let req: SetStatus = match json_body(body, app.config.body_limit).await {
        Ok(r) => r,
        Err(r) => return r,
    };
    let Some(status) = OrderStatus::from_slug(req.status.trim()) else {
        return error(
            StatusCode::BAD_REQUEST,
            "status must be completed, failed, partially_refunded or refunded",
        );
    };
    let mut st = app.lock();
    let Some(idx) = st.order_idx(&id) else {
        return error(StatusCode::NOT_FOUND, "unknown order");
    };
    st.set_order_status(idx, status);
    json_response(StatusCode::OK, &order_json(&st.orders[idx]))
}
