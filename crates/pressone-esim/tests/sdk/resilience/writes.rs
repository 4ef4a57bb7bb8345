use super::*;

// ---------------------------------------------------------------------------------------------
// Writes: never twice
// ---------------------------------------------------------------------------------------------

/// Every state-changing operation and a call of it (its name and path are the operation
/// table's).
fn writes() -> Vec<(Op, Call)> {
    vec![
        (
            Op::SubmitOrder,
            call!(|c| c.orders().create(PACKAGE, 1).description("shop-order-1042")),
        ),
        (
            Op::SubmitTopup,
            call!(|c| c.topups().create(ICCID, "change-7days-1gb-topup")),
        ),
        (
            Op::ClaimNumber,
            call!(|c| c.voice().claim("+2342012345678", "ada@example.com")),
        ),
        (
            Op::RenewNumber,
            call!(|c| c.voice().renew("ada@example.com")),
        ),
    ]
}

#[tokio::test]
async fn writes_answered_by_a_server_error_are_sent_once() {
    for (op, call) in writes() {
        let name = op.as_str();
        for status in [500, 502, 503, 429] {
            let server = token_server().await;
            let mock = server
                .mock_async(|when, then| {
                    when.method(POST).path(op.path());
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
    for (op, call) in writes() {
        let name = op.as_str();
        let server = token_server().await;
        let mock = server
            .mock_async(|when, then| {
                when.method(POST).path(op.path());
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
    for (op, call) in writes() {
        let name = op.as_str();
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
    for (op, call) in writes() {
        let name = op.as_str();
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
            .create(PACKAGE, 1)
            .await,
    );
    assert_eq!(err.kind(), &ErrorKind::Transport);
    assert!(!err.may_have_reached_server());
    assert_eq!(err.operation(), Some("submit_order"));
}

#[tokio::test]
async fn find_by_description_filters_and_keeps_exact_matches() {
    let server = token_server().await;
    let wanted = ("filter[description]", "shop-order-1042");
    let first = [
        (1, Some("shop-order-1042")),
        (2, Some("shop-order-10420")),
        (3, Some("x shop-order-1042")),
    ];
    let query = [wanted, ("include", "sims,status"), ("page", "1")];
    let page1 = mount_orders(&server, &query, orders_page(&first, 1, 2)).await;
    let last = orders_page(&[(4, None), (5, Some(" shop-order-1042 "))], 2, 2);
    let page2 = mount_orders(&server, &[wanted, ("page", "2")], last).await;
    let found = client(&server)
        .orders()
        .find_by_description("shop-order-1042")
        .await
        .unwrap();
    let ids: Vec<i64> = found.iter().map(|o| o.id).collect();
    assert_eq!(ids, [1, 5]);
    assert_eq!(calls(&[&page1, &page2]).await, [1, 1]);
}

#[tokio::test]
async fn find_by_description_with_no_match_is_empty() {
    let server = token_server().await;
    let query = [("filter[description]", "nothing-like-it"), ("page", "1")];
    let search = mount_orders(&server, &query, orders_page(&[], 1, 1)).await;
    let found = client(&server)
        .orders()
        .find_by_description("nothing-like-it")
        .await
        .unwrap();
    assert!(found.is_empty());
    // Empty because the server said so: it was asked, once, for that description.
    assert_eq!(search.calls_async().await, 1);
}

/// On tokio's paused clock, with a server on the same runtime (every socket event is ready when
/// the runtime looks, so the clock moves only when the client waits on a timer).
#[tokio::test(start_paused = true)]
async fn retry_after_as_a_future_http_date_is_waited_for() {
    // Two minutes ahead (the date has whole seconds: the wait is between 119 and 120 s).
    let date = (chrono::Utc::now() + chrono::Duration::seconds(120))
        .format("%a, %d %b %Y %H:%M:%S GMT")
        .to_string();
    let policy = fast_retry()
        .max_retry_after(Duration::from_secs(300))
        .max_elapsed(Duration::from_secs(300));
    assert_waits_for_retry_after(date, policy, 118..121).await;
}

#[tokio::test]
async fn retry_after_as_an_http_date_is_understood() {
    let server = token_server().await;
    let past = (chrono::Utc::now() - chrono::Duration::seconds(30))
        .format("%a, %d %b %Y %H:%M:%S GMT")
        .to_string();
    let limited = rate_limited(&server, Op::GetUsage, past).await;
    limited.up_to_n_times_async(1).await;
    let ok = serve(&server, Op::GetUsage, "200").await;
    assert_usage_recovers(&server, &limited, 1, &ok).await;
}
