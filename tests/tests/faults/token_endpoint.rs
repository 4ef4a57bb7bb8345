use super::*;

// ---------------------------------------------------------------------------------------------
// The token endpoint down
// ---------------------------------------------------------------------------------------------

/// Calls per kind when the token endpoint is down.
const PER_CALL: usize = 8;

/// Every call, `PER_CALL` times each, concurrently on one client whose token endpoint answers
/// `token_reply` (the other endpoints would answer fine). Returns the outcomes, the token
/// requests and the other requests the server saw.
async fn with_token_endpoint(
    token_reply: fn() -> Reply,
) -> (Vec<(Call, Result<(), Error>, Duration)>, usize, usize) {
    let server = RawServer::start(move |_, path| {
        if path == TOKEN_PATH {
            // Slow enough for every call to be waiting on the first token request.
            Reply::Slow(Duration::from_millis(300), Box::new(token_reply()))
        } else {
            Reply::json(200, "{}")
        }
    })
    .await;
    let client = builder_for(&server.url, TIMEOUT).build().unwrap();
    let calls: Vec<Call> = Call::ALL
        .into_iter()
        .flat_map(|c| std::iter::repeat_n(c, PER_CALL))
        .collect();
    let results = join_all(calls.iter().map(|c| c.spawn(client.clone()))).await;
    let token_hits = server.token_hits();
    let others = server.total() - token_hits;
    let outcomes = calls
        .into_iter()
        .zip(results)
        .map(|(c, (r, e))| (c, r, e))
        .collect();
    (outcomes, token_hits, others)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_token_endpoint_down_fails_every_call_without_a_token_storm() {
    type Case = (&'static str, fn() -> Reply, fn(&ErrorKind) -> bool, usize);
    let cases: [Case; 3] = [
        (
            "503",
            || Reply::typed(503, "text/html", CLOUDFLARE_503),
            |k| k == &ErrorKind::Server,
            ATTEMPTS,
        ),
        (
            "never answers",
            || Reply::NeverAnswer,
            |k| k == &ErrorKind::Timeout,
            ATTEMPTS,
        ),
        (
            "HTML labelled JSON",
            || Reply::json(200, "<html>login</html>"),
            // Never an excerpt of the token endpoint's body (it may hold a token).
            |k| matches!(k, ErrorKind::Decode { excerpt } if excerpt.is_empty()),
            1,
        ),
    ];
    let runs = join_all(cases.map(|(name, reply, kind, attempts)| async move {
        (name, kind, attempts, with_token_endpoint(reply).await)
    }))
    .await;
    for (name, kind, attempts, (outcomes, token_hits, others)) in runs {
        for (call, result, elapsed) in &outcomes {
            let err = result.as_ref().expect_err("no token");
            assert!(kind(err.kind()), "{name}: {call:?}: {err:?}");
            assert_eq!(err.operation(), Some(call.operation()), "{name}");
            assert!(*elapsed < BOUND, "{name}: {call:?}: {elapsed:?}");
        }
        assert_eq!(others, 0, "{name}: a call was sent without a token");
        // All the calls wait on one token request (retried by the policy); a second one may
        // start if a task is scheduled only after the first one failed. Never one per call.
        assert!(
            (1..=2 * attempts).contains(&token_hits),
            "{name}: {token_hits} token requests for {} calls",
            outcomes.len()
        );
    }
}

#[tokio::test]
async fn a_write_whose_token_request_failed_says_it_never_reached_the_server() {
    let (outcomes, _, others) =
        with_token_endpoint(|| Reply::typed(503, "text/html", CLOUDFLARE_503)).await;
    assert_eq!(others, 0);
    for (call, result, _) in outcomes.into_iter().filter(|(c, ..)| c.is_write()) {
        let err = result.expect_err("no token");
        assert!(
            !err.may_have_reached_server(),
            "{call:?}: the call was never sent, yet the error says it may have been: {err:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_response_broken_mid_body_is_retried() {
    let (outcomes, token_hits, others) = with_token_endpoint(|| Reply::ResetMidBody {
        body: token_body(TOKEN).into_bytes(),
    })
    .await;
    for (call, result, _) in &outcomes {
        let err = result.as_ref().expect_err("no token");
        assert_eq!(err.kind(), &ErrorKind::Transport, "{call:?}: {err:?}");
    }
    assert_eq!(others, 0);
    assert!(
        (ATTEMPTS..=2 * ATTEMPTS).contains(&token_hits),
        "{token_hits}"
    );
}
