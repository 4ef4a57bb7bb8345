//! Every operation of the client over real loopback HTTP: the request on the wire (method,
//! path, bracketed query names, headers, form or JSON body), the decoding of every documented
//! answer with the wire fixtures, and the normalized errors (401 after one refresh, 403 code
//! 89, 404, 400/422 validation with per-field messages, 422 business codes, 429).

mod common;

use std::time::Duration;

use chrono::{NaiveDate, TimeZone, Utc};
use futures::FutureExt;
use futures::future::BoxFuture;
use httpmock::prelude::*;
use httpmock::{Method, Mock};
use pressone_esim::{
    ApnType, Balance, BusinessCode, Client, DataAllowance, DeviceOs, ErrorKind, EsimStatus,
    OperatorKind, OrderStatus, PackageKind, PackageType, PlanType, PricingModel, Remaining,
    RetryPolicy, SharingOption, SubscriptionStatus,
};
use serde_json::{Value, json};

use common::*;

const ORDERS: &str = "/customer/v2/orders";
const VOICE: &str = "/api/third-party/partner";

fn sim_path(suffix: &str) -> String {
    format!("/customer/v2/sims/{ICCID}{suffix}")
}

/// Mounts `method path` answering `status` with the JSON `body`, recording what it sees.
async fn record<'a>(
    server: &'a MockServer,
    method: Method,
    path: &str,
    status: u16,
    body: impl Into<String>,
) -> (Mock<'a>, Recorder) {
    let recorder = Recorder::new();
    let body = body.into();
    let mock = server
        .mock_async(|when, then| {
            when.method(method).path(path);
            recorder.respond(then, status, body);
        })
        .await;
    (mock, recorder)
}

fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, s).unwrap()
}

// ---------------------------------------------------------------------------------------------
// The token request
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn token_request_is_a_form_post_with_the_credentials() {
    let server = MockServer::start_async().await;
    let token = mount_token(&server).await;
    client(&server).authenticate().await.unwrap();
    token.assert_calls_async(1).await;
}

#[tokio::test]
async fn token_errors_are_typed() {
    let server = MockServer::start_async().await;
    let (mock, _) = record(
        &server,
        POST,
        TOKEN_PATH,
        401,
        fixture("airalo.request-access-token.401-client-authentication-failed.json"),
    )
    .await;
    let err = expect_err(client(&server).authenticate().await);
    assert_eq!(err.kind(), &ErrorKind::Authentication);
    assert_eq!(err.status(), Some(401));
    assert_eq!(err.message(), Some("Client authentication failed"));
    assert_eq!(
        mock.calls_async().await,
        1,
        "a refused secret is not retried"
    );

    let server = MockServer::start_async().await;
    record(
        &server,
        POST,
        TOKEN_PATH,
        422,
        fixture("airalo.request-access-token.422-invalid-client-id.json"),
    )
    .await;
    let err = expect_err(client(&server).authenticate().await);
    assert_eq!(
        field_messages(&err),
        owned(&[("client_id", "The selected client id is invalid.")])
    );
    assert_eq!(err.message(), Some("the parameter is invalid"));
}

// ---------------------------------------------------------------------------------------------
// Balance and devices
// ---------------------------------------------------------------------------------------------

async fn balance_served_as_text_plain(body: Value) -> (Vec<Balance>, Recorder) {
    let server = MockServer::start_async().await;
    mount_token(&server).await;
    let recorder = Recorder::new();
    server
        .mock_async(|when, then| {
            when.method(GET).path("/customer/v2/balance");
            recorder.respond_as(then, 200, "text/plain; charset=UTF-8", body.to_string());
        })
        .await;
    let balances = client(&server).balance().await.unwrap();
    (balances, recorder)
}

#[tokio::test]
async fn balance_decodes_both_shapes_served_as_text_plain() {
    let (balances, recorder) = balance_served_as_text_plain(json!({
        "data": {"balances": {"name": "PressOne Credit", "availableBalance": {"amount": 1250.5, "currency": "USD"}}},
        "meta": {"message": "success"}
    }))
    .await;
    assert_eq!(
        balances,
        vec![Balance::new(
            Some("PressOne Credit".into()),
            dec("1250.5"),
            Some("USD".into())
        )]
    );
    let req = recorder.single();
    assert_eq!(req.method_str(), "GET");
    assert_eq!(req.uri().path(), "/customer/v2/balance");
    assert_eq!(query(&req), vec![]);
    assert_eq!(header(&req, "authorization").as_deref(), Some(BEARER));
    assert_eq!(header(&req, "user-agent").as_deref(), Some(USER_AGENT));

    let (balances, _) = balance_served_as_text_plain(json!({
        "data": {"balances": [
            {"name": "Prepaid", "availableBalance": {"amount": 300, "currency": "USD"}},
            {"name": "Bonus", "availableBalance": {"amount": "12.25", "currency": "USD"}}
        ]},
        "meta": {"message": "success"}
    }))
    .await;
    assert_eq!(balances.len(), 2);
    assert_eq!(balances[0].name.as_deref(), Some("Prepaid"));
    assert_eq!(balances[0].amount, dec("300"));
    assert_eq!(balances[1].amount.to_string(), "12.25");

    let (balances, _) = balance_served_as_text_plain(
        json!({"data": {"balances": []}, "meta": {"message": "success"}}),
    )
    .await;
    assert!(balances.is_empty());
}

#[tokio::test]
async fn balance_sends_accept_application_json() {
    let (_, recorder) = balance_served_as_text_plain(
        json!({"data": {"balances": []}, "meta": {"message": "success"}}),
    )
    .await;
    assert_standard_headers(&recorder.single());
}

#[tokio::test]
async fn balance_that_is_not_json_is_a_decode_error_with_an_excerpt() {
    let server = MockServer::start_async().await;
    mount_token(&server).await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/customer/v2/balance");
            then.status(200)
                .header("content-type", "text/plain")
                .body("Balance: lots");
        })
        .await;
    let err = expect_err(client(&server).balance().await);
    assert!(
        matches!(err.kind(), ErrorKind::Decode { excerpt } if excerpt.contains("Balance: lots")),
        "{err:?}"
    );
    assert_eq!(err.status(), Some(200));
    assert_eq!(err.operation(), Some("get_balance"));
}

#[tokio::test]
async fn devices_decode_the_fixture() {
    let server = MockServer::start_async().await;
    mount_token(&server).await;
    let (_, recorder) = record(
        &server,
        GET,
        "/customer/v2/compatible-devices-lite",
        200,
        fixture("airalo.get-compatible-devices-lite.200.json"),
    )
    .await;
    let devices = client(&server).devices().await.unwrap();
    let req = recorder.single();
    assert_standard_headers(&req);
    assert_eq!(query(&req), vec![]);
    assert_eq!(devices.len(), 97);
    assert_eq!(devices[0].os, DeviceOs::Android);
    assert_eq!(devices[0].brand, "bq");
    assert_eq!(devices[0].name, "Aquaris X2");
    assert_eq!(devices[0].model, None);
    assert!(
        devices
            .iter()
            .any(|d| d.os == DeviceOs::Ios && d.brand == "Apple")
    );
}

// ---------------------------------------------------------------------------------------------
// Packages
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn packages_send_bracketed_filters_and_decode_the_fixture() {
    let server = MockServer::start_async().await;
    mount_token(&server).await;
    let (_, recorder) = record(
        &server,
        GET,
        "/customer/v2/packages",
        200,
        fixture("airalo.get-packages.200.json"),
    )
    .await;
    let page = client(&server)
        .packages()
        .list()
        .package_type(PackageType::Local)
        .country("fr")
        .include_topups(true)
        .limit(2)
        .page(1)
        .language("fr")
        .await
        .unwrap();
    let req = recorder.single();
    assert_standard_headers(&req);
    assert_eq!(
        query(&req),
        owned(&[
            ("filter[type]", "local"),
            ("filter[country]", "FR"),
            ("include", "topup"),
            ("limit", "2"),
            ("page", "1"),
        ])
    );
    assert_eq!(header(&req, "accept-language").as_deref(), Some("fr"));

    assert_eq!(page.page, 1);
    assert_eq!(page.last_page, Some(107));
    assert_eq!(page.total, Some(213));
    assert!(page.has_more);
    assert_eq!(page.items.len(), 2);
    let us = &page.items[0];
    assert_eq!(us.slug, "united-states");
    assert_eq!(us.country_code.as_deref(), Some("US"));
    assert_eq!(us.title, "United States");
    assert!(us.image_url.as_deref().unwrap().starts_with("https://"));
    let operator = &us.operators[0];
    assert_eq!(operator.id, Some(1180));
    assert_eq!(operator.title, "Change");
    assert_eq!(operator.kind, OperatorKind::Local);
    assert_eq!(operator.plan_type, PlanType::Data);
    assert!(operator.is_roaming && operator.rechargeable);
    let package = &operator.packages[0];
    assert_eq!(package.id, "change-in-7days-1gb");
    assert_eq!(package.kind, PackageKind::Sim);
    assert_eq!(package.data, DataAllowance::Limited { mb: 1024 });
    assert_eq!(package.data_label, "1 GB");
    assert_eq!(package.validity_days, 7);
    assert_eq!(package.price, Some(dec("4")));
    assert_eq!(package.net_price, Some(dec("1.8")));
    assert_eq!(package.prices.net("EUR"), Some(dec("1.55")));
    assert_eq!(package.prices.retail("GBP"), Some(dec("3")));
    assert_eq!(package.voice_minutes, None);
    let france = &page.items[1];
    assert_eq!(france.packages().next().unwrap().price, Some(dec("4.5")));
    assert_eq!(
        france.packages().next().unwrap().price.unwrap().to_string(),
        "4.5"
    );
}

#[tokio::test]
async fn packages_without_options_send_no_query_and_global_type_is_sent() {
    let server = MockServer::start_async().await;
    mount_token(&server).await;
    let (_, recorder) = record(
        &server,
        GET,
        "/customer/v2/packages",
        200,
        fixture("airalo.get-packages.200-discount-pricing.json"),
    )
    .await;
    let c = client(&server);
    let page = c.packages().list().await.unwrap();
    c.packages()
        .list()
        .package_type(PackageType::Global)
        .await
        .unwrap();
    let requests = recorder.requests();
    assert_eq!(query(&requests[0]), vec![]);
    assert!(header(&requests[0], "accept-language").is_none());
    assert_eq!(query(&requests[1]), owned(&[("filter[type]", "global")]));
    // Discount pricing: no net price.
    let package = page.items[0].packages().next().unwrap();
    assert_eq!(package.net_price, None);
    assert!(package.price.is_some());
}

#[tokio::test]
async fn packages_unlimited_plans_have_no_meaningless_amount() {
    let server = MockServer::start_async().await;
    mount_token(&server).await;
    let body = json!({
        "data": [{
            "slug": "world", "country_code": "", "title": "World",
            "operators": [{
                "id": 1, "title": "Discover", "type": "global", "plan_type": "voice-text",
                "is_roaming": true, "rechargeability": false,
                "packages": [{
                    "id": "discover-unlimited", "type": "sim", "price": "19.90", "net_price": 12,
                    "amount": 0, "day": 30, "is_unlimited": true, "title": "Unlimited - 30 days",
                    "data": "Unlimited", "voice": 100, "text": 50
                }]
            }]
        }]
    });
    record(&server, GET, "/customer/v2/packages", 200, body.to_string()).await;
    let page = client(&server).packages().list().await.unwrap();
    let entry = &page.items[0];
    assert_eq!(
        entry.country_code, None,
        "an empty country code is no country"
    );
    assert_eq!(entry.operators[0].kind, OperatorKind::Global);
    assert_eq!(entry.operators[0].plan_type, PlanType::VoiceText);
    let package = entry.packages().next().unwrap();
    assert_eq!(package.data, DataAllowance::Unlimited);
    assert_eq!(package.price.unwrap().to_string(), "19.90");
    assert_eq!(package.voice_minutes, Some(100));
    assert_eq!(package.sms, Some(50));
    assert!(!page.has_more, "no meta and no links: a single page");
}

// ---------------------------------------------------------------------------------------------
// Orders
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn order_create_sends_the_form_and_decodes_the_fixture() {
    let server = MockServer::start_async().await;
    mount_token(&server).await;
    let (mock, recorder) = record(
        &server,
        POST,
        ORDERS,
        200,
        fixture("airalo.submit-order.200.json"),
    )
    .await;
    let order = client(&server)
        .orders()
        .create("kallur-digital-7days-1gb", 1)
        .description("shop-order-1042")
        .await
        .unwrap();
    assert_eq!(mock.calls_async().await, 1);
    let req = recorder.single();
    assert_standard_headers(&req);
    assert_eq!(query(&req), vec![]);
    assert_eq!(
        header(&req, "content-type").as_deref(),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(
        sorted(form_pairs(&req)),
        owned(&[
            ("package_id", "kallur-digital-7days-1gb"),
            ("quantity", "1"),
            ("type", "sim"),
            ("description", "shop-order-1042"),
        ])
    );

    assert_eq!(order.id, 9666);
    assert_eq!(order.code.as_deref(), Some("20230227-009666"));
    assert_eq!(order.kind, PackageKind::Sim);
    assert_eq!(order.package_id, "kallur-digital-7days-1gb");
    assert_eq!(
        order.package_name.as_deref(),
        Some("Kallur Digital-1 GB - 7 Days")
    );
    assert_eq!(order.quantity, 1, "quantity \"1\" on the wire");
    assert_eq!(order.validity_days, Some(7));
    assert_eq!(order.data_label.as_deref(), Some("1 GB"));
    assert_eq!(order.price, Some(dec("9.5")));
    assert_eq!(order.price.unwrap().to_string(), "9.5");
    assert_eq!(order.currency.as_deref(), Some("USD"));
    assert_eq!(order.pricing_model, Some(PricingModel::NetPricing));
    assert_eq!(order.discount, None);
    assert_eq!(order.created_at, Some(utc(2023, 2, 27, 14, 9, 55)));
    assert_eq!(
        order.description.as_deref(),
        Some("Example description to identify the order")
    );
    assert_eq!(
        order.installation_guides.get("en").map(String::as_str),
        Some("https://sandbox.airalo.com/installation-guide")
    );
    assert_eq!(order.esims.len(), 1);
    let esim = &order.esims[0];
    assert_eq!(esim.iccid, "891000000000009125");
    assert_eq!(esim.smdp_address.as_deref(), Some("lpa.airalo.com"));
    assert_eq!(esim.matching_id.as_deref(), Some("TEST"));
    assert_eq!(esim.lpa.as_deref(), Some("LPA:1$lpa.airalo.com$TEST"));
    assert_eq!(esim.apn.apn_type, Some(ApnType::Automatic));
    assert_eq!(esim.created_at, Some(utc(2023, 2, 27, 14, 9, 55)));
    assert_eq!(
        esim.brand_settings_name.as_deref(),
        Some("our perfect brand")
    );
    let code = esim.activation_code().unwrap();
    assert_eq!(code.smdp_address(), "lpa.airalo.com");
    assert_eq!(code.matching_id(), "TEST");
}

#[tokio::test]
async fn order_create_emailed_to_the_end_user_repeats_the_list_keys() {
    let server = MockServer::start_async().await;
    mount_token(&server).await;
    let (mock, recorder) = record(
        &server,
        POST,
        ORDERS,
        200,
        fixture("airalo.submit-order.200.json"),
    )
    .await;
    client(&server)
        .orders()
        .create("kallur-digital-7days-1gb", 1)
        .email_to(
            "ada@example.com",
            &[SharingOption::Link, SharingOption::Pdf, SharingOption::Link],
        )
        .copy_to("ops@example.com")
        .await
        .unwrap();
    assert_eq!(mock.calls_async().await, 1);
    assert_eq!(
        sorted(form_pairs(&recorder.single())),
        sorted(owned(&[
            ("package_id", "kallur-digital-7days-1gb"),
            ("quantity", "1"),
            ("type", "sim"),
            ("to_email", "ada@example.com"),
            ("sharing_option[]", "link"),
            ("sharing_option[]", "pdf"),
            ("copy_address[]", "ops@example.com"),
        ]))
    );
}

#[tokio::test]
async fn order_create_email_needs_a_sharing_option_and_valid_addresses() {
    let server = MockServer::start_async().await;
    let token = mount_token(&server).await;
    let c = client(&server);
    for (to, sharing, cc) in [
        ("ada@example.com", &[][..], None),
        ("not-an-address", &[SharingOption::Link][..], None),
        ("ada@example.com", &[SharingOption::Pdf][..], Some("bad cc")),
    ] {
        let mut request = c
            .orders()
            .create("kallur-digital-7days-1gb", 1)
            .email_to(to, sharing);
        if let Some(cc) = cc {
            request = request.copy_to(cc);
        }
        let err = expect_err(request.await);
        assert!(
            matches!(err.kind(), ErrorKind::InvalidInput { .. }),
            "{err}"
        );
        assert!(!err.may_have_reached_server());
    }
    assert_eq!(token.calls_async().await, 0, "nothing is sent");
}

#[tokio::test]
async fn order_create_without_description_sends_only_the_required_fields_and_brand_when_set() {
    let server = MockServer::start_async().await;
    mount_token(&server).await;
    let (_, recorder) = record(
        &server,
        POST,
        ORDERS,
        200,
        fixture("airalo.submit-order.200-discount-pricing.json"),
    )
    .await;
    let c = client(&server);
    let order = c
        .orders()
        .create("kallur-digital-7days-1gb", 50)
        .await
        .unwrap();
    c.orders()
        .create("kallur-digital-7days-1gb", 2)
        .brand_settings_name("our perfect brand")
        .await
        .unwrap();
    let requests = recorder.requests();
    assert_eq!(
        sorted(form_pairs(&requests[0])),
        owned(&[
            ("package_id", "kallur-digital-7days-1gb"),
            ("quantity", "50"),
            ("type", "sim"),
        ])
    );
    assert_eq!(
        sorted(form_pairs(&requests[1])),
        owned(&[
            ("brand_settings_name", "our perfect brand"),
            ("package_id", "kallur-digital-7days-1gb"),
            ("quantity", "2"),
            ("type", "sim"),
        ])
    );
    assert_eq!(order.pricing_model, Some(PricingModel::DiscountPricing));
    let discount = order.discount.expect("discount details");
    assert_eq!(discount.discount_percentage, Some(10.0));
    assert_eq!(discount.discount_amount, Some(dec("0.95")));
    assert_eq!(discount.unit_paid_price, Some(dec("8.55")));
    assert_eq!(discount.total_amount_paid, Some(dec("8.55")));
}

#[tokio::test]
async fn order_of_a_voice_and_data_package_keeps_the_msisdn() {
    let server = MockServer::start_async().await;
    mount_token(&server).await;
    record(
        &server,
        POST,
        ORDERS,
        200,
        fixture("airalo.submit-order.200-voice-data-package.json"),
    )
    .await;
    let order = client(&server)
        .orders()
        .create("uki-mobile-15days-2gb", 1)
        .await
        .unwrap();
    assert_eq!(order.validity_days, Some(15));
    assert_eq!(order.net_price, Some(dec("1.6")));
    assert_eq!(order.created_at, Some(utc(2025, 4, 15, 14, 2, 38)));
    let esim = &order.esims[0];
    assert_eq!(esim.msisdn.as_deref(), Some("883190601604295"));
    assert_eq!(esim.apn.apn_type, Some(ApnType::Manual));
    assert_eq!(esim.apn.apn_value.as_deref(), Some("globaldata"));
}

#[tokio::test]
async fn order_create_validation_errors_carry_every_field() {
    for (fixture_name, expected) in [
        (
            "airalo.submit-order.422.json",
            vec![
                ("package_id", "The selected package is invalid."),
                ("quantity", "The quantity may not be greater than 50."),
            ],
        ),
        (
            "airalo.submit-order.422-sim-quantity-not-available.json",
            vec![(
                "quantity",
                "SIM quantity is not available. Available quantity: 9.",
            )],
        ),
        (
            "airalo.submit-order.422-brand-does-not-exist.json",
            vec![("brand_settings_name", "Brand settings name doesn't exist.")],
        ),
    ] {
        let server = MockServer::start_async().await;
        mount_token(&server).await;
        let (mock, _) = record(&server, POST, ORDERS, 422, fixture(fixture_name)).await;
        let err = expect_err(
            client(&server)
                .orders()
                .create("kallur-digital-7days-1gb", 1)
                .await,
        );
        assert_eq!(field_messages(&err), owned(&expected), "{fixture_name}");
        assert_eq!(err.status(), Some(422));
        assert_eq!(err.operation(), Some("submit_order"));
        assert!(err.may_have_reached_server() && err.got_response());
        assert!(!err.is_retryable());
        assert_eq!(mock.calls_async().await, 1);
    }
}

#[tokio::test]
async fn order_create_business_errors_name_the_code() {
    for (body, code) in [
        (
            json!({"code": 11, "reason": "Insufficient credit"}).to_string(),
            BusinessCode::InsufficientCredit,
        ),
        (
            json!({"code": 13, "reason": "The operator is under maintenance"}).to_string(),
            BusinessCode::OperatorMaintenance,
        ),
        (
            json!({"code": 33, "reason": "Insufficient stock of eSIMs"}).to_string(),
            BusinessCode::InsufficientStock,
        ),
        (
            fixture("airalo.future-orders.422-invalid-package.json"),
            BusinessCode::PackageUnavailable,
        ),
        (
            json!({"code": "53", "reason": "Something unexpected happened"}).to_string(),
            BusinessCode::Unexpected,
        ),
        (
            json!({"code": 999, "reason": "New rule"}).to_string(),
            BusinessCode::Other(999),
        ),
    ] {
        let server = MockServer::start_async().await;
        mount_token(&server).await;
        let (mock, _) = record(&server, POST, ORDERS, 422, body.clone()).await;
        let err = expect_err(
            client(&server)
                .orders()
                .create("kallur-digital-7days-1gb", 1)
                .await,
        );
        let reason = serde_json::from_str::<Value>(&body).unwrap()["reason"]
            .as_str()
            .unwrap()
            .to_string();
        assert_eq!(
            err.kind(),
            &ErrorKind::Business {
                code,
                reason: reason.clone()
            }
        );
        assert_eq!(err.business_code(), Some(code));
        assert_eq!(err.message(), Some(reason.as_str()));
        assert!(err.to_string().contains(&format!("code {}", code.code())));
        assert_eq!(
            mock.calls_async().await,
            1,
            "business errors are never retried"
        );
    }
}

#[tokio::test]
async fn order_list_sends_every_filter_and_decodes_string_prices() {
    let server = MockServer::start_async().await;
    mount_token(&server).await;
    let (_, recorder) = record(
        &server,
        GET,
        ORDERS,
        200,
        fixture("airalo.get-order-list.200.json"),
    )
    .await;
    let c = client(&server);
    let page = c
        .orders()
        .list()
        .created_between(
            NaiveDate::from_ymd_opt(2024, 1, 1).unwrap(),
            NaiveDate::from_ymd_opt(2024, 1, 31).unwrap(),
        )
        .code("20230227")
        .status(OrderStatus::PartiallyRefunded)
        .iccid("8944465400000267221")
        .description("order-7f3a9c")
        .limit(5)
        .page(3)
        .await
        .unwrap();
    c.orders().list().await.unwrap();
    let requests = recorder.requests();
    assert_standard_headers(&requests[0]);
    assert_eq!(
        query(&requests[0]),
        owned(&[
            ("include", "sims,status"),
            ("filter[created_at]", "2024-01-01 - 2024-01-31"),
            ("filter[code]", "20230227"),
            ("filter[order_status]", "partially_refunded"),
            ("filter[iccid]", "8944465400000267221"),
            ("filter[description]", "order-7f3a9c"),
            ("limit", "5"),
            ("page", "3"),
        ])
    );
    assert_eq!(query(&requests[1]), owned(&[("include", "sims,status")]));
    assert!(requests[0].body_ref().is_empty(), "a GET carries no body");

    assert_eq!(page.page, 1, "the server's current_page wins");
    assert_eq!(page.last_page, Some(18));
    assert_eq!(page.total, Some(87));
    assert!(page.has_more);
    assert_eq!(page.items.len(), 5);
    let first = &page.items[0];
    assert_eq!(first.price, Some(dec("9.50")));
    assert_eq!(first.price.unwrap().to_string(), "9.50", "scale is kept");
    assert_eq!(first.validity_days, Some(7), "validity \"7\" on the wire");
    assert_eq!(first.quantity, 1);
    assert_eq!(first.status, Some(OrderStatus::Completed));
    assert_eq!(first.created_at, Some(utc(2023, 2, 27, 14, 9, 55)));
    assert_eq!(first.esims[0].iccid, "891000000000009125");
    assert_eq!(page.items[2].price.unwrap().to_string(), "27.00");
    assert_eq!(page.items[2].validity_days, Some(30));
}

#[tokio::test]
async fn order_list_with_an_unknown_status_is_refused_before_sending() {
    let server = MockServer::start_async().await;
    let any = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(500);
        })
        .await;
    let err = expect_err(
        client(&server)
            .orders()
            .list()
            .status(OrderStatus::Other("pending".into()))
            .await,
    );
    assert!(matches!(
        err.kind(),
        ErrorKind::InvalidInput {
            field: "status",
            ..
        }
    ));
    assert!(!err.may_have_reached_server());
    assert_eq!(any.calls_async().await, 0);
}

#[tokio::test]
async fn order_list_validation_errors_come_as_400_or_422() {
    for status in [400, 422] {
        let server = MockServer::start_async().await;
        mount_token(&server).await;
        let (mock, _) = record(
            &server,
            GET,
            ORDERS,
            status,
            fixture("airalo.get-order-list.422.json"),
        )
        .await;
        let err = expect_err(client(&server).orders().list().await);
        assert_eq!(
            field_messages(&err),
            owned(&[
                ("limit", "The limit must be an integer."),
                ("page", "The page must be an integer."),
            ]),
            "HTTP {status}"
        );
        assert_eq!(err.status(), Some(status));
        assert_eq!(err.message(), Some("the parameter is invalid"));
        assert_eq!(mock.calls_async().await, 1, "validation is not retried");
        let text = err.to_string();
        assert!(
            text.contains("limit: The limit must be an integer."),
            "{text}"
        );
    }
}

#[tokio::test]
async fn order_get_sends_the_id_and_includes() {
    let server = MockServer::start_async().await;
    mount_token(&server).await;
    let mut body = fixture_json("airalo.get-order-list.200.json");
    body = json!({"data": body["data"][0].clone(), "meta": {"message": "success"}});
    let (_, recorder) = record(
        &server,
        GET,
        &format!("{ORDERS}/9666"),
        200,
        body.to_string(),
    )
    .await;
    let order = client(&server).orders().get(" 9666 ").await.unwrap();
    let req = recorder.single();
    assert_standard_headers(&req);
    assert_eq!(query(&req), owned(&[("include", "sims,user,status")]));
    assert_eq!(order.id, 9666);
    assert_eq!(order.status, Some(OrderStatus::Completed));
    assert_eq!(order.price.unwrap().to_string(), "9.50");
}

#[tokio::test]
async fn order_get_unknown_is_not_found() {
    let server = MockServer::start_async().await;
    mount_token(&server).await;
    let (mock, _) = record(
        &server,
        GET,
        &format!("{ORDERS}/1"),
        404,
        json!({"data": [], "meta": {"message": "messages.resource_not_found"}}).to_string(),
    )
    .await;
    let err = expect_err(client(&server).orders().get("1").await);
    assert_eq!(err.kind(), &ErrorKind::NotFound);
    assert_eq!(err.status(), Some(404));
    assert_eq!(err.message(), Some("messages.resource_not_found"));
    assert_eq!(mock.calls_async().await, 1);
}

// ---------------------------------------------------------------------------------------------
// eSIMs
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn sims_list_sends_filters_and_decodes_the_fixture() {
    let server = MockServer::start_async().await;
    mount_token(&server).await;
    let (_, recorder) = record(
        &server,
        GET,
        "/customer/v2/sims",
        200,
        fixture("airalo.get-esims-list.200.json"),
    )
    .await;
    let c = client(&server);
    let page = c
        .sims()
        .list()
        .created_between(
            NaiveDate::from_ymd_opt(2023, 2, 1).unwrap(),
            NaiveDate::from_ymd_opt(2023, 2, 28).unwrap(),
        )
        .iccid("8910")
        .limit(5)
        .page(1)
        .await
        .unwrap();
    c.sims().list().await.unwrap();
    let requests = recorder.requests();
    assert_standard_headers(&requests[0]);
    assert_eq!(
        query(&requests[0]),
        owned(&[
            ("include", "order,order.status"),
            ("filter[created_at]", "2023-02-01 - 2023-02-28"),
            ("filter[iccid]", "8910"),
            ("limit", "5"),
            ("page", "1"),
        ])
    );
    assert_eq!(
        query(&requests[1]),
        owned(&[("include", "order,order.status")])
    );
    assert_eq!(page.last_page, Some(16));
    assert_eq!(page.total, Some(77));
    assert_eq!(page.items.len(), 5);
    let esim = &page.items[0];
    assert_eq!(esim.iccid, "891000000000009125");
    assert!(esim.recycled);
    assert_eq!(esim.recycled_at, Some(utc(2025, 5, 5, 10, 52, 39)));
    assert_eq!(esim.created_at, Some(utc(2023, 2, 27, 14, 9, 55)));
    let order = esim.order.as_ref().expect("the order (simable)");
    assert_eq!(order.price.unwrap().to_string(), "9.50");
    assert_eq!(order.status, Some(OrderStatus::Completed));
}

#[tokio::test]
async fn sims_list_validation_error() {
    let server = MockServer::start_async().await;
    mount_token(&server).await;
    record(
        &server,
        GET,
        "/customer/v2/sims",
        422,
        fixture("airalo.get-esims-list.422.json"),
    )
    .await;
    let err = expect_err(client(&server).sims().list().await);
    assert_eq!(
        field_messages(&err),
        owned(&[("limit", "The limit must be an integer.")])
    );
}

#[tokio::test]
async fn sim_get_decodes_the_fixture_with_its_order() {
    let server = MockServer::start_async().await;
    mount_token(&server).await;
    let (_, recorder) = record(
        &server,
        GET,
        &sim_path(""),
        200,
        fixture("airalo.get-esim.200.json"),
    )
    .await;
    let esim = client(&server).sims().get(ICCID).await.unwrap();
    let req = recorder.single();
    assert_standard_headers(&req);
    assert_eq!(query(&req), owned(&[("include", "order,order.status")]));
    assert_eq!(esim.id, Some(11028));
    assert_eq!(esim.iccid, ICCID);
    assert_eq!(esim.confirmation_code.as_deref(), Some("5751"));
    assert_eq!(esim.is_roaming, Some(true));
    assert!(esim.recycled);
    assert_eq!(esim.recycled_at, Some(utc(2025, 5, 5, 10, 52, 39)));
    assert_eq!(esim.created_at, Some(utc(2023, 2, 27, 8, 30, 14)));
    assert!(
        esim.apple_install_url
            .as_deref()
            .unwrap()
            .starts_with("https://esimsetup.apple.com/")
    );
    let order = esim.order.as_deref().expect("simable");
    assert_eq!(order.id, 9647);
    assert_eq!(order.description, None);
    assert_eq!(order.validity_days, Some(7));
    assert_eq!(order.price, Some(dec("9.50")));
    assert_eq!(order.status, Some(OrderStatus::Completed));
}

#[tokio::test]
async fn sim_reads_of_an_unknown_iccid_are_not_found() {
    for (suffix, fixture_name) in [
        ("", "airalo.get-usage.404-invalid-iccid.json"),
        ("/usage", "airalo.get-usage.404-invalid-iccid.json"),
        ("/topups", "airalo.get-topups.404-invalid-iccid.json"),
        (
            "/packages",
            "airalo.get-esim-package-history.404-invalid-iccid.json",
        ),
        ("/instructions", "airalo.get-usage.404-invalid-iccid.json"),
    ] {
        let server = MockServer::start_async().await;
        mount_token(&server).await;
        let (mock, _) = record(&server, GET, &sim_path(suffix), 404, fixture(fixture_name)).await;
        let c = client(&server);
        let sims = c.sims();
        let result = match suffix {
            "" => sims.get(ICCID).await.map(drop),
            "/usage" => sims.usage(ICCID).await.map(drop),
            "/topups" => sims.topups(ICCID).await.map(drop),
            "/packages" => sims.history(ICCID).await.map(drop),
            _ => sims.instructions(ICCID).await.map(drop),
        };
        let err = expect_err(result);
        assert_eq!(err.kind(), &ErrorKind::NotFound, "{suffix}");
        assert_eq!(err.message(), Some("messages.resource_not_found"));
        assert_eq!(mock.calls_async().await, 1, "{suffix}: 404 is not retried");
    }
}

#[tokio::test]
async fn usage_of_an_unlimited_plan_has_no_data_numbers() {
    let server = MockServer::start_async().await;
    mount_token(&server).await;
    let (_, recorder) = record(
        &server,
        GET,
        &sim_path("/usage"),
        200,
        fixture("airalo.get-usage.200.json"),
    )
    .await;
    let usage = client(&server).sims().usage(ICCID).await.unwrap();
    let req = recorder.single();
    assert_standard_headers(&req);
    assert_eq!(query(&req), vec![]);
    assert_eq!(usage.status, EsimStatus::Active);
    assert!(usage.is_unlimited);
    assert_eq!(
        usage.data_mb, None,
        "767/2048 are meaningless when unlimited"
    );
    assert_eq!(usage.remaining_mb(), None);
    assert_eq!(usage.expires_at, Some(utc(2022, 1, 1, 0, 0, 0)));
    assert_eq!(
        usage.voice_minutes,
        Remaining {
            remaining: 0,
            total: 0
        }
    );
}

#[tokio::test]
async fn usage_of_a_limited_and_of_a_recycled_sim() {
    let server = MockServer::start_async().await;
    mount_token(&server).await;
    let mut limited = fixture_json("airalo.get-usage.200.json");
    limited["data"]["is_unlimited"] = json!(false);
    limited["data"]["status"] = json!("SOMETHING_NEW");
    limited["data"]["remaining_voice"] = json!(12);
    limited["data"]["total_voice"] = json!(100);
    record(&server, GET, &sim_path("/usage"), 200, limited.to_string()).await;
    let usage = client(&server).sims().usage(ICCID).await.unwrap();
    assert_eq!(
        usage.data_mb,
        Some(Remaining {
            remaining: 767,
            total: 2048
        })
    );
    assert_eq!(usage.remaining_mb(), Some(767));
    assert_eq!(usage.status, EsimStatus::Other("SOMETHING_NEW".into()));
    assert_eq!(usage.voice_minutes.remaining, 12);

    let server = MockServer::start_async().await;
    mount_token(&server).await;
    record(
        &server,
        GET,
        &sim_path("/usage"),
        200,
        fixture("airalo.get-usage.200-recycled-sim.json"),
    )
    .await;
    let usage = client(&server).sims().usage(ICCID).await.unwrap();
    assert_eq!(usage.status, EsimStatus::Recycled);
    assert!(!usage.is_unlimited);
    assert_eq!(usage.expires_at, None);
}

#[tokio::test]
async fn usage_rate_limit_carries_retry_after() {
    let server = MockServer::start_async().await;
    mount_token(&server).await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET).path(sim_path("/usage"));
            json(then, 429, fixture("airalo.get-usage.429-rate-limit.json"))
                .header("retry-after", "7")
                .header("x-ratelimit-limit", "100")
                .header("x-ratelimit-remaining", "0");
        })
        .await;
    let c = builder(&server)
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap();
    let err = expect_err(c.sims().usage(ICCID).await);
    assert_eq!(
        err.kind(),
        &ErrorKind::RateLimited {
            retry_after: Some(Duration::from_secs(7))
        }
    );
    assert_eq!(err.retry_after(), Some(Duration::from_secs(7)));
    assert_eq!(err.status(), Some(429));
    assert_eq!(err.message(), Some("Too Many Attempts."));
    assert!(err.is_retryable());
    assert!(err.to_string().contains("retry after 7s"), "{err}");
    assert_eq!(mock.calls_async().await, 1);
}

#[tokio::test]
async fn instructions_send_the_language_and_keep_step_order() {
    let server = MockServer::start_async().await;
    mount_token(&server).await;
    let (_, recorder) = record(
        &server,
        GET,
        &sim_path("/instructions"),
        200,
        fixture("airalo.get-installation-instructions.200.json"),
    )
    .await;
    let c = client(&server);
    let instructions = c.sims().instructions(ICCID).await.unwrap();
    c.sims().instructions(ICCID).language("fr").await.unwrap();
    let requests = recorder.requests();
    assert_standard_headers(&requests[0]);
    assert_eq!(query(&requests[0]), vec![]);
    assert_eq!(
        header(&requests[0], "accept-language").as_deref(),
        Some("en")
    );
    assert_eq!(
        header(&requests[1], "accept-language").as_deref(),
        Some("fr")
    );
    assert_eq!(instructions.language.as_deref(), Some("EN"));
    let ios = &instructions.ios[0];
    assert_eq!(ios.version.as_deref(), Some("14,15,13"));
    assert_eq!(ios.qr_steps.len(), 8);
    assert!(ios.qr_steps[0].starts_with("Go to Settings"));
    assert!(ios.qr_steps[7].starts_with("Your eSIM has been installed"));
    assert_eq!(ios.manual_steps.len(), 9);
    assert_eq!(ios.apn.apn_type, Some(ApnType::Manual));
    assert_eq!(ios.apn.apn_value.as_deref(), Some("singleall"));
    assert_eq!(ios.is_roaming, Some(true));
    assert_eq!(
        ios.activation_code().unwrap().unwrap().to_string(),
        "LPA:1$lpa.airalo.com$TEST"
    );
    assert_eq!(instructions.android.len(), 1);
}

#[tokio::test]
async fn instructions_steps_keyed_past_nine_stay_in_numeric_order() {
    let server = MockServer::start_async().await;
    mount_token(&server).await;
    let steps: serde_json::Map<String, Value> = (1..=11)
        .map(|i| (i.to_string(), json!(format!("step {i}"))))
        .collect();
    let body = json!({"data": {"instructions": {"language": "EN", "ios": [{
        "installation_via_qr_code": {"steps": steps}
    }], "android": []}}});
    record(
        &server,
        GET,
        &sim_path("/instructions"),
        200,
        body.to_string(),
    )
    .await;
    let instructions = client(&server).sims().instructions(ICCID).await.unwrap();
    let expected: Vec<String> = (1..=11).map(|i| format!("step {i}")).collect();
    assert_eq!(instructions.ios[0].qr_steps, expected);
}

#[tokio::test]
async fn topups_decode_the_fixtures() {
    let server = MockServer::start_async().await;
    mount_token(&server).await;
    let (_, recorder) = record(
        &server,
        GET,
        &sim_path("/topups"),
        200,
        fixture("airalo.get-topups.200.json"),
    )
    .await;
    let topups = client(&server).sims().topups(ICCID).await.unwrap();
    let req = recorder.single();
    assert_standard_headers(&req);
    assert_eq!(query(&req), vec![]);
    assert_eq!(topups.len(), 3);
    let first = &topups[0];
    assert_eq!(first.id, "bonbon-mobile-30days-3gb-topup");
    assert_eq!(first.kind, PackageKind::Topup);
    assert_eq!(first.data, DataAllowance::Limited { mb: 3072 });
    assert_eq!(first.validity_days, 30);
    assert_eq!(first.price, Some(dec("10")));
    assert_eq!(first.net_price, Some(dec("8")));
    assert_eq!(first.voice_minutes, Some(100));
    assert_eq!(first.sms, Some(100));
    assert_eq!(first.prices.net("EUR"), Some(dec("7.36")));
    assert_eq!(topups[1].net_price, Some(dec("11.2")));

    for (name, net) in [
        ("airalo.get-topups.200-discount-pricing.json", None),
        ("airalo.get-topups.200-apidog-2024-12.json", None),
    ] {
        let server = MockServer::start_async().await;
        mount_token(&server).await;
        record(&server, GET, &sim_path("/topups"), 200, fixture(name)).await;
        let topups = client(&server).sims().topups(ICCID).await.unwrap();
        assert_eq!(topups.len(), 3, "{name}");
        assert_eq!(topups[0].net_price, net, "{name}");
    }

    let server = MockServer::start_async().await;
    mount_token(&server).await;
    record(
        &server,
        GET,
        &sim_path("/topups"),
        200,
        fixture("airalo.get-topups.200-no-topups-available.json"),
    )
    .await;
    assert!(
        client(&server)
            .sims()
            .topups(ICCID)
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn topups_of_a_recycled_sim_are_business_code_73() {
    let server = MockServer::start_async().await;
    mount_token(&server).await;
    let (mock, _) = record(
        &server,
        GET,
        &sim_path("/topups"),
        422,
        fixture("airalo.get-topups.422-recycled-sim.json"),
    )
    .await;
    let err = expect_err(client(&server).sims().topups(ICCID).await);
    assert_eq!(err.business_code(), Some(BusinessCode::Recycled));
    assert!(
        matches!(err.kind(), ErrorKind::Business { reason, .. } if reason.contains("recycled"))
    );
    assert_eq!(mock.calls_async().await, 1);
}

#[tokio::test]
async fn package_history_decodes_offset_timestamps() {
    for name in [
        "airalo.get-esim-package-history.200.json",
        "airalo.get-esim-package-history.200-discount-pricing.json",
        "airalo.get-esim-package-history.200-apidog-2024-12.json",
    ] {
        let server = MockServer::start_async().await;
        mount_token(&server).await;
        let (_, recorder) = record(&server, GET, &sim_path("/packages"), 200, fixture(name)).await;
        let history = client(&server).sims().history(ICCID).await.unwrap();
        let req = recorder.single();
        assert_standard_headers(&req);
        assert_eq!(query(&req), vec![]);
        assert_eq!(history.len(), 2, "{name}");
        let entry = &history[0];
        assert_eq!(entry.id, Some(728));
        assert_eq!(entry.status, EsimStatus::Active);
        assert_eq!(entry.remaining_mb, Some(2378));
        assert_eq!(entry.activated_at, Some(utc(2023, 1, 9, 10, 30, 45)));
        assert_eq!(entry.expires_at, Some(utc(2023, 2, 9, 10, 30, 45)));
        assert_eq!(entry.finished_at, None);
        let package = entry.package.as_ref().unwrap();
        assert_eq!(package.kind, PackageKind::Topup);
        assert_eq!(package.validity_days, 30);
        assert_eq!(package.price, Some(dec("10")));
    }
}

#[tokio::test]
async fn package_history_rate_limit_fixture() {
    let server = MockServer::start_async().await;
    mount_token(&server).await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET).path(sim_path("/packages"));
            json(
                then,
                429,
                fixture("airalo.get-esim-package-history.429-rate-limit.json"),
            )
            .header("retry-after", "900");
        })
        .await;
    let err = expect_err(client(&server).sims().history(ICCID).await);
    assert_eq!(err.retry_after(), Some(Duration::from_secs(900)));
    assert_eq!(
        mock.calls_async().await,
        1,
        "a Retry-After beyond the policy's limit ends the retries at once"
    );
}

// ---------------------------------------------------------------------------------------------
// Top-ups
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn topup_create_sends_the_form_and_decodes_the_fixtures() {
    let server = MockServer::start_async().await;
    mount_token(&server).await;
    let (mock, recorder) = record(
        &server,
        POST,
        "/customer/v2/orders/topups",
        200,
        fixture("airalo.submit-topup.200.json"),
    )
    .await;
    let order = client(&server)
        .topups()
        .create(ICCID, "change-7days-1gb-topup")
        .description("shop-topup-77")
        .await
        .unwrap();
    assert_eq!(mock.calls_async().await, 1);
    let req = recorder.single();
    assert_standard_headers(&req);
    assert_eq!(
        header(&req, "content-type").as_deref(),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(
        sorted(form_pairs(&req)),
        owned(&[
            ("package_id", "change-7days-1gb-topup"),
            ("iccid", ICCID),
            ("description", "shop-topup-77"),
        ])
    );
    assert_eq!(order.id, 111);
    assert_eq!(order.kind, PackageKind::Topup);
    assert!(order.esims.is_empty());
    assert_eq!(order.price.unwrap().to_string(), "4.5");
    assert_eq!(order.net_price, Some(dec("3.6")));
    assert_eq!(order.created_at, Some(utc(2025, 11, 18, 13, 37, 7)));

    for name in [
        "airalo.submit-topup.200-discount-pricing.json",
        "airalo.submit-topup.200-apidog-2025-01.json",
    ] {
        let server = MockServer::start_async().await;
        mount_token(&server).await;
        let (_, recorder) = record(
            &server,
            POST,
            "/customer/v2/orders/topups",
            200,
            fixture(name),
        )
        .await;
        let order = client(&server)
            .topups()
            .create(ICCID, "change-7days-1gb-topup")
            .await
            .unwrap();
        assert_eq!(
            sorted(form_pairs(&recorder.single())),
            owned(&[("package_id", "change-7days-1gb-topup"), ("iccid", ICCID)]),
            "no description: the server's default applies"
        );
        assert_eq!(order.kind, PackageKind::Topup, "{name}");
        assert_eq!(order.quantity, 1, "{name}");
    }
}

#[tokio::test]
async fn topup_create_errors() {
    for (name, expected) in [
        (
            "airalo.submit-topup.422-invalid-package-id.json",
            vec![("package_id", "invalid topup package")],
        ),
        (
            "airalo.submit-topup.422-purchase-limit-exceeded.json",
            vec![("package_id", "validation.order_exceed_limit")],
        ),
        (
            "airalo.submit-topup.422-required-fields-missing.json",
            vec![
                ("iccid", "The iccid field is required."),
                ("package_id", "The package id field is required."),
            ],
        ),
    ] {
        let server = MockServer::start_async().await;
        mount_token(&server).await;
        let (mock, _) = record(
            &server,
            POST,
            "/customer/v2/orders/topups",
            422,
            fixture(name),
        )
        .await;
        let err = expect_err(
            client(&server)
                .topups()
                .create(ICCID, "change-7days-1gb-topup")
                .await,
        );
        assert_eq!(field_messages(&err), owned(&expected), "{name}");
        assert_eq!(err.operation(), Some("submit_topup"));
        assert_eq!(mock.calls_async().await, 1);
    }

    let server = MockServer::start_async().await;
    mount_token(&server).await;
    record(
        &server,
        POST,
        "/customer/v2/orders/topups",
        422,
        fixture("airalo.submit-topup.422-recycled-sim.json"),
    )
    .await;
    let err = expect_err(
        client(&server)
            .topups()
            .create("89340000000000872000", "change-7days-1gb-topup")
            .await,
    );
    assert_eq!(err.business_code(), Some(BusinessCode::Recycled));
    assert_eq!(
        err.message(),
        Some(
            "The eSIM with iccid 89340000000000872 has been recycled. It can no longer be used or topped up."
        )
    );
}

// ---------------------------------------------------------------------------------------------
// Voice (on its own base URL)
// ---------------------------------------------------------------------------------------------

fn voice_user_json(status: &str) -> Value {
    json!({
        "id": 4211, "email": "ada@example.com", "mobile": "+2348031234567",
        "first_name": "Ada", "last_name": "Obi", "number": "+2342012345678",
        "date_joined": "2025-03-01T09:15:00Z",
        "subscription": {
            "plan": "monthly", "status": status, "is_trial": status == "trial",
            "start_date": "2025-03-01T09:15:00Z", "end_date": "2025-03-08T09:15:00Z"
        }
    })
}

/// A data server (token) and a separate voice server.
async fn voice_servers() -> (MockServer, MockServer) {
    let data = MockServer::start_async().await;
    let voice = MockServer::start_async().await;
    mount_token(&data).await;
    (data, voice)
}

fn voice_client(data: &MockServer, voice: &MockServer) -> Client {
    builder(data)
        .voice_base_url(voice.base_url())
        .build()
        .unwrap()
}

#[tokio::test]
async fn voice_available_numbers_on_the_voice_base_url() {
    let (data, voice) = voice_servers().await;
    let (_, recorder) = record(
        &voice,
        GET,
        &format!("{VOICE}/available-numbers/"),
        200,
        json!({"count": 3, "next": null, "previous": null, "results": [
            {"number": "+2342012345678", "country": "NG"},
            {"number": "", "country": "NG"},
            {"number": "+2342012345679", "country": null}
        ]})
        .to_string(),
    )
    .await;
    let c = voice_client(&data, &voice);
    let page = c
        .voice()
        .available_numbers()
        .country("ng")
        .page(1)
        .page_size(20)
        .await
        .unwrap();
    c.voice().available_numbers().await.unwrap();
    let requests = recorder.requests();
    assert_standard_headers(&requests[0]);
    assert_eq!(
        query(&requests[0]),
        owned(&[("country", "NG"), ("page", "1"), ("page_size", "20")])
    );
    assert_eq!(query(&requests[1]), vec![]);
    assert_eq!(page.items.len(), 2, "a result without a number is dropped");
    assert_eq!(page.items[0].number, "+2342012345678");
    assert_eq!(page.items[0].country.as_deref(), Some("NG"));
    assert_eq!(page.items[1].country, None);
    assert_eq!(page.total, Some(3));
    assert!(!page.has_more);
}

#[tokio::test]
async fn voice_claim_sends_json_once_and_decodes_the_created_user() {
    let (data, voice) = voice_servers().await;
    let (mock, recorder) = record(
        &voice,
        POST,
        &format!("{VOICE}/claim-number/"),
        201,
        voice_user_json("trial").to_string(),
    )
    .await;
    let user = voice_client(&data, &voice)
        .voice()
        .claim("+2342012345678", "ada@example.com")
        .first_name("Ada")
        .last_name("Obi")
        .await
        .unwrap();
    assert_eq!(mock.calls_async().await, 1);
    let req = recorder.single();
    assert_standard_headers(&req);
    assert_eq!(
        header(&req, "content-type").as_deref(),
        Some("application/json")
    );
    let body: Value = serde_json::from_slice(req.body_ref()).unwrap();
    assert_eq!(
        body,
        json!({"number": "+2342012345678", "email": "ada@example.com", "first_name": "Ada", "last_name": "Obi"})
    );
    assert_eq!(user.id.as_deref(), Some("4211"));
    assert_eq!(user.email.as_deref(), Some("ada@example.com"));
    assert_eq!(user.number.as_deref(), Some("+2342012345678"));
    assert_eq!(user.date_joined, Some(utc(2025, 3, 1, 9, 15, 0)));
    let subscription = user.subscription.unwrap();
    assert_eq!(subscription.plan.as_deref(), Some("monthly"));
    assert_eq!(subscription.status, Some(SubscriptionStatus::Trial));
    assert_eq!(subscription.is_trial, Some(true));
    assert_eq!(subscription.end_date, Some(utc(2025, 3, 8, 9, 15, 0)));
}

#[tokio::test]
async fn voice_claim_without_names_sends_only_number_and_email() {
    let (data, voice) = voice_servers().await;
    let (_, recorder) = record(
        &voice,
        POST,
        &format!("{VOICE}/claim-number/"),
        201,
        voice_user_json("trial").to_string(),
    )
    .await;
    voice_client(&data, &voice)
        .voice()
        .claim("+2342012345678", "ada@example.com")
        .await
        .unwrap();
    let body: Value = serde_json::from_slice(recorder.single().body_ref()).unwrap();
    assert_eq!(
        body,
        json!({"number": "+2342012345678", "email": "ada@example.com"})
    );
}

#[tokio::test]
async fn voice_claim_validation_error_has_drf_field_messages() {
    let (data, voice) = voice_servers().await;
    let (mock, _) = record(
        &voice,
        POST,
        &format!("{VOICE}/claim-number/"),
        400,
        json!({"email": ["Enter a valid email address."], "number": ["This number is taken.", "Try another."]})
            .to_string(),
    )
    .await;
    let err = expect_err(
        voice_client(&data, &voice)
            .voice()
            .claim("+2342012345678", "ada@example.com")
            .await,
    );
    assert_eq!(
        field_messages(&err),
        owned(&[
            ("email", "Enter a valid email address."),
            ("number", "This number is taken."),
            ("number", "Try another."),
        ])
    );
    assert_eq!(err.status(), Some(400));
    assert_eq!(mock.calls_async().await, 1);
}

#[tokio::test]
async fn voice_renew_sends_the_email_as_json() {
    let (data, voice) = voice_servers().await;
    let (mock, recorder) = record(
        &voice,
        POST,
        &format!("{VOICE}/renew-number/"),
        200,
        voice_user_json("active").to_string(),
    )
    .await;
    let user = voice_client(&data, &voice)
        .voice()
        .renew(" ada@example.com ")
        .await
        .unwrap();
    assert_eq!(mock.calls_async().await, 1);
    let req = recorder.single();
    assert_standard_headers(&req);
    assert_eq!(
        header(&req, "content-type").as_deref(),
        Some("application/json")
    );
    let body: Value = serde_json::from_slice(req.body_ref()).unwrap();
    assert_eq!(body, json!({"email": "ada@example.com"}));
    assert_eq!(
        user.subscription.unwrap().status,
        Some(SubscriptionStatus::Active)
    );
}

#[tokio::test]
async fn voice_renew_unknown_is_not_found_with_the_detail() {
    let (data, voice) = voice_servers().await;
    record(
        &voice,
        POST,
        &format!("{VOICE}/renew-number/"),
        404,
        json!({"detail": "Not found."}).to_string(),
    )
    .await;
    let err = expect_err(
        voice_client(&data, &voice)
            .voice()
            .renew("ada@example.com")
            .await,
    );
    assert_eq!(err.kind(), &ErrorKind::NotFound);
    assert_eq!(err.message(), Some("Not found."));
}

#[tokio::test]
async fn voice_users_send_filters() {
    let (data, voice) = voice_servers().await;
    let (_, recorder) = record(
        &voice,
        GET,
        &format!("{VOICE}/user/"),
        200,
        json!({"count": 1, "next": null, "previous": null, "results": [voice_user_json("trial")]})
            .to_string(),
    )
    .await;
    let c = voice_client(&data, &voice);
    let page = c
        .voice()
        .users()
        .mobile("+2348031234567")
        .email("ada@example.com")
        .page(2)
        .page_size(10)
        .await
        .unwrap();
    c.voice().users().await.unwrap();
    let requests = recorder.requests();
    assert_standard_headers(&requests[0]);
    assert_eq!(
        query(&requests[0]),
        owned(&[
            ("mobile", "+2348031234567"),
            ("email", "ada@example.com"),
            ("page", "2"),
            ("page_size", "10"),
        ])
    );
    assert_eq!(query(&requests[1]), vec![]);
    assert_eq!(page.items.len(), 1);
    assert_eq!(page.page, 2);
    assert_eq!(page.total, Some(1));
    assert_eq!(page.items[0].mobile.as_deref(), Some("+2348031234567"));
}

#[tokio::test]
async fn voice_api_key_replaces_the_bearer_token_and_needs_no_token_request() {
    let data = MockServer::start_async().await;
    let voice = MockServer::start_async().await;
    let token = mount_token(&data).await;
    let (_, recorder) = record(
        &voice,
        GET,
        &format!("{VOICE}/user/"),
        200,
        json!({"results": []}).to_string(),
    )
    .await;
    let c = builder(&data)
        .voice_base_url(voice.base_url())
        .voice_api_key("X-Api-Key", "voice-key-123")
        .build()
        .unwrap();
    let page = c.voice().users().await.unwrap();
    assert!(page.items.is_empty() && !page.has_more);
    let req = recorder.single();
    assert_eq!(header(&req, "x-api-key").as_deref(), Some("voice-key-123"));
    assert_eq!(header(&req, "authorization"), None);
    assert_eq!(token.calls_async().await, 0);
}

#[tokio::test]
async fn user_agent_suffix_and_gateway_prefix() {
    let server = MockServer::start_async().await;
    let token = server
        .mock_async(|when, then| {
            when.method(POST).path(format!("/gw{TOKEN_PATH}"));
            json(then, 200, fixture("airalo.request-access-token.200.json"));
        })
        .await;
    let (_, recorder) = record(
        &server,
        GET,
        &format!("/gw/customer/v2/sims/{ICCID}/usage"),
        200,
        fixture("airalo.get-usage.200.json"),
    )
    .await;
    let c = builder_for(&format!("{}/gw/customer/v2/", server.base_url()))
        .user_agent_suffix("shop/2.1")
        .build()
        .unwrap();
    c.sims().usage(ICCID).await.unwrap();
    assert_eq!(token.calls_async().await, 1);
    assert_eq!(
        header(&recorder.single(), "user-agent").as_deref(),
        Some(concat!(
            "pressone-esim/",
            env!("CARGO_PKG_VERSION"),
            " shop/2.1"
        ))
    );
}

/// The SDK's own HTTP client sends the User-Agent as a default header; a caller's client gets
/// it on each request instead, over the caller client's own default.
#[tokio::test]
async fn a_caller_supplied_http_client_sends_the_sdk_user_agent_too() {
    let server = MockServer::start_async().await;
    let (_, token) = record(
        &server,
        POST,
        TOKEN_PATH,
        200,
        fixture("airalo.request-access-token.200.json"),
    )
    .await;
    let (_, recorder) = record(
        &server,
        GET,
        &format!("/customer/v2/sims/{ICCID}/usage"),
        200,
        fixture("airalo.get-usage.200.json"),
    )
    .await;
    let http = reqwest::Client::builder()
        .user_agent("caller/1")
        .build()
        .unwrap();
    let c = builder_for(&format!("{}/customer/v2/", server.base_url()))
        .http_client(http)
        .user_agent_suffix("shop/2.1")
        .build()
        .unwrap();
    c.sims().usage(ICCID).await.unwrap();
    let expected = concat!("pressone-esim/", env!("CARGO_PKG_VERSION"), " shop/2.1");
    assert_eq!(
        header(&token.single(), "user-agent").as_deref(),
        Some(expected)
    );
    assert_eq!(
        header(&recorder.single(), "user-agent").as_deref(),
        Some(expected)
    );
}

// ---------------------------------------------------------------------------------------------
// Errors common to every operation
// ---------------------------------------------------------------------------------------------

type Call = fn(Client) -> BoxFuture<'static, pressone_esim::Result<()>>;

struct Operation {
    name: &'static str,
    method: &'static str,
    path: String,
    voice: bool,
    call: Call,
}

fn operations() -> Vec<Operation> {
    fn op(
        name: &'static str,
        method: &'static str,
        path: String,
        voice: bool,
        call: Call,
    ) -> Operation {
        Operation {
            name,
            method,
            path,
            voice,
            call,
        }
    }
    vec![
        op(
            "get_balance",
            "GET",
            "/customer/v2/balance".into(),
            false,
            |c| async move { c.balance().await.map(drop) }.boxed(),
        ),
        op(
            "get_compatible_devices_lite",
            "GET",
            "/customer/v2/compatible-devices-lite".into(),
            false,
            |c| async move { c.devices().await.map(drop) }.boxed(),
        ),
        op(
            "get_packages",
            "GET",
            "/customer/v2/packages".into(),
            false,
            |c| async move { c.packages().list().await.map(drop) }.boxed(),
        ),
        op("submit_order", "POST", ORDERS.into(), false, |c| {
            async move {
                c.orders()
                    .create("kallur-digital-7days-1gb", 1)
                    .await
                    .map(drop)
            }
            .boxed()
        }),
        op("get_order_list", "GET", ORDERS.into(), false, |c| {
            async move { c.orders().list().await.map(drop) }.boxed()
        }),
        op("get_order", "GET", format!("{ORDERS}/9666"), false, |c| {
            async move { c.orders().get("9666").await.map(drop) }.boxed()
        }),
        op(
            "get_esims_list",
            "GET",
            "/customer/v2/sims".into(),
            false,
            |c| async move { c.sims().list().await.map(drop) }.boxed(),
        ),
        op("get_esim", "GET", sim_path(""), false, |c| {
            async move { c.sims().get(ICCID).await.map(drop) }.boxed()
        }),
        op("get_usage", "GET", sim_path("/usage"), false, |c| {
            async move { c.sims().usage(ICCID).await.map(drop) }.boxed()
        }),
        op(
            "get_installation_instructions",
            "GET",
            sim_path("/instructions"),
            false,
            |c| async move { c.sims().instructions(ICCID).await.map(drop) }.boxed(),
        ),
        op("get_topups", "GET", sim_path("/topups"), false, |c| {
            async move { c.sims().topups(ICCID).await.map(drop) }.boxed()
        }),
        op(
            "get_esim_package_history",
            "GET",
            sim_path("/packages"),
            false,
            |c| async move { c.sims().history(ICCID).await.map(drop) }.boxed(),
        ),
        op(
            "submit_topup",
            "POST",
            "/customer/v2/orders/topups".into(),
            false,
            |c| {
                async move {
                    c.topups()
                        .create(ICCID, "change-7days-1gb-topup")
                        .await
                        .map(drop)
                }
                .boxed()
            },
        ),
        op(
            "list_available_numbers",
            "GET",
            format!("{VOICE}/available-numbers/"),
            true,
            |c| async move { c.voice().available_numbers().await.map(drop) }.boxed(),
        ),
        op(
            "claim_number",
            "POST",
            format!("{VOICE}/claim-number/"),
            true,
            |c| {
                async move {
                    c.voice()
                        .claim("+2342012345678", "ada@example.com")
                        .await
                        .map(drop)
                }
                .boxed()
            },
        ),
        op(
            "renew_number",
            "POST",
            format!("{VOICE}/renew-number/"),
            true,
            |c| async move { c.voice().renew("ada@example.com").await.map(drop) }.boxed(),
        ),
        op("list_users", "GET", format!("{VOICE}/user/"), true, |c| {
            async move { c.voice().users().await.map(drop) }.boxed()
        }),
    ]
}

#[tokio::test]
async fn every_operation_401_refreshes_the_token_once_then_fails() {
    for op in operations() {
        let server = MockServer::start_async().await;
        let token = mount_token(&server).await;
        let body = if op.voice {
            json!({"detail": "Invalid token."})
        } else {
            json!({"data": [], "meta": {"message": "Unauthenticated."}})
        };
        let (mock, recorder) = record(
            &server,
            Method::from(op.method),
            &op.path,
            401,
            body.to_string(),
        )
        .await;
        let err = expect_err((op.call)(client(&server)).await);
        assert_eq!(err.kind(), &ErrorKind::Authentication, "{}", op.name);
        assert_eq!(err.status(), Some(401), "{}", op.name);
        assert_eq!(err.operation(), Some(op.name));
        assert!(err.message().is_some(), "{}", op.name);
        assert_eq!(
            token.calls_async().await,
            2,
            "{}: one token, one refresh",
            op.name
        );
        assert_eq!(
            mock.calls_async().await,
            2,
            "{}: the call and one retry, no loop",
            op.name
        );
        for req in recorder.requests() {
            assert_eq!(
                header(&req, "authorization").as_deref(),
                Some(BEARER),
                "{}",
                op.name
            );
        }
    }
}

#[tokio::test]
async fn every_operation_403_code_89_is_forbidden_ip_not_allowed() {
    for op in operations() {
        let server = MockServer::start_async().await;
        let token = mount_token(&server).await;
        let (mock, _) = record(
            &server,
            Method::from(op.method),
            &op.path,
            403,
            json!({"code": 89, "reason": "Your IP is not allowed"}).to_string(),
        )
        .await;
        let err = expect_err((op.call)(client(&server)).await);
        assert_eq!(
            err.kind(),
            &ErrorKind::Forbidden {
                code: Some(BusinessCode::IpNotAllowed)
            },
            "{}",
            op.name
        );
        assert_eq!(err.business_code(), Some(BusinessCode::IpNotAllowed));
        assert_eq!(err.message(), Some("Your IP is not allowed"));
        assert!(err.to_string().contains("code 89"), "{err}");
        assert_eq!(
            token.calls_async().await,
            1,
            "{}: the token stays valid",
            op.name
        );
        assert_eq!(mock.calls_async().await, 1, "{}: not retried", op.name);
    }
}

#[tokio::test]
async fn every_operation_reports_an_undocumented_status_once() {
    for op in operations() {
        let server = MockServer::start_async().await;
        mount_token(&server).await;
        let (mock, _) = record(
            &server,
            Method::from(op.method),
            &op.path,
            409,
            json!({"message": "Conflict"}).to_string(),
        )
        .await;
        let err = expect_err((op.call)(client(&server)).await);
        assert_eq!(err.kind(), &ErrorKind::UnexpectedStatus, "{}", op.name);
        assert_eq!(err.status(), Some(409));
        assert_eq!(err.message(), Some("Conflict"));
        assert_eq!(mock.calls_async().await, 1, "{}", op.name);
    }
}

#[tokio::test]
async fn every_operation_reports_an_unreadable_success_body_as_decode() {
    for op in operations() {
        let server = MockServer::start_async().await;
        mount_token(&server).await;
        // The documented success status: 201 for a claim (a DRF create view), else 200.
        let success = if op.name == "claim_number" { 201 } else { 200 };
        let (mock, _) = record(
            &server,
            Method::from(op.method),
            &op.path,
            success,
            "<html>maintenance</html>",
        )
        .await;
        let err = expect_err((op.call)(client(&server)).await);
        assert!(
            matches!(err.kind(), ErrorKind::Decode { .. }),
            "{}: {err:?}",
            op.name
        );
        assert_eq!(err.status(), Some(success), "{}", op.name);
        assert!(err.got_response());
        assert_eq!(mock.calls_async().await, 1, "{}: not retried", op.name);
    }
}
