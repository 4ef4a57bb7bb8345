//! Retries and writes: reads are retried on 429 (honouring `Retry-After`), 5xx, refused or
//! dropped connections and timeouts, bounded by the policy; other 4xx and disabled policies send
//! once. Orders, top-ups, claims and renewals are sent exactly once whenever the request may
//! have reached the server, and the error says so.
//!
//! Time is only used for timeouts and for "waited at least" bounds, never as performance.

mod writes;

use std::time::Duration;

use httpmock::prelude::*;
use pressone_esim::{Client, ErrorKind, RetryPolicy};
use serde_json::json;

use crate::common::*;

fn usage_path() -> String {
    format!("/customer/v2/sims/{ICCID}/usage")
}

/// A usage answer that takes 2 s, far past the clients' 300 ms timeout.
async fn mount_slow_usage(server: &MockServer) -> httpmock::Mock<'_> {
    server
        .mock_async(|when, then| {
            when.method(GET).path(usage_path());
            json(then, 200, fixture("airalo.get-usage.200.json")).delay(Duration::from_secs(2));
        })
        .await
}

/// A client whose attempts time out after 300 ms.
fn impatient(server: &MockServer, policy: RetryPolicy) -> Client {
    builder(server)
        .request_timeout(Duration::from_millis(300))
        .retry_policy(policy)
        .build()
        .unwrap()
}

/// Asserts that a usage call whose first answer is a 429 with this `Retry-After`, and the next
/// a 200, is retried exactly once after waiting, on tokio's paused clock, a time within
/// `expected` seconds. The server runs on the test's own runtime, so the clock moves only when
/// the client waits on a timer.
async fn assert_waits_for_retry_after(
    retry_after: String,
    policy: RetryPolicy,
    expected: std::ops::Range<u64>,
) {
    let shown = retry_after.clone();
    let usage = usage_path();
    let answered = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let server = RawServer::start(move |_, path| {
        if path == TOKEN_PATH {
            return Reply::token(TOKEN);
        }
        assert_eq!(path, usage);
        if answered.swap(true, std::sync::atomic::Ordering::SeqCst) {
            Reply::json(200, fixture("airalo.get-usage.200.json"))
        } else {
            Reply::Full {
                status: 429,
                content_type: Some("application/json"),
                headers: vec![("retry-after", retry_after.clone())],
                body: fixture("airalo.get-usage.429-rate-limit.json").into_bytes(),
            }
        }
    })
    .await;
    let c = builder_for(&server.url)
        // Longer than the wait: the clock never jumps to an attempt's timeout.
        .request_timeout(Duration::from_secs(3600))
        .retry_policy(policy)
        .build()
        .unwrap();
    let started = tokio::time::Instant::now();
    c.sims().usage(ICCID).await.unwrap();
    let waited = started.elapsed();
    assert_eq!(server.hits("GET", &usage_path()), 2, "one 429, one retry");
    let expected = Duration::from_secs(expected.start)..Duration::from_secs(expected.end);
    assert!(
        expected.contains(&waited),
        "Retry-After: {shown} was not honoured: waited {waited:?} on the paused clock, not {expected:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// Reads
// ---------------------------------------------------------------------------------------------

/// On tokio's paused clock, with a server on the same runtime (every socket event is ready when
/// the runtime looks, so the clock moves only when the client waits on a timer): the wait is
/// measured on virtual time, never on the machine's.
#[tokio::test(start_paused = true)]
async fn a_read_waits_for_retry_after_then_succeeds() {
    assert_waits_for_retry_after("1".to_owned(), fast_retry(), 1..2).await;
}

#[tokio::test]
async fn a_read_rate_limited_on_every_attempt_gives_up_after_max_attempts() {
    let server = token_server().await;
    let limited = rate_limited(&server, Op::GetUsage, "0").await;
    let err = expect_err(client(&server).sims().usage(ICCID).await);
    assert_eq!(
        err.kind(),
        &ErrorKind::RateLimited {
            retry_after: Some(Duration::ZERO)
        }
    );
    assert_eq!(limited.calls_async().await, 3, "the default 3 attempts");
}

#[tokio::test]
async fn a_retry_after_beyond_the_limits_ends_the_retries() {
    for policy in [
        fast_retry().max_retry_after(Duration::from_secs(1)),
        fast_retry().max_elapsed(Duration::from_secs(1)),
    ] {
        let server = token_server().await;
        let limited = rate_limited(&server, Op::GetUsage, "2").await;
        let c = builder(&server).retry_policy(policy).build().unwrap();
        let err = expect_err(c.sims().usage(ICCID).await);
        assert_eq!(err.retry_after(), Some(Duration::from_secs(2)));
        assert_eq!(limited.calls_async().await, 1, "{policy:?}");
    }
}

#[tokio::test]
async fn reads_are_retried_on_server_errors_up_to_max_attempts() {
    for status in [500, 502, 503, 504] {
        let server = token_server().await;
        let failing = server
            .mock_async(|when, then| {
                when.method(GET).path(usage_path());
                json(then, status, r#"{"message": "Server Error"}"#);
            })
            .await;
        let err = expect_err(client(&server).sims().usage(ICCID).await);
        assert_eq!(err.kind(), &ErrorKind::Server, "{status}");
        assert_eq!(err.status(), Some(status));
        assert!(err.is_retryable());
        assert_eq!(failing.calls_async().await, 3, "HTTP {status}");
    }

    let server = token_server().await;
    let failing = server
        .mock_async(|when, then| {
            when.method(GET).path(usage_path());
            then.status(502).body("<html>Bad Gateway</html>");
        })
        .await;
    let c = builder(&server)
        .retry_policy(fast_retry().max_attempts(5))
        .build()
        .unwrap();
    let err = expect_err(c.sims().usage(ICCID).await);
    assert_eq!(err.status(), Some(502));
    assert_eq!(failing.calls_async().await, 5, "max_attempts(5)");
}

#[tokio::test]
async fn a_read_recovers_after_transient_server_errors() {
    let server = token_server().await;
    let failing = bare(&server, Op::GetUsage, 503).await;
    failing.up_to_n_times_async(2).await;
    let ok = serve(&server, Op::GetUsage, "200").await;
    assert_usage_recovers(&server, &failing, 2, &ok).await;
}

#[tokio::test]
async fn a_read_to_a_closed_port_is_retried_and_never_reached_the_server() {
    let port = ClosedPort::new();
    let base = port.named_url();
    let c = builder_for(&base)
        .http_client(port.http_client())
        .token_store(preloaded_store(&base, TOKEN))
        .build()
        .unwrap();
    let err = expect_err(c.sims().usage(ICCID).await);
    assert_eq!(err.kind(), &ErrorKind::Transport, "{err:?}");
    assert!(!err.may_have_reached_server());
    assert!(!err.got_response());
    assert!(err.is_retryable());
    // Counted at the resolver, one look-up per connection tried: 3 attempts, 2 retries.
    assert_eq!(port.attempts(), 3);
}

#[tokio::test]
async fn a_read_whose_connection_drops_is_retried() {
    let server = DroppingServer::start().await;
    let c = builder_for(&server.url).build().unwrap();
    let err = expect_err(c.sims().usage(ICCID).await);
    assert_eq!(err.kind(), &ErrorKind::Transport, "{err:?}");
    assert!(err.may_have_reached_server());
    assert!(!err.got_response());
    assert_eq!(server.hits(), 3);
}

#[tokio::test]
async fn a_read_that_times_out_is_retried_up_to_max_attempts() {
    let server = token_server().await;
    let slow = mount_slow_usage(&server).await;
    let c = impatient(&server, fast_retry().max_attempts(2));
    let err = expect_err(c.sims().usage(ICCID).await);
    assert_eq!(err.kind(), &ErrorKind::Timeout, "{err:?}");
    assert!(err.may_have_reached_server());
    assert!(!err.got_response());
    assert!(err.is_retryable());
    assert_eq!(slow.calls_async().await, 2);
}

#[tokio::test]
async fn the_request_timeout_also_bounds_a_caller_supplied_http_client() {
    let server = token_server().await;
    let slow = mount_slow_usage(&server).await;
    // A client of the caller's with no timeout of its own: the SDK sets it per request.
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let c = builder(&server)
        .http_client(http)
        .request_timeout(Duration::from_millis(300))
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap();
    // The answer takes 2 s: a Timeout (rather than the usage) shows the 300 ms limit applied,
    // with no bound on the real time taken.
    let err = expect_err(c.sims().usage(ICCID).await);
    assert_eq!(err.kind(), &ErrorKind::Timeout, "{err:?}");
    assert_eq!(slow.calls_async().await, 1);
}

/// An answer longer than `max_response_body` is not read: a decode error (the server did
/// answer), not retried; the default limit reads the same answer.
#[tokio::test]
async fn an_answer_longer_than_the_body_limit_is_refused_and_not_retried() {
    let server = token_server().await;
    let filler = "x".repeat(4096);
    let big = server
        .mock_async(|when, then| {
            when.method(GET).path(usage_path());
            then.status(200)
                .header("content-type", "application/json")
                .body(format!(
                    r#"{{"data": {{"remaining": 1, "total": 2, "status": "ACTIVE", "remaining_voice": 0, "total_voice": 0, "remaining_text": 0, "total_text": 0, "filler": "{filler}"}}}}"#
                ));
        })
        .await;
    let c = builder(&server).max_response_body(1024).build().unwrap();
    let err = expect_err(c.sims().usage(ICCID).await);
    assert!(matches!(err.kind(), ErrorKind::Decode { .. }), "{err:?}");
    assert_eq!(err.status(), Some(200));
    assert!(
        err.to_string()
            .contains("longer than the limit of 1024 bytes"),
        "{err}"
    );
    assert_eq!(big.calls_async().await, 1);

    let c = builder(&server).build().unwrap();
    assert_eq!(c.sims().usage(ICCID).await.unwrap().remaining_mb(), Some(1));
    assert_eq!(big.calls_async().await, 2);
}

#[tokio::test]
async fn a_disabled_policy_sends_reads_once() {
    let server = token_server().await;
    let failing = bare(&server, Op::GetUsage, 503).await;
    let c = impatient(&server, RetryPolicy::disabled());
    let err = expect_err(c.sims().usage(ICCID).await);
    assert_eq!(err.status(), Some(503));
    assert_eq!(failing.calls_async().await, 1);

    let server = token_server().await;
    let slow = server
        .mock_async(|when, then| {
            when.method(GET).path(usage_path());
            then.status(200).delay(Duration::from_secs(2));
        })
        .await;
    let c = impatient(&server, RetryPolicy::disabled());
    assert_eq!(
        expect_err(c.sims().usage(ICCID).await).kind(),
        &ErrorKind::Timeout
    );
    assert_eq!(slow.calls_async().await, 1);

    let server = DroppingServer::start().await;
    let c = builder_for(&server.url)
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap();
    expect_err(c.sims().usage(ICCID).await);
    assert_eq!(server.hits(), 1);
}

#[tokio::test]
async fn client_errors_are_sent_once() {
    for (status, body) in [
        (
            400,
            json!({"data": {"limit": "The limit must be an integer."}, "meta": {"message": "the parameter is invalid"}}),
        ),
        (403, json!({"code": 89, "reason": "IP not allowed"})),
        (
            404,
            json!({"data": [], "meta": {"message": "messages.resource_not_found"}}),
        ),
        (405, json!({"message": "Method Not Allowed"})),
        (422, json!({"code": 73, "reason": "recycled"})),
    ] {
        let server = token_server().await;
        let mock = server
            .mock_async(|when, then| {
                when.method(GET).path(usage_path());
                json(then, status, body.to_string());
            })
            .await;
        let err = expect_err(client(&server).sims().usage(ICCID).await);
        assert_eq!(err.status(), Some(status));
        assert!(!err.is_retryable(), "{status}");
        assert_eq!(mock.calls_async().await, 1, "HTTP {status}");
    }
}
