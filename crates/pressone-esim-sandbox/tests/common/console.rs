//! A scripted integration journey whose traces the console shows, shared by the console's
//! HTML tests and its browser test.
#![allow(dead_code)]

use crate::common::Env;

/// The description of the second order: markup that must be shown as text.
pub const HOSTILE_DESCRIPTION: &str = "<script>alert('pwned')</script> & <b>bold</b>";

/// What the journey did.
pub struct Journey {
    /// Activated, consumed and topped up.
    pub active_iccid: String,
    /// The two eSIMs of the second order (NOT_ACTIVE).
    pub idle_iccids: Vec<String>,
    /// The orders in the order they were placed: first eSIM, its top-up, the pair.
    pub order_ids: Vec<u64>,
}

/// Orders one eSIM, activates it, uses 300 MB and tops it up; orders two more eSIMs with a
/// hostile description; and makes one order fail with business code 13 (maintenance).
pub async fn journey(e: &Env) -> Journey {
    let first = e.order("uki-mobile-15days-2gb", 1).await;
    let active_iccid = first["sims"][0]["iccid"]
        .as_str()
        .expect("iccid")
        .to_string();
    e.sb.activate(&active_iccid).expect("activate");
    e.sb.consume(&active_iccid, 300, 0, 0).expect("consume");
    let r = e
        .get(&format!("/customer/v2/sims/{active_iccid}/topups"))
        .await;
    let topup_pkg = r.body["data"][0]["id"]
        .as_str()
        .expect("a top-up package")
        .to_string();
    let topup = e
        .post_form(
            "/customer/v2/orders/topups",
            &[("package_id", &topup_pkg), ("iccid", &active_iccid)],
        )
        .await;
    assert_eq!(topup.status, 200, "{}", topup.text);

    let second = e
        .post_form(
            "/customer/v2/orders",
            &[
                ("package_id", "change-7days-1gb"),
                ("quantity", "2"),
                ("description", HOSTILE_DESCRIPTION),
            ],
        )
        .await;
    assert_eq!(second.status, 200, "{}", second.text);
    let idle_iccids = second.body["data"]["sims"]
        .as_array()
        .expect("sims")
        .iter()
        .map(|s| s["iccid"].as_str().expect("iccid").to_string())
        .collect();

    let failed = e
        .post_form(
            "/customer/v2/orders",
            &[
                ("package_id", "test-maintenance-mode-7days-1gb"),
                ("quantity", "1"),
            ],
        )
        .await;
    assert_eq!(failed.status, 422);
    assert_eq!(failed.body["code"], 13);

    let id = |v: &serde_json::Value| v["id"].as_u64().expect("order id");
    Journey {
        active_iccid,
        idle_iccids,
        order_ids: vec![
            id(&first),
            id(&topup.body["data"]),
            id(&second.body["data"]),
        ],
    }
}

/// The CSRF token embedded in the console's forms.
pub fn csrf_token(html: &str) -> String {
    let marker = "name=\"csrf\" value=\"";
    let start = html.find(marker).expect("a form with the CSRF token") + marker.len();
    let len = html[start..].find('"').expect("end of the token");
    html[start..start + len].to_string()
}
