//! Tenants in one process: clients with different credentials never use each other's token,
//! even when they share one token file and call concurrently, and a token refused for one
//! never costs the other its own. Extends `crates/pressone-esim/tests/sdk/auth/` (separate
//! stores, sequential use, the per-client history cache). Several stores and two processes
//! saving into one token file at once lose no token (`src/bin/hammer_token_file.rs`).

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use futures::future::join_all;
use httpmock::prelude::*;
use pressone_esim::{Client, FileTokenStore, Token, TokenKey};

use pressone_esim_testkit::{fixture, token_body};

const ICCID: &str = "8944465400000267221";

/// The token endpoint answering `token` only to these credentials.
async fn mount_token<'a>(
    server: &'a MockServer,
    id: &str,
    secret: &str,
    token: &str,
) -> httpmock::Mock<'a> {
    let form = format!("client_id={id}&client_secret={secret}&");
    let body = token_body(token);
    server
        .mock_async(move |when, then| {
            when.method(POST)
                .path("/customer/v2/token")
                .is_true(move |req| String::from_utf8_lossy(req.body_ref()).contains(&form));
            then.status(200)
                .header("content-type", "application/json")
                .body(body);
        })
        .await
}

/// Usage answering to `token` only.
async fn mount_usage<'a>(server: &'a MockServer, token: &str) -> httpmock::Mock<'a> {
    let bearer = format!("Bearer {token}");
    let usage = fixture("airalo.get-usage.200.json");
    server
        .mock_async(move |when, then| {
            when.method(GET)
                .path(format!("/customer/v2/sims/{ICCID}/usage"))
                .header("authorization", bearer);
            then.status(200)
                .header("content-type", "application/json")
                .body(usage);
        })
        .await
}

fn tenant(server: &MockServer, id: &str, secret: &str, store: &Arc<FileTokenStore>) -> Client {
    Client::builder()
        .base_url(server.base_url())
        .credentials(id, secret)
        .token_store(Arc::clone(store) as Arc<dyn pressone_esim::TokenStore>)
        .request_timeout(Duration::from_secs(5))
        .build()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tenants_sharing_a_token_file_never_use_each_others_token() {
    let server = MockServer::start_async().await;
    let token_a = mount_token(&server, "alpha", "alpha-secret", "tok-alpha-1").await;
    let token_b = mount_token(&server, "beta", "beta-secret", "tok-beta-1").await;
    let usage_a = mount_usage(&server, "tok-alpha-1").await;
    let usage_b = mount_usage(&server, "tok-beta-1").await;
    // Any other bearer is refused.
    let refused = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(format!("/customer/v2/sims/{ICCID}/usage"));
            then.status(401)
                .header("content-type", "application/json")
                .body(r#"{"data":[],"meta":{"message":"Unauthenticated."}}"#);
        })
        .await;
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(FileTokenStore::new(dir.path().join("tokens.json")));
    let alpha = tenant(&server, "alpha", "alpha-secret", &store);
    let beta = tenant(&server, "beta", "beta-secret", &store);

    let calls = (0..40).map(|i| {
        let c = if i % 2 == 0 {
            alpha.clone()
        } else {
            beta.clone()
        };
        async move { c.sims().usage(ICCID).await }
    });
    for result in join_all(calls).await {
        result.expect("each tenant with its own token");
    }
    assert_eq!(token_a.calls_async().await, 1);
    assert_eq!(token_b.calls_async().await, 1);
    assert_eq!(usage_a.calls_async().await, 20);
    assert_eq!(usage_b.calls_async().await, 20);
    assert_eq!(
        refused.calls_async().await,
        0,
        "a token was used by the wrong tenant"
    );

    // New clients of both tenants (a new run) reuse their own stored tokens.
    tenant(&server, "alpha", "alpha-secret", &store)
        .sims()
        .usage(ICCID)
        .await
        .unwrap();
    tenant(&server, "beta", "beta-secret", &store)
        .sims()
        .usage(ICCID)
        .await
        .unwrap();
    assert_eq!(token_a.calls_async().await + token_b.calls_async().await, 2);
}

#[tokio::test]
async fn a_token_refused_for_one_tenant_leaves_the_other_tenants_token() {
    let server = MockServer::start_async().await;
    let token_a = mount_token(&server, "alpha", "alpha-secret", "tok-alpha-1").await;
    let token_b = mount_token(&server, "beta", "beta-secret", "tok-beta-1").await;
    // alpha's token is refused (revoked on the server); beta's works.
    let refused_a = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(format!("/customer/v2/sims/{ICCID}/usage"))
                .header("authorization", "Bearer tok-alpha-1");
            then.status(401)
                .header("content-type", "application/json")
                .body(r#"{"data":[],"meta":{"message":"Unauthenticated."}}"#);
        })
        .await;
    let usage_b = mount_usage(&server, "tok-beta-1").await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tokens.json");
    let store = Arc::new(FileTokenStore::new(&path));
    let alpha = tenant(&server, "alpha", "alpha-secret", &store);
    let beta = tenant(&server, "beta", "beta-secret", &store);
    beta.sims().usage(ICCID).await.unwrap();
    let err = alpha
        .sims()
        .usage(ICCID)
        .await
        .expect_err("alpha is refused");
    assert_eq!(err.kind(), &pressone_esim::ErrorKind::Authentication);
    assert_eq!(
        refused_a.calls_async().await,
        2,
        "refused, refreshed, refused"
    );
    assert_eq!(token_a.calls_async().await, 2);
    // beta still has its token, in memory and in the file.
    tenant(&server, "beta", "beta-secret", &store)
        .sims()
        .usage(ICCID)
        .await
        .unwrap();
    assert_eq!(token_b.calls_async().await, 1);
    assert_eq!(usage_b.calls_async().await, 2);
    assert!(
        std::fs::read_to_string(&path)
            .unwrap()
            .contains("tok-beta-1")
    );
}

#[tokio::test]
async fn the_same_client_id_with_another_secret_never_uses_the_stored_token() {
    let server = MockServer::start_async().await;
    let good = mount_token(&server, "alpha", "alpha-secret", "tok-alpha-1").await;
    let usage = mount_usage(&server, "tok-alpha-1").await;
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(FileTokenStore::new(dir.path().join("tokens.json")));
    tenant(&server, "alpha", "alpha-secret", &store)
        .authenticate()
        .await
        .unwrap();
    assert_eq!(good.calls_async().await, 1);
    // The token endpoint refuses the wrong secret (no mock answers it: 404).
    let result = tenant(&server, "alpha", "a-wrong-secret", &store)
        .sims()
        .usage(ICCID)
        .await;
    assert_eq!(
        usage.calls_async().await,
        0,
        "a client with a wrong secret was served with another client's token"
    );
    assert!(result.is_err());
}

/// The key the hammer binary saves `name` under (`src/bin/hammer_token_file.rs`).
fn hammer_key(name: &str) -> TokenKey {
    TokenKey::new("http://127.0.0.1:1", name, "hammer-secret")
}

fn hammer_token(name: &str) -> Token {
    let now = SystemTime::now();
    Token::new(name, now, now + Duration::from_secs(3600))
}

/// Every key `tag-0` … `tag-(count-1)` is in the file with its own token.
fn assert_all_saved(path: &std::path::Path, tags: &[&str], count: usize) {
    let store = FileTokenStore::new(path);
    let mut lost = Vec::new();
    for tag in tags {
        for i in 0..count {
            let name = format!("{tag}-{i}");
            match store.load(&hammer_key(&name)) {
                Some(t) if t.secret() == name => {}
                _ => lost.push(name),
            }
        }
    }
    assert!(
        lost.is_empty(),
        "{} of {} saved tokens lost, e.g. {:?}",
        lost.len(),
        tags.len() * count,
        &lost[..lost.len().min(5)]
    );
    let dir = path.parent().unwrap();
    let leftovers: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.contains(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
}

const HAMMER_SAVES: usize = 150;

#[test]
fn two_processes_saving_into_one_token_file_lose_no_token() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tokens.json");
    let hammer = env!("CARGO_BIN_EXE_hammer_token_file");
    let children: Vec<_> = ["first", "second"]
        .iter()
        .map(|tag| {
            std::process::Command::new(hammer)
                .arg(&path)
                .arg(tag)
                .arg(HAMMER_SAVES.to_string())
                .spawn()
                .unwrap()
        })
        .collect();
    for mut child in children {
        assert!(child.wait().unwrap().success());
    }
    assert_all_saved(&path, &["first", "second"], HAMMER_SAVES);
}

#[test]
fn two_stores_of_one_process_saving_into_one_file_lose_no_token() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tokens.json");
    // Both threads start saving together, each through its own store.
    let start = Arc::new(std::sync::Barrier::new(2));
    let threads: Vec<_> = ["left", "right"]
        .into_iter()
        .map(|tag| {
            let (path, start) = (path.clone(), Arc::clone(&start));
            std::thread::spawn(move || {
                let store = FileTokenStore::new(&path);
                start.wait();
                for i in 0..HAMMER_SAVES {
                    let name = format!("{tag}-{i}");
                    store.save(&hammer_key(&name), &hammer_token(&name));
                }
            })
        })
        .collect();
    for thread in threads {
        thread.join().unwrap();
    }
    assert_all_saved(&path, &["left", "right"], HAMMER_SAVES);
}
