use super::*;

// ---------------------------------------------------------------------------------------------
// The token request
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn token_request_is_a_form_post_with_the_credentials() {
    let server = MockServer::start_async().await;
    let token = mount_token(&server).await;
    client(&server).authenticate().await.unwrap();
    token.assert_calls_async(1).await;
}

#[tokio::test]
async fn token_errors_are_typed() {
    let server = MockServer::start_async().await;
    let (mock, _) = serve_fixture(
        &server,
        Op::RequestAccessToken,
        "401-client-authentication-failed",
    )
    .await;
    let err = expect_err(client(&server).authenticate().await);
    assert_eq!(err.kind(), &ErrorKind::Authentication);
    assert_eq!(err.status(), Some(401));
    assert_eq!(err.message(), Some("Client authentication failed"));
    assert_eq!(
        mock.calls_async().await,
        1,
        "a refused secret is not retried"
    );

    let server = MockServer::start_async().await;
    serve_fixture(&server, Op::RequestAccessToken, "422-invalid-client-id").await;
    let err = expect_err(client(&server).authenticate().await);
    assert_eq!(
        field_messages(&err),
        owned(&[("client_id", "The selected client id is invalid.")])
    );
    assert_eq!(err.message(), Some("the parameter is invalid"));
}

// ---------------------------------------------------------------------------------------------
// Balance and devices
// ---------------------------------------------------------------------------------------------

async fn balance_served_as_text_plain(body: Value) -> (Vec<Balance>, Recorder) {
    let server = token_server().await;
    let recorder = Recorder::new();
    server
        .mock_async(|when, then| {
            when.method(GET).path("/customer/v2/balance");
            recorder.respond_as(then, 200, "text/plain; charset=UTF-8", body.to_string());
        })
        .await;
    let balances = client(&server).balance().await.unwrap();
    (balances, recorder)
}

#[tokio::test]
async fn balance_decodes_both_shapes_served_as_text_plain() {
    let (balances, recorder) = balance_served_as_text_plain(json!({
        "data": {"balances": {"name": "PressOne Credit", "availableBalance": {"amount": 1250.5, "currency": "USD"}}},
        "meta": {"message": "success"}
    }))
    .await;
    assert_eq!(
        balances,
        vec![Balance::new(
            Some("PressOne Credit".into()),
            dec("1250.5"),
            Some("USD".into())
        )]
    );
    // Method, path and the empty query are the raw layer's fact (its get_balance tests); the
    // token and User-Agent are the SDK's.
    let req = recorder.single();
    assert_eq!(header(&req, "authorization").as_deref(), Some(BEARER));
    assert_eq!(header(&req, "user-agent").as_deref(), Some(USER_AGENT));

    let (balances, _) = balance_served_as_text_plain(json!({
        "data": {"balances": [
            {"name": "Prepaid", "availableBalance": {"amount": 300, "currency": "USD"}},
            {"name": "Bonus", "availableBalance": {"amount": "12.25", "currency": "USD"}}
        ]},
        "meta": {"message": "success"}
    }))
    .await;
    assert_eq!(balances.len(), 2);
    assert_eq!(balances[0].name.as_deref(), Some("Prepaid"));
    assert_eq!(balances[0].amount, dec("300"));
    assert_eq!(balances[1].amount.to_string(), "12.25");

    let (balances, _) = balance_served_as_text_plain(
        json!({"data": {"balances": []}, "meta": {"message": "success"}}),
    )
    .await;
    assert!(balances.is_empty());
}

#[tokio::test]
async fn balance_sends_accept_application_json() {
    let (_, recorder) = balance_served_as_text_plain(
        json!({"data": {"balances": []}, "meta": {"message": "success"}}),
    )
    .await;
    assert_standard_headers(&recorder.single());
}

#[tokio::test]
async fn balance_that_is_not_json_is_a_decode_error_with_an_excerpt() {
    let server = token_server().await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/customer/v2/balance");
            then.status(200)
                .header("content-type", "text/plain")
                .body("Balance: lots");
        })
        .await;
    let err = expect_err(client(&server).balance().await);
    assert!(
        matches!(err.kind(), ErrorKind::Decode { excerpt } if excerpt.contains("Balance: lots")),
        "{err:?}"
    );
    assert_eq!(err.status(), Some(200));
    assert_eq!(err.operation(), Some("get_balance"));
}

#[tokio::test]
async fn devices_decode_the_fixture() {
    let (server, recorder) = fixture_server(Op::GetCompatibleDevicesLite, "200").await;
    let devices = client(&server).devices().await.unwrap();
    let req = recorder.single();
    assert_read(&req, &[]);
    assert_eq!(devices.len(), 97);
    assert_eq!(devices[0].os, DeviceOs::Android);
    assert_eq!(devices[0].brand, "bq");
    assert_eq!(devices[0].name, "Aquaris X2");
    assert_eq!(devices[0].model, None);
    assert!(
        devices
            .iter()
            .any(|d| d.os == DeviceOs::Ios && d.brand == "Apple")
    );
}
