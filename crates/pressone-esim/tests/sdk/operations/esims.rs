use super::*;

// ---------------------------------------------------------------------------------------------
// eSIMs
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn sims_list_sends_filters_and_decodes_the_fixture() {
    let (server, recorder) = fixture_server(Op::GetEsimsList, "200").await;
    let filtered = |c: &Client| {
        c.sims()
            .list()
            .created_between(date(2023, 2, 1), date(2023, 2, 28))
            .iccid("8910")
            .limit(5)
            .page(1)
    };
    let query = [
        ("include", "order,order.status"),
        ("filter[created_at]", "2023-02-01 - 2023-02-28"),
        ("filter[iccid]", "8910"),
        ("limit", "5"),
        ("page", "1"),
    ];
    let plain = |c: &Client| c.sims().list();
    let defaults = [("include", "order,order.status")];
    let c = client(&server);
    let page = send_list_requests(&c, &recorder, (filtered, &query), (plain, &defaults)).await;
    assert_eq!(page.last_page, Some(16));
    assert_eq!(page.total, Some(77));
    assert_eq!(page.items.len(), 5);
    let esim = &page.items[0];
    assert_eq!(esim.iccid, "891000000000009125");
    assert!(esim.recycled);
    assert_eq!(esim.recycled_at, Some(utc(2025, 5, 5, 10, 52, 39)));
    assert_eq!(esim.created_at, Some(utc(2023, 2, 27, 14, 9, 55)));
    let order = esim.order.as_ref().expect("the order (simable)");
    assert_eq!(order.price.unwrap().to_string(), "9.50");
    assert_eq!(order.status, Some(OrderStatus::Completed));
}

#[tokio::test]
async fn sims_list_validation_error() {
    let server = token_server().await;
    serve_fixture(&server, Op::GetEsimsList, "422").await;
    let err = expect_err(client(&server).sims().list().await);
    assert_eq!(
        field_messages(&err),
        owned(&[("limit", "The limit must be an integer.")])
    );
}

#[tokio::test]
async fn sim_get_decodes_the_fixture_with_its_order() {
    let server = token_server().await;
    let (_, recorder) = serve_fixture(&server, Op::GetEsim, "200").await;
    let esim = client(&server).sims().get(ICCID).await.unwrap();
    let req = recorder.single();
    assert_read(&req, &[("include", "order,order.status")]);
    assert_eq!(esim.id, Some(11028));
    assert_eq!(esim.iccid, ICCID);
    assert_eq!(esim.confirmation_code.as_deref(), Some("5751"));
    assert_eq!(esim.is_roaming, Some(true));
    assert!(esim.recycled);
    assert_eq!(esim.recycled_at, Some(utc(2025, 5, 5, 10, 52, 39)));
    assert_eq!(esim.created_at, Some(utc(2023, 2, 27, 8, 30, 14)));
    assert!(
        esim.apple_install_url
            .as_deref()
            .unwrap()
            .starts_with("https://esimsetup.apple.com/")
    );
    let order = esim.order.as_deref().expect("simable");
    assert_eq!(order.id, 9647);
    assert_eq!(order.description, None);
    assert_eq!(order.validity_days, Some(7));
    assert_eq!(order.price, Some(dec("9.50")));
    assert_eq!(order.status, Some(OrderStatus::Completed));
}

#[tokio::test]
async fn sim_reads_of_an_unknown_iccid_are_not_found() {
    for (suffix, fixture_name) in [
        ("", "airalo.get-usage.404-invalid-iccid.json"),
        ("/usage", "airalo.get-usage.404-invalid-iccid.json"),
        ("/topups", "airalo.get-topups.404-invalid-iccid.json"),
        (
            "/packages",
            "airalo.get-esim-package-history.404-invalid-iccid.json",
        ),
        ("/instructions", "airalo.get-usage.404-invalid-iccid.json"),
    ] {
        let server = token_server().await;
        let (mock, _) = record(
            &server,
            (GET, &sim_path(suffix)),
            404,
            fixture(fixture_name),
        )
        .await;
        let c = client(&server);
        let sims = c.sims();
        let result = match suffix {
            "" => sims.get(ICCID).await.map(drop),
            "/usage" => sims.usage(ICCID).await.map(drop),
            "/topups" => sims.topups(ICCID).await.map(drop),
            "/packages" => sims.history(ICCID).await.map(drop),
            _ => sims.instructions(ICCID).await.map(drop),
        };
        let err = expect_err(result);
        assert_eq!(err.kind(), &ErrorKind::NotFound, "{suffix}");
        assert_eq!(err.message(), Some("messages.resource_not_found"));
        assert_eq!(mock.calls_async().await, 1, "{suffix}: 404 is not retried");
    }
}

#[tokio::test]
async fn usage_of_an_unlimited_plan_has_no_data_numbers() {
    let (server, recorder) = fixture_server(Op::GetUsage, "200").await;
    let usage = client(&server).sims().usage(ICCID).await.unwrap();
    assert_read(&recorder.single(), &[]);
    assert_eq!(usage.status, EsimStatus::Active);
    assert!(usage.is_unlimited);
    assert_eq!(
        usage.data_mb, None,
        "767/2048 are meaningless when unlimited"
    );
    assert_eq!(usage.remaining_mb(), None);
    assert_eq!(usage.expires_at, Some(utc(2022, 1, 1, 0, 0, 0)));
    assert_eq!(
        usage.voice_minutes,
        Remaining {
            remaining: 0,
            total: 0
        }
    );
}

#[tokio::test]
async fn usage_of_a_limited_and_of_a_recycled_sim() {
    let server = token_server().await;
    let mut limited = fixture_json("airalo.get-usage.200.json");
    limited["data"]["is_unlimited"] = json!(false);
    limited["data"]["status"] = json!("SOMETHING_NEW");
    limited["data"]["remaining_voice"] = json!(12);
    limited["data"]["total_voice"] = json!(100);
    record(&server, Op::GetUsage, 200, limited.to_string()).await;
    let usage = client(&server).sims().usage(ICCID).await.unwrap();
    assert_eq!(
        usage.data_mb,
        Some(Remaining {
            remaining: 767,
            total: 2048
        })
    );
    assert_eq!(usage.remaining_mb(), Some(767));
    assert_eq!(usage.status, EsimStatus::Other("SOMETHING_NEW".into()));
    assert_eq!(usage.voice_minutes.remaining, 12);

    let server = token_server().await;
    serve_fixture(&server, Op::GetUsage, "200-recycled-sim").await;
    let usage = client(&server).sims().usage(ICCID).await.unwrap();
    assert_eq!(usage.status, EsimStatus::Recycled);
    assert!(!usage.is_unlimited);
    assert_eq!(usage.expires_at, None);
}

#[tokio::test]
async fn usage_rate_limit_carries_retry_after() {
    let server = token_server().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET).path(sim_path("/usage"));
            json(then, 429, fixture("airalo.get-usage.429-rate-limit.json"))
                .header("retry-after", "7")
                .header("x-ratelimit-limit", "100")
                .header("x-ratelimit-remaining", "0");
        })
        .await;
    let c = builder(&server)
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap();
    let err = expect_err(c.sims().usage(ICCID).await);
    assert_eq!(
        err.kind(),
        &ErrorKind::RateLimited {
            retry_after: Some(Duration::from_secs(7))
        }
    );
    assert_eq!(err.retry_after(), Some(Duration::from_secs(7)));
    assert_eq!(err.status(), Some(429));
    assert_eq!(err.message(), Some("Too Many Attempts."));
    assert!(err.is_retryable());
    assert!(err.to_string().contains("retry after 7s"), "{err}");
    assert_eq!(mock.calls_async().await, 1);
}

#[tokio::test]
async fn instructions_send_the_language_and_keep_step_order() {
    let (server, recorder) = fixture_server(Op::GetInstallationInstructions, "200").await;
    let c = client(&server);
    let instructions = c.sims().instructions(ICCID).await.unwrap();
    c.sims().instructions(ICCID).language("fr").await.unwrap();
    let requests = recorder.requests();
    assert_read(&requests[0], &[]);
    assert_eq!(
        header(&requests[0], "accept-language").as_deref(),
        Some("en")
    );
    assert_eq!(
        header(&requests[1], "accept-language").as_deref(),
        Some("fr")
    );
    assert_eq!(instructions.language.as_deref(), Some("EN"));
    let ios = &instructions.ios[0];
    assert_eq!(ios.version.as_deref(), Some("14,15,13"));
    assert_eq!(ios.qr_steps.len(), 8);
    assert!(ios.qr_steps[0].starts_with("Go to Settings"));
    assert!(ios.qr_steps[7].starts_with("Your eSIM has been installed"));
    assert_eq!(ios.manual_steps.len(), 9);
    assert_eq!(ios.apn.apn_type, Some(ApnType::Manual));
    assert_eq!(ios.apn.apn_value.as_deref(), Some("singleall"));
    assert_eq!(ios.is_roaming, Some(true));
    assert_eq!(
        ios.activation_code().unwrap().unwrap().to_string(),
        "LPA:1$lpa.airalo.com$TEST"
    );
    assert_eq!(instructions.android.len(), 1);
}

#[tokio::test]
async fn instructions_steps_keyed_past_nine_stay_in_numeric_order() {
    let server = token_server().await;
    let steps: serde_json::Map<String, Value> = (1..=11)
        .map(|i| (i.to_string(), json!(format!("step {i}"))))
        .collect();
    let body = json!({"data": {"instructions": {"language": "EN", "ios": [{
        "installation_via_qr_code": {"steps": steps}
    }], "android": []}}});
    record(
        &server,
        Op::GetInstallationInstructions,
        200,
        body.to_string(),
    )
    .await;
    let instructions = client(&server).sims().instructions(ICCID).await.unwrap();
    let expected: Vec<String> = (1..=11).map(|i| format!("step {i}")).collect();
    assert_eq!(instructions.ios[0].qr_steps, expected);
}

#[tokio::test]
async fn topups_decode_the_fixtures() {
    let (server, recorder) = fixture_server(Op::GetTopups, "200").await;
    let topups = client(&server).sims().topups(ICCID).await.unwrap();
    assert_read(&recorder.single(), &[]);
    assert_eq!(topups.len(), 3);
    let first = &topups[0];
    assert_eq!(first.id, "bonbon-mobile-30days-3gb-topup");
    assert_eq!(first.kind, PackageKind::Topup);
    assert_eq!(first.data, DataAllowance::Limited { mb: 3072 });
    assert_eq!(first.validity_days, 30);
    assert_eq!(first.price, Some(dec("10")));
    assert_eq!(first.net_price, Some(dec("8")));
    assert_eq!(first.voice_minutes, Some(100));
    assert_eq!(first.sms, Some(100));
    assert_eq!(first.prices.net("EUR"), Some(dec("7.36")));
    assert_eq!(topups[1].net_price, Some(dec("11.2")));

    for (name, net) in [
        ("airalo.get-topups.200-discount-pricing.json", None),
        ("airalo.get-topups.200-apidog-2024-12.json", None),
    ] {
        let server = token_server().await;
        record(&server, Op::GetTopups, 200, fixture(name)).await;
        let topups = client(&server).sims().topups(ICCID).await.unwrap();
        assert_eq!(topups.len(), 3, "{name}");
        assert_eq!(topups[0].net_price, net, "{name}");
    }

    let server = token_server().await;
    serve_fixture(&server, Op::GetTopups, "200-no-topups-available").await;
    assert!(
        client(&server)
            .sims()
            .topups(ICCID)
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn topups_of_a_recycled_sim_are_business_code_73() {
    let server = token_server().await;
    let (mock, _) = serve_fixture(&server, Op::GetTopups, "422-recycled-sim").await;
    let err = expect_err(client(&server).sims().topups(ICCID).await);
    assert_eq!(err.business_code(), Some(BusinessCode::Recycled));
    assert!(
        matches!(err.kind(), ErrorKind::Business { reason, .. } if reason.contains("recycled"))
    );
    assert_eq!(mock.calls_async().await, 1);
}

#[tokio::test]
async fn package_history_decodes_offset_timestamps() {
    for name in [
        "airalo.get-esim-package-history.200.json",
        "airalo.get-esim-package-history.200-discount-pricing.json",
        "airalo.get-esim-package-history.200-apidog-2024-12.json",
    ] {
        let server = token_server().await;
        let (_, recorder) = record(&server, Op::GetEsimPackageHistory, 200, fixture(name)).await;
        let history = client(&server).sims().history(ICCID).await.unwrap();
        let req = recorder.single();
        assert_read(&req, &[]);
        assert_eq!(history.len(), 2, "{name}");
        let entry = &history[0];
        assert_eq!(entry.id, Some(728));
        assert_eq!(entry.status, EsimStatus::Active);
        assert_eq!(entry.remaining_mb, Some(2378));
        assert_eq!(entry.activated_at, Some(utc(2023, 1, 9, 10, 30, 45)));
        assert_eq!(entry.expires_at, Some(utc(2023, 2, 9, 10, 30, 45)));
        assert_eq!(entry.finished_at, None);
        let package = entry.package.as_ref().unwrap();
        assert_eq!(package.kind, PackageKind::Topup);
        assert_eq!(package.validity_days, 30);
        assert_eq!(package.price, Some(dec("10")));
    }
}

#[tokio::test]
async fn package_history_rate_limit_fixture() {
    let server = token_server().await;
    let mock = rate_limited(&server, Op::GetEsimPackageHistory, "900").await;
    let err = expect_err(client(&server).sims().history(ICCID).await);
    assert_eq!(err.retry_after(), Some(Duration::from_secs(900)));
    assert_eq!(
        mock.calls_async().await,
        1,
        "a Retry-After beyond the policy's limit ends the retries at once"
    );
}
