use super::*;

// Error responses
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn declared_422_returns_error_response_with_the_decoded_api_error() -> TestResult {
    let server = MockServer::start_async().await;
    let validation = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/customer/v2/orders")
                .form_urlencoded_tuple("package_id", "nope");
            reply(
                then,
                422,
                "application/json",
                fixture("airalo.submit-order.422.json"),
            );
        })
        .await;
    let business = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/customer/v2/orders")
                .form_urlencoded_tuple("package_id", "gone");
            let body = fixture("airalo.future-orders.422-invalid-package.json");
            reply(then, 422, JSON, body);
        })
        .await;
    let client = client(&server);
    let order = |package: &str| SubmitOrderRequest::new(package, nz(51));

    let (result, status) = with_context(
        CallContext::new(),
        client.submit_order().body(order("nope")).send(),
    )
    .await;
    validation.assert_async().await;
    assert_eq!(status, Some(422));
    let error = assert_api_error(result, 422, "the parameter is invalid");
    assert_eq!(
        error.data.as_ref().and_then(|d| d.get("quantity")),
        Some(&json!("The quantity may not be greater than 50."))
    );

    let result = client.submit_order().body(order("gone")).send().await;
    business.assert_async().await;
    let error = error_response(result);
    assert_eq!(error.status(), 422);
    assert_eq!(error.into_inner().code, Some(json!(34)));
    Ok(())
}

#[tokio::test]
async fn declared_404_returns_error_response() -> TestResult {
    let server = MockServer::start_async().await;
    let body = fixture("airalo.get-topups.404-invalid-iccid.json");
    let path = "/customer/v2/sims/000/topups";
    let mock = answer(&server, GET, path, 404, JSON, body).await;
    let result = client(&server).get_topups().iccid("000").send().await;
    mock.assert_async().await;
    assert_api_error(result, 404, "messages.resource_not_found");
    Ok(())
}

/// Answers 429 with the rate-limit body and headers on `path`.
async fn mock_429(server: &MockServer, path: String) -> httpmock::Mock<'_> {
    server
        .mock_async(|when, then| {
            when.method(GET).path(path);
            reply(
                then,
                429,
                JSON,
                fixture("airalo.get-usage.429-rate-limit.json"),
            )
            .header("retry-after", "60")
            .header("x-ratelimit-limit", "100")
            .header("x-ratelimit-remaining", "0");
        })
        .await
}

#[tokio::test]
async fn declared_429_is_an_error_response_with_its_status_retry_after_and_body() -> TestResult {
    let server = MockServer::start_async().await;
    let mock = mock_429(&server, format!("/customer/v2/sims/{ICCID}/usage")).await;
    let client = client(&server);
    let request = client.get_usage().iccid(ICCID).send();
    let response = error_response(send_recorded(&mock, 429, request).await);
    assert_eq!(response.status(), 429);
    assert_eq!(response.headers()["retry-after"], "60");
    assert_eq!(response.message.as_deref(), Some("Too Many Attempts."));
    Ok(())
}

#[tokio::test]
async fn undeclared_429_returns_unexpected_response_with_its_status_and_headers() -> TestResult {
    let server = MockServer::start_async().await;
    let mock = mock_429(&server, "/customer/v2/balance".to_string()).await;
    let client = client(&server);
    let request = client.get_balance().send();
    let response = unexpected_response(send_recorded(&mock, 429, request).await, 429);
    assert_eq!(response.headers()["retry-after"], "60");
    let body: types::ApiError = response.json().await?;
    assert_eq!(body.message.as_deref(), Some("Too Many Attempts."));
    Ok(())
}

#[tokio::test]
async fn declared_401_with_an_html_body_is_an_invalid_payload_whose_status_the_context_keeps()
-> TestResult {
    let server = MockServer::start_async().await;
    let body = "<html><h1>401 Unauthorized</h1></html>";
    let mock = answer(&server, POST, "/customer/v2/token", 401, "text/html", body).await;
    let client = client(&server);
    let request = client
        .request_access_token()
        .body(token_request("id", "wrong"));
    let (result, status) = with_context(CallContext::new(), request.send()).await;
    mock.assert_async().await;
    match result {
        Err(error @ Error::InvalidResponsePayload(..)) => {
            assert_eq!(error.status(), None, "progenitor drops the status here");
            let Error::InvalidResponsePayload(body, _) = error else {
                unreachable!()
            };
            assert!(String::from_utf8_lossy(&body).contains("401 Unauthorized"));
        }
        other => panic!(
            "expected InvalidResponsePayload, got {:?}",
            other.map(|r| r.status())
        ),
    }
    assert_eq!(status, Some(401), "the hook keeps it");
    Ok(())
}

#[tokio::test]
async fn declared_401_json_fixture_decodes_as_api_error() -> TestResult {
    let server = MockServer::start_async().await;
    let body = fixture("airalo.request-access-token.401-client-authentication-failed.json");
    let mock = answer(&server, POST, "/customer/v2/token", 401, JSON, body).await;
    let client = client(&server);
    let request = client.request_access_token();
    let result = request.body(token_request("id", "wrong")).send().await;
    mock.assert_async().await;
    assert_api_error(result, 401, "Client authentication failed");
    Ok(())
}

#[tokio::test]
async fn voice_errors_decode_as_voice_error() -> TestResult {
    let server = MockServer::start_async().await;
    let path = "/api/third-party/partner/claim-number/";
    let body = r#"{"email": ["Enter a valid email address."]}"#;
    let mock = answer(&server, POST, path, 400, JSON, body).await;
    let result = client(&server)
        .claim_number()
        .body(types::ClaimNumberRequest {
            email: "not-an-email".into(),
            first_name: None,
            last_name: None,
            number: "+2342012345678".into(),
        })
        .send()
        .await;
    mock.assert_async().await;
    let error = error_response(result);
    assert_eq!(error.status(), 400);
    let error = error.into_inner();
    assert_eq!(error.detail, None);
    let messages = json!(["Enter a valid email address."]);
    assert_eq!(error.extra.get("email"), Some(&messages));
    Ok(())
}
