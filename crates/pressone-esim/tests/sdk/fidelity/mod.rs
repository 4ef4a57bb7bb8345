//! Fidelity to what the API sends and documents (issue 15): answers the SDK must not flatten
//! into something else, and the knobs a partner needs within reach.

use httpmock::prelude::*;
use pressone_esim::ErrorKind;

use crate::common::*;

/// Mounts an authorized `GET path` answering `status` with the JSON `body`.
async fn mount_get<'a>(
    server: &'a MockServer,
    path: &str,
    status: u16,
    body: String,
) -> httpmock::Mock<'a> {
    let path = path.to_string();
    server
        .mock_async(move |when, then| {
            authed(when.method(GET).path(path));
            json(then, status, body);
        })
        .await
}

#[tokio::test]
async fn topups_answered_200_with_the_not_found_body_are_not_found() {
    let server = MockServer::start_async().await;
    mount_token(&server).await;
    let path = format!("/customer/v2/sims/{ICCID}/topups");
    // Airalo files the invalid-ICCID answer under HTTP 200.
    let mock = mount_get(
        &server,
        &path,
        200,
        fixture("airalo.get-topups.404-invalid-iccid.json"),
    )
    .await;
    let err = expect_err(client(&server).sims().topups(ICCID).await);
    assert_eq!(err.kind(), &ErrorKind::NotFound);
    assert_eq!(err.status(), Some(200));
    assert_eq!(err.message(), Some("messages.resource_not_found"));
    assert_eq!(err.operation(), Some("get_topups"));
    assert_eq!(mock.calls_async().await, 1, "not found is not retried");

    // A bare empty list still means "no top-ups".
    let server = MockServer::start_async().await;
    mount_token(&server).await;
    mount_get(
        &server,
        &path,
        200,
        fixture("airalo.get-topups.200-no-topups-available.json"),
    )
    .await;
    assert!(
        client(&server)
            .sims()
            .topups(ICCID)
            .await
            .unwrap()
            .is_empty()
    );
}
