//! One pipeline policy: the body limit set with `max_response_body` holds for every body
//! (answers, error bodies, the balance's text body); the retry loop follows the same rule as
//! `Error::is_retryable` (business codes 13 and 53 are temporary: reads retry them, writes
//! never); every error names its operation as an `OperationId`.

use httpmock::prelude::*;
use pressone_esim::{BusinessCode, ErrorKind, OperationId};
use serde_json::json;

use crate::common::*;

fn usage_path() -> String {
    format!("/customer/v2/sims/{ICCID}/usage")
}

#[tokio::test]
async fn the_balance_body_obeys_max_response_body() {
    let server = token_server().await;
    // Valid JSON, 2 KB: well under the 1 MiB the balance used to allow whatever the setting.
    let body = json!({"data": {"balances": [], "padding": "x".repeat(2000)}}).to_string();
    server
        .mock_async(|when, then| {
            when.method(GET).path("/customer/v2/balance");
            then.status(200)
                .header("content-type", "text/plain")
                .body(&body);
        })
        .await;
    let small = builder(&server).max_response_body(1000).build().unwrap();
    let err = small.balance().await.unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Decode { .. }), "{err:?}");
    assert_eq!(err.operation_id(), Some(OperationId::GetBalance));
    assert!(err.to_string().contains("limit of 1000 bytes"), "{err}");
    // The same body within the limit decodes.
    let large = builder(&server).max_response_body(4000).build().unwrap();
    assert!(large.balance().await.unwrap().is_empty());
}

#[tokio::test]
async fn an_error_body_is_read_up_to_the_client_limit() {
    let server = token_server().await;
    // 100 KB: past the 64 KiB error bodies used to be cut at, so the code was lost.
    let body = json!({"code": 11, "reason": "Insufficient credit", "padding": "x".repeat(100_000)})
        .to_string();
    // 409: a status the spec does not declare, read by the pipeline itself.
    let order = answer_op(&server, Op::SubmitOrder, 409, &body).await;
    let err = client(&server).orders().create("pkg", 1).await.unwrap_err();
    assert_eq!(err.status(), Some(409));
    assert_eq!(err.message(), Some("Insufficient credit"), "{err:?}");
    assert_eq!(err.operation_id(), Some(OperationId::SubmitOrder));
    assert_eq!(order.calls_async().await, 1);

    // Past the limit, the status alone is classified.
    let small = builder(&server).max_response_body(1000).build().unwrap();
    let err = small.orders().create("pkg", 1).await.unwrap_err();
    assert_eq!(err.kind(), &ErrorKind::UnexpectedStatus);
    assert_eq!(err.message(), None);
}

#[tokio::test]
async fn a_read_answered_with_a_temporary_business_code_is_retried() {
    let server = token_server().await;
    let maintenance = answer(&server, GET, usage_path(), 422, json!({"code": 13, "reason": "The requested operator is currently undergoing maintenance. Please try again later."}).to_string()).await;
    maintenance.up_to_n_times_async(1).await;
    let ok = serve_authed(&server, Op::GetUsage, "200").await;
    assert_usage_recovers(&server, &maintenance, 1, &ok).await;
}

#[tokio::test]
async fn a_write_answered_with_a_temporary_business_code_is_sent_once() {
    let server = token_server().await;
    let body = json!({"code": 53, "reason": "Something unexpected happened."});
    let order = answer_op(&server, Op::SubmitOrder, 422, body.to_string()).await;
    let err = client(&server).orders().create("pkg", 1).await.unwrap_err();
    assert_eq!(err.business_code(), Some(BusinessCode::Unexpected));
    // Temporary, so the caller may try again (after reconciling), but the SDK did not.
    assert!(err.is_retryable());
    assert_eq!(order.calls_async().await, 1);
}

#[tokio::test]
async fn input_errors_name_their_operation() {
    let server = MockServer::start_async().await;
    let client = client(&server);
    let err = client.sims().history("not an iccid").await.unwrap_err();
    assert_eq!(err.operation_id(), Some(OperationId::GetEsimPackageHistory));
    let err = client
        .voice()
        .claim("+234", "not an email")
        .await
        .unwrap_err();
    assert_eq!(err.operation_id(), Some(OperationId::ClaimNumber));
    assert_eq!(err.operation(), Some("claim_number"));
}

/// The future of a usage read (the per-call read a dashboard makes most) stays within 1 KiB:
/// awaiting a request boxes its future, and glibc serves blocks up to 1,032 bytes from its
/// per-thread cache; every layer of the pipeline adds to this size, and each move copies it.
/// A size, not a timing: it is the same in debug and release builds.
#[tokio::test]
async fn a_usage_read_future_stays_within_one_kibibyte() {
    let server = token_server().await;
    let c = client(&server);
    let read = c.sims().usage(ICCID).send();
    let size = std::mem::size_of_val(&read);
    assert!(size <= 1024, "the usage read's future is {size} bytes");
    // The future is the real read: it completes against the server.
    serve_authed(&server, Op::GetUsage, "200").await;
    assert!(read.await.is_ok());
}

/// With a subscriber, an attempt is a `pressone_esim.request` span naming the operation and
/// recording the status and the latency, and the request is polled inside it: the HTTP stack's
/// own records of the request carry the span. (Without one, the span is disabled and the
/// request is not wrapped in it at all.) The binary's subscriber also holds other tests'
/// records: any usage read shows the same, and none would if requests were not polled in
/// their span.
#[tokio::test]
async fn an_attempt_is_traced_in_its_span() {
    let logs = trace_logs();
    let server = token_server().await;
    serve_authed(&server, Op::GetUsage, "200").await;
    client(&server).sims().usage(ICCID).await.unwrap();
    let text = logs.contents();
    let usage: Vec<&str> = text
        .lines()
        .filter(|l| l.contains(r#"pressone_esim.request{operation="get_usage" attempt=1"#))
        .collect();
    assert!(
        usage.iter().any(|l| l.contains("hyper_util::client")),
        "the HTTP stack's records of the request carry its span:\n{text}"
    );
    assert!(
        usage
            .iter()
            .any(|l| l.contains("status=200 latency_ms=") && l.ends_with("pressone_esim::call: ok")),
        "the span records the status and the latency:\n{text}"
    );
}
