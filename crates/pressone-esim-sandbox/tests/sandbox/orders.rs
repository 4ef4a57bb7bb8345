//! Submit order: response shape, balance arithmetic, the Airalo test packages, validation.

use std::collections::HashSet;

use crate::common::{BALANCE, ORDERS, PKG, assert_shape, env, fixture, is_luhn_iccid, sim};
use crate::support::{one_of, order_one, submit_order, topup_of};
use pressone_esim_sandbox::Decimal;
use serde_json::json;

fn dec(s: &str) -> Decimal {
    s.parse().expect("decimal")
}

#[tokio::test]
async fn submit_order_shape_and_esim_fields() {
    let e = env().await;
    let extra = [
        ("type", "sim"),
        ("description", "Example description to identify the order"),
        ("brand_settings_name", "our perfect brand"),
    ];
    let r = order_one(&e, PKG, &extra).await;
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
    let voice = one_of("uki-mobile-15days-2gb", &[("description", "voice")]);
    let r = e.post_multipart(ORDERS, &voice, true).await;
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
    let d = e.order(PKG, 50).await;
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
    e.order(PKG, 3).await;
    assert_eq!(e.sb.balance(), dec("990.55"));
    let b = e.get(BALANCE).await;
    assert_eq!(
        b.body["data"]["balances"]["availableBalance"]["amount"],
        990.55
    );

    e.sb.set_balance(dec("5.00"));
    let r = submit_order(&e, &[("quantity", "2"), ("package_id", PKG)]).await;
    assert_eq!(r.status, 422);
    assert_eq!(r.body["code"], 11);
    assert!(
        r.body["reason"]
            .as_str()
            .is_some_and(|s| s.starts_with("Insufficient PressOne Credit"))
    );
    assert_eq!(e.sb.balance(), dec("5.00"), "nothing charged");
    assert_eq!(e.sb.order_count(), 1, "no order created");

    e.order(PKG, 1).await;
    assert_eq!(e.sb.balance(), dec("1.85"));
    // Exactly to zero is allowed.
    e.sb.set_balance(dec("3.15"));
    e.order(PKG, 1).await;
    assert_eq!(e.sb.balance(), Decimal::ZERO);
    let b = e.get(BALANCE).await;
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
        let r = order_one(&e, pkg, &[]).await;
        assert_eq!(r.status, 422, "{pkg}");
        assert_eq!(r.body["code"], code, "{pkg}");
        assert!(r.body["reason"].is_string());
    }
    assert_eq!(e.sb.order_count(), 0);
    assert_eq!(e.sb.balance(), dec("1000.00"));
    let r = order_one(&e, "test-out-of-stock-7days-1gb", &[]).await;
    assert_eq!(
        r.body,
        fixture("airalo.future-orders.422-invalid-package.json")
    );

    // Disabled top-up: the order works, the top-up fails with 23.
    let iccid = e.active_esim("test-disabled-top-up-7days-1gb").await;
    let topups = e.get(&sim(&iccid, "/topups")).await;
    let topup_id = topups.body["data"][0]["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let r = topup_of(&e, &topup_id, &iccid).await;
    assert_eq!(r.status, 422);
    assert_eq!(r.body["code"], 23);
}

#[tokio::test]
async fn order_validation_errors() {
    let e = env().await;
    let r = submit_order(&e, &[("quantity", "51"), ("package_id", "nope")]).await;
    assert_eq!(r.status, 422);
    assert_eq!(r.body, fixture("airalo.submit-order.422.json"));

    let r = order_one(&e, PKG, &[("brand_settings_name", "Unknown brand")]).await;
    assert_eq!(
        r.body,
        fixture("airalo.submit-order.422-brand-does-not-exist.json")
    );

    let r = submit_order(&e, &[]).await;
    r.assert_invalid(
        422,
        &[
            ("quantity", "The quantity field is required."),
            ("package_id", "The package id field is required."),
        ],
    );

    for q in ["0", "-1", "1.5", "abc", "99999999999999999999"] {
        let r = submit_order(&e, &[("quantity", q), ("package_id", PKG)]).await;
        assert_eq!(r.status, 422, "{q}");
        assert!(r.body["data"]["quantity"].is_string(), "{q}");
    }
    let r = order_one(&e, "change-7days-1gb-topup", &[]).await;
    assert_eq!(
        r.body["data"]["package_id"],
        "The selected package is invalid."
    );
    let r = order_one(&e, PKG, &[("type", "topup")]).await;
    assert_eq!(r.body["data"]["type"], "The selected type is invalid.");
    let long = "x".repeat(256);
    let r = order_one(&e, PKG, &[("description", &long)]).await;
    assert_eq!(r.status, 422);
    let r = order_one(&e, PKG, &[("to_email", "someone@example.com")]).await;
    assert_eq!(r.status, 422);
    assert!(r.body["data"]["sharing_option"].is_string());
    let shared = [
        ("to_email", "someone@example.com"),
        ("sharing_option[]", "link"),
    ];
    let r = order_one(&e, PKG, &shared).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(e.sb.order_count(), 1);
}
