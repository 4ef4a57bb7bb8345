//! Calls several test modules make: the write operations and the token request.

use crate::common::{Env, ORDERS, Resp, TOKEN, TOPUPS, credentials};

/// `POST /customer/v2/orders` with these form fields.
pub async fn submit_order(e: &Env, fields: &[(&str, &str)]) -> Resp {
    e.post_form(ORDERS, fields).await
}

/// The form of an order of one `package`: `quantity=1&package_id=<package>`, then `extra`.
pub fn one_of<'a>(package: &'a str, extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    [&[("quantity", "1"), ("package_id", package)], extra].concat()
}

/// `POST /customer/v2/orders` of one `package`, with the `extra` form fields after
/// `quantity=1&package_id=<package>`.
pub async fn order_one(e: &Env, package: &str, extra: &[(&str, &str)]) -> Resp {
    submit_order(e, &one_of(package, extra)).await
}

/// `POST /customer/v2/orders/topups` with these form fields.
pub async fn submit_topup(e: &Env, fields: &[(&str, &str)]) -> Resp {
    e.post_form(TOPUPS, fields).await
}

/// `POST /customer/v2/orders/topups` of `package` for the eSIM `iccid`.
pub async fn topup_of(e: &Env, package: &str, iccid: &str) -> Resp {
    submit_topup(e, &[("package_id", package), ("iccid", iccid)]).await
}

/// `POST /customer/v2/token` (no bearer) with these form fields.
pub async fn request_token(e: &Env, fields: &[(&str, &str)]) -> Resp {
    e.post_form_noauth(TOKEN, fields).await
}

/// `POST /customer/v2/token` with the client credentials grant.
pub async fn token_for(e: &Env, client_id: &str, client_secret: &str) -> Resp {
    request_token(e, &credentials(client_id, client_secret)).await
}

/// Any method on an API path, with the bearer token.
pub async fn call(e: &Env, method: &str, path: &str) -> Resp {
    let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
    e.send(e.http.request(method, e.url(path))).await
}
