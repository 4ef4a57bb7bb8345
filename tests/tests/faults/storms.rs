use super::*;

// ---------------------------------------------------------------------------------------------
// Storms under concurrency
// ---------------------------------------------------------------------------------------------

/// Concurrent reads per storm (plus one of each write).
const READS: usize = 40;

/// A storm: every call on one client, `READS` reads and each write once, all at once, against
/// a server answering `status` (with `retry_after` when given) to everything but the token.
/// Returns the outcomes and the requests of each call the server saw.
async fn storm(
    status: u16,
    retry_after: Option<&'static str>,
) -> Vec<(Call, Result<(), Error>, Duration, usize)> {
    let server = MockServer::start_async().await;
    let token = server
        .mock_async(|when, then| {
            when.method(POST).path(TOKEN_PATH);
            then.status(200)
                .header("content-type", "application/json")
                .body(token_body(TOKEN));
        })
        .await;
    let mut mocks = Vec::new();
    for call in Call::ALL {
        let mock = server
            .mock_async(|when, then| {
                when.method(call.method()).path(call.path());
                let then = then
                    .status(status)
                    .header("content-type", "application/json")
                    .body(r#"{"message": "Too Many Attempts."}"#);
                if let Some(after) = retry_after {
                    then.header("retry-after", after);
                }
            })
            .await;
        mocks.push((call, mock));
    }
    let client = builder_for(&server.base_url(), Duration::from_secs(5))
        .build()
        .unwrap();
    let calls: Vec<Call> = std::iter::repeat_n(Call::Usage, READS)
        .chain(Call::ALL.into_iter().filter(|c| c.is_write()))
        .collect();
    let results = join_all(calls.iter().map(|call| call.spawn(client.clone()))).await;
    assert_eq!(
        token.calls_async().await,
        1,
        "one token request for {} concurrent calls",
        calls.len()
    );
    let mut seen = std::collections::HashMap::new();
    for (call, mock) in &mocks {
        seen.insert(*call, mock.calls_async().await);
    }
    calls
        .into_iter()
        .zip(results)
        .map(|(call, (result, elapsed))| (call, result, elapsed, seen[&call]))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_429_storm_with_and_without_retry_after_is_bounded() {
    for (retry_after, expected) in [(Some("1"), Some(Duration::from_secs(1))), (None, None)] {
        for (call, result, elapsed, seen) in storm(429, retry_after).await {
            let err = result.expect_err("rate limited");
            assert_eq!(
                err.kind(),
                &ErrorKind::RateLimited {
                    retry_after: expected
                },
                "{call:?}"
            );
            assert!(elapsed < BOUND, "{call:?}: {elapsed:?}");
            let expected_requests = if call.is_write() { 1 } else { READS * ATTEMPTS };
            assert_eq!(
                seen, expected_requests,
                "{call:?} with Retry-After {retry_after:?}"
            );
            if retry_after.is_some() && !call.is_write() {
                // Honoured: two waits of one second between the three attempts.
                assert!(elapsed >= Duration::from_millis(1900), "{elapsed:?}");
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_5xx_storm_is_bounded() {
    let storms = join_all(
        [500, 502, 503, 504].map(|status| async move { (status, storm(status, None).await) }),
    )
    .await;
    for (status, outcomes) in storms {
        for (call, result, elapsed, seen) in outcomes {
            let err = result.expect_err("server error");
            assert_eq!(err.kind(), &ErrorKind::Server, "{status} {call:?}");
            assert_eq!(err.status(), Some(status));
            assert!(elapsed < BOUND, "{call:?}: {elapsed:?}");
            let expected = if call.is_write() { 1 } else { READS * ATTEMPTS };
            assert_eq!(seen, expected, "HTTP {status}: {call:?}");
        }
    }
}
