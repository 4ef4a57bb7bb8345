//! Retries and writes: reads are retried on 429 (honouring `Retry-After`), 5xx, refused or
//! dropped connections and timeouts, bounded by the policy; other 4xx and disabled policies send
//! once. Orders, top-ups, claims and renewals are sent exactly once whenever the request may
//! have reached the server, and the error says so.
//!
//! Time is only used for timeouts and for "waited at least" bounds, never as performance.

use std::time::{Duration, Instant};

use httpmock::prelude::*;
use pressone_esim::{Client, Error, ErrorKind, RetryPolicy};
use serde_json::json;

use crate::common::*;

const ORDERS: &str = "/customer/v2/orders";
const TOPUPS: &str = "/customer/v2/orders/topups";

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

// ---------------------------------------------------------------------------------------------
// Reads
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_read_waits_for_retry_after_then_succeeds() {
    let server = MockServer::start_async().await;
    mount_token(&server).await;
    let limited = server
        .mock_async(|when, then| {
            when.method(GET).path(usage_path());
            json(then, 429, fixture("airalo.get-usage.429-rate-limit.json"))
                .header("retry-after", "1");
        })
        .await;
    limited.up_to_n_times_async(1).await;
    let ok = server
        .mock_async(|when, then| {
            authed(when.method(GET).path(usage_path()));
            json(then, 200, fixture("airalo.get-usage.200.json"));
        })
        .await;
    let started = Instant::now();
    client(&server).sims().usage(ICCID).await.unwrap();
    assert_eq!(limited.calls_async().await, 1);
    assert_eq!(ok.calls_async().await, 1);
    assert!(
        started.elapsed() >= Duration::from_millis(900),
        "Retry-After: 1 was not honoured ({:?})",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_read_rate_limited_on_every_attempt_gives_up_after_max_attempts() {
    let server = MockServer::start_async().await;
    mount_token(&server).await;
    let limited = server
        .mock_async(|when, then| {
            when.method(GET).path(usage_path());
            json(then, 429, fixture("airalo.get-usage.429-rate-limit.json"))
                .header("retry-after", "0");
        })
        .await;
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
        let server = MockServer::start_async().await;
        mount_token(&server).await;
        let limited = server
            .mock_async(|when, then| {
                when.method(GET).path(usage_path());
                json(then, 429, fixture("airalo.get-usage.429-rate-limit.json"))
                    .header("retry-after", "2");
            })
            .await;
        let c = builder(&server).retry_policy(policy).build().unwrap();
        let err = expect_err(c.sims().usage(ICCID).await);
        assert_eq!(err.retry_after(), Some(Duration::from_secs(2)));
        assert_eq!(limited.calls_async().await, 1, "{policy:?}");
    }
}

#[tokio::test]
async fn reads_are_retried_on_server_errors_up_to_max_attempts() {
    for status in [500, 502, 503, 504] {
        let server = MockServer::start_async().await;
        mount_token(&server).await;
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

    let server = MockServer::start_async().await;
    mount_token(&server).await;
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
    let server = MockServer::start_async().await;
    mount_token(&server).await;
    let failing = server
        .mock_async(|when, then| {
            when.method(GET).path(usage_path());
            then.status(503);
        })
        .await;
    failing.up_to_n_times_async(2).await;
    let ok = server
        .mock_async(|when, then| {
            when.method(GET).path(usage_path());
            json(then, 200, fixture("airalo.get-usage.200.json"));
        })
        .await;
    client(&server).sims().usage(ICCID).await.unwrap();
    assert_eq!(failing.calls_async().await, 2);
    assert_eq!(ok.calls_async().await, 1);
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
    let server = MockServer::start_async().await;
    mount_token(&server).await;
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
    let server = MockServer::start_async().await;
    mount_token(&server).await;
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
    let started = Instant::now();
    let err = expect_err(c.sims().usage(ICCID).await);
    assert_eq!(err.kind(), &ErrorKind::Timeout, "{err:?}");
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "the timeout did not apply"
    );
    assert_eq!(slow.calls_async().await, 1);
}

/// An answer longer than `max_response_body` is not read: a decode error (the server did
/// answer), not retried; the default limit reads the same answer.
#[tokio::test]
async fn an_answer_longer_than_the_body_limit_is_refused_and_not_retried() {
    let server = MockServer::start_async().await;
    mount_token(&server).await;
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
    let server = MockServer::start_async().await;
    mount_token(&server).await;
    let failing = server
        .mock_async(|when, then| {
            when.method(GET).path(usage_path());
            then.status(503);
        })
        .await;
    let c = impatient(&server, RetryPolicy::disabled());
    let err = expect_err(c.sims().usage(ICCID).await);
    assert_eq!(err.status(), Some(503));
    assert_eq!(failing.calls_async().await, 1);

    let server = MockServer::start_async().await;
    mount_token(&server).await;
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
        let server = MockServer::start_async().await;
        mount_token(&server).await;
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

// ---------------------------------------------------------------------------------------------
// Writes: never twice
// ---------------------------------------------------------------------------------------------

type Write = fn(Client) -> futures::future::BoxFuture<'static, Result<(), Error>>;

/// Every state-changing operation: name, method path, and the call.
fn writes() -> Vec<(&'static str, &'static str, Write)> {
    use futures::FutureExt;
    vec![
        ("submit_order", ORDERS, |c| {
            async move {
                c.orders()
                    .create("kallur-digital-7days-1gb", 1)
                    .description("shop-order-1042")
                    .await
                    .map(drop)
            }
            .boxed()
        }),
        ("submit_topup", TOPUPS, |c| {
            async move {
                c.topups()
                    .create(ICCID, "change-7days-1gb-topup")
                    .await
                    .map(drop)
            }
            .boxed()
        }),
        (
            "claim_number",
            "/api/third-party/partner/claim-number/",
            |c| {
                async move {
                    c.voice()
                        .claim("+2342012345678", "ada@example.com")
                        .await
                        .map(drop)
                }
                .boxed()
            },
        ),
        (
            "renew_number",
            "/api/third-party/partner/renew-number/",
            |c| async move { c.voice().renew("ada@example.com").await.map(drop) }.boxed(),
        ),
    ]
}

#[tokio::test]
async fn writes_answered_by_a_server_error_are_sent_once() {
    for (name, path, call) in writes() {
        for status in [500, 502, 503, 429] {
            let server = MockServer::start_async().await;
            mount_token(&server).await;
            let mock = server
                .mock_async(|when, then| {
                    when.method(POST).path(path);
                    json(then, status, r#"{"message": "oops"}"#).header("retry-after", "0");
                })
                .await;
            let err = expect_err(call(client(&server)).await);
            assert_eq!(err.status(), Some(status), "{name}");
            assert_eq!(err.operation(), Some(name));
            assert!(err.may_have_reached_server(), "{name} {status}");
            assert_eq!(mock.calls_async().await, 1, "{name} sent twice on {status}");
        }
    }
}

#[tokio::test]
async fn writes_that_time_out_are_sent_once() {
    for (name, path, call) in writes() {
        let server = MockServer::start_async().await;
        mount_token(&server).await;
        let mock = server
            .mock_async(|when, then| {
                when.method(POST).path(path);
                then.status(200).delay(Duration::from_secs(2));
            })
            .await;
        let err = expect_err(call(impatient(&server, fast_retry().max_attempts(5))).await);
        assert_eq!(err.kind(), &ErrorKind::Timeout, "{name}: {err:?}");
        assert!(err.may_have_reached_server(), "{name}");
        assert!(!err.got_response());
        assert_eq!(mock.calls_async().await, 1, "{name} sent twice");
    }
}

#[tokio::test]
async fn writes_whose_connection_drops_are_sent_once() {
    for (name, _, call) in writes() {
        let server = DroppingServer::start().await;
        let c = builder_for(&server.url)
            .retry_policy(fast_retry().max_attempts(5))
            .build()
            .unwrap();
        let err = expect_err(call(c).await);
        assert_eq!(err.kind(), &ErrorKind::Transport, "{name}: {err:?}");
        assert!(err.may_have_reached_server(), "{name}");
        assert_eq!(server.hits(), 1, "{name} sent twice");
    }
}

#[tokio::test]
async fn writes_to_a_closed_port_never_reached_the_server() {
    for (name, _, call) in writes() {
        let port = ClosedPort::new();
        let base = port.url();
        let c = builder_for(&base)
            .token_store(preloaded_store(&base, TOKEN))
            .build()
            .unwrap();
        let err = expect_err(call(c).await);
        assert_eq!(err.kind(), &ErrorKind::Transport, "{name}: {err:?}");
        assert!(!err.may_have_reached_server(), "{name}");
        assert_eq!(err.operation(), Some(name));
    }
}

#[tokio::test]
async fn an_order_whose_token_request_fails_never_reached_the_server() {
    let port = ClosedPort::new();
    let base = port.url();
    let err = expect_err(
        builder_for(&base)
            .build()
            .unwrap()
            .orders()
            .create("kallur-digital-7days-1gb", 1)
            .await,
    );
    assert_eq!(err.kind(), &ErrorKind::Transport);
    assert!(!err.may_have_reached_server());
    assert_eq!(err.operation(), Some("submit_order"));
}

#[tokio::test]
async fn find_by_description_filters_and_keeps_exact_matches() {
    let server = MockServer::start_async().await;
    mount_token(&server).await;
    let page1 = server
        .mock_async(|when, then| {
            authed(when.method(GET).path(ORDERS))
                .query_param("filter[description]", "shop-order-1042")
                .query_param("include", "sims,status")
                .query_param("page", "1");
            json(
                then,
                200,
                orders_page(
                    &[
                        (1, Some("shop-order-1042")),
                        (2, Some("shop-order-10420")),
                        (3, Some("x shop-order-1042")),
                    ],
                    1,
                    2,
                ),
            );
        })
        .await;
    let page2 = server
        .mock_async(|when, then| {
            authed(when.method(GET).path(ORDERS))
                .query_param("filter[description]", "shop-order-1042")
                .query_param("page", "2");
            json(
                then,
                200,
                orders_page(&[(4, None), (5, Some(" shop-order-1042 "))], 2, 2),
            );
        })
        .await;
    let found = client(&server)
        .orders()
        .find_by_description("shop-order-1042")
        .await
        .unwrap();
    let ids: Vec<i64> = found.iter().map(|o| o.id).collect();
    assert_eq!(ids, [1, 5]);
    assert_eq!(page1.calls_async().await, 1);
    assert_eq!(page2.calls_async().await, 1);
}

#[tokio::test]
async fn find_by_description_with_no_match_is_empty() {
    let server = MockServer::start_async().await;
    mount_token(&server).await;
    let search = server
        .mock_async(|when, then| {
            authed(when.method(GET).path(ORDERS))
                .query_param("filter[description]", "nothing-like-it")
                .query_param("page", "1");
            json(then, 200, orders_page(&[], 1, 1));
        })
        .await;
    let found = client(&server)
        .orders()
        .find_by_description("nothing-like-it")
        .await
        .unwrap();
    assert!(found.is_empty());
    // Empty because the server said so: it was asked, once, for that description.
    assert_eq!(search.calls_async().await, 1);
}

#[tokio::test]
async fn retry_after_as_a_future_http_date_is_waited_for() {
    // Two minutes ahead (the date has whole seconds: the wait is between 119 and 120 s).
    let server = MockServer::start_async().await;
    mount_token(&server).await;
    let date = (chrono::Utc::now() + chrono::Duration::seconds(120))
        .format("%a, %d %b %Y %H:%M:%S GMT")
        .to_string();
    let limited = server
        .mock_async(|when, then| {
            when.method(GET).path(usage_path());
            json(then, 429, fixture("airalo.get-usage.429-rate-limit.json"))
                .header("retry-after", date);
        })
        .await;
    limited.up_to_n_times_async(1).await;
    let ok = server
        .mock_async(|when, then| {
            when.method(GET).path(usage_path());
            json(then, 200, fixture("airalo.get-usage.200.json"));
        })
        .await;
    let c = builder(&server)
        .retry_policy(
            fast_retry()
                .max_retry_after(Duration::from_secs(300))
                .max_elapsed(Duration::from_secs(300)),
        )
        .build()
        .unwrap();
    let (guard, logs) = capture_tracing();
    let call = tokio::spawn(async move { c.sims().usage(ICCID).await });
    // The client says it is waiting (it logs, then sleeps, in one poll) ...
    while !logs.contents().contains("retrying") {
        assert!(!call.is_finished(), "the call ended without waiting");
        tokio::task::yield_now().await;
    }
    // ... for as long as the date says (whole seconds: between 119 and 120 s) ...
    let logged = logs.contents();
    let delay_ms: u64 = logged
        .split("delay_ms=")
        .nth(1)
        .and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no delay logged: {logged}"));
    assert!(
        (118_000..=120_000).contains(&delay_ms),
        "waits {delay_ms} ms"
    );
    // ... and on tokio's clock, paused and moved 118 s ahead, it has not retried yet.
    tokio::time::pause();
    tokio::time::advance(Duration::from_secs(118)).await;
    assert_eq!(ok.calls_async().await, 0, "retried before the date");
    assert!(!call.is_finished());
    // The last second or two pass for real.
    tokio::time::resume();
    call.await.unwrap().unwrap();
    drop(guard);
    assert_eq!(limited.calls_async().await, 1);
    assert_eq!(ok.calls_async().await, 1);
}

#[tokio::test]
async fn retry_after_as_an_http_date_is_understood() {
    let server = MockServer::start_async().await;
    mount_token(&server).await;
    let past = (chrono::Utc::now() - chrono::Duration::seconds(30))
        .format("%a, %d %b %Y %H:%M:%S GMT")
        .to_string();
    let limited = server
        .mock_async(|when, then| {
            when.method(GET).path(usage_path());
            json(then, 429, fixture("airalo.get-usage.429-rate-limit.json"))
                .header("retry-after", past);
        })
        .await;
    limited.up_to_n_times_async(1).await;
    let ok = server
        .mock_async(|when, then| {
            when.method(GET).path(usage_path());
            json(then, 200, fixture("airalo.get-usage.200.json"));
        })
        .await;
    client(&server).sims().usage(ICCID).await.unwrap();
    assert_eq!(limited.calls_async().await, 1);
    assert_eq!(ok.calls_async().await, 1);
}
