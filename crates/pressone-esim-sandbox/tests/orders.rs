//! Submit order, balance arithmetic, order list / get order, eSIM list / get eSIM,
//! installation instructions.

mod common;

use std::collections::HashSet;

use common::{assert_shape, env, env_with, fixture, is_luhn_iccid};
use pressone_esim_sandbox::{Decimal, SandboxConfig};
use serde_json::{Value, json};

fn dec(s: &str) -> Decimal {
    s.parse().expect("decimal")
}

#[tokio::test]
async fn submit_order_shape_and_esim_fields() {
    let e = env().await;
    let r = e
        .post_form(
            "/customer/v2/orders",
            &[
                ("quantity", "1"),
                ("package_id", "change-7days-1gb"),
                ("type", "sim"),
                ("description", "Example description to identify the order"),
                ("brand_settings_name", "our perfect brand"),
            ],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_shape("airalo.submit-order.200.json", &r.body);
    let d = &r.body["data"];
    assert_eq!(d["quantity"], "1", "quantity is the string \"1\"");
    assert_eq!(d["validity"], 7);
    assert_eq!(d["price"], 4.5);
    assert_eq!(d["pricing_model"], "net_pricing");
    assert_eq!(d["currency"], "USD");
    assert_eq!(d["brand_settings_name"], "our perfect brand");
    let code = d["code"].as_str().unwrap_or_default();
    assert!(code.len() == 15 && code.as_bytes()[8] == b'-', "{code}");
    let sim = &d["sims"][0];
    let iccid = sim["iccid"].as_str().unwrap_or_default();
    assert!(is_luhn_iccid(iccid), "{iccid}");
    assert!(iccid.starts_with("89") && (19..=20).contains(&iccid.len()));
    let lpa = sim["lpa"].as_str().unwrap_or_default();
    let matching = sim["matching_id"].as_str().unwrap_or_default();
    let qrcode = format!("LPA:1${lpa}${matching}");
    assert_eq!(sim["qrcode"], qrcode.as_str());
    assert_eq!(
        sim["direct_apple_installation_url"],
        format!("https://esimsetup.apple.com/esim_qrcode_provisioning?carddata={qrcode}").as_str()
    );
    // The QR image is served.
    let qr_url = sim["qrcode_url"].as_str().unwrap_or_default();
    let qr = e.http.get(qr_url).send().await.expect("qr");
    assert_eq!(qr.status().as_u16(), 200);
    assert!(qr.text().await.unwrap_or_default().contains("<svg"));
}

#[tokio::test]
async fn multipart_order_and_voice_package() {
    let e = env().await;
    let r = e
        .post_multipart(
            "/customer/v2/orders",
            &[
                ("quantity", "1"),
                ("package_id", "uki-mobile-15days-2gb"),
                ("description", "voice"),
            ],
            true,
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_shape("airalo.submit-order.200-voice-data-package.json", &r.body);
    let sim = &r.body["data"]["sims"][0];
    assert!(sim["msisdn"].as_str().is_some_and(|m| m.len() >= 10));
    assert!(sim["apn"]["ios"]["apn_type"].is_string());
    assert_eq!(r.body["data"]["voice"], 50);
    assert_eq!(r.body["data"]["text"], 50);
}

#[tokio::test]
async fn quantity_creates_distinct_valid_esims() {
    let e = env().await;
    let d = e.order("change-7days-1gb", 50).await;
    let sims = d["sims"].as_array().cloned().unwrap_or_default();
    assert_eq!(sims.len(), 50);
    let iccids: HashSet<&str> = sims.iter().filter_map(|s| s["iccid"].as_str()).collect();
    assert_eq!(iccids.len(), 50);
    assert!(iccids.iter().all(|i| is_luhn_iccid(i)));
    assert_eq!(e.sb.esim_count(), 50);
    assert_eq!(e.sb.order_count(), 1);
}

#[tokio::test]
async fn balance_arithmetic_is_exact_and_code_11() {
    let e = env().await;
    // change-7days-1gb: net 3.15
    e.order("change-7days-1gb", 3).await;
    assert_eq!(e.sb.balance(), dec("990.55"));
    let b = e.get("/customer/v2/balance").await;
    assert_eq!(
        b.body["data"]["balances"]["availableBalance"]["amount"],
        990.55
    );

    e.sb.set_balance(dec("5.00"));
    let r = e
        .post_form(
            "/customer/v2/orders",
            &[("quantity", "2"), ("package_id", "change-7days-1gb")],
        )
        .await;
    assert_eq!(r.status, 422);
    assert_eq!(r.body["code"], 11);
    assert!(
        r.body["reason"]
            .as_str()
            .is_some_and(|s| s.starts_with("Insufficient PressOne Credit"))
    );
    assert_eq!(e.sb.balance(), dec("5.00"), "nothing charged");
    assert_eq!(e.sb.order_count(), 1, "no order created");

    e.order("change-7days-1gb", 1).await;
    assert_eq!(e.sb.balance(), dec("1.85"));
    // Exactly to zero is allowed.
    e.sb.set_balance(dec("3.15"));
    e.order("change-7days-1gb", 1).await;
    assert_eq!(e.sb.balance(), Decimal::ZERO);
    let b = e.get("/customer/v2/balance").await;
    assert_eq!(b.body["data"]["balances"]["availableBalance"]["amount"], 0);
    // Control endpoint sets it too.
    let c = e
        .control("PUT", "/_sandbox/balance", Some(json!({"amount": "12.34"})))
        .await;
    assert_eq!(c.status, 200);
    assert_eq!(e.sb.balance(), dec("12.34"));
}

#[tokio::test]
async fn airalo_test_packages_force_codes() {
    let e = env().await;
    for (pkg, code) in [
        ("test-insufficient-balance-7days-1gb", 11),
        ("test-maintenance-mode-7days-1gb", 13),
        ("test-not-enough-7days-1gb", 33),
        ("test-out-of-stock-7days-1gb", 34),
    ] {
        let r = e
            .post_form(
                "/customer/v2/orders",
                &[("quantity", "1"), ("package_id", pkg)],
            )
            .await;
        assert_eq!(r.status, 422, "{pkg}");
        assert_eq!(r.body["code"], code, "{pkg}");
        assert!(r.body["reason"].is_string());
    }
    assert_eq!(e.sb.order_count(), 0);
    assert_eq!(e.sb.balance(), dec("1000.00"));
    let r = e
        .post_form(
            "/customer/v2/orders",
            &[
                ("quantity", "1"),
                ("package_id", "test-out-of-stock-7days-1gb"),
            ],
        )
        .await;
    assert_eq!(
        r.body,
        fixture("airalo.future-orders.422-invalid-package.json")
    );

    // Disabled top-up: the order works, the top-up fails with 23.
    let iccid = e.active_esim("test-disabled-top-up-7days-1gb").await;
    let topups = e.get(&format!("/customer/v2/sims/{iccid}/topups")).await;
    let topup_id = topups.body["data"][0]["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let r = e
        .post_form(
            "/customer/v2/orders/topups",
            &[("package_id", &topup_id), ("iccid", &iccid)],
        )
        .await;
    assert_eq!(r.status, 422);
    assert_eq!(r.body["code"], 23);
}

#[tokio::test]
async fn order_validation_errors() {
    let e = env().await;
    let r = e
        .post_form(
            "/customer/v2/orders",
            &[("quantity", "51"), ("package_id", "nope")],
        )
        .await;
    assert_eq!(r.status, 422);
    assert_eq!(r.body, fixture("airalo.submit-order.422.json"));

    let r = e
        .post_form(
            "/customer/v2/orders",
            &[
                ("quantity", "1"),
                ("package_id", "change-7days-1gb"),
                ("brand_settings_name", "Unknown brand"),
            ],
        )
        .await;
    assert_eq!(
        r.body,
        fixture("airalo.submit-order.422-brand-does-not-exist.json")
    );

    let r = e.post_form("/customer/v2/orders", &[]).await;
    assert_eq!(r.status, 422);
    assert_eq!(
        r.body["data"]["quantity"],
        "The quantity field is required."
    );
    assert_eq!(
        r.body["data"]["package_id"],
        "The package id field is required."
    );

    for q in ["0", "-1", "1.5", "abc", "99999999999999999999"] {
        let r = e
            .post_form(
                "/customer/v2/orders",
                &[("quantity", q), ("package_id", "change-7days-1gb")],
            )
            .await;
        assert_eq!(r.status, 422, "{q}");
        assert!(r.body["data"]["quantity"].is_string(), "{q}");
    }
    let r = e
        .post_form(
            "/customer/v2/orders",
            &[("quantity", "1"), ("package_id", "change-7days-1gb-topup")],
        )
        .await;
    assert_eq!(
        r.body["data"]["package_id"],
        "The selected package is invalid."
    );
    let r = e
        .post_form(
            "/customer/v2/orders",
            &[
                ("quantity", "1"),
                ("package_id", "change-7days-1gb"),
                ("type", "topup"),
            ],
        )
        .await;
    assert_eq!(r.body["data"]["type"], "The selected type is invalid.");
    let long = "x".repeat(256);
    let r = e
        .post_form(
            "/customer/v2/orders",
            &[
                ("quantity", "1"),
                ("package_id", "change-7days-1gb"),
                ("description", &long),
            ],
        )
        .await;
    assert_eq!(r.status, 422);
    let r = e
        .post_form(
            "/customer/v2/orders",
            &[
                ("quantity", "1"),
                ("package_id", "change-7days-1gb"),
                ("to_email", "someone@example.com"),
            ],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body["data"]["sharing_option"].is_string());
    let r = e
        .post_form(
            "/customer/v2/orders",
            &[
                ("quantity", "1"),
                ("package_id", "change-7days-1gb"),
                ("to_email", "someone@example.com"),
                ("sharing_option[]", "link"),
            ],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(e.sb.order_count(), 1);
}

async fn seed_orders(e: &common::Env) -> Vec<Value> {
    let mut out = Vec::new();
    for (i, pkg) in [
        "change-7days-1gb",
        "elan-7days-1gb",
        "kallur-digital-30days-3gb",
    ]
    .iter()
    .enumerate()
    {
        let desc = format!("shop-order-{i}");
        let r = e
            .post_form(
                "/customer/v2/orders",
                &[
                    ("quantity", "1"),
                    ("package_id", pkg),
                    ("description", &desc),
                ],
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.text);
        out.push(r.body["data"].clone());
    }
    out
}

#[tokio::test]
async fn order_list_shape_filters_pagination() {
    let e = env().await;
    let orders = seed_orders(&e).await;
    let iccid0 = orders[0]["sims"][0]["iccid"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    // A top-up order on the first eSIM.
    e.sb.activate(&iccid0).expect("activate");
    let t = e
        .post_form(
            "/customer/v2/orders/topups",
            &[("package_id", "change-7days-1gb-topup"), ("iccid", &iccid0)],
        )
        .await;
    assert_eq!(t.status, 200, "{}", t.text);

    let r = e
        .get_q("/customer/v2/orders", &[("include", "sims,user,status")])
        .await;
    assert_eq!(r.status, 200);
    assert_shape("airalo.get-order-list.200.json", &r.body);
    let data = r.body["data"].as_array().cloned().unwrap_or_default();
    assert_eq!(data.len(), 4);
    assert_eq!(data[0]["type"], "topup", "newest first");
    assert_eq!(data[0]["sims"], json!([]));
    assert_eq!(data[0]["description"], format!("Topup ({iccid0})").as_str());
    assert_eq!(data[1]["validity"], "30");
    assert!(
        data[1]["price"]
            .as_str()
            .is_some_and(|p| p.contains('.') && p.split('.').nth(1).map(str::len) == Some(2))
    );
    assert_eq!(data[3]["price"], "4.50");
    assert_eq!(data[3]["quantity"], 1);
    assert_eq!(r.body["meta"]["per_page"], "50");
    assert_eq!(r.body["meta"]["total"], 4);

    // Without include: no sims/user/status keys.
    let plain = e.get("/customer/v2/orders").await;
    assert!(plain.body["data"][0].get("sims").is_none());

    let by_desc = e
        .get_q(
            "/customer/v2/orders",
            &[("filter[description]", "SHOP-ORDER-1")],
        )
        .await;
    assert_eq!(by_desc.body["data"].as_array().map(Vec::len), Some(1));
    assert_eq!(by_desc.body["data"][0]["description"], "shop-order-1");
    let like = e
        .get_q("/customer/v2/orders", &[("filter[description]", "order")])
        .await;
    assert_eq!(like.body["meta"]["total"], 3);

    let code = orders[2]["code"].as_str().unwrap_or_default();
    let by_code = e
        .get_q("/customer/v2/orders", &[("filter[code]", code)])
        .await;
    assert_eq!(by_code.body["data"][0]["id"], orders[2]["id"]);

    let by_iccid = e
        .get_q("/customer/v2/orders", &[("filter[iccid]", &iccid0[5..])])
        .await;
    assert_eq!(
        by_iccid.body["meta"]["total"], 2,
        "the sim order and its top-up"
    );

    let today = e.sb.now().format("%Y-%m-%d").to_string();
    let range = format!("{today} - {today}");
    let in_range = e
        .get_q("/customer/v2/orders", &[("filter[created_at]", &range)])
        .await;
    assert_eq!(in_range.body["meta"]["total"], 4);
    let past = e
        .get_q(
            "/customer/v2/orders",
            &[("filter[created_at]", "2020-01-01 - 2020-01-31")],
        )
        .await;
    assert_eq!(past.body["meta"]["total"], 0);
    let bad = e
        .get_q(
            "/customer/v2/orders",
            &[("filter[created_at]", "yesterday")],
        )
        .await;
    assert_eq!(bad.status, 422);
    let status = e
        .get_q(
            "/customer/v2/orders",
            &[("filter[order_status]", "refunded")],
        )
        .await;
    assert_eq!(status.body["meta"]["total"], 0);
    let status = e
        .get_q(
            "/customer/v2/orders",
            &[("filter[order_status]", "completed")],
        )
        .await;
    assert_eq!(status.body["meta"]["total"], 4);

    let p2 = e
        .get_q("/customer/v2/orders", &[("limit", "3"), ("page", "2")])
        .await;
    assert!(p2.body["data"].is_array(), "orders stay an array on page 2");
    assert_eq!(p2.body["data"].as_array().map(Vec::len), Some(1));
    assert_eq!(p2.body["meta"]["last_page"], 2);
    assert_eq!(p2.body["meta"]["from"], 4);
    assert!(p2.body["links"]["next"].is_null());
}

#[tokio::test]
async fn get_order_and_404s() {
    let e = env().await;
    let orders = seed_orders(&e).await;
    let id = orders[1]["id"].as_u64().unwrap_or_default();
    let r = e
        .get_q(
            &format!("/customer/v2/orders/{id}"),
            &[("include", "sims,user,status")],
        )
        .await;
    assert_eq!(r.status, 200);
    let list_fixture = fixture("airalo.get-order-list.200.json");
    let mut errors = Vec::new();
    common::check_shape(&list_fixture["data"][0], &r.body["data"], "$", &mut errors);
    assert!(errors.is_empty(), "{errors:?}");
    assert!(r.body["data"]["sims"][0].get("voucher_code").is_some());
    assert_eq!(r.body["meta"]["message"], "success");

    let not_found = json!({"data": [], "meta": {"message": "messages.resource_not_found"}});
    for bad in ["999999", "abc", "0"] {
        let r = e.get(&format!("/customer/v2/orders/{bad}")).await;
        assert_eq!(r.status, 404, "{bad}");
        assert_eq!(r.body, not_found);
    }
    for path in [
        "/customer/v2/sims/8900000000000000000",
        "/customer/v2/sims/8900000000000000000/usage",
        "/customer/v2/sims/8900000000000000000/topups",
        "/customer/v2/sims/8900000000000000000/packages",
        "/customer/v2/sims/8900000000000000000/instructions",
    ] {
        let r = e.get(path).await;
        assert_eq!(r.status, 404, "{path}");
        assert_eq!(
            r.body,
            fixture("airalo.get-usage.404-invalid-iccid.json"),
            "{path}"
        );
    }
}

#[tokio::test]
async fn esims_list_and_get_esim() {
    let e = env().await;
    let r = e
        .post_form(
            "/customer/v2/orders",
            &[
                ("quantity", "3"),
                ("package_id", "elan-7days-1gb"),
                ("brand_settings_name", "our perfect brand"),
                ("description", "Example"),
            ],
        )
        .await;
    assert_eq!(r.status, 200);
    let iccid = r.body["data"]["sims"][0]["iccid"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    e.sb.recycle(&iccid).expect("recycle");

    let list = e
        .get_q(
            "/customer/v2/sims",
            &[("include", "order,order.status,order.user,share")],
        )
        .await;
    assert_eq!(list.status, 200);
    assert_shape("airalo.get-esims-list.200.json", &list.body);
    assert_eq!(list.body["meta"]["total"], 3);

    let one = e.get(&format!("/customer/v2/sims/{iccid}")).await;
    assert_eq!(one.status, 200);
    assert_shape("airalo.get-esim.200.json", &one.body);
    assert_eq!(one.body["meta"]["message"], "succes");
    assert_eq!(one.body["data"]["recycled"], true);
    assert!(one.body["data"]["recycled_at"].is_string());
    assert_eq!(one.body["data"]["simable"]["validity"], "7");
    assert_eq!(one.body["data"]["simable"]["quantity"], 3);

    let filtered = e
        .get_q("/customer/v2/sims", &[("filter[iccid]", &iccid[3..])])
        .await;
    assert_eq!(filtered.body["meta"]["total"], 1);
    let page = e
        .get_q("/customer/v2/sims", &[("limit", "2"), ("page", "2")])
        .await;
    assert_eq!(page.body["data"].as_array().map(Vec::len), Some(1));
    assert_eq!(page.body["meta"]["per_page"], "2");
}

#[tokio::test]
async fn installation_instructions() {
    let e = env().await;
    let iccid = e.esim("change-7days-1gb").await;
    let r = e
        .get_with(
            &format!("/customer/v2/sims/{iccid}/instructions"),
            &[("Accept-Language", "en")],
        )
        .await;
    assert_eq!(r.status, 200);
    assert_shape("airalo.get-installation-instructions.200.json", &r.body);
    let ins = &r.body["data"]["instructions"];
    assert_eq!(ins["language"], "EN");
    let qr = &ins["ios"][0]["installation_via_qr_code"];
    assert!(
        qr["qr_code_data"]
            .as_str()
            .is_some_and(|s| s.starts_with("LPA:1$"))
    );
    assert_eq!(
        qr["steps"]["1"],
        "Go to Settings > Cellular/Mobile > Add Cellular/Mobile Plan."
    );
    let fr = e
        .get_with(
            &format!("/customer/v2/sims/{iccid}/instructions"),
            &[("Accept-Language", "fr-FR,fr;q=0.9")],
        )
        .await;
    assert_eq!(fr.body["data"]["instructions"]["language"], "FR");
    let none = e
        .get(&format!("/customer/v2/sims/{iccid}/instructions"))
        .await;
    assert_eq!(none.body["data"]["instructions"]["language"], "EN");
}

#[tokio::test]
async fn determinism_same_seed_same_responses() {
    let start = chrono::DateTime::parse_from_rfc3339("2025-03-01T10:00:00Z")
        .expect("date")
        .with_timezone(&chrono::Utc);
    let mut runs = Vec::new();
    for _ in 0..2 {
        let e = env_with(
            SandboxConfig::default()
                .seed(42)
                .start_time(start)
                .frozen_clock(true),
        )
        .await;
        let order = e.order("change-7days-1gb", 2).await;
        let base = e.sb.base_url();
        let text = serde_json::to_string(&order)
            .unwrap_or_default()
            .replace(&base, "BASE");
        runs.push((e.token.clone(), text));
    }
    assert_eq!(runs[0], runs[1]);
    assert!(runs[0].1.contains("2025-03-01 10:00:00"));
    let other = env_with(
        SandboxConfig::default()
            .seed(43)
            .start_time(start)
            .frozen_clock(true),
    )
    .await;
    let order = other.order("change-7days-1gb", 2).await;
    assert_ne!(
        order["sims"][0]["iccid"],
        serde_json::from_str::<Value>(&runs[0].1).unwrap_or_default()["sims"][0]["iccid"]
    );
}
