use super::*;

// ---------------------------------------------------------------------------------------------
// Servers that never answer: the timeouts fire
// ---------------------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_that_accepts_and_never_answers_times_out() {
    for o in each_call(|_| Reply::NeverAnswer).await {
        let err = check("never answers", &o, |k| k == &ErrorKind::Timeout, ATTEMPTS);
        assert!(err.may_have_reached_server() && !err.got_response());
        // Waited at least the timeout of each attempt (never asserted as a speed).
        let attempts = if o.call.is_write() {
            1
        } else {
            ATTEMPTS as u32
        };
        assert!(o.elapsed >= TIMEOUT * attempts, "{:?}", o.elapsed);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_that_stalls_or_trickles_times_out() {
    for (fault, reply) in [
        (
            "headers then silence",
            (|_| Reply::HeadersThenStall { status: 200 }) as Fault,
        ),
        ("error headers then silence", |_| Reply::HeadersThenStall {
            status: 503,
        }),
        ("a byte every 50 ms, forever", |_| Reply::Trickle),
    ] {
        for o in each_call(reply).await {
            let err = check(fault, &o, |k| k == &ErrorKind::Timeout, ATTEMPTS);
            assert!(err.may_have_reached_server(), "{fault}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_listener_that_never_accepts_times_out() {
    // The kernel completes the handshakes (backlog) but nobody reads: the token request, the
    // first of every call, times out, bounded by the policy.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let outcomes = join_all(Call::ALL.map(|call| {
        let client = builder_for(&url, TIMEOUT).build().unwrap();
        async move { (call, call.spawn(client).await) }
    }))
    .await;
    for (call, (result, elapsed)) in outcomes {
        let err = result.expect_err("no answer");
        assert_eq!(err.kind(), &ErrorKind::Timeout, "{call:?}: {err:?}");
        assert_eq!(err.operation(), Some(call.operation()));
        assert!(elapsed < BOUND, "{call:?}: {elapsed:?}");
    }
    drop(listener);
}
