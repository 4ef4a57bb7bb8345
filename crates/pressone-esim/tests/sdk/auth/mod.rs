//! Tokens: one request however many calls need one (single flight), failures delivered to every
//! waiter and not cached, the refresh-once on 401, tenants that never share a token, and the
//! file token store.

mod stores;

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use httpmock::prelude::*;
use pressone_esim::{Client, ErrorKind, FileTokenStore, RetryPolicy, Token, TokenKey, TokenStore};

use crate::common::*;

fn usage_path() -> String {
    format!("/customer/v2/sims/{ICCID}/usage")
}

/// Mounts the usage endpoint answering the fixture to requests carrying `bearer`.
async fn mount_usage_for<'a>(server: &'a MockServer, bearer: &str) -> httpmock::Mock<'a> {
    let bearer = format!("Bearer {bearer}");
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path(usage_path())
                .header("authorization", bearer)
                .header("user-agent", USER_AGENT);
            json(then, 200, fixture("airalo.get-usage.200.json"));
        })
        .await
}

/// Mounts the usage endpoint answering 401 to requests carrying `bearer`.
async fn refuse_usage_for<'a>(server: &'a MockServer, bearer: &str) -> httpmock::Mock<'a> {
    let bearer = format!("Bearer {bearer}");
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path(usage_path())
                .header("authorization", bearer);
            json(
                then,
                401,
                r#"{"data": [], "meta": {"message": "Unauthenticated."}}"#,
            );
        })
        .await
}

// ---------------------------------------------------------------------------------------------
// Single flight
// ---------------------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_calls_on_a_fresh_client_cause_one_token_request() {
    let server = MockServer::start_async().await;
    let token = server
        .mock_async(|when, then| {
            when.method(POST).path(TOKEN_PATH);
            json(then, 200, fixture("airalo.request-access-token.200.json"))
                .delay(Duration::from_millis(300));
        })
        .await;
    let usage = mount_usage_for(&server, TOKEN).await;
    let c = client(&server);
    let tasks: Vec<_> = (0..128)
        .map(|_| {
            let c = c.clone();
            tokio::spawn(async move { c.sims().usage(ICCID).await })
        })
        .collect();
    for task in tasks {
        task.await.expect("task").expect("usage");
    }
    assert_eq!(token.calls_async().await, 1, "exactly one token request");
    assert_eq!(usage.calls_async().await, 128);

    // Later calls reuse the token.
    c.sims().usage(ICCID).await.unwrap();
    c.authenticate().await.unwrap();
    assert_eq!(token.calls_async().await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_failure_reaches_every_waiter_and_a_later_call_retries() {
    let server = MockServer::start_async().await;
    let failing = server
        .mock_async(|when, then| {
            when.method(POST).path(TOKEN_PATH);
            json(
                then,
                401,
                fixture("airalo.request-access-token.401-client-authentication-failed.json"),
            )
            // Long enough for all 100 tasks to join the flight, even on a loaded machine.
            .delay(Duration::from_millis(1000));
        })
        .await;
    let usage = mount_usage_for(&server, TOKEN).await;
    let c = client(&server);
    let tasks: Vec<_> = (0..100)
        .map(|_| {
            let c = c.clone();
            tokio::spawn(async move { c.sims().usage(ICCID).await })
        })
        .collect();
    for task in tasks {
        let err = expect_err(task.await.expect("task"));
        assert_eq!(err.kind(), &ErrorKind::Authentication);
        assert_eq!(err.status(), Some(401));
        assert_eq!(err.message(), Some("Client authentication failed"));
        assert_eq!(err.operation(), Some("get_usage"));
        // The token endpoint answered; the usage request itself was never sent.
        assert!(!err.may_have_reached_server());
    }
    assert_eq!(
        failing.calls_async().await,
        1,
        "one token request for 100 waiters"
    );
    assert_eq!(
        usage.calls_async().await,
        0,
        "no call went out without a token"
    );

    // The failure is not cached: the next call asks again and succeeds.
    failing.delete_async().await;
    let ok = mount_token(&server).await;
    c.sims().usage(ICCID).await.unwrap();
    assert_eq!(ok.calls_async().await, 1);
    assert_eq!(usage.calls_async().await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_token_endpoint_is_retried_inside_the_single_flight() {
    let server = MockServer::start_async().await;
    let token = server
        .mock_async(|when, then| {
            when.method(POST).path(TOKEN_PATH);
            json(then, 503, r#"{"message": "Service Unavailable"}"#)
                .delay(Duration::from_millis(300));
        })
        .await;
    let usage = mount_usage_for(&server, TOKEN).await;
    let c = builder(&server)
        .retry_policy(fast_retry().max_attempts(3))
        .build()
        .unwrap();
    let tasks: Vec<_> = (0..50)
        .map(|_| {
            let c = c.clone();
            tokio::spawn(async move { c.sims().usage(ICCID).await })
        })
        .collect();
    for task in tasks {
        let err = expect_err(task.await.expect("task"));
        assert_eq!(err.kind(), &ErrorKind::Server);
        assert_eq!(err.status(), Some(503));
    }
    assert_eq!(
        token.calls_async().await,
        3,
        "the policy's attempts, once for all callers"
    );
    assert_eq!(usage.calls_async().await, 0);
}

#[tokio::test]
async fn a_token_response_without_a_token_is_a_decode_error() {
    let server = MockServer::start_async().await;
    answer(&server, POST, TOKEN_PATH, 200, token_body("  ")).await;
    let err = expect_err(client(&server).authenticate().await);
    assert!(matches!(err.kind(), ErrorKind::Decode { .. }), "{err:?}");
}

// ---------------------------------------------------------------------------------------------
// 401: refresh once, retry once
// ---------------------------------------------------------------------------------------------

/// Token A on the first token request, token B on every later one.
async fn mount_tokens_a_then_b(server: &MockServer) -> (httpmock::Mock<'_>, httpmock::Mock<'_>) {
    let a = answer(server, POST, TOKEN_PATH, 200, token_body("token-A")).await;
    a.up_to_n_times_async(1).await;
    let b = mount_token_for(server, CLIENT_ID, CLIENT_SECRET, token_body("token-B")).await;
    (a, b)
}

#[tokio::test]
async fn a_401_fetches_a_new_token_and_retries_once() {
    let server = MockServer::start_async().await;
    let (token_a, token_b) = mount_tokens_a_then_b(&server).await;
    let refused = refuse_usage_for(&server, "token-A").await;
    let accepted = mount_usage_for(&server, "token-B").await;
    let c = client(&server);

    let usage = c.sims().usage(ICCID).await.unwrap();
    assert!(usage.is_unlimited);
    assert_eq!(token_a.calls_async().await, 1);
    assert_eq!(token_b.calls_async().await, 1);
    assert_eq!(refused.calls_async().await, 1);
    assert_eq!(accepted.calls_async().await, 1);

    // Token B is kept.
    c.sims().usage(ICCID).await.unwrap();
    assert_eq!(token_b.calls_async().await, 1);
    assert_eq!(accepted.calls_async().await, 2);
}

#[tokio::test]
async fn a_second_401_is_an_authentication_error_without_a_loop() {
    let server = MockServer::start_async().await;
    let (token_a, token_b) = mount_tokens_a_then_b(&server).await;
    let refused_a = refuse_usage_for(&server, "token-A").await;
    let refused_b = refuse_usage_for(&server, "token-B").await;
    let c = builder(&server)
        .retry_policy(fast_retry().max_attempts(5))
        .build()
        .unwrap();

    let err = expect_err(c.sims().usage(ICCID).await);
    assert_eq!(err.kind(), &ErrorKind::Authentication);
    assert_eq!(err.status(), Some(401));
    assert_eq!(err.message(), Some("Unauthenticated."));
    assert!(!err.is_retryable());
    assert_eq!(token_a.calls_async().await, 1);
    assert_eq!(token_b.calls_async().await, 1, "one refresh only");
    assert_eq!(refused_a.calls_async().await, 1);
    assert_eq!(refused_b.calls_async().await, 1, "one retry only");
}

#[tokio::test]
async fn a_401_on_an_order_is_retried_once_with_the_new_token() {
    let server = MockServer::start_async().await;
    mount_tokens_a_then_b(&server).await;
    let refused = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/customer/v2/orders")
                .header("authorization", "Bearer token-A");
            json(
                then,
                401,
                r#"{"data": [], "meta": {"message": "Unauthenticated."}}"#,
            );
        })
        .await;
    let accepted = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/customer/v2/orders")
                .header("authorization", "Bearer token-B");
            json(then, 200, fixture("airalo.submit-order.200.json"));
        })
        .await;
    let order = client(&server)
        .orders()
        .create("kallur-digital-7days-1gb", 1)
        .description("shop-order-1")
        .await
        .unwrap();
    assert_eq!(order.id, 9666);
    assert_eq!(
        refused.calls_async().await,
        1,
        "a 401 is not acted on: safe to send again"
    );
    assert_eq!(accepted.calls_async().await, 1);
}

#[tokio::test]
async fn a_401_with_retries_disabled_still_refreshes_once() {
    let server = MockServer::start_async().await;
    let (_, token_b) = mount_tokens_a_then_b(&server).await;
    refuse_usage_for(&server, "token-A").await;
    let accepted = mount_usage_for(&server, "token-B").await;
    let c = builder(&server)
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap();
    c.sims().usage(ICCID).await.unwrap();
    assert_eq!(token_b.calls_async().await, 1);
    assert_eq!(accepted.calls_async().await, 1);
}

// ---------------------------------------------------------------------------------------------
// More single-flight and refresh cases
// ---------------------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_401s_cause_one_refresh() {
    let server = MockServer::start_async().await;
    let (token_a, token_b) = mount_tokens_a_then_b(&server).await;
    // Slow refusals: the calls all hold token A when the first 401 comes back.
    let refused = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(usage_path())
                .header("authorization", "Bearer token-A");
            json(
                then,
                401,
                r#"{"data": [], "meta": {"message": "Unauthenticated."}}"#,
            )
            .delay(Duration::from_millis(300));
        })
        .await;
    let accepted = mount_usage_for(&server, "token-B").await;
    let c = client(&server);
    c.authenticate().await.unwrap();
    let tasks: Vec<_> = (0..40)
        .map(|_| {
            let c = c.clone();
            tokio::spawn(async move { c.sims().usage(ICCID).await })
        })
        .collect();
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    assert_eq!(token_a.calls_async().await, 1);
    assert_eq!(
        token_b.calls_async().await,
        1,
        "40 refused calls, one refresh"
    );
    // Calls polled after the refresh use token B at once; the others were refused once.
    let refused = refused.calls_async().await;
    assert!((1..=40).contains(&refused), "{refused}");
    assert_eq!(accepted.calls_async().await, 40);
}

#[tokio::test]
async fn a_cancelled_first_caller_does_not_cost_a_second_token_request() {
    let server = MockServer::start_async().await;
    let token = server
        .mock_async(|when, then| {
            when.method(POST).path(TOKEN_PATH);
            json(then, 200, fixture("airalo.request-access-token.200.json"))
                .delay(Duration::from_millis(400));
        })
        .await;
    let usage = mount_usage_for(&server, TOKEN).await;
    let c = client(&server);
    let cancelled = tokio::time::timeout(Duration::from_millis(100), c.sims().usage(ICCID)).await;
    assert!(
        cancelled.is_err(),
        "the first call was cancelled while waiting"
    );
    c.sims().usage(ICCID).await.unwrap();
    assert_eq!(
        token.calls_async().await,
        1,
        "the second caller joins the same token request"
    );
    assert_eq!(usage.calls_async().await, 1);
}

#[tokio::test]
async fn clients_sharing_a_token_store_share_the_token_of_the_same_key() {
    let server = MockServer::start_async().await;
    let token = mount_token(&server).await;
    let other = mount_token_for(&server, "other", CLIENT_SECRET, token_body("tok-other")).await;
    let store: Arc<dyn TokenStore> = Arc::new(pressone_esim::MemoryTokenStore::new());
    let build = |id: &str| {
        builder(&server)
            .credentials(id, CLIENT_SECRET)
            .token_store(Arc::clone(&store))
            .build()
            .unwrap()
    };
    build(CLIENT_ID).authenticate().await.unwrap();
    build(CLIENT_ID).authenticate().await.unwrap();
    build("other").authenticate().await.unwrap();
    assert_eq!(token.calls_async().await, 1, "same base URL and client id");
    assert_eq!(
        other.calls_async().await,
        1,
        "another client id: its own token"
    );
}

#[tokio::test]
async fn a_401_with_a_voice_api_key_is_not_refreshed() {
    let server = MockServer::start_async().await;
    let token = mount_token(&server).await;
    let users = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/api/third-party/partner/user/")
                .header("x-api-key", "voice-key");
            json(then, 401, r#"{"detail": "Invalid API key."}"#);
        })
        .await;
    let c = builder(&server)
        .voice_api_key("X-Api-Key", "voice-key")
        .build()
        .unwrap();
    let err = expect_err(c.voice().users().await);
    assert_eq!(err.kind(), &ErrorKind::Authentication);
    assert_eq!(err.message(), Some("Invalid API key."));
    assert_eq!(users.calls_async().await, 1, "no token to refresh");
    assert_eq!(token.calls_async().await, 0);
}

#[tokio::test]
async fn a_short_lived_token_is_still_reused() {
    let server = MockServer::start_async().await;
    let token = answer(
        &server,
        POST,
        TOKEN_PATH,
        200,
        r#"{"data": {"token_type": "Bearer", "expires_in": 120, "access_token": "short-lived"}}"#,
    )
    .await;
    let usage = mount_usage_for(&server, "short-lived").await;
    let c = client(&server);
    for _ in 0..3 {
        c.sims().usage(ICCID).await.unwrap();
    }
    assert_eq!(usage.calls_async().await, 3);
    assert_eq!(
        token.calls_async().await,
        1,
        "a 2-minute token serves several calls"
    );
}
