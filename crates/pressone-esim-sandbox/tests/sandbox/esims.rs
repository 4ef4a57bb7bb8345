//! Get eSIMs list, Get eSIM, installation instructions, and byte-identical responses for the
//! same seed.

use crate::common::{PKG, SIMS, assert_shape, env, env_with, sim};
use crate::support::submit_order;
use pressone_esim_sandbox::SandboxConfig;
use serde_json::Value;

#[tokio::test]
async fn esims_list_and_get_esim() {
    let e = env().await;
    let r = submit_order(
        &e,
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
        .get_q(SIMS, &[("include", "order,order.status,order.user,share")])
        .await;
    assert_eq!(list.status, 200);
    assert_shape("airalo.get-esims-list.200.json", &list.body);
    assert_eq!(list.body["meta"]["total"], 3);

    let one = e.get(&sim(&iccid, "")).await;
    assert_eq!(one.status, 200);
    assert_shape("airalo.get-esim.200.json", &one.body);
    assert_eq!(one.body["meta"]["message"], "succes");
    assert_eq!(one.body["data"]["recycled"], true);
    assert!(one.body["data"]["recycled_at"].is_string());
    assert_eq!(one.body["data"]["simable"]["validity"], "7");
    assert_eq!(one.body["data"]["simable"]["quantity"], 3);

    let filtered = e.get_q(SIMS, &[("filter[iccid]", &iccid[3..])]).await;
    assert_eq!(filtered.body["meta"]["total"], 1);
    let page = e.get_q(SIMS, &[("limit", "2"), ("page", "2")]).await;
    assert_eq!(page.body["data"].as_array().map(Vec::len), Some(1));
    assert_eq!(page.body["meta"]["per_page"], "2");
}

#[tokio::test]
async fn installation_instructions() {
    let e = env().await;
    let iccid = e.esim(PKG).await;
    let r = e
        .get_with(&sim(&iccid, "/instructions"), &[("Accept-Language", "en")])
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
            &sim(&iccid, "/instructions"),
            &[("Accept-Language", "fr-FR,fr;q=0.9")],
        )
        .await;
    assert_eq!(fr.body["data"]["instructions"]["language"], "FR");
    let none = e.get(&sim(&iccid, "/instructions")).await;
    assert_eq!(none.body["data"]["instructions"]["language"], "EN");
}

#[tokio::test]
async fn determinism_same_seed_same_responses() {
    let start = chrono::DateTime::parse_from_rfc3339("2025-03-01T10:00:00Z")
        .expect("date")
        .with_timezone(&chrono::Utc);
    let frozen = |seed| {
        let config = SandboxConfig::default().seed(seed);
        config.start_time(start).frozen_clock(true)
    };
    let mut runs = Vec::new();
    for _ in 0..2 {
        let e = env_with(frozen(42)).await;
        let order = e.order(PKG, 2).await;
        let base = e.sb.base_url();
        let text = serde_json::to_string(&order)
            .unwrap_or_default()
            .replace(&base, "BASE");
        runs.push((e.token.clone(), text));
    }
    assert_eq!(runs[0], runs[1]);
    assert!(runs[0].1.contains("2025-03-01 10:00:00"));
    let other = env_with(frozen(43)).await;
    let order = other.order(PKG, 2).await;
    assert_ne!(
        order["sims"][0]["iccid"],
        serde_json::from_str::<Value>(&runs[0].1).unwrap_or_default()["sims"][0]["iccid"]
    );
}
