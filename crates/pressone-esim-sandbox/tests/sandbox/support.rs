//! Calls several test modules make: the write operations and the token request.

use crate::common::{Env, Resp, into_resp};

/// `POST /customer/v2/orders` with these form fields.
pub async fn submit_order(e: &Env, fields: &[(&str, &str)]) -> Resp {
    e.post_form("/customer/v2/orders", fields).await
}

/// `POST /customer/v2/orders/topups` with these form fields.
pub async fn submit_topup(e: &Env, fields: &[(&str, &str)]) -> Resp {
    e.post_form("/customer/v2/orders/topups", fields).await
}

/// `POST /customer/v2/token` (no bearer) with these form fields.
pub async fn request_token(e: &Env, fields: &[(&str, &str)]) -> Resp {
    e.post_form_noauth("/customer/v2/token", fields).await
}

/// `POST /customer/v2/token` with the client credentials grant.
pub async fn token_for(e: &Env, client_id: &str, client_secret: &str) -> Resp {
    request_token(
        e,
        &[
            ("client_id", client_id),
            ("client_secret", client_secret),
            ("grant_type", "client_credentials"),
        ],
    )
    .await
}

/// Any method on an API path, with the bearer token.
pub async fn call(e: &Env, method: &str, path: &str) -> Resp {
    let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
    let r = e.http.request(method, e.url(path)).bearer_auth(&e.token);
    into_resp(r.send().await.expect("response")).await
}
