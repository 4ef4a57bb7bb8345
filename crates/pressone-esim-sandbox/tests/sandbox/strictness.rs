//! The sandbox is as strict as the real API (issue 18): documented empty balances, orders that
//! fail or are refunded after the fact, PressOne's 400 on order-list validation, the token
//! endpoint's rate limit, the 20-minute usage cache, `include`, the e-mail fields of an order,
//! business codes 43 and 53, and field errors for what the spec forbids.

use std::time::Duration;

use crate::common::{
    BALANCE, ORDERS, PACKAGES, PKG, SIMS, TOKEN, credentials, env, env_with, order_path, sim,
};
use pressone_esim_sandbox::SandboxConfig;
use serde_json::json;

#[tokio::test]
async fn a_partner_without_a_balance_account_gets_the_documented_empty_balances() {
    let e = env_with(SandboxConfig::default().balance_account(false)).await;
    let r = e.get(BALANCE).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body["data"]["balances"], json!([]));
    // Ordering is not a rule of the balance account.
    e.order(PKG, 1).await;

    let e = env().await;
    let r = e.get(BALANCE).await;
    assert_eq!(r.body["data"]["balances"]["name"], "balance");
}

#[tokio::test]
async fn orders_can_fail_or_be_refunded_after_the_fact() {
    let e = env().await;
    let before = e.sb.balance();
    let order = e.order(PKG, 2).await;
    let id = order["id"].as_u64().expect("id");
    let paid = before - e.sb.balance();
    let path = format!("/_sandbox/orders/{id}/status");

    let r = e.post_control(&path, json!({"status": "refunded"})).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["status"], "refunded");
    assert_eq!(e.sb.balance(), before, "a refund gives the charge back");
    let got = e.get_q(&order_path(id), &[("include", "status")]).await;
    assert_eq!(
        got.data()["status"],
        json!({"name": "Refunded", "slug": "refunded"})
    );

    let r = e
        .post_control(&path, json!({"status": "partially_refunded"}))
        .await;
    assert_eq!(r.body["status"], "partially_refunded");
    assert_eq!(
        e.sb.balance(),
        before - paid / pressone_esim_sandbox::Decimal::TWO
    );
    let r = e.post_control(&path, json!({"status": "failed"})).await;
    assert_eq!(r.body["status"], "failed");

    for (status, total) in [("failed", 1), ("completed", 0), ("refunded", 0)] {
        let list = e.get_q(ORDERS, &[("filter[order_status]", status)]).await;
        assert_eq!(list.body["meta"]["total"], total, "{status}");
    }
    let r = e.post_control(&path, json!({"status": "lost"})).await;
    assert_eq!(r.status, 400);
    let r = e
        .post_control(
            "/_sandbox/orders/999999/status",
            json!({"status": "failed"}),
        )
        .await;
    assert_eq!(r.status, 404);
}

#[tokio::test]
async fn order_list_validation_is_400_as_pressone_documents_and_other_lists_keep_422() {
    let e = env().await;
    for (query, field) in [
        (("limit", ""), "limit"),
        (("filter[created_at]", "2024-01-01"), "filter.created_at"),
        (
            ("filter[created_at]", "2023-02-29 - 2023-03-01"),
            "filter.created_at",
        ),
        (("include", "sims,share"), "include"),
        (("filter[order_status]", ""), "filter.order_status"),
    ] {
        let r = e.get_q(ORDERS, &[query]).await;
        assert_eq!(r.status, 400, "{query:?}: {}", r.text);
        assert_eq!(r.body["meta"]["message"], "the parameter is invalid");
        assert!(r.body["data"][field].is_string(), "{query:?}: {}", r.text);
    }
    let r = e.get_q(SIMS, &[("limit", "")]).await;
    assert_eq!(r.status, 422);
    let r = e
        .get_q(ORDERS, &[("filter[created_at]", "2024-02-29 - 2024-03-01")])
        .await;
    assert_eq!(r.status, 200, "a leap day exists: {}", r.text);
}

#[tokio::test]
async fn the_token_endpoint_allows_3_requests_a_minute_unless_turned_off() {
    // The env already took one token.
    let e = env().await;
    for _ in 0..2 {
        assert!(!e.fetch_token().await.is_empty());
    }
    let form = credentials(e.sb.client_id(), e.sb.client_secret());
    let r = e.post_form_noauth(TOKEN, &form).await;
    assert_eq!(r.status, 429, "{}", r.text);
    assert_eq!(r.body, json!({"message": "Too Many Attempts."}));
    let wait: u64 = r
        .header("retry-after")
        .and_then(|v| v.parse().ok())
        .expect("Retry-After");
    assert!((1..=60).contains(&wait), "{wait}");
    e.sb.advance_clock(Duration::from_secs(wait));
    let r = e.post_form_noauth(TOKEN, &form).await;
    assert_eq!(r.status, 200, "{}", r.text);

    let e = env_with(SandboxConfig::default().token_rate_limit(None)).await;
    for _ in 0..10 {
        assert!(!e.fetch_token().await.is_empty());
    }
}

#[tokio::test]
async fn usage_is_cached_20_minutes_of_sandbox_time_unless_turned_off() {
    let e = env().await;
    let iccid = e.active_esim(PKG).await;
    let usage = sim(&iccid, "/usage");
    let first = e.get(&usage).await;
    assert_eq!(first.status, 200);
    e.sb.consume(&iccid, 100, 0, 0).expect("consume");
    e.sb.advance_clock(Duration::from_secs(19 * 60));
    let cached = e.get(&usage).await;
    assert_eq!(
        cached.data(),
        first.data(),
        "same figures within 20 minutes"
    );
    e.sb.advance_clock(Duration::from_secs(60));
    let fresh = e.get(&usage).await;
    assert_ne!(fresh.data()["remaining"], first.data()["remaining"]);

    let e = env_with(SandboxConfig::default().usage_cache(None)).await;
    let iccid = e.active_esim(PKG).await;
    let usage = sim(&iccid, "/usage");
    let first = e.get(&usage).await;
    e.sb.consume(&iccid, 100, 0, 0).expect("consume");
    let live = e.get(&usage).await;
    assert_ne!(live.data()["remaining"], first.data()["remaining"]);
}

#[tokio::test]
async fn include_is_honoured_and_unknown_relations_are_field_errors() {
    let e = env().await;
    let order = e.order(PKG, 1).await;
    let iccid = order["sims"][0]["iccid"].as_str().expect("iccid");
    let path = sim(iccid, "");

    let plain = e.get(&path).await;
    assert_eq!(plain.data()["order"], json!(null));
    let with = e
        .get_q(&path, &[("include", "order,order.status,share")])
        .await;
    assert_eq!(with.status, 200, "{}", with.text);
    assert_eq!(with.data()["order"]["id"], order["id"]);
    assert_eq!(with.data()["order"]["status"]["slug"], "completed");
    assert!(with.data()["order"].get("user").is_none());
    let list = e.get_q(SIMS, &[("include", "order,order.user")]).await;
    assert!(list.data()[0]["order"]["user"]["name"].is_string());

    let orders = e.get(ORDERS).await;
    assert!(orders.data()[0].get("sims").is_none());
    let orders = e.get_q(ORDERS, &[("include", "sims")]).await;
    assert_eq!(orders.data()[0]["sims"][0]["iccid"], iccid);

    for (path, include) in [
        (path.as_str(), "orders"),
        (SIMS, "sims"),
        (PACKAGES, "topups"),
        (PACKAGES, ""),
    ] {
        let r = e.get_q(path, &[("include", include)]).await;
        assert_eq!(r.status, 422, "{path}: {}", r.text);
        assert!(r.body["data"]["include"].is_string(), "{}", r.text);
    }
    let id = order["id"].to_string();
    let r = e.get_q(&order_path(id), &[("include", "share")]).await;
    assert_eq!(r.status, 422);
}

#[tokio::test]
async fn the_e_mail_fields_of_an_order_are_validated_and_recorded() {
    let e = env().await;
    let with_e_mail = [
        ("package_id", PKG),
        ("quantity", "1"),
        ("to_email", "ada@example.com"),
        ("sharing_option[]", "link"),
        ("sharing_option[]", "pdf"),
        ("copy_address[]", "ops@example.com"),
    ];
    let r = e.post_form(ORDERS, &with_e_mail).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let orders = e.control("GET", "/_sandbox/orders", None).await;
    assert_eq!(
        orders.body["orders"][0]["email"],
        json!({
            "to_email": "ada@example.com",
            "sharing_option": ["link", "pdf"],
            "copy_address": ["ops@example.com"],
        })
    );

    // The array rules hold without `to_email` too, and an empty `to_email` is not an address.
    for (field, value, key) in [
        ("copy_address[]", "AAA", "copy_address.0"),
        ("copy_address[]", "", "copy_address.0"),
        ("sharing_option[]", "fax", "sharing_option.0"),
        ("to_email", "", "to_email"),
    ] {
        let r = e
            .post_form(
                ORDERS,
                &[("package_id", PKG), ("quantity", "1"), (field, value)],
            )
            .await;
        assert_eq!(r.status, 422, "{field}={value}: {}", r.text);
        assert!(r.body["data"][key].is_string(), "{}", r.text);
    }
    assert_eq!(e.sb.order_count(), 1);
}

#[tokio::test]
async fn business_codes_43_and_53_are_produced_by_test_packages() {
    let e = env().await;
    let before = e.sb.balance();
    for (package, code) in [
        ("test-bad-request-7days-1gb", 43),
        ("test-unexpected-error-7days-1gb", 53),
    ] {
        let r = e
            .post_form(ORDERS, &[("package_id", package), ("quantity", "1")])
            .await;
        assert_eq!(r.status, 422, "{}", r.text);
        assert_eq!(r.body["code"], code);
        assert!(r.body["reason"].is_string());
    }
    assert_eq!(e.sb.balance(), before);
    assert_eq!(e.sb.order_count(), 0);
}

#[tokio::test]
async fn voice_page_size_outside_1_to_100_is_a_drf_field_error() {
    let e = env().await;
    for (value, message) in [
        ("0", "Ensure this value is greater than or equal to 1."),
        ("101", "Ensure this value is less than or equal to 100."),
        ("ten", "A valid integer is required."),
        ("", "A valid integer is required."),
    ] {
        let r = e
            .get_q(
                "/api/third-party/partner/available-numbers/",
                &[("page_size", value)],
            )
            .await;
        assert_eq!(r.status, 400, "{value}");
        assert_eq!(r.body, json!({ "page_size": [message] }));
    }
    let r = e
        .get_q(
            "/api/third-party/partner/available-numbers/",
            &[("page_size", "100")],
        )
        .await;
    assert_eq!(r.status, 200);
}
