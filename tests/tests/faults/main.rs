//! Fault injection over real loopback servers: whatever breaks, every call ends (no panic, no
//! hang) with the right error kind, within a bounded number of attempts and a bounded time,
//! with one token request per refresh, and never sends an order, a top-up, a claim or a
//! renewal twice. Each fault is tried on one read (usage) and on the four state-changing calls;
//! the servers count what they received.
//!
//! Complements `crates/pressone-esim/tests/sdk/resilience/` (closed ports, dropped connections
//! before any answer, JSON 5xx and 429 answers one call at a time, `Retry-After` limits) and
//! `auth.rs` (single flight, 401 refresh): the cases here are the broken answers (reset or cut
//! mid-body, truncated, HTML, empty, mislabelled), servers that never answer, storms under
//! concurrency, the token endpoint down, and a revocation of every token under load.
//!
//! Time bounds are generous upper bounds (a call must end), never speed assertions.

mod broken_answers;
mod revocation;
mod storms;
mod timeouts;
mod token_endpoint;

#[path = "../support/mod.rs"]
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
            Call::Usage => Operation::GetUsage.as_str(),
            Call::Order => Operation::SubmitOrder.as_str(),
            Call::Topup => Operation::SubmitTopup.as_str(),
            Call::Claim => Operation::ClaimNumber.as_str(),
            Call::Renew => Operation::RenewNumber.as_str(),
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

/// How a server answers a call under a fault.
type Fault = fn(Call) -> Reply;
