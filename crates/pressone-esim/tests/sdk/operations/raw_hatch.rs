//! The escape hatch `Client::raw`: a generated request under the SDK's pipeline (token,
//! 401 refresh, the retry rule of its operation, normalized errors).

use super::*;
use pressone_esim::OperationId;
use pressone_esim::raw::wire::SubmitOrderRequest;

/// Gets the eSIM through the raw hatch.
async fn raw_get_esim(
    c: &Client,
) -> pressone_esim::Result<pressone_esim::raw::types::EsimResponse> {
    c.raw(OperationId::GetEsim, |raw| {
        raw.get_esim().iccid(ICCID).send()
    })
    .await
}

#[tokio::test]
async fn a_raw_read_gets_the_token_the_typed_body_and_retries() {
    let server = MockServer::start_async().await;
    let token = mount_token(&server).await;
    let (_, recorder) = serve_fixture(&server, Op::GetEsim, "200").await;
    let c = client(&server);
    let esim = c
        .raw(OperationId::GetEsim, |raw| {
            raw.get_esim()
                .iccid(ICCID)
                .include("order,order.user,share")
                .send()
        })
        .await
        .unwrap();
    assert_eq!(esim.data.iccid.as_deref(), Some(ICCID));
    let req = recorder.single();
    assert_read(&req, &[("include", "order,order.user,share")]);
    assert_eq!(token.calls_async().await, 1);

    // A read failing with 503 is retried by the policy, then normalized.
    let server = MockServer::start_async().await;
    mount_token(&server).await;
    let (failing, _) = record(&server, Op::GetEsim, 503, "{}").await;
    let err = expect_err(raw_get_esim(&client(&server)).await);
    assert_eq!(err.kind(), &ErrorKind::Server);
    assert_eq!(err.operation(), Some("get_esim"));
    let attempts = usize::try_from(fast_retry().attempts()).unwrap();
    assert!(attempts > 1);
    assert_eq!(failing.calls_async().await, attempts, "reads are retried");
}

#[tokio::test]
async fn a_raw_write_is_never_retried() {
    let server = MockServer::start_async().await;
    mount_token(&server).await;
    let (failing, _) = record(&server, Op::SubmitOrder, 503, "{}").await;
    let body = SubmitOrderRequest {
        description: Some("raw-1".to_string()),
        ..SubmitOrderRequest::new(PACKAGE, std::num::NonZeroU64::new(1).unwrap())
    };
    let err = expect_err(
        client(&server)
            .raw(OperationId::SubmitOrder, |raw| {
                raw.submit_order().body(body.clone()).send()
            })
            .await,
    );
    assert_eq!(err.kind(), &ErrorKind::Server);
    assert!(err.may_have_reached_server());
    assert_eq!(failing.calls_async().await, 1, "an order is sent once");
}

#[tokio::test]
async fn a_raw_call_refreshes_a_refused_token_once() {
    let server = MockServer::start_async().await;
    let token = mount_token(&server).await;
    let (refused, _) = record(
        &server,
        Op::GetEsim,
        401,
        r#"{"data": [], "meta": {"message": "Client authentication failed"}}"#,
    )
    .await;
    let err = expect_err(raw_get_esim(&client(&server)).await);
    assert_eq!(err.kind(), &ErrorKind::Authentication);
    assert_eq!(
        refused.calls_async().await,
        2,
        "one retry with a fresh token"
    );
    assert_eq!(token.calls_async().await, 2);
}
