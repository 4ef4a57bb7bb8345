//! Fault injection: header faults, configured faults (deterministic), selective operations,
//! after-processing faults, dropped connections, statistics.

use std::time::Duration;

use crate::common::{BALANCE, DEVICES, Env, ORDERS, PACKAGES, PKG, env, env_with};
use crate::support::order_one;
use pressone_esim_sandbox::{FaultConfig, LATENCY_HEADER, Operation, SandboxConfig};
use reqwest::Method;
use serde_json::json;

async fn balance_with_fault(e: &Env, fault: &str) -> reqwest::Result<reqwest::Response> {
    e.with_fault(Method::GET, BALANCE, fault, None).await
}

/// The response of a balance call under `fault`.
async fn balance_fault(e: &Env, fault: &str) -> reqwest::Response {
    balance_with_fault(e, fault).await.expect("response")
}

/// Submits an order of one `change-7days-1gb` (with `description`, if any) under `fault`.
async fn order_with_fault(
    e: &Env,
    fault: &str,
    description: Option<&str>,
) -> reqwest::Result<reqwest::Response> {
    let mut form = vec![("quantity", "1"), ("package_id", PKG)];
    form.extend(description.map(|d| ("description", d)));
    e.with_fault(Method::POST, ORDERS, fault, Some(&form)).await
}

#[tokio::test]
async fn header_status_faults() {
    let e = env().await;
    let r = balance_fault(&e, "status=503").await;
    assert_eq!(r.status().as_u16(), 503);
    assert_eq!(
        r.json::<serde_json::Value>().await.ok(),
        Some(json!({"message": "Service Unavailable"}))
    );

    let r = balance_fault(&e, "status=500").await;
    assert_eq!(r.status().as_u16(), 500);

    let r = balance_fault(&e, "status=429;retry_after=2").await;
    assert_eq!(r.status().as_u16(), 429);
    assert_eq!(
        r.headers().get("retry-after").and_then(|v| v.to_str().ok()),
        Some("2")
    );
    assert!(r.headers().get("x-ratelimit-limit").is_some());
    assert_eq!(
        r.headers()
            .get("x-ratelimit-remaining")
            .and_then(|v| v.to_str().ok()),
        Some("0")
    );
    assert_eq!(
        r.json::<serde_json::Value>().await.ok(),
        Some(json!({"message": "Too Many Attempts."}))
    );

    let bad = balance_fault(&e, "explode").await;
    assert_eq!(bad.status().as_u16(), 400);

    // Voice faults use DRF shapes.
    let r = e
        .http
        .get(e.url("/api/third-party/partner/user/"))
        .bearer_auth(&e.token)
        .header("X-Sandbox-Fault", "status=429;retry_after=3")
        .send()
        .await
        .expect("response");
    assert_eq!(r.status().as_u16(), 429);
    assert_eq!(
        r.headers().get("retry-after").and_then(|v| v.to_str().ok()),
        Some("3")
    );
    let body: serde_json::Value = r.json().await.unwrap_or_default();
    assert!(
        body["detail"]
            .as_str()
            .is_some_and(|d| d.contains("throttled"))
    );

    assert_eq!(e.sb.stats().faults_injected(Operation::GetBalance), 3);
    assert_eq!(e.sb.request_count(Operation::GetBalance), 4);
}

/// The latency the sandbox says it injected (`None`: none).
fn injected_ms(r: &crate::common::Resp) -> Option<u64> {
    r.header(LATENCY_HEADER).and_then(|v| v.parse().ok())
}

// Paused clock: the sandbox's sleep runs on tokio's virtual time, so the test waits for nothing
// and what it measures cannot depend on the machine's load.
#[tokio::test(start_paused = true)]
async fn header_latency() {
    let e = env().await;
    let start = tokio::time::Instant::now();
    let r = e
        .get_with(BALANCE, &[("X-Sandbox-Fault", "latency_ms=300")])
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(injected_ms(&r), Some(300));
    assert!(
        start.elapsed() >= Duration::from_millis(300),
        "the server slept"
    );
    let plain = e.get(BALANCE).await;
    assert_eq!(injected_ms(&plain), None);
}

#[tokio::test]
async fn header_drop_is_a_transport_error() {
    let e = env().await;
    let err = balance_with_fault(&e, "drop")
        .await
        .expect_err("no response");
    assert!(!err.is_status());
    assert!(
        err.is_request() || err.is_connect() || err.is_body(),
        "{err:?}"
    );
    // The server is still fine afterwards.
    assert_eq!(e.get(BALANCE).await.status, 200);
}

#[tokio::test]
async fn after_processing_order_fault_creates_the_order() {
    let e = env().await;
    let before = e.sb.balance();
    let r = order_with_fault(&e, "status=500;after", Some("idem-123"))
        .await
        .expect("response");
    assert_eq!(r.status().as_u16(), 500);
    assert_eq!(e.sb.order_count(), 1, "the order was created");
    assert!(e.sb.balance() < before);
    assert_eq!(
        e.total(ORDERS, &[("filter[description]", "idem-123")])
            .await,
        1
    );

    // Dropped after processing: transport error, order created.
    let err = order_with_fault(&e, "drop;after", Some("idem-456")).await;
    assert!(err.is_err());
    assert_eq!(e.sb.order_count(), 2);
    assert_eq!(e.sb.orders_with_description("idem-456").len(), 1);

    // Without `after`, a fault means nothing happened.
    let r = order_with_fault(&e, "status=503", None)
        .await
        .expect("response");
    assert_eq!(r.status().as_u16(), 503);
    assert_eq!(e.sb.order_count(), 2);
    assert_eq!(e.sb.request_count(Operation::SubmitOrder), 3);
}

#[tokio::test]
async fn configured_faults_are_selective() {
    let faults = FaultConfig::none()
        .server_errors(1.0, 502)
        .only([Operation::SubmitOrder]);
    let e = env_with(SandboxConfig::default().faults(faults)).await;
    assert_eq!(e.get(BALANCE).await.status, 200);
    assert_eq!(e.get(PACKAGES).await.status, 200);
    let r = order_one(&e, PKG, &[]).await;
    assert_eq!(r.status, 502);
    assert_eq!(e.sb.order_count(), 0);
    // `none` bypasses configured faults for one request.
    let r = order_with_fault(&e, "none", None).await.expect("response");
    assert_eq!(r.status().as_u16(), 200);

    // After processing, configured.
    e.sb.set_faults(
        FaultConfig::none()
            .server_errors(1.0, 500)
            .only([Operation::SubmitOrder])
            .after_processing(true),
    )
    .expect("valid");
    let r = order_one(&e, PKG, &[]).await;
    assert_eq!(r.status, 500);
    assert_eq!(e.sb.order_count(), 2);

    // Dropped connections, configured.
    e.sb.set_faults(FaultConfig::none().drops(1.0).only([Operation::GetBalance]))
        .expect("valid");
    let err = e
        .http
        .get(e.url(BALANCE))
        .bearer_auth(&e.token)
        .send()
        .await;
    assert!(err.is_err());
    assert_eq!(e.get(PACKAGES).await.status, 200);

    // Rate limits, configured.
    e.sb.set_faults(
        FaultConfig::none()
            .rate_limits(1.0, Duration::from_secs(4))
            .only([Operation::GetPackages]),
    )
    .expect("valid");
    let r = e.get(PACKAGES).await;
    assert_eq!(r.status, 429);
    assert_eq!(r.header("retry-after"), Some("4"));

    e.sb.clear_faults();
    assert_eq!(e.get(PACKAGES).await.status, 200);
    assert!(
        e.sb.set_faults(FaultConfig::none().server_errors(1.5, 500))
            .is_err()
    );
}

async fn fault_pattern(seed: u64) -> Vec<u16> {
    let faults = FaultConfig::none()
        .server_errors(0.3, 503)
        .rate_limits(0.2, Duration::from_secs(1))
        .only([Operation::GetBalance]);
    let e = env_with(SandboxConfig::default().seed(seed).faults(faults)).await;
    let mut out = Vec::new();
    for _ in 0..40 {
        out.push(e.get(BALANCE).await.status);
    }
    out
}

#[tokio::test]
async fn configured_faults_are_deterministic_per_seed() {
    let a = fault_pattern(1).await;
    let b = fault_pattern(1).await;
    assert_eq!(a, b);
    assert!(
        a.contains(&503) && a.contains(&429) && a.contains(&200),
        "{a:?}"
    );
    let c = fault_pattern(2).await;
    assert_ne!(a, c);
}

/// Latencies (ms) the sandbox injected into 12 balance calls with 800 ms latency and up to
/// 50 ms jitter, each checked against the (virtual) time the call took.
async fn latencies(seed: u64) -> Vec<u64> {
    let faults = FaultConfig::none()
        .latency(Duration::from_millis(800))
        .jitter(Duration::from_millis(50))
        .only([Operation::GetBalance]);
    let e = env_with(SandboxConfig::default().seed(seed).faults(faults)).await;
    let mut out = Vec::new();
    for _ in 0..12 {
        let start = tokio::time::Instant::now();
        let r = e.get(BALANCE).await;
        assert_eq!(r.status, 200);
        let ms = injected_ms(&r).expect("latency injected");
        assert!(
            (800..=850).contains(&ms),
            "{ms} ms is latency + jitter in [0, 50]"
        );
        assert!(
            start.elapsed() >= Duration::from_millis(ms),
            "the server slept {ms} ms"
        );
        out.push(ms);
    }
    // Other operations are not delayed.
    let other = e.get(DEVICES).await;
    assert_eq!(other.status, 200);
    assert_eq!(injected_ms(&other), None);
    assert_eq!(e.sb.stats().faults_injected(Operation::GetBalance), 0);
    out
}

#[tokio::test(start_paused = true)]
async fn configured_latency_and_jitter() {
    let a = latencies(3).await;
    let distinct: std::collections::BTreeSet<u64> = a.iter().copied().collect();
    assert!(distinct.len() > 1, "jitter varies the latency: {a:?}");
    // Drawn from the seeded fault stream: the same seed gives the same latencies.
    assert_eq!(latencies(3).await, a);
}

#[tokio::test]
async fn faults_via_control_endpoint() {
    let e = env().await;
    let r = e
        .control(
            "PUT",
            "/_sandbox/faults",
            Some(json!({"error_rate": 1.0, "error_status": 504, "operations": ["get_balance"]})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["error_status"], 504);
    assert_eq!(e.get(BALANCE).await.status, 504);
    // Control endpoints are never faulted.
    assert_eq!(e.control("GET", "/_sandbox/state", None).await.status, 200);
    let bad = e
        .control("PUT", "/_sandbox/faults", Some(json!({"error_rate": 2})))
        .await;
    assert_eq!(bad.status, 400);
    let unknown = e
        .control("PUT", "/_sandbox/faults", Some(json!({"boom": 1})))
        .await;
    assert_eq!(unknown.status, 400);
    let cleared = e.control("DELETE", "/_sandbox/faults", None).await;
    assert_eq!(cleared.body["error_rate"], 0.0);
    assert_eq!(e.get(BALANCE).await.status, 200);

    let state = e.control("GET", "/_sandbox/state", None).await;
    assert_eq!(state.body["stats"]["requests"]["get_balance"], 2);
    assert_eq!(state.body["stats"]["faults"]["get_balance"], 1);
}
