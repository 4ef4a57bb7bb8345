//! Bad input never crashes the server nor corrupts state; concurrency keeps the books straight.

use std::collections::HashSet;

use crate::common::{
    BALANCE, ORDERS, PACKAGES, PKG, SIMS, TOKEN, TOPUPS, env, env_with, multipart, sim,
};
use crate::support::call;
use pressone_esim_sandbox::{Decimal, Sandbox, SandboxConfig};
use serde_json::json;

#[tokio::test]
async fn malformed_bodies_are_rejected_cleanly() {
    let e = env().await;
    let path = ORDERS;
    // Broken multipart (boundary never closed / wrong boundary).
    let (_, body) = multipart(&[("quantity", "1"), ("package_id", PKG)]);
    let r = e
        .post_raw(
            path,
            "multipart/form-data; boundary=somethingelse",
            body.clone(),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.text);
    assert_eq!(r.body["meta"]["message"], "the parameter is invalid");
    let r = e.post_raw(path, "multipart/form-data", body).await;
    assert_eq!(r.status, 422, "{}", r.text);
    // Broken JSON, an unsupported type, binary garbage, a token request's broken multipart.
    for (to, content_type, body) in [
        (path, "application/json", b"{\"quantity\": ".to_vec()),
        (path, "application/json", b"[1,2,3]".to_vec()),
        (path, "text/plain", b"quantity=1".to_vec()),
        (
            path,
            "application/x-www-form-urlencoded",
            vec![0xff, 0xfe, 0x00, 0x80],
        ),
        (
            TOKEN,
            "multipart/form-data; boundary=x",
            b"--x\r\ngarbage".to_vec(),
        ),
    ] {
        let r = e.post_raw(to, content_type, body.clone()).await;
        assert_eq!(r.status, 422, "{to} {content_type} {body:?}: {}", r.text);
    }
    // JSON object works (Laravel reads JSON too).
    let r = e
        .post_raw(
            path,
            "application/json",
            br#"{"quantity": 1, "package_id": "change-7days-1gb"}"#.to_vec(),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);

    // Oversized bodies: 413 in the API's shape.
    let big = vec![b'a'; 70 * 1024];
    let r = e
        .post_raw(path, "application/x-www-form-urlencoded", big.clone())
        .await;
    assert_eq!(r.status, 413);
    assert_eq!(
        r.body,
        json!({"data": [], "meta": {"message": "The request body is too large."}})
    );
    let r = e
        .post_raw(TOPUPS, "application/x-www-form-urlencoded", big)
        .await;
    assert_eq!(r.status, 413);

    // State intact: only the one valid order.
    assert_eq!(e.sb.order_count(), 1);
    assert_eq!(
        e.sb.balance(),
        "996.85".parse::<Decimal>().unwrap_or_default()
    );
    assert_eq!(e.get(BALANCE).await.status, 200);
}

#[tokio::test]
async fn unknown_paths_and_wrong_methods() {
    let e = env().await;
    let r = e.get_expect("/customer/v2/nothing-here", 404).await;
    assert_eq!(
        r.body,
        json!({"data": [], "meta": {"message": "messages.resource_not_found"}})
    );
    // (`/` itself is the console's HTML page.)
    let r = e.get("/nothing-here").await;
    assert_eq!(r.status, 404);
    assert!(r.body.is_object());
    let r = e.get("/api/third-party/partner/nothing/").await;
    assert_eq!(r.status, 404);
    assert_eq!(r.body, json!({"detail": "Not found."}));

    let r = call(&e, "DELETE", ORDERS).await;
    assert_eq!(r.status, 405);
    assert!(
        r.body["meta"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("DELETE"))
    );
    let r = e.http.put(e.url(TOKEN)).send().await.expect("resp");
    assert_eq!(r.status().as_u16(), 405);
    let r = e.get(TOPUPS).await;
    assert_eq!(r.status, 405);
    let r = call(&e, "DELETE", "/api/third-party/partner/user/").await;
    assert_eq!(r.status, 405);
    assert_eq!(r.body, json!({"detail": "Method \"DELETE\" not allowed."}));
}

#[tokio::test]
async fn odd_query_strings_and_paths() {
    let e = env().await;
    for q in [
        "limit=%ZZ",
        "page=%",
        "filter%5Btype%5D=",
        "limit=1&limit=2",
        "&&&=",
    ] {
        let r = e
            .http
            .get(format!("{}?{q}", e.url(PACKAGES)))
            .bearer_auth(&e.token)
            .send()
            .await
            .expect("resp");
        assert!(r.status().as_u16() < 500, "{q}");
    }
    let huge = i64::MAX.to_string();
    for path in [PACKAGES, ORDERS, SIMS] {
        let r = e.get_q(path, &[("limit", &huge), ("page", &huge)]).await;
        assert_eq!(r.status, 200, "{path}");
        assert_eq!(r.body["data"], json!([]));
        let r = e.get_q(path, &[("limit", "1"), ("page", &huge)]).await;
        assert_eq!(r.status, 200, "{path}");
    }
    let r = e
        .get_q(
            "/api/third-party/partner/user/",
            &[("page", &huge), ("page_size", &huge)],
        )
        .await;
    // page_size is checked first: the spec bounds it to 1..=100.
    assert_eq!(r.status, 400);
    assert_eq!(
        r.body,
        json!({"page_size": ["Ensure this value is less than or equal to 100."]})
    );
    let r = e
        .get_q(
            "/api/third-party/partner/user/",
            &[("page", &huge), ("page_size", "100")],
        )
        .await;
    assert_eq!(r.status, 404);
    let r = e.get("/customer/v2/sims/%FF%FE/usage").await;
    assert_eq!(r.status, 404);
    let long = "9".repeat(5000);
    let r = e.get(&sim(&long, "")).await;
    assert!(
        r.status == 404 || r.status == 414 || r.status == 431,
        "{}",
        r.status
    );
    assert_eq!(e.get(BALANCE).await.status, 200);
}

/// Sends `n` orders of `change-7days-1gb` (3.15 each) at once, with descriptions
/// `concurrent-0`…; returns each answer's status and body.
async fn concurrent_orders(e: &crate::common::Env, n: usize) -> Vec<(u16, serde_json::Value)> {
    let mut tasks = Vec::new();
    for i in 0..n {
        let http = e.http.clone();
        let url = e.url(ORDERS);
        let token = e.token.clone();
        tasks.push(tokio::spawn(async move {
            let desc = format!("concurrent-{i}");
            let r = http
                .post(url)
                .bearer_auth(token)
                .form(&[
                    ("quantity", "1"),
                    ("package_id", PKG),
                    ("description", desc.as_str()),
                ])
                .send()
                .await
                .expect("response");
            let status = r.status().as_u16();
            let body: serde_json::Value = r.json().await.unwrap_or_default();
            (status, body)
        }));
    }
    let mut out = Vec::new();
    for t in tasks {
        out.push(t.await.expect("task"));
    }
    out
}

#[tokio::test]
async fn concurrent_orders_keep_a_consistent_balance() {
    let e =
        env_with(SandboxConfig::default().initial_balance("5000.00".parse().unwrap_or_default()))
            .await;
    let mut iccids = HashSet::new();
    let mut ids = HashSet::new();
    for (status, body) in concurrent_orders(&e, 200).await {
        assert_eq!(status, 200, "{body}");
        ids.insert(body["data"]["id"].as_u64().unwrap_or(0));
        iccids.insert(
            body["data"]["sims"][0]["iccid"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
        );
    }
    assert_eq!(ids.len(), 200);
    assert_eq!(iccids.len(), 200);
    assert_eq!(e.sb.order_count(), 200);
    // 5000.00 - 200 × 3.15
    assert_eq!(
        e.sb.balance(),
        "4370.00".parse::<Decimal>().unwrap_or_default()
    );
    let list = e.get_q(ORDERS, &[("limit", "1000")]).await;
    assert_eq!(list.body["meta"]["total"], 200);
}

#[tokio::test]
async fn concurrent_orders_never_overdraw() {
    // Room for exactly 40 orders of 3.15.
    let e =
        env_with(SandboxConfig::default().initial_balance("126.00".parse().unwrap_or_default()))
            .await;
    let mut ok = 0;
    let mut code11 = 0;
    for (status, body) in concurrent_orders(&e, 100).await {
        match (status, body["code"].as_u64()) {
            (200, _) => ok += 1,
            (422, Some(11)) => code11 += 1,
            other => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!((ok, code11), (40, 60));
    assert_eq!(e.sb.balance(), Decimal::ZERO);
    assert_eq!(e.sb.order_count(), 40);
}

#[tokio::test]
async fn shutdown_and_drop_stop_the_server() {
    let sb = Sandbox::start(SandboxConfig::default())
        .await
        .expect("start");
    let url = format!("{}/customer/v2/balance", sb.base_url());
    let http = reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("client");
    assert_eq!(
        http.get(&url)
            .send()
            .await
            .map(|r| r.status().as_u16())
            .ok(),
        Some(401)
    );
    sb.shutdown().await;
    let fresh = reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("client");
    assert!(fresh.get(&url).send().await.is_err());

    let sb = Sandbox::start(SandboxConfig::default())
        .await
        .expect("start");
    let url = format!("{}/customer/v2/balance", sb.base_url());
    // No waiting: the server stops at its next poll, which the request below lets happen.
    drop(sb);
    let fresh = reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("client");
    assert!(fresh.get(&url).send().await.is_err());
}

#[tokio::test]
async fn bind_fixed_address_and_router() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    drop(listener);
    let sb = Sandbox::bind(addr, SandboxConfig::default())
        .await
        .expect("bind");
    assert_eq!(sb.addr(), addr);
    assert_eq!(sb.base_url(), format!("http://{addr}"));
    assert_eq!(sb.voice_base_url(), sb.base_url());
    // A plain router serves the same API.
    let router = pressone_esim_sandbox::router(SandboxConfig::default());
    let l = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let a = l.local_addr().expect("addr");
    tokio::spawn(async move {
        let _ = axum_serve(l, router).await;
    });
    let http = reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("client");
    let r = http
        .get(format!("http://{a}/customer/v2/balance"))
        .send()
        .await
        .expect("resp");
    assert_eq!(r.status().as_u16(), 401);
}

async fn axum_serve(l: tokio::net::TcpListener, router: axum::Router) -> std::io::Result<()> {
    axum::serve(l, router).await
}
