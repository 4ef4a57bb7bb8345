//! Balance, compatible devices and the package catalogue.

use std::collections::HashSet;

use crate::common::{
    BALANCE, DEVICES, ORDERS, PACKAGES, SIMS, assert_shape, env, env_with, fixture,
};
use pressone_esim_sandbox::{Pricing, SandboxConfig};
use serde_json::{Value, json};

#[tokio::test]
async fn balance_is_text_plain_json() {
    let e = env().await;
    let r = e.get(BALANCE).await;
    assert_eq!(r.status, 200);
    assert!(
        r.header("content-type")
            .is_some_and(|c| c.starts_with("text/plain"))
    );
    assert_eq!(
        r.body,
        json!({"data":{"balances":{"name":"balance","availableBalance":{"amount":1000,"currency":"USD"}}},"meta":{"message":"success"}})
    );
}

#[tokio::test]
async fn compatible_devices_shape() {
    let e = env().await;
    let r = e.get(DEVICES).await;
    assert_eq!(r.status, 200);
    assert_shape("airalo.get-compatible-devices-lite.200.json", &r.body);
    let data = r.body["data"].as_array().cloned().unwrap_or_default();
    assert!(data.len() >= 20);
    assert!(data.iter().any(|d| d["os"] == "ios"));
    assert!(data.iter().any(|d| d["os"] == "android"));
}

fn all_packages(body: &Value) -> Vec<Value> {
    let entries: Vec<Value> = match &body["data"] {
        Value::Array(a) => a.clone(),
        Value::Object(m) => m.values().cloned().collect(),
        _ => Vec::new(),
    };
    entries
        .iter()
        .flat_map(|e| e["operators"].as_array().cloned().unwrap_or_default())
        .flat_map(|o| o["packages"].as_array().cloned().unwrap_or_default())
        .collect()
}

#[tokio::test]
async fn packages_first_page_shape_and_catalogue_content() {
    let e = env().await;
    let r = e.get(PACKAGES).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_shape("airalo.get-packages.200.json", &r.body);
    let data = r.body["data"].as_array().cloned().unwrap_or_default();
    let local: HashSet<String> = data
        .iter()
        .filter(|e| e["country_code"].as_str().is_some_and(|c| !c.is_empty()))
        .map(|e| e["country_code"].as_str().unwrap_or_default().to_string())
        .collect();
    assert!(local.len() >= 50, "{} countries", local.len());
    assert!(
        local
            .iter()
            .all(|c| c.len() == 2 && c.chars().all(|x| x.is_ascii_uppercase()))
    );
    for slug in ["europe", "asia", "africa", "latin-america", "world"] {
        let entry = data
            .iter()
            .find(|e| e["slug"] == slug)
            .unwrap_or(&Value::Null);
        assert_eq!(entry["country_code"], "", "{slug}");
        assert_eq!(entry["operators"][0]["type"], "global", "{slug}");
    }
    let operators: Vec<Value> = data
        .iter()
        .flat_map(|e| e["operators"].as_array().cloned().unwrap_or_default())
        .collect();
    assert!(operators.iter().any(|o| o["plan_type"] == "data"));
    let voice_ops: Vec<&Value> = operators
        .iter()
        .filter(|o| o["plan_type"] == "voice-text")
        .collect();
    assert!(!voice_ops.is_empty());
    assert!(
        voice_ops[0]["packages"][0]["voice"]
            .as_u64()
            .is_some_and(|v| v > 0)
    );
    assert!(
        voice_ops[0]["packages"][0]["text"]
            .as_u64()
            .is_some_and(|v| v > 0)
    );

    let packages = all_packages(&r.body);
    assert!(packages.len() > 200);
    let mut ids = HashSet::new();
    for p in &packages {
        assert_eq!(p["type"], "sim", "topups only with include=topup");
        assert!(
            ids.insert(p["id"].as_str().unwrap_or_default().to_string()),
            "unique ids"
        );
        let price = p["price"].as_f64().unwrap_or_default();
        let net = p["net_price"].as_f64().unwrap_or_default();
        assert!(net > 0.0 && net < price, "{p}");
        let rrp = &p["prices"]["recommended_retail_price"];
        for cur in ["USD", "EUR", "GBP", "JPY", "NGN"] {
            assert!(rrp[cur].is_number(), "{cur} in {p}");
        }
        assert_eq!(rrp["USD"], p["price"]);
        assert_eq!(p["prices"]["net_price"]["USD"], p["net_price"]);
    }
    assert!(
        packages
            .iter()
            .any(|p| p["is_unlimited"] == true && p["amount"] == 0)
    );
    // The Airalo test packages are orderable but not listed.
    assert!(!ids.iter().any(|id| id.starts_with("test-")));
}

#[tokio::test]
async fn packages_pagination_page_two_is_index_keyed() {
    let e = env().await;
    let p1 = e.get_q(PACKAGES, &[("limit", "3"), ("page", "1")]).await;
    assert_eq!(p1.status, 200);
    assert!(p1.body["data"].is_array());
    assert_eq!(p1.body["data"].as_array().map(Vec::len), Some(3));
    let meta = &p1.body["meta"];
    assert_eq!(meta["per_page"], "3");
    assert_eq!(meta["current_page"], 1);
    assert_eq!(meta["from"], 1);
    assert_eq!(meta["to"], 3);
    assert!(p1.body["links"]["prev"].is_null());
    let next = p1.body["links"]["next"].as_str().unwrap_or_default();
    assert!(
        next.contains("page=2") && next.contains("limit=3"),
        "{next}"
    );

    let p2 = e.get_q(PACKAGES, &[("limit", "3"), ("page", "2")]).await;
    assert_eq!(p2.status, 200);
    let obj = p2.body["data"].as_object().cloned().unwrap_or_default();
    let keys: Vec<&String> = obj.keys().collect();
    assert_eq!(keys.len(), 3);
    for k in ["3", "4", "5"] {
        assert!(obj.contains_key(k), "key {k} in {keys:?}");
        assert!(obj[k]["slug"].is_string());
    }
    assert_eq!(p2.body["meta"]["from"], 4);
    assert!(
        p2.body["links"]["prev"]
            .as_str()
            .is_some_and(|u| u.contains("page=1"))
    );
    // Same slugs as one bigger page.
    let all = e.get_q(PACKAGES, &[("limit", "6")]).await;
    let a = all.body["data"].as_array().cloned().unwrap_or_default();
    assert_eq!(a[3]["slug"], obj["3"]["slug"]);

    let last = p1.body["meta"]["last_page"].as_u64().unwrap_or(0);
    let beyond = (last + 1).to_string();
    let empty = e
        .get_q(PACKAGES, &[("limit", "3"), ("page", &beyond)])
        .await;
    assert_eq!(empty.body["data"], json!([]));
    assert!(empty.body["meta"]["from"].is_null());
}

#[tokio::test]
async fn packages_filters_and_include_topup() {
    let e = env().await;
    let nigeria = [("filter[type]", "local"), ("filter[country]", "NG")];
    let local = e.get_q(PACKAGES, &nigeria).await;
    let data = local.body["data"].as_array().cloned().unwrap_or_default();
    assert_eq!(data.len(), 1);
    assert_eq!(data[0]["country_code"], "NG");
    assert_eq!(data[0]["operators"][0]["type"], "local");

    let global = e.get_q(PACKAGES, &[("filter[type]", "global")]).await;
    let data = global.body["data"].as_array().cloned().unwrap_or_default();
    assert!(data.iter().all(|e| e["country_code"] == ""));
    assert!(data.iter().any(|e| e["slug"] == "world"));

    let lower = e.get_q(PACKAGES, &[("filter[country]", "fr")]).await;
    assert_eq!(lower.body["data"][0]["slug"], "france");

    let with_topups = e
        .get_q(PACKAGES, &[("filter[country]", "US"), ("include", "topup")])
        .await;
    let types: HashSet<String> = all_packages(&with_topups.body)
        .iter()
        .map(|p| p["type"].as_str().unwrap_or_default().to_string())
        .collect();
    assert!(types.contains("topup") && types.contains("sim"));

    let bad = e.get_q(PACKAGES, &[("filter[type]", "space")]).await;
    assert_eq!(bad.status, 422);
    assert_eq!(bad.body["meta"]["message"], "the parameter is invalid");
}

#[tokio::test]
async fn non_numeric_limit_and_page_are_422() {
    let e = env().await;
    for path in [PACKAGES, ORDERS, SIMS] {
        // PressOne documents Get order list's validation errors under 400 (same body).
        let status = if path == ORDERS { 400 } else { 422 };
        let r = e.get_q(path, &[("limit", "abc"), ("page", "x1")]).await;
        assert_eq!(r.status, status, "{path}");
        assert_eq!(r.body, fixture("airalo.get-order-list.422.json"), "{path}");
        let r = e.get_q(path, &[("limit", "ten")]).await;
        assert_eq!(r.body, fixture("airalo.get-esims-list.422.json"), "{path}");
        let r = e.get_q(path, &[("limit", "0")]).await;
        assert_eq!(r.status, status);
    }
}

#[tokio::test]
async fn discount_pricing_shapes() {
    let e = env_with(SandboxConfig::default().pricing(Pricing::Discount(10))).await;
    let r = e.get_q(PACKAGES, &[("limit", "2")]).await;
    assert_shape("airalo.get-packages.200-discount-pricing.json", &r.body);
    assert_eq!(
        r.body["pricing"],
        json!({"model": "discount_pricing", "discount_percentage": 10})
    );
    let p = &r.body["data"][0]["operators"][0]["packages"][0];
    assert!(p.get("net_price").is_none());
    assert!(p["prices"].get("net_price").is_none());

    // Orders charge price minus 10 %.
    let id = p["id"].as_str().unwrap_or_default().to_string();
    let price = p["price"].as_f64().unwrap_or_default();
    let before = e.sb.balance();
    let order = e.order(&id, 2).await;
    assert_shape(
        "airalo.submit-order.200-discount-pricing.json",
        &json!({"data": order, "meta": {"message": "success"}}),
    );
    assert_eq!(order["pricing_model"], "discount_pricing");
    assert_eq!(order["discount_percentage"], 10);
    assert!(order["net_price"].is_null());
    let paid = before - e.sb.balance();
    let expected = (price * 0.9 * 2.0 * 100.0).round() / 100.0;
    assert_eq!(
        paid.to_string().parse::<f64>().unwrap_or_default(),
        expected
    );
    assert_eq!(order["total_amount_paid"].as_f64(), Some(expected));
}
