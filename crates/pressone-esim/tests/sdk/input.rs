//! Arguments refused before anything is sent (not even a token request), and the multipart
//! form option (token, orders and top-ups as `multipart/form-data` with the same fields).

use httpmock::prelude::*;
use pressone_esim::{Client, ErrorKind, FormEncoding, OrderStatus};
use serde_json::{Value, json};

use crate::common::*;

/// Invalid calls: the argument the error must name, and the operation.
fn invalid_calls() -> Vec<(&'static str, &'static str, Call)> {
    vec![
        (
            "quantity",
            "submit_order",
            call!(|c| c.orders().create(PACKAGE, 0)),
        ),
        (
            "quantity",
            "submit_order",
            call!(|c| c.orders().create(PACKAGE, 51)),
        ),
        (
            "package_id",
            "submit_order",
            call!(|c| c.orders().create("", 1)),
        ),
        (
            "package_id",
            "submit_order",
            call!(|c| c.orders().create("   ", 1)),
        ),
        (
            "package_id",
            "submit_order",
            call!(|c| c.orders().create("pkg\r\nX-Injected: 1", 1)),
        ),
        (
            "description",
            "submit_order",
            call!(|c| c.orders().create(PACKAGE, 1).description("x".repeat(256))),
        ),
        (
            "description",
            "submit_order",
            call!(|c| c.orders().create(PACKAGE, 1).description("line\nbreak")),
        ),
        (
            "copy_address",
            "submit_order",
            call!(|c| c.orders().create(PACKAGE, 1).copy_to("ops@example.com")),
        ),
        (
            "iccid",
            "get_usage",
            call!(|c| c.sims().usage("89444654000002672a1")),
        ),
        ("iccid", "get_usage", call!(|c| c.sims().usage(""))),
        ("iccid", "get_usage", call!(|c| c.sims().usage("1234"))),
        (
            "iccid",
            "get_usage",
            call!(|c| c.sims().usage("../../orders")),
        ),
        (
            "iccid",
            "get_esim",
            call!(|c| c.sims().get("ICCID-8944465400")),
        ),
        (
            "iccid",
            "get_installation_instructions",
            call!(|c| c.sims().instructions(" ")),
        ),
        (
            "iccid",
            "get_topups",
            call!(|c| c.sims().topups("89444654000002672x1")),
        ),
        (
            "iccid",
            "get_esim_package_history",
            call!(|c| c.sims().history("")),
        ),
        (
            "iccid",
            "submit_topup",
            call!(|c| c
                .topups()
                .create("89444654000002672a1", "change-7days-1gb-topup")),
        ),
        (
            "package_id",
            "submit_topup",
            call!(|c| c.topups().create(ICCID, "")),
        ),
        (
            "email",
            "claim_number",
            call!(|c| c.voice().claim("+2342012345678", "not-an-email")),
        ),
        (
            "email",
            "claim_number",
            call!(|c| c.voice().claim("+2342012345678", "ada@example")),
        ),
        (
            "number",
            "claim_number",
            call!(|c| c.voice().claim("", "ada@example.com")),
        ),
        (
            "email",
            "renew_number",
            call!(|c| c.voice().renew("ada @example.com")),
        ),
        (
            "country",
            "get_packages",
            call!(|c| c.packages().list().country("FRA")),
        ),
        (
            "limit",
            "get_packages",
            call!(|c| c.packages().list().limit(0)),
        ),
        (
            "page",
            "get_order_list",
            call!(|c| c.orders().list().page(0)),
        ),
        ("order_id", "get_order", call!(|c| c.orders().get(""))),
        (
            "page_size",
            "list_users",
            call!(|c| c.voice().users().page_size(0)),
        ),
        (
            "country",
            "list_available_numbers",
            call!(|c| c.voice().available_numbers().country("N1")),
        ),
        (
            "status",
            "get_order_list",
            call!(|c| c
                .orders()
                .list()
                .status(OrderStatus::Other("pending".into()))),
        ),
    ]
}

#[tokio::test]
async fn invalid_arguments_are_refused_before_anything_is_sent() {
    let server = MockServer::start_async().await;
    let any = catch_all(&server).await;
    let c = client(&server);
    for (field, operation, call) in invalid_calls() {
        let err = expect_err(call(c.clone()).await);
        match err.kind() {
            ErrorKind::InvalidInput { field: f, message } => {
                assert_eq!(*f, field, "{operation}: {err}");
                assert!(!message.is_empty());
            }
            other => panic!("{operation}: expected invalid input on {field}, got {other:?}"),
        }
        assert_eq!(err.operation(), Some(operation), "{err}");
        assert!(!err.may_have_reached_server(), "{operation}");
        assert!(!err.got_response());
        assert!(!err.is_retryable());
        assert_eq!(err.status(), None);
        assert!(err.to_string().contains(field), "{err}");
    }
    let counts = calls(&[&any]).await;
    assert_eq!(counts, [0], "nothing was sent, no token either");
}

#[tokio::test]
async fn boundary_values_are_accepted() {
    let server = token_server().await;
    let orders = serve(&server, Op::SubmitOrder, "200").await;
    let usage = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/customer/v2/sims/891000000000009125/usage");
            json(then, 200, fixture("airalo.get-usage.200.json"));
        })
        .await;
    let c = client(&server);
    c.orders()
        .create(PACKAGE, 1)
        .description("d".repeat(255))
        .await
        .unwrap();
    c.orders()
        .create(PACKAGE, 50)
        .description("tab\tis fine")
        .await
        .unwrap();
    c.sims().usage(" 891000000000009125 ").await.unwrap();
    assert_eq!(orders.calls_async().await, 2);
    assert_eq!(usage.calls_async().await, 1, "an 18-digit ICCID, trimmed");
}

#[tokio::test]
async fn a_17_digit_iccid_from_the_vendor_examples_is_accepted() {
    let server = token_server().await;
    let usage = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/customer/v2/sims/89340000000000872/usage");
            json(then, 200, fixture("airalo.get-usage.200-recycled-sim.json"));
        })
        .await;
    let topup = serve(&server, Op::SubmitTopup, "200-apidog-2025-01").await;
    let c = client(&server);
    c.sims().usage("89340000000000872").await.unwrap();
    let order = c
        .topups()
        .create("89340000000000872", "bonbon-mobile-30days-3gb-topup")
        .await
        .unwrap();
    assert_eq!(
        order.description.as_deref(),
        Some("Topup (89340000000000872)")
    );
    assert_eq!(calls(&[&usage, &topup]).await, [1, 1]);
}

#[tokio::test]
async fn path_parameters_are_percent_encoded() {
    let server = token_server().await;
    let recorder = Recorder::new();
    server
        .mock_async(|when, then| {
            when.method(GET).path_prefix("/customer/v2/orders/");
            recorder.respond(
                then,
                404,
                r#"{"data": [], "meta": {"message": "messages.resource_not_found"}}"#,
            );
        })
        .await;
    let c = client(&server);
    for id in ["../balance", "9666?x=1#f"] {
        let err = expect_err(c.orders().get(id).await);
        assert_eq!(err.kind(), &ErrorKind::NotFound);
    }
    let paths: Vec<String> = recorder
        .requests()
        .iter()
        .map(|r| r.uri().path().to_string())
        .collect();
    assert_eq!(
        paths,
        [
            "/customer/v2/orders/..%2Fbalance",
            "/customer/v2/orders/9666%3Fx=1%23f"
        ]
    );
}

#[tokio::test]
async fn query_values_are_escaped() {
    let server = token_server().await;
    let list = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/customer/v2/orders")
                .query_param("filter[description]", "shop&order=1 #x+y");
            json(then, 200, orders_page(&[], 1, 1));
        })
        .await;
    client(&server)
        .orders()
        .list()
        .description("shop&order=1 #x+y")
        .await
        .unwrap();
    assert_eq!(list.calls_async().await, 1);
}

#[test]
fn misconfiguration_is_reported_by_build() {
    let config = |b: pressone_esim::ClientBuilder| match b.build() {
        Err(e) => {
            assert!(!e.may_have_reached_server());
            match e.kind() {
                ErrorKind::Config { message } => message.clone(),
                other => panic!("expected a config error, got {other:?}"),
            }
        }
        Ok(c) => panic!("expected a config error, got {c:?}"),
    };
    let base = || Client::builder().credentials(CLIENT_ID, CLIENT_SECRET);
    assert!(config(base()).contains("base URL"));
    assert!(config(base().base_url("http://api.example.com")).contains("plain HTTP"));
    assert!(config(base().base_url("ftp://api.example.com")).contains("scheme"));
    assert!(
        config(
            Client::builder()
                .base_url("https://api.example.com")
                .credentials(CLIENT_ID, " ")
        )
        .contains("secret")
    );
    assert!(
        config(
            Client::builder()
                .base_url("https://api.example.com")
                .credentials("", CLIENT_SECRET)
        )
        .contains("client id")
    );
    assert!(
        base()
            .base_url("http://api.example.com")
            .allow_insecure_http(true)
            .build()
            .is_ok()
    );
    let c = base()
        .base_url("https://api.example.com/customer/v2/")
        .build()
        .unwrap();
    assert_eq!(c.base_url().as_str(), "https://api.example.com");
    assert_eq!(c.voice_base_url().as_str(), "https://api.example.com");
}

// ---------------------------------------------------------------------------------------------
// Multipart
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn multipart_sends_the_token_request_orders_and_topups_as_form_data() {
    let server = MockServer::start_async().await;
    let token = Recorder::new();
    server
        .mock_async(|when, then| {
            when.method(POST)
                .path(TOKEN_PATH)
                .header_prefix("content-type", "multipart/form-data; boundary=");
            token.respond(then, 200, fixture("airalo.request-access-token.200.json"));
        })
        .await;
    let orders = Recorder::new();
    server
        .mock_async(|when, then| {
            when.method(POST).path("/customer/v2/orders");
            orders.respond(then, 200, fixture("airalo.submit-order.200.json"));
        })
        .await;
    let topups = Recorder::new();
    server
        .mock_async(|when, then| {
            when.method(POST).path("/customer/v2/orders/topups");
            topups.respond(then, 200, fixture("airalo.submit-topup.200.json"));
        })
        .await;
    let claims = Recorder::new();
    server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/api/third-party/partner/claim-number/");
            claims.respond(
                then,
                201,
                json!({"id": 1, "email": "ada@example.com"}).to_string(),
            );
        })
        .await;
    let usage = Recorder::new();
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path(format!("/customer/v2/sims/{ICCID}/usage"));
            usage.respond(then, 200, fixture("airalo.get-usage.200.json"));
        })
        .await;

    let c = builder(&server)
        .form_encoding(FormEncoding::Multipart)
        .build()
        .unwrap();
    let order = c
        .orders()
        .create(PACKAGE, 2)
        .description("shop order & co = 1")
        .await
        .unwrap();
    assert_eq!(order.id, 9666);
    c.topups()
        .create(ICCID, "change-7days-1gb-topup")
        .description("top-up 77")
        .await
        .unwrap();
    c.voice()
        .claim("+2342012345678", "ada@example.com")
        .await
        .unwrap();
    c.sims().usage(ICCID).await.unwrap();

    let req = token.single();
    assert_eq!(header(&req, "accept").as_deref(), Some("application/json"));
    assert_eq!(header(&req, "authorization"), None);
    assert_eq!(
        sorted(multipart_fields(&req).expect("multipart token request")),
        owned(&[
            ("client_id", CLIENT_ID),
            ("client_secret", CLIENT_SECRET),
            ("grant_type", "client_credentials"),
        ])
    );

    let req = orders.single();
    assert_standard_headers(&req);
    assert_eq!(
        sorted(multipart_fields(&req).expect("multipart order")),
        owned(&[
            ("package_id", "kallur-digital-7days-1gb"),
            ("quantity", "2"),
            ("type", "sim"),
            ("description", "shop order & co = 1"),
        ])
    );

    let req = topups.single();
    assert_standard_headers(&req);
    assert_eq!(
        sorted(multipart_fields(&req).expect("multipart top-up")),
        owned(&[
            ("package_id", "change-7days-1gb-topup"),
            ("iccid", ICCID),
            ("description", "top-up 77"),
        ])
    );

    // JSON bodies and GETs are untouched.
    let req = claims.single();
    assert_eq!(
        header(&req, "content-type").as_deref(),
        Some("application/json")
    );
    let body: Value = serde_json::from_slice(req.body_ref()).unwrap();
    assert_eq!(
        body,
        json!({"number": "+2342012345678", "email": "ada@example.com"})
    );
    let req = usage.single();
    assert!(req.body_ref().is_empty());
    assert_eq!(header(&req, "content-type"), None);
}

#[tokio::test]
async fn url_encoding_is_the_default_and_escapes_values() {
    let server = token_server().await;
    let (_, orders) = serve_fixture(&server, Op::SubmitOrder, "200").await;
    let order = client(&server).orders().create(PACKAGE, 1);
    order.description("a&b=c d+é").await.unwrap();
    let req = orders.single();
    assert!(multipart_fields(&req).is_none());
    // The content type, and every field escaped and read back as sent.
    let fields = [
        ("package_id", PACKAGE),
        ("quantity", "1"),
        ("type", "sim"),
        ("description", "a&b=c d+é"),
    ];
    assert_form(&req, &fields);
}
