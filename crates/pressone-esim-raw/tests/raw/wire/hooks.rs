use super::esims_and_voice::VOICE_USER;
use super::*;

// ---------------------------------------------------------------------------------------------
// Hooks
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn context_adds_the_bearer_token_drops_api_version_and_records_the_status() -> TestResult {
    let exchange = Exchange::start(|when, then| {
        when.method(GET)
            .path(format!("/customer/v2/sims/{ICCID}/usage"))
            .header("authorization", "Bearer t")
            .is_true(single_header("authorization", "Bearer t"))
            .header_missing("api-version");
        json_ok(then, fixture("airalo.get-usage.200.json"));
    })
    .await;
    let client = exchange.client();
    let context = CallContext::new().with_auth(AUTHORIZATION, "Bearer t".parse()?);
    let (result, status) = with_context(context, client.get_usage().iccid(ICCID).send()).await;
    exchange.assert().await;
    assert_eq!(result?.into_inner().data.total, Some(2048));
    assert_eq!(status, Some(200));
    Ok(())
}

#[tokio::test]
async fn success_and_error_responses_keep_their_headers() -> TestResult {
    let server = MockServer::start_async().await;
    let ok = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(format!("/customer/v2/sims/{ICCID}/usage"));
            reply(then, 200, JSON, fixture("airalo.get-usage.200.json"))
                .header("x-request-id", "abc");
        })
        .await;
    let limited = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/customer/v2/sims/89000000000000000001/usage");
            reply(
                then,
                404,
                JSON,
                r#"{"data": [], "meta": {"message": "not found"}}"#,
            )
            .header("retry-after", "7");
        })
        .await;
    let client = client(&server);

    let (result, status) =
        with_context(CallContext::new(), client.get_usage().iccid(ICCID).send()).await;
    let value = result?;
    assert_eq!(
        value.headers().get("x-request-id").map(|v| v.as_bytes()),
        Some(&b"abc"[..])
    );
    assert_eq!(value.into_inner().data.total, Some(2048));
    assert_eq!(status, Some(200));

    let request = client.get_usage().iccid("89000000000000000001").send();
    let (result, status) = with_context(CallContext::new(), request).await;
    assert_eq!(status, Some(404));
    match result {
        Err(progenitor_client::Error::ErrorResponse(response)) => {
            assert_eq!(
                response.headers().get("retry-after").map(|v| v.as_bytes()),
                Some(&b"7"[..])
            );
        }
        other => panic!("expected the documented 404, got {other:?}"),
    }
    ok.assert_async().await;
    limited.assert_async().await;
    Ok(())
}

/// The body reader the generated code is pointed at (`src/body.rs`): a body in many pieces
/// is read whole and in order, and an empty or broken one is reported with its bytes.
#[tokio::test]
async fn bodies_are_read_whole_and_bad_ones_reported_with_their_bytes() -> TestResult {
    let server = MockServer::start_async().await;
    // About 2 MB: it arrives in many reads.
    let filler = "x".repeat(2 * 1024 * 1024);
    let big = format!(
        r#"{{"data": {{"remaining": 1, "total": 2048, "status": "ACTIVE", "filler": "{filler}"}}}}"#
    );
    let big_mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(format!("/customer/v2/sims/{ICCID}/usage"));
            reply(then, 200, JSON, big.clone());
        })
        .await;
    let empty = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/customer/v2/sims/89000000000000000001/usage");
            then.status(200).header("content-type", "application/json");
        })
        .await;
    let broken = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/customer/v2/sims/89000000000000000002/usage");
            reply(then, 200, JSON, r#"{"data": {"total": "#);
        })
        .await;
    let client = client(&server);

    let value = client.get_usage().iccid(ICCID).send().await?;
    assert_eq!(value.status(), 200);
    assert_eq!(value.into_inner().data.total, Some(2048));

    match client
        .get_usage()
        .iccid("89000000000000000001")
        .send()
        .await
    {
        Err(progenitor_client::Error::InvalidResponsePayload(bytes, _)) => {
            assert!(bytes.is_empty())
        }
        other => panic!("expected an undecodable empty body, got {other:?}"),
    }
    match client
        .get_usage()
        .iccid("89000000000000000002")
        .send()
        .await
    {
        Err(progenitor_client::Error::InvalidResponsePayload(bytes, _)) => {
            assert_eq!(&bytes[..], br#"{"data": {"total": "#)
        }
        other => panic!("expected an undecodable body, got {other:?}"),
    }
    big_mock.assert_async().await;
    empty.assert_async().await;
    broken.assert_async().await;
    Ok(())
}

#[tokio::test]
async fn without_context_no_authorization_is_sent_but_api_version_is_still_dropped() -> TestResult {
    let exchange = Exchange::start(|when, then| {
        when.method(GET)
            .header_missing("authorization")
            .header_missing("api-version");
        json_ok(
            then,
            fixture("airalo.get-topups.200-no-topups-available.json"),
        );
    })
    .await;
    let topups = exchange
        .call(|c| c.get_topups().iccid(ICCID).send())
        .await?;
    assert!(topups.data.is_empty());
    Ok(())
}

#[tokio::test]
async fn context_headers_replace_generated_ones_and_reach_the_voice_api() -> TestResult {
    let server = MockServer::start_async().await;
    let packages = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/customer/v2/packages")
                .is_true(single_header("accept-language", "de"));
            json_ok(then, fixture("airalo.get-packages.200.json"));
        })
        .await;
    let users = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/api/third-party/partner/user/")
                .header("x-api-key", "k-1")
                .header_missing("authorization")
                .header_missing("api-version");
            json_ok(
                then,
                r#"{"count": 0, "next": null, "previous": null, "results": []}"#,
            );
        })
        .await;
    let client = client(&server);

    let context = CallContext::new().with_header(ACCEPT_LANGUAGE, HeaderValue::from_static("de"));
    let (result, _) =
        with_context(context, client.get_packages().accept_language("en").send()).await;
    result?;
    packages.assert_async().await;

    let context = CallContext::new().with_auth(
        HeaderName::from_static("x-api-key"),
        HeaderValue::from_static("k-1"),
    );
    let (result, status) = with_context(context, client.list_users().send()).await;
    assert!(result?.into_inner().results.is_empty());
    assert_eq!(status, Some(200));
    users.assert_async().await;
    Ok(())
}

#[tokio::test]
async fn context_records_a_502_with_an_html_body() -> TestResult {
    let server = MockServer::start_async().await;
    let body = "<html><body>Bad Gateway</body></html>";
    let mock = answer(
        &server,
        GET,
        "/customer/v2/packages",
        502,
        "text/html",
        body,
    )
    .await;
    let client = client(&server);
    let request = client.get_packages().send();
    let response = unexpected_response(send_recorded(&mock, 502, request).await, 502);
    assert!(response.text().await?.contains("Bad Gateway"));
    Ok(())
}

/// Expects a multipart body holding exactly these text fields.
fn multipart_mock_fields(
    when: httpmock::When,
    fields: &'static [(&'static str, &'static str)],
) -> httpmock::When {
    let mut when = when
        .header_includes("content-type", "multipart/form-data; boundary=")
        .header_missing("api-version")
        .body_excludes("grant_type=client_credentials");
    for (name, value) in fields {
        when = when.body_includes(format!(
            "Content-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
        ));
    }
    when.is_true(move |req: &HttpMockRequest| {
        let body = req.body_string();
        body.matches("Content-Disposition: form-data; name=")
            .count()
            == fields.len()
    })
}

#[tokio::test]
async fn multipart_encoding_turns_the_token_form_into_multipart_with_the_same_fields() -> TestResult
{
    let exchange = Exchange::start(|when, then| {
        multipart_mock_fields(
            when.method(POST)
                .path("/customer/v2/token")
                .header("accept", "application/json"),
            &[
                ("client_id", "id-123"),
                ("client_secret", "s3cr&t =x"),
                ("grant_type", "client_credentials"),
            ],
        );
        json_ok(then, fixture("airalo.request-access-token.200.json"));
    })
    .await;
    let client = multipart_client(&exchange.server);
    let request = client
        .request_access_token()
        .body(token_request("id-123", "s3cr&t =x"));
    let context = CallContext::new();
    let (result, status) = with_context(context, request.send()).await;
    exchange.assert().await;
    assert_eq!(result?.into_inner().data.access_token, "<access token>");
    assert_eq!(status, Some(200));
    Ok(())
}

#[tokio::test]
async fn multipart_encoding_applies_to_orders_and_topups() -> TestResult {
    let server = MockServer::start_async().await;
    let order = server
        .mock_async(|when, then| {
            multipart_mock_fields(
                when.method(POST).path("/customer/v2/orders"),
                &[
                    ("package_id", "kallur-digital-7days-1gb"),
                    ("quantity", "1"),
                    ("type", "sim"),
                    ("description", "o-1"),
                ],
            );
            json_ok(then, fixture("airalo.submit-order.200.json"));
        })
        .await;
    let topup = server
        .mock_async(|when, then| {
            multipart_mock_fields(
                when.method(POST).path("/customer/v2/orders/topups"),
                &[("package_id", "change-7days-1gb-topup"), ("iccid", ICCID)],
            );
            json_ok(then, fixture("airalo.submit-topup.200.json"));
        })
        .await;
    let client = multipart_client(&server);

    let request = client.submit_order().body(SubmitOrderRequest {
        description: Some("o-1".into()),
        ..SubmitOrderRequest::new("kallur-digital-7days-1gb", nz(1))
    });
    with_context(CallContext::new(), request.send()).await.0?;
    order.assert_async().await;

    let request = client.submit_topup().body(types::SubmitTopupRequest {
        description: None,
        iccid: ICCID.into(),
        package_id: "change-7days-1gb-topup".into(),
    });
    with_context(CallContext::new(), request.send()).await.0?;
    topup.assert_async().await;
    Ok(())
}

#[tokio::test]
async fn multipart_encoding_leaves_json_and_bodyless_requests_alone() -> TestResult {
    let exchange = Exchange::start(|when, then| {
        when.method(POST)
            .path("/api/third-party/partner/renew-number/")
            .header("content-type", "application/json")
            .json_body(json!({"email": "ada@example.com"}));
        json_ok(then, VOICE_USER);
    })
    .await;
    let client = multipart_client(&exchange.server);
    let request = client.renew_number().body(types::RenewNumberRequest {
        email: "ada@example.com".into(),
    });
    with_context(CallContext::new(), request.send()).await.0?;
    exchange.assert().await;
    Ok(())
}

#[tokio::test]
async fn timeout_fires_against_a_slow_server() -> TestResult {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(format!("/customer/v2/sims/{ICCID}/usage"));
            reply(then, 200, JSON, fixture("airalo.get-usage.200.json"))
                .delay(Duration::from_secs(3));
        })
        .await;
    let client = client_with(
        &server,
        Settings::new().with_timeout(Duration::from_millis(200)),
    );
    let context = CallContext::new();
    // The answer is delayed 3 s: a timeout error (rather than the 200) shows the 200 ms limit
    // applied, with no bound on the real time taken (a busy machine may be slow).
    let (result, status) = with_context(context, client.get_usage().iccid(ICCID).send()).await;
    match result {
        Err(Error::CommunicationError(e)) => assert!(e.is_timeout(), "not a timeout: {e}"),
        other => panic!("expected a timeout, got {:?}", other.map(|r| r.status())),
    }
    assert_eq!(status, None, "no response arrived");
    mock.assert_calls_async(1).await;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
