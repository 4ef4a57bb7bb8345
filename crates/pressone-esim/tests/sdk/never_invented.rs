//! A success answer without a value it must carry is a `Decode` error naming the value and
//! quoting what came, never a made-up id, quantity, amount, ICCID or status; and the write
//! that got such an answer was sent once.

use httpmock::prelude::*;
use pressone_esim::{Error, ErrorKind};
use serde_json::json;

use crate::common::*;

/// Asserts `err` is the `Decode` error of `operation` for the missing `what`.
fn assert_missing(err: &Error, operation: &str, what: &str) {
    assert!(matches!(err.kind(), ErrorKind::Decode { .. }), "{err:?}");
    assert_eq!(err.operation(), Some(operation), "{err:?}");
    let shown = err.to_string();
    assert!(
        shown.contains(&format!("the response has no {what}")),
        "{shown}"
    );
    assert!(shown.contains("body starts"), "no excerpt: {shown}");
}

async fn serve<'a>(
    server: &'a MockServer,
    method: Method,
    path: &str,
    body: serde_json::Value,
) -> httpmock::Mock<'a> {
    let body = body.to_string();
    answer(server, method, path, 200, body).await
}

#[tokio::test]
async fn an_order_answer_without_an_id_is_a_decode_error_and_was_sent_once() {
    let server = token_server().await;
    let orders = serve(&server, POST, "/customer/v2/orders", json!({"data": {}})).await;
    let err = expect_err(client(&server).orders().create(PACKAGE, 1).await);
    assert_missing(&err, "submit_order", "order id");
    assert_eq!(
        orders.calls_async().await,
        1,
        "an order is never sent twice"
    );

    // With every other value present, the quantity alone is missing.
    let mut body = fixture_json("airalo.submit-order.200.json");
    body["data"].as_object_mut().unwrap().remove("quantity");
    let server = token_server().await;
    serve(&server, POST, "/customer/v2/orders", body).await;
    let err = expect_err(client(&server).orders().create(PACKAGE, 1).await);
    assert_missing(&err, "submit_order", "order quantity");
    assert!(err.to_string().contains("20230227-009666"), "{err}");
}

#[tokio::test]
async fn a_balance_without_an_amount_is_a_decode_error() {
    let server = token_server().await;
    serve(
        &server,
        GET,
        "/customer/v2/balance",
        json!({"data": {"balances": {"name": "main", "availableBalance": {"currency": "USD"}}}}),
    )
    .await;
    let err = expect_err(client(&server).balance().await);
    assert_missing(&err, "get_balance", "balance amount");
    assert!(err.to_string().contains("USD"), "{err}");
}

#[tokio::test]
async fn an_esim_without_an_iccid_and_a_usage_without_a_status_are_decode_errors() {
    let server = token_server().await;
    let mut esim = fixture_json("airalo.get-esim.200.json");
    esim["data"]["iccid"] = serde_json::Value::Null;
    serve(&server, GET, &format!("/customer/v2/sims/{ICCID}"), esim).await;
    let mut usage = fixture_json("airalo.get-usage.200.json");
    usage["data"].as_object_mut().unwrap().remove("status");
    serve(
        &server,
        GET,
        &format!("/customer/v2/sims/{ICCID}/usage"),
        usage,
    )
    .await;
    let c = client(&server);
    assert_missing(&expect_err(c.sims().get(ICCID).await), "get_esim", "ICCID");
    assert_missing(
        &expect_err(c.sims().usage(ICCID).await),
        "get_usage",
        "usage status",
    );
}
