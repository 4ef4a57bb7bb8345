//! Tokens: one request however many calls need one (single flight), failures delivered to every
//! waiter and not cached, the refresh-once on 401, tenants that never share a token, and the
//! file token store.

mod stores;

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use httpmock::prelude::*;
use pressone_esim::{Client, ErrorKind, FileTokenStore, RetryPolicy, Token, TokenKey, TokenStore};

use crate::common::*;

/// Mounts the token endpoint answering `status` with `body` after `delay` (long enough for
/// concurrent callers to join the one token request).
async fn slow_token(
    server: &MockServer,
    status: u16,
    body: String,
    delay: Duration,
) -> httpmock::Mock<'_> {
    server
        .mock_async(|when, then| {
            when.method(POST).path(TOKEN_PATH);
            json(then, status, body).delay(delay);
        })
        .await
}

/// Asks for the usage `n` times at once, each call on its own task, and returns each answer.
async fn concurrent_usage(
    c: &Client,
    n: usize,
) -> Vec<pressone_esim::Result<pressone_esim::Usage>> {
    let tasks: Vec<_> = (0..n)
        .map(|_| {
            let c = c.clone();
            tokio::spawn(async move { c.sims().usage(ICCID).await })
        })
        .collect();
    let mut answers = Vec::with_capacity(n);
    for task in tasks {
        answers.push(task.await.expect("task"));
    }
    answers
}

// ---------------------------------------------------------------------------------------------
// Single flight
// ---------------------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_calls_on_a_fresh_client_cause_one_token_request() {
    let server = MockServer::start_async().await;
    let body = fixture("airalo.request-access-token.200.json");
    let token = slow_token(&server, 200, body, Duration::from_millis(300)).await;
    let usage = mount_usage_for(&server, TOKEN).await;
    let c = client(&server);
    for answer in concurrent_usage(&c, 128).await {
        answer.expect("usage");
    }
    assert_eq!(calls(&[&token, &usage]).await, [1, 128], "exactly one");

    // Later calls reuse the token.
    c.sims().usage(ICCID).await.unwrap();
    c.authenticate().await.unwrap();
    assert_eq!(token.calls_async().await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_failure_reaches_every_waiter_and_a_later_call_retries() {
    let server = MockServer::start_async().await;
    let body = fixture("airalo.request-access-token.401-client-authentication-failed.json");
    // Long enough for all 100 tasks to join the flight, even on a loaded machine.
    let failing = slow_token(&server, 401, body, Duration::from_millis(1000)).await;
    let usage = mount_usage_for(&server, TOKEN).await;
    let c = client(&server);
    for answer in concurrent_usage(&c, 100).await {
        let err = expect_err(answer);
        assert_eq!(err.kind(), &ErrorKind::Authentication);
        assert_eq!(err.status(), Some(401));
        assert_eq!(err.message(), Some("Client authentication failed"));
        assert_eq!(err.operation(), Some("get_usage"));
        // The token endpoint answered; the usage request itself was never sent.
        assert!(!err.may_have_reached_server());
    }
    // One request for 100 waiters; no call went out without a token.
    assert_eq!(calls(&[&failing, &usage]).await, [1, 0]);

    // The failure is not cached: the next call asks again and succeeds.
    failing.delete_async().await;
    let ok = mount_token(&server).await;
    c.sims().usage(ICCID).await.unwrap();
    assert_eq!(calls(&[&ok, &usage]).await, [1, 1]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_token_endpoint_is_retried_inside_the_single_flight() {
    let server = MockServer::start_async().await;
    let body = r#"{"message": "Service Unavailable"}"#.to_string();
    let token = slow_token(&server, 503, body, Duration::from_millis(300)).await;
    let usage = mount_usage_for(&server, TOKEN).await;
    let c = builder(&server)
        .retry_policy(fast_retry().max_attempts(3))
        .build()
        .unwrap();
    for answer in concurrent_usage(&c, 50).await {
        let err = expect_err(answer);
        assert_eq!(err.kind(), &ErrorKind::Server);
        assert_eq!(err.status(), Some(503));
    }
    // The policy's attempts, once for all callers.
    assert_eq!(calls(&[&token, &usage]).await, [3, 0]);
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
    let counts = calls(&[&token_a, &token_b, &refused, &accepted]).await;
    assert_eq!(counts, [1, 1, 1, 1]);

    // Token B is kept.
    c.sims().usage(ICCID).await.unwrap();
    assert_eq!(calls(&[&token_b, &accepted]).await, [1, 2], "kept");
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
    let counts = calls(&[&token_a, &token_b, &refused_a, &refused_b]).await;
    assert_eq!(counts, [1, 1, 1, 1], "one refresh only; one retry only");
}

#[tokio::test]
async fn a_401_on_an_order_is_retried_once_with_the_new_token() {
    let server = MockServer::start_async().await;
    mount_tokens_a_then_b(&server).await;
    let order_with = |bearer: &'static str, status: u16, body: String| {
        server.mock_async(move |when, then| {
            when.method(POST)
                .path("/customer/v2/orders")
                .header("authorization", format!("Bearer {bearer}"));
            json(then, status, body);
        })
    };
    let refused = order_with("token-A", 401, UNAUTHENTICATED.to_string()).await;
    let accepted = order_with("token-B", 200, fixture("airalo.submit-order.200.json")).await;
    let order = client(&server).orders().create(PACKAGE, 1).await.unwrap();
    assert_eq!(order.id, 9666);
    // A 401 is not acted on, safe to send again.
    assert_eq!(calls(&[&refused, &accepted]).await, [1, 1]);
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
    assert_eq!(calls(&[&token_b, &accepted]).await, [1, 1]);
}

// ---------------------------------------------------------------------------------------------
// More single-flight and refresh cases
// ---------------------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_401s_cause_one_refresh() {
    let server = MockServer::start_async().await;
    let (token_a, token_b) = mount_tokens_a_then_b(&server).await;
    // Slow refusals: the calls all hold token A when the first 401 comes back.
    let refused = refuse_usage_after(&server, "token-A", Duration::from_millis(300)).await;
    let accepted = mount_usage_for(&server, "token-B").await;
    let c = client(&server);
    c.authenticate().await.unwrap();
    for answer in concurrent_usage(&c, 40).await {
        answer.unwrap();
    }
    let counts = calls(&[&token_a, &token_b]).await;
    assert_eq!(counts, [1, 1], "40 refused calls, one refresh");
    // Calls polled after the refresh use token B at once; the others were refused once.
    let refused = refused.calls_async().await;
    assert!((1..=40).contains(&refused), "{refused}");
    assert_eq!(accepted.calls_async().await, 40);
}

#[tokio::test]
async fn a_cancelled_first_caller_does_not_cost_a_second_token_request() {
    let server = MockServer::start_async().await;
    let body = fixture("airalo.request-access-token.200.json");
    let token = slow_token(&server, 200, body, Duration::from_millis(400)).await;
    let usage = mount_usage_for(&server, TOKEN).await;
    let c = client(&server);
    let cancelled = tokio::time::timeout(Duration::from_millis(100), c.sims().usage(ICCID)).await;
    assert!(
        cancelled.is_err(),
        "the first call was cancelled while waiting"
    );
    c.sims().usage(ICCID).await.unwrap();
    // The second caller joins the same request.
    assert_eq!(calls(&[&token, &usage]).await, [1, 1]);
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
    // One token for the same base URL and client id; another client id gets its own.
    assert_eq!(calls(&[&token, &other]).await, [1, 1]);
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
    let counts = calls(&[&users, &token]).await;
    assert_eq!(counts, [1, 0], "no token to refresh");
}

#[tokio::test]
async fn a_short_lived_token_is_still_reused() {
    let server = MockServer::start_async().await;
    let body =
        r#"{"data": {"token_type": "Bearer", "expires_in": 120, "access_token": "short-lived"}}"#;
    let token = answer_op(&server, Op::RequestAccessToken, 200, body).await;
    let usage = mount_usage_for(&server, "short-lived").await;
    let c = client(&server);
    for _ in 0..3 {
        c.sims().usage(ICCID).await.unwrap();
    }
    // A 2-minute token serves several calls.
    assert_eq!(calls(&[&usage, &token]).await, [3, 1]);
}
