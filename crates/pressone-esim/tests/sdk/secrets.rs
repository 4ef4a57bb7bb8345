//! The client secret and the access tokens never show: not in `Debug` of the client, its
//! builder, the stores or any error, not in `Display` of any error kind, and not in the
//! `tracing` output (captured at TRACE level, `log` records of the HTTP stack included) of a
//! full call sequence with successes, refreshes and failures.

use std::time::{Duration, SystemTime};

use httpmock::prelude::*;
use pressone_esim::{
    Client, Error, ErrorKind, FileTokenStore, MemoryTokenStore, RetryPolicy, Token, TokenKey,
};
use serde_json::json;

use crate::common::*;

const SECRET: &str = "cs-9f8e7d6c5b4a-SUPER-SECRET-value";
const ACCESS: &str = "at-1a2b3c4d5e6f-FIRST-ACCESS-TOKEN";
const REFRESHED: &str = "at-77aa88bb99cc-REFRESHED-TOKEN";
const BROKEN: &str = "at-0000ffff-TOKEN-IN-A-BROKEN-BODY";
const VOICE_KEY: &str = "vk-5566-VOICE-API-KEY";

const ALL: [&str; 5] = [SECRET, ACCESS, REFRESHED, BROKEN, VOICE_KEY];

fn assert_clean(what: &str, text: &str) {
    for secret in ALL {
        assert!(!text.contains(secret), "{what} leaks {secret:?}:\n{text}");
    }
}

fn assert_error_clean(err: &Error) {
    assert_clean("Display of an error", &err.to_string());
    assert_clean("Debug of an error", &format!("{err:?}"));
    assert_clean("Debug of an error kind", &format!("{:?}", err.kind()));
    let mut source = std::error::Error::source(err);
    while let Some(s) = source {
        assert_clean("an error source", &s.to_string());
        source = s.source();
    }
}

fn secret_client(server: &MockServer) -> Client {
    builder(server)
        .credentials(CLIENT_ID, SECRET)
        .request_timeout(Duration::from_millis(400))
        .build()
        .unwrap()
}

#[test]
fn debug_of_builder_client_token_and_stores_is_redacted() {
    let builder = Client::builder()
        .base_url("https://api.example.com")
        .credentials(CLIENT_ID, SECRET)
        .voice_api_key("X-Api-Key", VOICE_KEY)
        .retry_policy(RetryPolicy::disabled());
    let text = format!("{builder:?}");
    assert!(text.contains("client_secret"), "{text}");
    assert_clean("Debug of ClientBuilder", &text);
    let client = builder.build().unwrap();
    let text = format!("{client:?} {:#?}", client);
    assert!(text.contains("api.example.com"));
    assert_clean("Debug of Client", &text);
    assert_clean(
        "Debug of the APIs",
        &format!("{:?} {:?}", client.orders(), client.sims().usage(ICCID)),
    );

    let now = SystemTime::now();
    let token = Token::new(ACCESS, now, now + Duration::from_secs(60));
    assert_clean("Debug of Token", &format!("{token:?} {token:#?}"));
    let key = TokenKey::new("https://api.example.com", CLIENT_ID, CLIENT_SECRET);
    let memory = MemoryTokenStore::new();
    memory.save(&key, &token);
    assert_clean("Debug of MemoryTokenStore", &format!("{memory:?}"));
    let dir = tempfile::tempdir().unwrap();
    let file = FileTokenStore::new(dir.path().join("tokens.json"));
    file.save(&key, &token);
    assert_clean("Debug of FileTokenStore", &format!("{file:?}"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_secret_in_errors_or_trace_output_of_a_full_call_sequence() {
    let logs = trace_logs();
    let mut errors: Vec<Error> = Vec::new();

    // A server with a token A that gets refused later, then token B.
    let server = MockServer::start_async().await;
    let first = mount_token_for(&server, CLIENT_ID, SECRET, token_body(ACCESS)).await;
    first.up_to_n_times_async(1).await;
    mount_token_for(&server, CLIENT_ID, SECRET, token_body(REFRESHED)).await;
    let usage_path = format!("/customer/v2/sims/{ICCID}/usage");
    let usage_ok = mount_usage_for(&server, ACCESS).await;
    usage_ok.up_to_n_times_async(1).await;
    refuse_usage_for(&server, ACCESS).await;
    mount_usage_for(&server, REFRESHED).await;
    let c = secret_client(&server);
    c.sims().usage(ICCID).await.unwrap(); // token A
    c.sims().usage(ICCID).await.unwrap(); // 401, refresh to B, retry

    // Failures of every kind answered by the server.
    let answers: [(&str, u16, String); 7] = [
        (
            "/customer/v2/orders",
            422,
            fixture("airalo.future-orders.422-invalid-package.json"),
        ),
        (
            "/customer/v2/orders",
            400,
            fixture("airalo.submit-order.422.json"),
        ),
        (
            "/customer/v2/balance",
            403,
            json!({"code": 89, "reason": "IP"}).to_string(),
        ),
        (
            "/customer/v2/compatible-devices-lite",
            404,
            fixture("airalo.get-usage.404-invalid-iccid.json"),
        ),
        (
            "/customer/v2/packages",
            429,
            fixture("airalo.get-usage.429-rate-limit.json"),
        ),
        (
            "/customer/v2/sims",
            503,
            json!({"message": "down"}).to_string(),
        ),
        (
            "/api/third-party/partner/user/",
            418,
            json!({"detail": "teapot"}).to_string(),
        ),
    ];
    for (path, status, body) in answers {
        let server = MockServer::start_async().await;
        mount_token_for(&server, CLIENT_ID, SECRET, token_body(ACCESS)).await;
        server
            .mock_async(|when, then| {
                when.path(path);
                json(then, status, body).header("retry-after", "0");
            })
            .await;
        let c = secret_client(&server);
        let result = match path {
            "/customer/v2/orders" => c.orders().create(PACKAGE, 1).await.map(drop),
            "/customer/v2/balance" => c.balance().await.map(drop),
            "/customer/v2/compatible-devices-lite" => c.devices().await.map(drop),
            "/customer/v2/packages" => c.packages().list().await.map(drop),
            "/customer/v2/sims" => c.sims().list().await.map(drop),
            _ => c.voice().users().await.map(drop),
        };
        errors.push(expect_err(result));
    }

    // A token endpoint that refuses the secret, and one whose body holds a token but is broken.
    let server = MockServer::start_async().await;
    serve(
        &server,
        Op::RequestAccessToken,
        "401-client-authentication-failed",
    )
    .await;
    errors.push(expect_err(secret_client(&server).authenticate().await));
    let server = MockServer::start_async().await;
    let broken = json!({"data": {"access_token": BROKEN, "expires_in": {"not": "a number"}}});
    answer_op(&server, Op::RequestAccessToken, 200, broken.to_string()).await;
    let err = expect_err(secret_client(&server).authenticate().await);
    assert!(
        matches!(err.kind(), ErrorKind::Decode { excerpt } if excerpt.is_empty()),
        "{err:?}"
    );
    errors.push(err);

    // An answer of an undocumented success status with an unreadable body.
    let server = MockServer::start_async().await;
    mount_token_for(&server, CLIENT_ID, SECRET, token_body(ACCESS)).await;
    server
        .mock_async(|when, then| {
            when.path(format!("/customer/v2/sims/{ICCID}"));
            then.status(200).body("not json at all");
        })
        .await;
    errors.push(expect_err(secret_client(&server).sims().get(ICCID).await));

    // A timeout, a dropped connection, a refused connection.
    let server = MockServer::start_async().await;
    mount_token_for(&server, CLIENT_ID, SECRET, token_body(ACCESS)).await;
    server
        .mock_async(|when, then| {
            when.path(usage_path.clone());
            then.status(200).delay(Duration::from_secs(2));
        })
        .await;
    let c = builder(&server)
        .credentials(CLIENT_ID, SECRET)
        .request_timeout(Duration::from_millis(300))
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap();
    errors.push(expect_err(c.sims().usage(ICCID).await));
    let dropping = DroppingServer::start().await;
    errors.push(expect_err(
        builder_for(&dropping.url)
            .credentials(CLIENT_ID, SECRET)
            .build()
            .unwrap()
            .orders()
            .create(PACKAGE, 1)
            .await,
    ));
    let port = ClosedPort::new();
    let closed = port.url();
    errors.push(expect_err(
        builder_for(&closed)
            .credentials(CLIENT_ID, SECRET)
            .token_store(preloaded_store(&closed, ACCESS))
            .build()
            .unwrap()
            .sims()
            .usage(ICCID)
            .await,
    ));

    // The voice API key on a voice call that fails.
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.path("/api/third-party/partner/claim-number/");
            json(then, 401, json!({"detail": "Invalid key."}).to_string());
        })
        .await;
    errors.push(expect_err(
        builder(&server)
            .credentials(CLIENT_ID, SECRET)
            .voice_api_key("X-Api-Key", VOICE_KEY)
            .build()
            .unwrap()
            .voice()
            .claim("+2342012345678", "ada@example.com")
            .await,
    ));

    // Refused before sending, and misconfigured.
    errors.push(expect_err(
        secret_client(&server).orders().create(" ", 1).await,
    ));
    errors.push(expect_err(
        Client::builder()
            .base_url("http://api.example.com")
            .credentials(CLIENT_ID, SECRET)
            .build(),
    ));
    errors.push(expect_err(
        Client::builder()
            .base_url("https://api.example.com")
            .credentials(CLIENT_ID, SECRET)
            .user_agent_suffix("bad\nsuffix")
            .build(),
    ));
    errors.push(expect_err(
        Client::builder()
            .base_url("https://api.example.com")
            .credentials(CLIENT_ID, SECRET)
            .voice_api_key("X-Api-Key", format!("{VOICE_KEY}\n"))
            .build(),
    ));

    // Every kind was produced, and none shows a secret.
    // A kind's variant name, from its Debug form (`Forbidden { .. }` is "Forbidden").
    let kinds: Vec<String> = errors
        .iter()
        .map(|e| {
            let debug = format!("{:?}", e.kind());
            debug
                .split(|c: char| !c.is_alphanumeric())
                .next()
                .unwrap_or_default()
                .to_string()
        })
        .collect();
    for kind in [
        "Authentication",
        "Forbidden",
        "NotFound",
        "Validation",
        "Business",
        "RateLimited",
        "Server",
        "UnexpectedStatus",
        "Transport",
        "Timeout",
        "Decode",
        "InvalidInput",
        "Config",
    ] {
        assert!(
            kinds.iter().any(|k| k == kind),
            "no {kind} error in {kinds:?}"
        );
    }
    for err in &errors {
        assert_error_clean(err);
    }
    assert_clean("Debug of the client after a refresh", &format!("{c:?}"));

    let text = logs.contents();
    if std::env::var_os("PRINT_TRACE").is_some() {
        eprintln!("{text}");
    }
    assert!(
        text.contains("pressone_esim.request") && text.contains("get_usage"),
        "the capture works:\n{text}"
    );
    assert!(text.contains("retrying") || text.contains("failed"));
    assert_clean("the trace output", &text);
}

#[test]
fn a_base_url_with_a_password_is_not_echoed() {
    for url in [
        format!("http://id:{SECRET}@api.example.com"),
        format!("https://id:{SECRET}@api.example.com?x=1"),
    ] {
        let err = expect_err(
            Client::builder()
                .base_url(url)
                .credentials(CLIENT_ID, "x")
                .build(),
        );
        assert!(matches!(err.kind(), ErrorKind::Config { .. }));
        assert_error_clean(&err);
    }
}

#[test]
fn a_secret_in_an_https_base_url_is_refused_without_echo() {
    let err = expect_err(
        Client::builder()
            .base_url(format!("https://id:{SECRET}@api.example.com"))
            .credentials(CLIENT_ID, "x")
            .build(),
    );
    assert!(matches!(err.kind(), ErrorKind::Config { .. }));
    assert_error_clean(&err);
}
