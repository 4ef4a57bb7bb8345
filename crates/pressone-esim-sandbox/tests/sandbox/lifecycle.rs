//! eSIM lifecycle: usage progression on the sandbox clock, top-ups, package history, recycling,
//! rate rules.

use std::time::Duration;

use crate::common::{PKG, TOPUPS, assert_shape, control_sim, env, env_with, fixture, sim};
use crate::support::{submit_topup, topup_of};
use pressone_esim_sandbox::SandboxConfig;
use serde_json::json;

/// Tokens that survive the multi-day clock jumps of these tests.
fn long_tokens() -> SandboxConfig {
    SandboxConfig::default().token_ttl(Duration::from_secs(400 * 86_400))
}

#[tokio::test]
async fn usage_progresses_with_the_clock() {
    // Live usage: this test reads it between clock steps shorter than the 20-minute cache.
    let e = env_with(
        SandboxConfig::default()
            .consumption_mb_per_hour(60)
            .usage_cache(None),
    )
    .await;
    let iccid = e.esim(PKG).await;
    let usage = sim(&iccid, "/usage");

    let r = e.get(&usage).await;
    assert_eq!(r.status, 200);
    assert_shape("airalo.get-usage.200.json", &r.body);
    assert_eq!(r.body["meta"]["message"], "api.succes");
    assert_eq!(r.body["data"]["status"], "NOT_ACTIVE");
    assert_eq!(r.body["data"]["total"], 1024);
    assert_eq!(r.body["data"]["remaining"], 1024);
    assert!(r.body["data"]["expired_at"].is_null());

    // Nothing is consumed before activation.
    e.sb.advance_clock(Duration::from_secs(5 * 3600));
    assert_eq!(e.get(&usage).await.body["data"]["remaining"], 1024);

    let act = e
        .control("POST", &control_sim(&iccid, "activate"), None)
        .await;
    assert_eq!(act.status, 200, "{}", act.text);
    assert_eq!(act.body["usage"]["status"], "ACTIVE");
    e.sb.advance_clock(Duration::from_secs(2 * 3600));
    let r = e.get(&usage).await;
    assert_eq!(r.body["data"]["status"], "ACTIVE");
    // 2 h at 60 MB/h, give or take the real milliseconds that passed.
    let remaining = r.body["data"]["remaining"].as_u64().unwrap_or(0);
    assert!((903..=904).contains(&remaining), "{remaining}");
    assert!(r.body["data"]["expired_at"].is_string());

    // Control consumption finishes it.
    let c = e
        .post_control(&control_sim(&iccid, "consume"), json!({"data_mb": 5000}))
        .await;
    assert_eq!(c.status, 200, "{}", c.text);
    let r = e.get(&usage).await;
    assert_eq!(r.body["data"]["status"], "FINISHED");
    assert_eq!(r.body["data"]["remaining"], 0);
}

#[tokio::test]
async fn expiry_by_clock_and_by_control() {
    let e = env_with(long_tokens()).await;
    let iccid = e.active_esim(PKG).await;
    e.sb.advance_clock(Duration::from_secs(8 * 86_400));
    let r = e.get(&sim(&iccid, "/usage")).await;
    // 60 MB/h for 7 days exhausts 1 GB before the validity ends.
    assert_eq!(r.body["data"]["status"], "FINISHED");

    let e = env_with(long_tokens().consumption_mb_per_hour(1)).await;
    let iccid = e.active_esim(PKG).await;
    e.sb.advance_clock(Duration::from_secs(7 * 86_400 + 60));
    let r = e.get(&sim(&iccid, "/usage")).await;
    assert_eq!(r.body["data"]["status"], "EXPIRED");
    assert_eq!(r.body["data"]["remaining"], 1024 - 7 * 24);

    let iccid2 = e.active_esim(PKG).await;
    let x = e
        .control("POST", &control_sim(&iccid2, "expire"), None)
        .await;
    assert_eq!(x.body["usage"]["status"], "EXPIRED");
}

#[tokio::test]
async fn unlimited_and_voice_usage() {
    let e = env_with(long_tokens()).await;
    let iccid = e.active_esim("change-7days-unlimited").await;
    e.sb.advance_clock(Duration::from_secs(3 * 86_400));
    let r = e.get(&sim(&iccid, "/usage")).await;
    assert_eq!(r.body["data"]["status"], "ACTIVE");
    assert_eq!(r.body["data"]["is_unlimited"], true);
    assert_eq!(r.body["data"]["total"], 0);

    let v = e.active_esim("uki-mobile-15days-2gb").await;
    e.sb.consume(&v, 0, 10, 3).expect("consume");
    let r = e.get(&sim(&v, "/usage")).await;
    assert_eq!(r.body["data"]["total_voice"], 50);
    assert_eq!(r.body["data"]["remaining_voice"], 40);
    assert_eq!(r.body["data"]["total_text"], 50);
    assert_eq!(r.body["data"]["remaining_text"], 47);
}

#[tokio::test]
async fn auto_activation() {
    let e = env_with(
        SandboxConfig::default()
            .auto_activate_after(Some(Duration::from_secs(600)))
            .usage_cache(None),
    )
    .await;
    let iccid = e.esim(PKG).await;
    let usage = sim(&iccid, "/usage");
    assert_eq!(e.get(&usage).await.body["data"]["status"], "NOT_ACTIVE");
    e.sb.advance_clock(Duration::from_secs(601));
    assert_eq!(e.get(&usage).await.body["data"]["status"], "ACTIVE");
}

#[tokio::test]
async fn topups_list_and_submit() {
    let e = env().await;
    let iccid = e.esim("uki-mobile-15days-2gb").await;

    // NOT_ACTIVE: no top-ups offered, submit refused with code 43.
    let r = e.get(&sim(&iccid, "/topups")).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body["data"], json!([]));
    let r = topup_of(&e, "uki-mobile-30days-3gb-topup", &iccid).await;
    assert_eq!(r.status, 422);
    assert_eq!(r.body["code"], 43);

    e.sb.activate(&iccid).expect("activate");
    let r = e.get(&sim(&iccid, "/topups")).await;
    assert_eq!(r.status, 200);
    assert_shape("airalo.get-topups.200.json", &r.body);
    let first = r.body["data"][0].clone();
    assert_eq!(first["type"], "topup");
    let pkg = first["id"].as_str().unwrap_or_default().to_string();

    let before = e.sb.balance();
    let r = e
        .post_multipart(TOPUPS, &[("package_id", &pkg), ("iccid", &iccid)], true)
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_shape("airalo.submit-topup.200.json", &r.body);
    assert_eq!(
        r.body["data"]["description"],
        format!("Topup ({iccid})").as_str()
    );
    assert_eq!(r.body["data"]["type"], "topup");
    let net: pressone_esim_sandbox::Decimal =
        first["net_price"].to_string().parse().unwrap_or_default();
    assert_eq!(before - e.sb.balance(), net);
    assert_eq!(e.sb.topup_count(), 1);

    // The top-up adds data.
    let u = e.get(&sim(&iccid, "/usage")).await;
    assert_eq!(u.body["data"]["total"], 2048 + 3072);

    // Package history shows both packages, newest first.
    let h = e.get(&sim(&iccid, "/packages")).await;
    assert_eq!(h.status, 200);
    assert_shape("airalo.get-esim-package-history.200.json", &h.body);
    let data = h.body["data"].as_array().cloned().unwrap_or_default();
    assert_eq!(data.len(), 2);
    assert_eq!(data[0]["package"]["type"], "topup");
    assert_eq!(data[1]["package"]["type"], "sim");
    assert!(
        data[0]["activated_at"]
            .as_str()
            .is_some_and(|s| s.ends_with("+00:00"))
    );

    // Custom description.
    let r = submit_topup(
        &e,
        &[
            ("package_id", &pkg),
            ("iccid", &iccid),
            ("description", "my ref"),
        ],
    )
    .await;
    assert_eq!(r.body["data"]["description"], "my ref");
}

#[tokio::test]
async fn topup_revives_a_finished_esim() {
    let e = env_with(SandboxConfig::default().usage_cache(None)).await;
    let iccid = e.active_esim(PKG).await;
    e.sb.consume(&iccid, 1024, 0, 0).expect("consume");
    let u = e.get(&sim(&iccid, "/usage")).await;
    assert_eq!(u.body["data"]["status"], "FINISHED");
    let r = topup_of(&e, "change-7days-1gb-topup", &iccid).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let u = e.get(&sim(&iccid, "/usage")).await;
    assert_eq!(u.body["data"]["status"], "ACTIVE");
    assert_eq!(u.body["data"]["remaining"], 1024);
}

#[tokio::test]
async fn topup_errors() {
    let e = env_with(SandboxConfig::default().max_topups_per_esim(1)).await;
    let iccid = e.active_esim(PKG).await;
    let r = submit_topup(&e, &[]).await;
    assert_eq!(r.status, 422);
    assert_eq!(
        r.body,
        fixture("airalo.submit-topup.422-required-fields-missing.json")
    );
    let r = topup_of(&e, "elan-7days-1gb-topup", &iccid).await;
    assert_eq!(
        r.body,
        fixture("airalo.submit-topup.422-invalid-package-id.json"),
        "other operator"
    );
    let r = topup_of(&e, PKG, &iccid).await;
    assert_eq!(
        r.body,
        fixture("airalo.submit-topup.422-invalid-package-id.json"),
        "sim package"
    );
    let r = topup_of(&e, "change-7days-1gb-topup", "8900000000000000000").await;
    assert_eq!(r.status, 422);
    assert_eq!(r.body["data"]["iccid"], "The selected iccid is invalid.");

    let ok = topup_of(&e, "change-7days-1gb-topup", &iccid).await;
    assert_eq!(ok.status, 200);
    let r = topup_of(&e, "change-7days-1gb-topup", &iccid).await;
    assert_eq!(
        r.body,
        fixture("airalo.submit-topup.422-purchase-limit-exceeded.json")
    );

    // Insufficient balance on a top-up.
    let iccid2 = e.active_esim(PKG).await;
    e.sb.set_balance("1.00".parse().unwrap_or_default());
    let r = topup_of(&e, "change-7days-1gb-topup", &iccid2).await;
    assert_eq!(r.status, 422);
    assert_eq!(r.body["code"], 11);
}

#[tokio::test]
async fn recycled_esims() {
    let e = env().await;
    let iccid = e.active_esim(PKG).await;
    let r = e
        .control("POST", &control_sim(&iccid, "recycle"), None)
        .await;
    assert_eq!(r.status, 200);
    let u = e.get(&sim(&iccid, "/usage")).await;
    assert_eq!(u.body, fixture("airalo.get-usage.200-recycled-sim.json"));

    let expected = json!({
        "code": 73,
        "reason": format!("The eSIM with iccid {iccid} has been recycled. It can no longer be used or topped up."),
    });
    let t = e.get(&sim(&iccid, "/topups")).await;
    assert_eq!(t.status, 422);
    assert_eq!(t.body, expected);
    assert_shape("airalo.get-topups.422-recycled-sim.json", &t.body);
    let s = topup_of(&e, "change-7days-1gb-topup", &iccid).await;
    assert_eq!(s.status, 422);
    assert_eq!(s.body, expected);
    // Control actions on a recycled eSIM conflict.
    let a = e
        .control("POST", &control_sim(&iccid, "activate"), None)
        .await;
    assert_eq!(a.status, 409);
    let unknown = e.control("POST", "/_sandbox/sims/123/activate", None).await;
    assert_eq!(unknown.status, 404);
}

#[tokio::test]
async fn usage_rate_limit_100_per_minute() {
    let e = env().await;
    let iccid = e.esim(PKG).await;
    let other = e.esim(PKG).await;
    let path = sim(&iccid, "/usage");
    for i in 0..100 {
        let r = e.get(&path).await;
        assert_eq!(r.status, 200, "request {i}");
        assert_eq!(r.header("x-ratelimit-limit"), Some("100"));
        assert_eq!(
            r.header("x-ratelimit-remaining"),
            Some((99 - i).to_string().as_str())
        );
    }
    let r = e.get(&path).await;
    assert_eq!(r.status, 429);
    assert_eq!(r.body, fixture("airalo.get-usage.429-rate-limit.json"));
    let retry = r.retry_after();
    assert!((1..=60).contains(&retry), "{retry}");
    assert_eq!(r.header("x-ratelimit-limit"), Some("100"));
    assert_eq!(r.header("x-ratelimit-remaining"), Some("0"));
    // Per ICCID.
    assert_eq!(e.get(&sim(&other, "/usage")).await.status, 200);
    e.sb.advance_clock(Duration::from_secs(retry));
    assert_eq!(e.get(&path).await.status, 200);
}

#[tokio::test]
async fn package_history_once_per_15_minutes() {
    let e = env().await;
    let iccid = e.esim(PKG).await;
    let path = sim(&iccid, "/packages");
    let r = e.get_expect(&path, 200).await;
    assert_eq!(r.body["data"][0]["status"], "NOT_ACTIVE");
    assert!(r.body["data"][0]["activated_at"].is_null());
    let r = e.get(&path).await;
    assert_eq!(r.status, 429);
    assert_eq!(
        r.body,
        fixture("airalo.get-esim-package-history.429-rate-limit.json")
    );
    let retry = r.retry_after();
    assert!((899..=900).contains(&retry), "{retry}");
    assert_eq!(r.header("x-ratelimit-limit"), Some("1"));
    e.sb.advance_clock(Duration::from_secs(14 * 60));
    let r = e.get(&path).await;
    assert_eq!(r.status, 429);
    let retry = r.retry_after();
    assert!((59..=60).contains(&retry), "{retry}");
    e.sb.advance_clock(Duration::from_secs(61));
    assert_eq!(e.get(&path).await.status, 200);
}
