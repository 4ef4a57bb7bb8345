//! Control endpoints under /_sandbox/ and the handle's helpers.

use crate::common::{PACKAGES, PKG, control_sim, env, sim};
use pressone_esim_sandbox::Operation;
use serde_json::json;

/// The control endpoints of the clock and the balance.
const CLOCK: &str = "/_sandbox/clock/advance";
const BALANCE: &str = "/_sandbox/balance";

#[tokio::test]
async fn state_clock_and_balance_endpoints() {
    let e = env().await;
    let iccid = e.esim(PKG).await;
    let s = e.control("GET", "/_sandbox/state", None).await;
    assert_eq!(s.status, 200);
    assert_eq!(s.body["balance"], "996.85");
    assert_eq!(s.body["orders"], 1);
    assert_eq!(s.body["esims"], 1);
    assert_eq!(s.body["stats"]["requests"]["submit_order"], 1);
    assert_eq!(s.body["stats"]["requests"]["request_access_token"], 1);

    let before = e.sb.now();
    let a = e
        .post_control(CLOCK, json!({"hours": 2, "minutes": 30}))
        .await;
    assert_eq!(a.status, 200);
    assert_eq!(a.body["clock_offset_secs"], 9000);
    assert!((e.sb.now() - before).num_seconds() >= 9000);
    let b = e.post_control(BALANCE, json!({"amount": 42.5})).await;
    assert_eq!(b.body, json!({"balance": "42.5", "currency": "USD"}));

    // Refused: nothing changes.
    let consume = control_sim(&iccid, "consume");
    for (path, body, status) in [
        (CLOCK, json!({"days": 1_000_000}), 400),
        (CLOCK, json!({"weeks": 1}), 400),
        (BALANCE, json!({"amount": "-1"}), 400),
        (BALANCE, json!({"amount": "lots"}), 400),
        // Not active yet.
        (&consume, json!({"data_mb": 1}), 409),
        (&consume, json!("nope"), 400),
    ] {
        let r = e.post_control(path, body.clone()).await;
        assert_eq!(r.status, status, "{path} {body}: {}", r.text);
    }
    let b = e.control("GET", BALANCE, None).await;
    assert_eq!(b.body["balance"], "42.5");

    let sims = e.control("GET", "/_sandbox/sims", None).await;
    assert_eq!(sims.body["sims"][0]["iccid"], iccid.as_str());
    assert_eq!(sims.body["sims"][0]["status"], "NOT_ACTIVE");

    // Control calls are not API operations.
    assert_eq!(e.sb.stats().total(), 2);
    assert_eq!(e.sb.request_count(Operation::GetBalance), 0);
}

#[tokio::test]
async fn static_assets_referenced_by_responses() {
    let e = env().await;
    let order = e.order(PKG, 1).await;
    let iccid = order["sims"][0]["iccid"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let guide = order["installation_guides"]["en"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let r = e.http.get(&guide).send().await.expect("guide");
    assert_eq!(r.status().as_u16(), 200);

    let sim = e.get(&sim(&iccid, "")).await;
    let link = sim.body["data"]["simable"]["sharing"]["link"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let page = e.http.get(&link).send().await.expect("cloud");
    assert_eq!(page.status().as_u16(), 200);
    assert!(page.text().await.unwrap_or_default().contains(&iccid));

    let pk = e.get_q(PACKAGES, &[("limit", "1")]).await;
    let img = pk.body["data"][0]["image"]["url"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let r = e.http.get(&img).send().await.expect("image");
    assert_eq!(r.status().as_u16(), 200);
    assert!(
        r.headers()
            .get("content-type")
            .is_some_and(|v| v == "image/svg+xml")
    );

    let r = e.control("GET", "/_sandbox/qr/123.svg", None).await;
    assert_eq!(r.status, 404);
    let r = e
        .control("GET", "/_sandbox/images/%3Cscript%3E.svg", None)
        .await;
    assert_eq!(r.status, 404);
}
