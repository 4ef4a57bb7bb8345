//! Fidelity to what the API sends and documents (issue 15): answers the SDK must not flatten
//! into something else, and the knobs a partner needs within reach.

use super::*;

#[tokio::test]
async fn topups_answered_200_with_the_not_found_body_are_not_found() {
    let server = MockServer::start_async().await;
    mount_token(&server).await;
    // Airalo files the invalid-ICCID answer under HTTP 200.
    let (mock, _) = record(
        &server,
        GET,
        &sim_path("/topups"),
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
}

#[tokio::test]
async fn copy_to_before_email_to_is_kept_and_without_email_to_is_refused() {
    let server = MockServer::start_async().await;
    let token = mount_token(&server).await;
    let (mock, recorder) = record(
        &server,
        POST,
        ORDERS,
        200,
        fixture("airalo.submit-order.200.json"),
    )
    .await;
    let c = client(&server);
    let err = expect_err(
        c.orders()
            .create("kallur-digital-7days-1gb", 1)
            .copy_to("ops@example.com")
            .await,
    );
    assert!(
        matches!(
            err.kind(),
            ErrorKind::InvalidInput {
                field: "copy_address",
                ..
            }
        ),
        "{err}"
    );
    assert_eq!(token.calls_async().await, 0, "nothing is sent");

    c.orders()
        .create("kallur-digital-7days-1gb", 1)
        .copy_to("ops@example.com")
        .email_to("ada@example.com", &[SharingOption::Link])
        .await
        .unwrap();
    assert_eq!(mock.calls_async().await, 1);
    let pairs = form_pairs(&recorder.single());
    assert!(
        pairs.contains(&("copy_address[]".to_string(), "ops@example.com".to_string())),
        "{pairs:?}"
    );
}

#[tokio::test]
async fn collect_all_gathers_every_page() {
    let server = MockServer::start_async().await;
    mount_token(&server).await;
    for (page, body) in [
        (1, orders_page(&[(1, None), (2, None)], 1, 2)),
        (2, orders_page(&[(3, None)], 2, 2)),
    ] {
        server
            .mock_async(move |when, then| {
                authed(when.method(GET).path(ORDERS)).query_param("page", page.to_string());
                json(then, 200, body);
            })
            .await;
    }
    let orders = client(&server).orders().list().collect_all().await.unwrap();
    let ids: Vec<i64> = orders.iter().map(|o| o.id).collect();
    assert_eq!(ids, vec![1, 2, 3]);
}

/// `?` works from the install kit's errors in a function returning the SDK's `Result`.
fn parse_code(text: &str) -> pressone_esim::Result<pressone_esim::install::ActivationCode> {
    Ok(text.parse::<pressone_esim::install::ActivationCode>()?)
}

#[test]
fn install_errors_convert_into_the_sdk_error() {
    let err = expect_err(parse_code("not an activation code"));
    assert!(
        matches!(
            err.kind(),
            ErrorKind::InvalidInput {
                field: "activation_code",
                ..
            }
        ),
        "{err}"
    );
    assert!(!err.may_have_reached_server());
    assert!(
        std::error::Error::source(&err).is_some(),
        "the kit's error is kept"
    );
    assert!(parse_code("LPA:1$smdp.example.com$ABC-123").is_ok());
}

#[tokio::test]
async fn the_prelude_brings_the_stream_traits_and_the_date_type() {
    use pressone_esim::prelude::*;
    let server = MockServer::start_async().await;
    mount_token(&server).await;
    server
        .mock_async(|when, then| {
            authed(when.method(GET).path(ORDERS));
            json(then, 200, orders_page(&[(7, None)], 1, 1));
        })
        .await;
    let day: NaiveDate = NaiveDate::from_ymd_opt(2025, 1, 2).unwrap();
    let client: Client = client(&server);
    let mut orders = client.orders().list().created_between(day, day).stream();
    let first = orders.try_next().await.unwrap().unwrap();
    assert_eq!(first.id, 7);
    assert!(orders.next().await.is_none());
}

#[tokio::test]
async fn get_esim_keeps_the_sharing_page_the_user_and_the_codes() {
    let server = MockServer::start_async().await;
    mount_token(&server).await;
    record(
        &server,
        GET,
        &sim_path(""),
        200,
        fixture("airalo.get-esim.200.json"),
    )
    .await;
    let esim = client(&server).sims().get(ICCID).await.unwrap();
    let sharing = esim.sharing.clone().expect("simable.sharing");
    assert_eq!(
        sharing.link,
        "https://esims.cloud/our-perfect-brand/a4g5ht-58sdf1a"
    );
    assert_eq!(sharing.access_code.as_deref(), Some("4812"));
    let order = esim.order.as_deref().expect("simable");
    assert_eq!(order.sharing.as_ref(), Some(&sharing));
    let user = order.user.as_ref().expect("simable.user");
    assert_eq!(user.id, Some(120));
    assert_eq!(user.name.as_deref(), Some("User Name"));
    assert_eq!(user.email.as_deref(), Some("email@domain.com"));
    assert_eq!(user.company.as_deref(), Some("Company Name"));
    assert_eq!(user.mobile, None, "null stays None");
    assert_eq!(user.created_at, Some(utc(2023, 2, 20, 8, 41, 57)));
    // Sent as null: nothing invented.
    assert_eq!(esim.voucher_code, None);
    assert_eq!(esim.airalo_code, None);
    assert_eq!(esim.imsis, None);
    assert_eq!(esim.apn_by_os, None);

    // The sharing page is an installation method of its own.
    let links = esim.install_links().unwrap();
    assert_eq!(links.sharing, Some(sharing.clone()));
    assert!(links.apple.starts_with("https://esimsetup.apple.com/"));

    // And reachable in the models' JSON.
    let json = serde_json::to_value(&esim).unwrap();
    assert_eq!(json["sharing"]["access_code"], "4812");
    assert_eq!(json["order"]["user"]["email"], "email@domain.com");
}

#[tokio::test]
async fn orders_keep_the_apn_per_os_of_their_sims() {
    let server = MockServer::start_async().await;
    mount_token(&server).await;
    record(
        &server,
        POST,
        ORDERS,
        200,
        fixture("airalo.submit-order.200-voice-data-package.json"),
    )
    .await;
    let order = client(&server)
        .orders()
        .create("kallur-digital-7days-1gb", 1)
        .await
        .unwrap();
    let apn = order.esims[0]
        .apn_by_os
        .as_ref()
        .expect("apn {ios, android}");
    let ios = apn.ios.as_ref().expect("ios");
    let android = apn.android.as_ref().expect("android");
    assert_eq!(ios.apn_type, Some(ApnType::Automatic));
    assert_eq!(ios.apn_value.as_deref(), Some("globaldata"));
    assert_eq!(android.apn_type, Some(ApnType::Manual));
    assert_eq!(android.apn_value.as_deref(), Some("globaldata"));
    assert_eq!(order.esims[0].sharing, None, "not shared: no page");
}

#[tokio::test]
async fn order_lists_keep_the_user() {
    let server = MockServer::start_async().await;
    mount_token(&server).await;
    record(&server, GET, ORDERS, 200, orders_page(&[(5, None)], 1, 1)).await;
    let page = client(&server).orders().list().send().await.unwrap();
    let user = page.items[0].user.as_ref().expect("user");
    assert_eq!(user.id, Some(120));
}
