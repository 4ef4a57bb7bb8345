use super::*;

// ---------------------------------------------------------------------------------------------
// Voice (on its own base URL)
// ---------------------------------------------------------------------------------------------

fn voice_user_json(status: &str) -> Value {
    json!({
        "id": 4211, "email": "ada@example.com", "mobile": "+2348031234567",
        "first_name": "Ada", "last_name": "Obi", "number": "+2342012345678",
        "date_joined": "2025-03-01T09:15:00Z",
        "subscription": {
            "plan": "monthly", "status": status, "is_trial": status == "trial",
            "start_date": "2025-03-01T09:15:00Z", "end_date": "2025-03-08T09:15:00Z"
        }
    })
}

/// A data server (token) and a separate voice server, with a client for both.
struct Voice {
    data: MockServer,
    voice: MockServer,
}

impl Voice {
    async fn start() -> Voice {
        let data = MockServer::start_async().await;
        let voice = MockServer::start_async().await;
        mount_token(&data).await;
        Voice { data, voice }
    }

    fn client(&self) -> Client {
        builder(&self.data)
            .voice_base_url(self.voice.base_url())
            .build()
            .unwrap()
    }

    /// Mounts `method {VOICE}/{endpoint}/` on the voice server answering `status` with `body`.
    async fn serve(
        &self,
        method: Method,
        endpoint: &str,
        status: u16,
        body: Value,
    ) -> (Mock<'_>, Recorder) {
        let path = format!("{VOICE}/{endpoint}/");
        record(&self.voice, (method, &path), status, body.to_string()).await
    }
}

impl Voice {
    /// Serves the DRF page `page` on `GET {VOICE}/{endpoint}/` and sends the list's two
    /// requests to it (see [`send_list_requests`]); returns the filtered request's page.
    async fn list<T, F, P>(
        endpoint: &str,
        page: Value,
        filtered: ListRequest<'_, F>,
        plain: fn(&Client) -> P,
    ) -> pressone_esim::Page<T>
    where
        F: std::future::IntoFuture<Output = pressone_esim::Result<pressone_esim::Page<T>>>,
        P: std::future::IntoFuture<Output = pressone_esim::Result<pressone_esim::Page<T>>>,
    {
        let v = Voice::start().await;
        let (_, recorder) = v.serve(GET, endpoint, 200, page).await;
        send_list_requests(&v.client(), &recorder, filtered, (plain, &[])).await
    }
}

/// A JSON request's body, after checking the standard headers and the JSON content type.
fn json_request_body(req: &httpmock::HttpMockRequest) -> Value {
    assert_standard_headers(req);
    assert_eq!(
        header(req, "content-type").as_deref(),
        Some("application/json")
    );
    serde_json::from_slice(req.body_ref()).unwrap()
}

#[tokio::test]
async fn voice_available_numbers_on_the_voice_base_url() {
    let results = json!([
        {"number": "+2342012345678", "country": "NG"},
        {"number": "", "country": "NG"},
        {"number": "+2342012345679", "country": null}
    ]);
    let page = json!({"count": 3, "next": null, "previous": null, "results": results});
    let filtered = |c: &Client| {
        c.voice()
            .available_numbers()
            .country("ng")
            .page(1)
            .page_size(20)
    };
    let query = [("country", "NG"), ("page", "1"), ("page_size", "20")];
    let plain = |c: &Client| c.voice().available_numbers();
    let page = Voice::list("available-numbers", page, (filtered, &query), plain).await;
    assert_eq!(page.items.len(), 2, "a result without a number is dropped");
    assert_eq!(page.items[0].number, "+2342012345678");
    assert_eq!(page.items[0].country.as_deref(), Some("NG"));
    assert_eq!(page.items[1].country, None);
    assert_eq!(page.total, Some(3));
    assert!(!page.has_more);
}

/// With and without the optional names: the JSON body carries exactly what was given, the
/// claim is sent once, and the created user decodes.
#[tokio::test]
async fn voice_claim_sends_json_once_and_decodes_the_created_user() {
    let full = json!({"number": "+2342012345678", "email": "ada@example.com", "first_name": "Ada", "last_name": "Obi"});
    let bare = json!({"number": "+2342012345678", "email": "ada@example.com"});
    for (names, expected_body) in [(Some(("Ada", "Obi")), full), (None, bare)] {
        let v = Voice::start().await;
        let (mock, recorder) = v
            .serve(POST, "claim-number", 201, voice_user_json("trial"))
            .await;
        let c = v.client();
        let mut claim = c.voice().claim("+2342012345678", "ada@example.com");
        if let Some((first, last)) = names {
            claim = claim.first_name(first).last_name(last);
        }
        let user = claim.await.unwrap();
        assert_eq!(mock.calls_async().await, 1);
        assert_eq!(json_request_body(&recorder.single()), expected_body);
        assert_eq!(user.id.as_deref(), Some("4211"));
        assert_eq!(user.email.as_deref(), Some("ada@example.com"));
        assert_eq!(user.number.as_deref(), Some("+2342012345678"));
        assert_eq!(user.date_joined, Some(utc(2025, 3, 1, 9, 15, 0)));
        let subscription = user.subscription.unwrap();
        assert_eq!(subscription.plan.as_deref(), Some("monthly"));
        assert_eq!(subscription.status, Some(SubscriptionStatus::Trial));
        assert_eq!(subscription.is_trial, Some(true));
        assert_eq!(subscription.end_date, Some(utc(2025, 3, 8, 9, 15, 0)));
    }
}

#[tokio::test]
async fn voice_claim_validation_error_has_drf_field_messages() {
    let v = Voice::start().await;
    let body = json!({"email": ["Enter a valid email address."], "number": ["This number is taken.", "Try another."]});
    let (mock, _) = v.serve(POST, "claim-number", 400, body).await;
    let err = expect_err(
        v.client()
            .voice()
            .claim("+2342012345678", "ada@example.com")
            .await,
    );
    assert_eq!(
        field_messages(&err),
        owned(&[
            ("email", "Enter a valid email address."),
            ("number", "This number is taken."),
            ("number", "Try another."),
        ])
    );
    assert_eq!(err.status(), Some(400));
    assert_eq!(mock.calls_async().await, 1);
}

#[tokio::test]
async fn voice_renew_sends_the_email_as_json() {
    let v = Voice::start().await;
    let (mock, recorder) = v
        .serve(POST, "renew-number", 200, voice_user_json("active"))
        .await;
    let user = v.client().voice().renew(" ada@example.com ").await.unwrap();
    assert_eq!(mock.calls_async().await, 1);
    assert_eq!(
        json_request_body(&recorder.single()),
        json!({"email": "ada@example.com"})
    );
    assert_eq!(
        user.subscription.unwrap().status,
        Some(SubscriptionStatus::Active)
    );
}

#[tokio::test]
async fn voice_renew_unknown_is_not_found_with_the_detail() {
    let v = Voice::start().await;
    let body = json!({"detail": "Not found."});
    v.serve(POST, "renew-number", 404, body).await;
    let err = expect_err(v.client().voice().renew("ada@example.com").await);
    assert_eq!(err.kind(), &ErrorKind::NotFound);
    assert_eq!(err.message(), Some("Not found."));
}

#[tokio::test]
async fn voice_users_send_filters() {
    let page =
        json!({"count": 1, "next": null, "previous": null, "results": [voice_user_json("trial")]});
    let filtered = |c: &Client| {
        c.voice()
            .users()
            .mobile("+2348031234567")
            .email("ada@example.com")
            .page(2)
            .page_size(10)
    };
    let query = [
        ("mobile", "+2348031234567"),
        ("email", "ada@example.com"),
        ("page", "2"),
        ("page_size", "10"),
    ];
    let page = Voice::list("user", page, (filtered, &query), |c| c.voice().users()).await;
    assert_eq!(page.items.len(), 1);
    assert_eq!(page.page, 2);
    assert_eq!(page.total, Some(1));
    assert_eq!(page.items[0].mobile.as_deref(), Some("+2348031234567"));
}

#[tokio::test]
async fn voice_api_key_replaces_the_bearer_token_and_needs_no_token_request() {
    let data = MockServer::start_async().await;
    let voice = MockServer::start_async().await;
    let token = mount_token(&data).await;
    let path = format!("{VOICE}/user/");
    let (_, recorder) = record(
        &voice,
        (GET, &path),
        200,
        json!({"results": []}).to_string(),
    )
    .await;
    let c = builder(&data)
        .voice_base_url(voice.base_url())
        .voice_api_key("X-Api-Key", "voice-key-123")
        .build()
        .unwrap();
    let page = c.voice().users().await.unwrap();
    assert!(page.items.is_empty() && !page.has_more);
    let req = recorder.single();
    assert_eq!(header(&req, "x-api-key").as_deref(), Some("voice-key-123"));
    assert_eq!(header(&req, "authorization"), None);
    assert_eq!(token.calls_async().await, 0);
}

#[tokio::test]
async fn user_agent_suffix_and_gateway_prefix() {
    let server = MockServer::start_async().await;
    let token = answer(
        &server,
        POST,
        format!("/gw{TOKEN_PATH}"),
        200,
        fixture("airalo.request-access-token.200.json"),
    )
    .await;
    let (_, recorder) = serve_fixture(
        &server,
        (GET, &format!("/gw/customer/v2/sims/{ICCID}/usage")),
        "airalo.get-usage.200.json",
    )
    .await;
    let c = builder_for(&format!("{}/gw/customer/v2/", server.base_url()))
        .user_agent_suffix("shop/2.1")
        .build()
        .unwrap();
    c.sims().usage(ICCID).await.unwrap();
    assert_eq!(token.calls_async().await, 1);
    assert_eq!(
        header(&recorder.single(), "user-agent").as_deref(),
        Some(concat!(
            "pressone-esim/",
            env!("CARGO_PKG_VERSION"),
            " shop/2.1"
        ))
    );
}

/// The SDK's own HTTP client sends the User-Agent as a default header; a caller's client gets
/// it on each request instead, over the caller client's own default.
#[tokio::test]
async fn a_caller_supplied_http_client_sends_the_sdk_user_agent_too() {
    let server = MockServer::start_async().await;
    let (_, token) = serve_fixture(&server, Op::RequestAccessToken, "200").await;
    let (_, recorder) = serve_fixture(&server, Op::GetUsage, "200").await;
    let http = reqwest::Client::builder()
        .user_agent("caller/1")
        .build()
        .unwrap();
    let c = builder_for(&format!("{}/customer/v2/", server.base_url()))
        .http_client(http)
        .user_agent_suffix("shop/2.1")
        .build()
        .unwrap();
    c.sims().usage(ICCID).await.unwrap();
    let expected = concat!("pressone-esim/", env!("CARGO_PKG_VERSION"), " shop/2.1");
    assert_eq!(
        header(&token.single(), "user-agent").as_deref(),
        Some(expected)
    );
    assert_eq!(
        header(&recorder.single(), "user-agent").as_deref(),
        Some(expected)
    );
}
