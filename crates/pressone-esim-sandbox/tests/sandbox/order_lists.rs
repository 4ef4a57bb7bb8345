//! Get order list (shape, filters, pagination) and Get order.

use crate::common::{ORDERS, PKG, assert_shape, env, fixture, order_path};
use crate::support::{order_one, topup_of};
use serde_json::{Value, json};

async fn seed_orders(e: &crate::common::Env) -> Vec<Value> {
    let mut out = Vec::new();
    for (i, pkg) in [PKG, "elan-7days-1gb", "kallur-digital-30days-3gb"]
        .iter()
        .enumerate()
    {
        let desc = format!("shop-order-{i}");
        let r = order_one(e, pkg, &[("description", &desc)]).await;
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
    let t = topup_of(&e, "change-7days-1gb-topup", &iccid0).await;
    assert_eq!(t.status, 200, "{}", t.text);

    let r = e.get_q(ORDERS, &[("include", "sims,user,status")]).await;
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
    let plain = e.get(ORDERS).await;
    assert!(plain.body["data"][0].get("sims").is_none());

    let by_desc = e
        .get_q(ORDERS, &[("filter[description]", "SHOP-ORDER-1")])
        .await;
    assert_eq!(by_desc.body["data"].as_array().map(Vec::len), Some(1));
    assert_eq!(by_desc.body["data"][0]["description"], "shop-order-1");
    let code = orders[2]["code"].as_str().unwrap_or_default();
    let by_code = e.get_q(ORDERS, &[("filter[code]", code)]).await;
    assert_eq!(by_code.body["data"][0]["id"], orders[2]["id"]);

    let today = e.sb.now().format("%Y-%m-%d").to_string();
    let range = format!("{today} - {today}");
    // How many orders each filter keeps.
    for (filter, value, total) in [
        ("filter[description]", "order", 3),
        // The sim order and its top-up.
        ("filter[iccid]", &iccid0[5..], 2),
        ("filter[created_at]", range.as_str(), 4),
        ("filter[created_at]", "2020-01-01 - 2020-01-31", 0),
        ("filter[order_status]", "refunded", 0),
        ("filter[order_status]", "completed", 4),
    ] {
        let got = e.total(ORDERS, &[(filter, value)]).await;
        assert_eq!(got, total, "{filter}={value}");
    }
    let bad = e.get_q(ORDERS, &[("filter[created_at]", "yesterday")]);
    assert_eq!(bad.await.status, 400);

    let p2 = e.get_q(ORDERS, &[("limit", "3"), ("page", "2")]).await;
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
        .get_q(&order_path(id), &[("include", "sims,user,status")])
        .await;
    assert_eq!(r.status, 200);
    let list_fixture = fixture("airalo.get-order-list.200.json");
    let mut errors = Vec::new();
    crate::common::check_shape(&list_fixture["data"][0], &r.body["data"], "$", &mut errors);
    assert!(errors.is_empty(), "{errors:?}");
    assert!(r.body["data"]["sims"][0].get("voucher_code").is_some());
    assert_eq!(r.body["meta"]["message"], "success");

    let not_found = json!({"data": [], "meta": {"message": "messages.resource_not_found"}});
    for bad in ["999999", "abc", "0"] {
        let r = e.get(&order_path(bad)).await;
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
