//! Fault injection over real loopback servers: whatever breaks, every call ends (no panic, no
//! hang) with the right error kind, within a bounded number of attempts and a bounded time,
//! with one token request per refresh, and never sends an order, a top-up, a claim or a
//! renewal twice. Each fault is tried on one read (usage) and on the four state-changing calls;
//! the servers count what they received.
//!
//! Complements `crates/pressone-esim/tests/sdk/resilience.rs` (closed ports, dropped connections
//! before any answer, JSON 5xx and 429 answers one call at a time, `Retry-After` limits) and
//! `auth.rs` (single flight, 401 refresh): the cases here are the broken answers (reset or cut
//! mid-body, truncated, HTML, empty, mislabelled), servers that never answer, storms under
//! concurrency, the token endpoint down, and a revocation of every token under load.
//!
//! Time bounds are generous upper bounds (a call must end), never speed assertions.

mod support;

use std::time::{Duration, Instant};

use futures::future::join_all;
use httpmock::prelude::*;
use pressone_esim::{Client, Error, ErrorKind};
use pressone_esim_sandbox::{Operation, Sandbox, SandboxConfig};
use rust_decimal::Decimal;

use support::*;

/// Attempts of a read (the policy of [`fast_retry`]).
const ATTEMPTS: usize = 3;
/// The per-attempt timeout of the raw-server tests.
const TIMEOUT: Duration = Duration::from_millis(400);
/// No call may take longer than this, whatever the fault.
const BOUND: Duration = Duration::from_secs(10);

const VOICE_USER: &str = r#"{"id": 7, "first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.com", "mobile": "+2348012345678", "number": "+2342012345678", "date_joined": "2025-01-02T03:04:05Z"}"#;

const NGINX_502: &str = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";
const CLOUDFLARE_503: &str = "<!DOCTYPE html>\n<html><head><title>Service Unavailable</title></head><body><h1>Error 503</h1><p>The origin is temporarily unavailable.</p></body></html>\n";

/// One read and the four state-changing calls.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Call {
    Usage,
    Order,
    Topup,
    Claim,
    Renew,
}

impl Call {
    const ALL: [Call; 5] = [
        Call::Usage,
        Call::Order,
        Call::Topup,
        Call::Claim,
        Call::Renew,
    ];

    fn is_write(self) -> bool {
        self != Call::Usage
    }

    fn method(self) -> &'static str {
        if self.is_write() { "POST" } else { "GET" }
    }

    fn path(self) -> String {
        match self {
            Call::Usage => format!("/customer/v2/sims/{ICCID}/usage"),
            Call::Order => "/customer/v2/orders".into(),
            Call::Topup => "/customer/v2/orders/topups".into(),
            Call::Claim => "/api/third-party/partner/claim-number/".into(),
            Call::Renew => "/api/third-party/partner/renew-number/".into(),
        }
    }

    fn operation(self) -> &'static str {
        match self {
            Call::Usage => "get_usage",
            Call::Order => "submit_order",
            Call::Topup => "submit_topup",
            Call::Claim => "claim_number",
            Call::Renew => "renew_number",
        }
    }

    /// The success status the spec declares (201 for a claim, 200 for the others).
    fn status(self) -> u16 {
        if self == Call::Claim { 201 } else { 200 }
    }

    /// A valid answer.
    fn answer(self) -> String {
        match self {
            Call::Usage => fixture("airalo.get-usage.200.json"),
            Call::Order => fixture("airalo.submit-order.200.json"),
            Call::Topup => fixture("airalo.submit-topup.200.json"),
            Call::Claim | Call::Renew => VOICE_USER.to_string(),
        }
    }

    async fn run(self, c: Client) -> Result<(), Error> {
        match self {
            Call::Usage => c.sims().usage(ICCID).await.map(drop),
            Call::Order => c
                .orders()
                .create("kallur-digital-7days-1gb", 1)
                .description("shop-order-7")
                .await
                .map(drop),
            Call::Topup => c
                .topups()
                .create(ICCID, "change-7days-1gb-topup")
                .await
                .map(drop),
            Call::Claim => c
                .voice()
                .claim("+2342012345678", "ada@example.com")
                .await
                .map(drop),
            Call::Renew => c.voice().renew("ada@example.com").await.map(drop),
        }
    }

    /// Runs the call in its own task (a panic fails the test with its message) and times it.
    async fn spawn(self, c: Client) -> (Result<(), Error>, Duration) {
        let started = Instant::now();
        let result = tokio::spawn(self.run(c))
            .await
            .unwrap_or_else(|e| panic!("{self:?} panicked: {e}"));
        (result, started.elapsed())
    }
}

/// What one call under one fault did.
struct Outcome {
    call: Call,
    result: Result<(), Error>,
    elapsed: Duration,
    /// Requests of the call's operation the server read.
    hits: usize,
    token_hits: usize,
}

/// Runs every call against its own raw server, whose token endpoint works and whose call
/// endpoint answers `reply(call)`; all five concurrently.
async fn each_call(reply: Fault) -> Vec<Outcome> {
    join_all(Call::ALL.map(|call| async move {
        let path = call.path();
        let server = RawServer::start(move |method, p| {
            if p == TOKEN_PATH {
                Reply::token(TOKEN)
            } else if p == path && method == call.method() {
                reply(call)
            } else {
                Reply::json(404, r#"{"data":[],"meta":{"message":"not here"}}"#)
            }
        })
        .await;
        let client = builder_for(&server.url, TIMEOUT).build().unwrap();
        let (result, elapsed) = call.spawn(client).await;
        Outcome {
            call,
            result,
            elapsed,
            hits: server.hits(call.method(), &call.path()),
            token_hits: server.token_hits(),
        }
    }))
    .await
}

/// The checks every fault shares: an error of the expected kind, naming the operation, one
/// line, within [`BOUND`]; `read_attempts` requests for the read and exactly one for each
/// write; one token request.
fn check<'a>(
    fault: &str,
    o: &'a Outcome,
    kind: impl Fn(&ErrorKind) -> bool,
    read_attempts: usize,
) -> &'a Error {
    let call = o.call;
    let err = match &o.result {
        Ok(()) => panic!("{fault}: {call:?} succeeded"),
        Err(err) => err,
    };
    assert!(kind(err.kind()), "{fault}: {call:?}: wrong kind: {err:?}");
    assert_eq!(err.operation(), Some(call.operation()), "{fault}: {err:?}");
    assert!(o.elapsed < BOUND, "{fault}: {call:?} took {:?}", o.elapsed);
    let expected = if call.is_write() { 1 } else { read_attempts };
    assert_eq!(
        o.hits, expected,
        "{fault}: {call:?} reached the server {} time(s), expected {expected}",
        o.hits
    );
    assert_eq!(o.token_hits, 1, "{fault}: {call:?}: token requests");
    let shown = err.to_string();
    assert!(
        !shown.contains(['\n', '\r']),
        "{fault}: not one line: {shown:?}"
    );
    err
}

fn half(text: &str) -> Vec<u8> {
    text.as_bytes()[..text.len() / 2].to_vec()
}

// ---------------------------------------------------------------------------------------------
// Broken answers
// ---------------------------------------------------------------------------------------------

/// How a server answers a call under a fault.
type Fault = fn(Call) -> Reply;

/// A connection reset after half the body, and a body cut short of its `content-length`.
const MID_BODY: [(&str, Fault); 2] = [
    ("reset mid-body", |call| Reply::ResetMidBody {
        body: call.answer().into_bytes(),
    }),
    ("closed mid-body", |call| Reply::CloseMidBody {
        body: call.answer().into_bytes(),
    }),
];

/// The server acted on a write it began to answer: the write is never sent again (`check`:
/// one request per write) and the error says it may have taken effect; a read is retried.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_connection_broken_mid_body_is_a_transport_error_and_reads_are_retried() {
    for (fault, reply) in MID_BODY {
        for o in each_call(reply).await {
            let err = check(fault, &o, |k| k == &ErrorKind::Transport, ATTEMPTS);
            assert!(
                err.may_have_reached_server() && err.is_retryable(),
                "{err:?}"
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn truncated_json_is_a_decode_error_that_may_have_taken_effect() {
    // A complete HTTP message whose body is half a JSON document: the server answered, so a
    // read is not sent again (the same server would answer the same), and a write may have
    // been executed: the error says so, with an excerpt for the logs.
    for o in each_call(|call| Reply::json(call.status(), half(&call.answer()))).await {
        let err = check(
            "truncated JSON",
            &o,
            |k| matches!(k, ErrorKind::Decode { .. }),
            1,
        );
        assert!(err.may_have_reached_server() && err.got_response());
        assert!(!err.is_retryable());
        let ErrorKind::Decode { excerpt } = err.kind() else {
            unreachable!()
        };
        assert!(excerpt.starts_with('{'), "{excerpt:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn html_error_pages_of_a_proxy_are_server_errors() {
    for o in each_call(|_| Reply::typed(502, "text/html", NGINX_502)).await {
        let err = check("HTML 502", &o, |k| k == &ErrorKind::Server, ATTEMPTS);
        assert_eq!(err.status(), Some(502));
        assert!(err.is_retryable() && err.may_have_reached_server());
        assert!(!err.to_string().contains("<html"), "{err}");
    }
    for o in each_call(|_| Reply::typed(503, "text/html; charset=utf-8", CLOUDFLARE_503)).await {
        let err = check("HTML 503", &o, |k| k == &ErrorKind::Server, ATTEMPTS);
        assert_eq!(err.status(), Some(503));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn empty_bodies() {
    // 200 and 204 with nothing to decode: the server answered; never re-sent.
    for status in [200, 204] {
        for o in each_call(if status == 200 {
            |_| Reply::json(200, "")
        } else {
            |_| Reply::json(204, "")
        })
        .await
        {
            let err = check(
                &format!("empty {status}"),
                &o,
                |k| matches!(k, ErrorKind::Decode { .. }),
                1,
            );
            assert!(err.may_have_reached_server());
            assert_eq!(err.status(), Some(status), "{err:?}");
        }
    }
    for o in each_call(|_| Reply::json(503, "")).await {
        let err = check("empty 503", &o, |k| k == &ErrorKind::Server, ATTEMPTS);
        assert_eq!(err.status(), Some(503));
    }
    for o in each_call(|_| Reply::json(429, "")).await {
        check(
            "empty 429 without Retry-After",
            &o,
            |k| k == &ErrorKind::RateLimited { retry_after: None },
            ATTEMPTS,
        );
    }
    // An empty 401: the token is dropped and the call retried once with a new one (a 401
    // means the server did not act, so this holds for writes too), then it gives up.
    for o in each_call(|_| Reply::json(401, "")).await {
        let err = o.result.as_ref().expect_err("401");
        assert_eq!(err.kind(), &ErrorKind::Authentication, "{err:?}");
        assert_eq!(o.hits, 2, "{:?}: one retry after the refresh", o.call);
        assert_eq!(o.token_hits, 2, "{:?}: one refresh", o.call);
        assert!(o.elapsed < BOUND);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_valid_answer_with_a_wrong_content_type_is_not_lost() {
    // The answer of an order is the order: a mislabelled but valid JSON body must be decoded,
    // not turned into an error (the balance is even documented as text/plain).
    for (label, reply) in [
        (
            "text/html",
            (|c: Call| Reply::typed(c.status(), "text/html", c.answer())) as Fault,
        ),
        ("text/plain", |c| {
            Reply::typed(c.status(), "text/plain; charset=utf-8", c.answer())
        }),
        ("none", |c| Reply::Full {
            status: c.status(),
            content_type: None,
            headers: Vec::new(),
            body: c.answer().into_bytes(),
        }),
    ] {
        for o in each_call(reply).await {
            assert!(o.result.is_ok(), "{label}: {:?}: {:?}", o.call, o.result);
            assert_eq!((o.hits, o.token_hits), (1, 1), "{label}: {:?}", o.call);
        }
    }
    // An HTML page labelled as JSON: a decode error quoting the page's start.
    for o in each_call(|c| Reply::json(c.status(), "<html><body>Maintenance</body></html>")).await {
        let err = check(
            "HTML labelled JSON",
            &o,
            |k| matches!(k, ErrorKind::Decode { excerpt } if excerpt.starts_with("<html>")),
            1,
        );
        assert!(err.may_have_reached_server());
    }
    for o in
        each_call(|c| Reply::typed(c.status(), "application/xml", "<?xml version=\"1.0\"?><a/>"))
            .await
    {
        check("XML", &o, |k| matches!(k, ErrorKind::Decode { .. }), 1);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_write_answered_with_another_success_status_is_not_lost() {
    for o in each_call(|c| Reply::json(if c == Call::Claim { 200 } else { 201 }, c.answer())).await
    {
        if !o.call.is_write() {
            continue;
        }
        assert!(o.result.is_ok(), "{:?}: {:?}", o.call, o.result);
        assert_eq!(o.hits, 1);
    }
}

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

// ---------------------------------------------------------------------------------------------
// Every token revoked while 500 calls are in flight
// ---------------------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn revoking_every_token_under_500_concurrent_calls_costs_one_refresh() {
    const CALLS: usize = 500;
    const ORDERS: usize = 50;
    let start_balance = Decimal::from(1_000_000);
    let sandbox = Sandbox::start(
        SandboxConfig::default()
            .seed(77)
            .initial_balance(start_balance),
    )
    .await
    .unwrap();
    // Every call goes through a proxy that can hold the requests until all have arrived.
    let proxy = GatedProxy::start(&sandbox.base_url()).await;
    let client = Client::builder()
        .base_url(&proxy.url)
        .credentials(sandbox.client_id(), sandbox.client_secret())
        .request_timeout(Duration::from_secs(60))
        .retry_policy(fast_retry())
        .build()
        .unwrap();
    client.authenticate().await.unwrap();
    let package = french_package(&client, true).await;
    let net = package.net_price.unwrap();
    assert_eq!(sandbox.request_count(Operation::RequestAccessToken), 1);

    // Hold every call at the proxy until all are in flight with the first token, revoke it,
    // then let them all through: each is refused by construction, not by timing.
    proxy.close();
    let tasks: Vec<_> = (0..CALLS)
        .map(|i| {
            let client = client.clone();
            let package_id = package.id.clone();
            tokio::spawn(async move {
                if i % (CALLS / ORDERS) == 0 {
                    client
                        .orders()
                        .create(package_id, 1)
                        .description(format!("revoke-{:03}", i / (CALLS / ORDERS)))
                        .await
                        .map(|o| Some(o.id))
                } else {
                    client.balance().await.map(|_| None)
                }
            })
        })
        .collect();
    proxy.wait_held(CALLS).await;
    assert_eq!(
        sandbox.request_count(Operation::GetBalance)
            + sandbox.request_count(Operation::SubmitOrder),
        0,
        "the proxy let a call through before the revocation"
    );
    sandbox.revoke_tokens();
    proxy.open();
    let results = join_all(tasks).await;

    let mut orders = Vec::new();
    for (i, result) in results.into_iter().enumerate() {
        match result.expect("no panic") {
            Ok(Some(id)) => orders.push(id),
            Ok(None) => {}
            Err(e) => panic!("call {i} failed after the revocation: {e:?}"),
        }
    }
    // Every call was refused once (401) and sent once more with the new token.
    let sent = sandbox.request_count(Operation::GetBalance)
        + sandbox.request_count(Operation::SubmitOrder);
    assert_eq!(
        sent,
        2 * CALLS as u64,
        "each call refused once, then sent once more"
    );
    assert_eq!(proxy.held(), CALLS);
    // One refresh for all the refusals: the first token and one more.
    assert_eq!(sandbox.request_count(Operation::RequestAccessToken), 2);
    // Each order refused (401, not executed) was sent once more: every order executed once.
    assert_eq!(orders.len(), ORDERS);
    assert_eq!(sandbox.order_count(), ORDERS);
    assert_eq!(
        sandbox.request_count(Operation::SubmitOrder),
        2 * ORDERS as u64
    );
    // Every order exactly once, with the id its caller was given.
    let mut executed: Vec<i64> = (0..ORDERS)
        .flat_map(|i| {
            let found = sandbox.orders_with_description(&format!("revoke-{i:03}"));
            assert_eq!(found.len(), 1, "revoke-{i:03}: {found:?}");
            found.into_iter().map(|(id, _)| id as i64)
        })
        .collect();
    executed.sort_unstable();
    orders.sort_unstable();
    assert_eq!(executed, orders);
    assert_eq!(
        sandbox.balance(),
        start_balance - net * Decimal::from(ORDERS as u64)
    );
    sandbox.shutdown().await;
}
