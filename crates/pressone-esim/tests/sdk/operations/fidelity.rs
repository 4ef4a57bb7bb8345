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
        Op::GetTopups,
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

/// (Without `email_to`, CC addresses are refused before anything is sent: see `input.rs`.)
#[tokio::test]
async fn copy_to_before_email_to_is_kept() {
    let (server, recorder) = fixture_server(Op::SubmitOrder, "200").await;
    client(&server)
        .orders()
        .create(PACKAGE, 1)
        .copy_to("ops@example.com")
        .email_to("ada@example.com", &[SharingOption::Link])
        .await
        .unwrap();
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
    let day: NaiveDate = date(2025, 1, 2);
    let client: Client = client(&server);
    let mut orders = client.orders().list().created_between(day, day).stream();
    let first = orders.try_next().await.unwrap().unwrap();
    assert_eq!(first.id, 7);
    assert!(orders.next().await.is_none());
}

#[tokio::test]
async fn get_esim_keeps_the_sharing_page_the_user_and_the_codes() {
    let (server, _) = fixture_server(Op::GetEsim, "200").await;
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
    let (server, _) = fixture_server(Op::SubmitOrder, "200-voice-data-package").await;
    let order = client(&server).orders().create(PACKAGE, 1).await.unwrap();
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
    record(
        &server,
        Op::GetOrderList,
        200,
        orders_page(&[(5, None)], 1, 1),
    )
    .await;
    let page = client(&server).orders().list().send().await.unwrap();
    let user = page.items[0].user.as_ref().expect("user");
    assert_eq!(user.id, Some(120));
}

#[tokio::test]
async fn lists_keep_the_pricing_sent_with_them() {
    let net = || Some((Some(PricingModel::NetPricing), Some(0.0)));
    // (fixture, path, expected pricing)
    let cases = [
        ("airalo.get-topups.200.json", "/topups", net()),
        (
            "airalo.get-topups.200-discount-pricing.json",
            "/topups",
            Some((Some(PricingModel::DiscountPricing), Some(20.0))),
        ),
        ("airalo.get-topups.200-apidog-2024-12.json", "/topups", None),
        (
            "airalo.get-esim-package-history.200.json",
            "/packages",
            net(),
        ),
        (
            "airalo.get-esim-package-history.200-discount-pricing.json",
            "/packages",
            Some((Some(PricingModel::DiscountPricing), Some(10.0))),
        ),
    ];
    for (name, suffix, expected) in cases {
        let server = MockServer::start_async().await;
        mount_token(&server).await;
        record(&server, (GET, &sim_path(suffix)), 200, fixture(name)).await;
        let c = client(&server);
        let sims = c.sims();
        let (pricing, len) = if suffix == "/topups" {
            let listing = sims.topups(ICCID).listing().await.unwrap();
            (listing.pricing.clone(), listing.len())
        } else {
            let listing = sims.history(ICCID).listing().await.unwrap();
            (listing.pricing.clone(), listing.len())
        };
        assert!(len > 0, "{name}");
        let got = pricing.map(|p| (p.model, p.discount_percentage));
        assert_eq!(got, expected, "{name}");
    }

    for (name, expected) in [
        ("airalo.get-packages.200.json", net()),
        (
            "airalo.get-packages.200-discount-pricing.json",
            Some((Some(PricingModel::DiscountPricing), Some(10.0))),
        ),
    ] {
        let server = MockServer::start_async().await;
        mount_token(&server).await;
        record(&server, Op::GetPackages, 200, fixture(name)).await;
        let page = client(&server).packages().list().send().await.unwrap();
        let got = page.pricing.map(|p| (p.model, p.discount_percentage));
        assert_eq!(got, expected, "{name}");
    }
}

#[tokio::test]
async fn a_cached_history_keeps_its_pricing() {
    let server = MockServer::start_async().await;
    mount_token(&server).await;
    let (mock, _) = serve_fixture(&server, Op::GetEsimPackageHistory, "200-discount-pricing").await;
    let c = client(&server);
    let first = c.sims().history(ICCID).listing().await.unwrap();
    let cached = c.sims().history(ICCID).listing().await.unwrap();
    assert_eq!(
        mock.calls_async().await,
        1,
        "the second answer is the cache's"
    );
    assert_eq!(cached, first);
    assert!(cached.pricing.is_some());
}

#[tokio::test]
async fn the_catalogue_keeps_operator_country_and_package_details() {
    // The wire examples leave these out; they are the spec's documented fields.
    let mut body: Value = serde_json::from_str(&fixture("airalo.get-packages.200.json")).unwrap();
    let operator = &mut body["data"][0]["operators"][0];
    for (key, value) in [
        ("is_prepaid", json!(true)),
        ("is_kyc_verify", json!(false)),
        ("warning", json!("Data only")),
        ("other_info", json!("Hotspot allowed")),
        ("style", json!("dark")),
        ("gradient_start", json!("#112233")),
        ("gradient_end", json!("#445566")),
        (
            "image",
            json!({"url": "https://cdn.example/op.png", "width": 10, "height": 20}),
        ),
        (
            "apn",
            json!({"ios": {"apn_type": "automatic", "apn_value": null}}),
        ),
        (
            "countries",
            json!([{"country_code": "US", "title": "United States",
                    "image": {"url": "https://cdn.example/us.png"}}]),
        ),
    ] {
        operator[key] = value;
    }
    let package = &mut operator["packages"][0];
    package["qr_installation"] = json!("<p>scan</p>");
    package["manual_installation"] = json!("<p>type</p>");
    package["is_fair_usage_policy"] = json!(false);

    let server = MockServer::start_async().await;
    mount_token(&server).await;
    record(&server, Op::GetPackages, 200, body.to_string()).await;
    let page = client(&server).packages().list().send().await.unwrap();
    let entry = &page.items[0];
    assert_eq!(entry.title, "United States");
    let image = entry.image.as_ref().expect("entry image");
    assert_eq!((image.width, image.height), (Some(132), Some(100)));
    let min = entry.min_price.as_ref().expect("min_price");
    assert_eq!(min.net("USD"), Some(dec("1.8")));
    let op = &entry.operators[0];
    assert_eq!(op.is_prepaid, Some(true));
    assert_eq!(op.is_kyc_verify, Some(false));
    assert_eq!(op.warning.as_deref(), Some("Data only"));
    assert_eq!(op.other_info.as_deref(), Some("Hotspot allowed"));
    assert_eq!(op.style.as_deref(), Some("dark"));
    assert_eq!(op.gradient_start.as_deref(), Some("#112233"));
    assert_eq!(op.gradient_end.as_deref(), Some("#445566"));
    assert_eq!(
        op.image.as_ref().map(|i| i.url.as_str()),
        Some("https://cdn.example/op.png")
    );
    let apn = op.apn_by_os.as_ref().expect("apn");
    assert_eq!(
        apn.ios.as_ref().and_then(|a| a.apn_type.clone()),
        Some(ApnType::Automatic)
    );
    assert_eq!(apn.android, None);
    assert_eq!(op.countries, vec!["US".to_string()]);
    assert_eq!(
        op.country_details[0].title.as_deref(),
        Some("United States")
    );
    let p = &op.packages[0];
    assert_eq!(p.qr_installation_html.as_deref(), Some("<p>scan</p>"));
    assert_eq!(p.manual_installation_html.as_deref(), Some("<p>type</p>"));
    assert_eq!(p.is_fair_usage_policy, Some(false));

    // Not sent: None, nothing invented.
    let other = page
        .items
        .iter()
        .flat_map(|e| &e.operators)
        .nth(1)
        .expect("a second operator");
    assert_eq!(other.is_prepaid, None);
    assert_eq!(other.image, None);
    assert_eq!(other.packages[0].is_fair_usage_policy, None);
}

#[tokio::test]
async fn include_is_a_typed_option_of_the_order_and_esim_reads() {
    use pressone_esim::{EsimInclude, OrderInclude};
    let (server, get_sim) = fixture_server(Op::GetEsim, "200").await;
    let (_, list_sims) = serve_fixture(&server, Op::GetEsimsList, "200").await;
    let (_, list_orders) = record(
        &server,
        Op::GetOrderList,
        200,
        orders_page(&[(5, None)], 1, 1),
    )
    .await;
    let c = client(&server);
    let esim_read = c
        .sims()
        .get(ICCID)
        .include(EsimInclude::OrderUser)
        .include(EsimInclude::Share)
        .include(EsimInclude::Order);
    esim_read.await.unwrap();
    let esim_list = c.sims().list().include(EsimInclude::OrderUser);
    esim_list.send().await.unwrap();
    let order_list = c.orders().list().include(OrderInclude::User);
    order_list.send().await.unwrap();
    // (operation, its requests, the `include` it sent)
    let sent = [
        ("get_esim", &get_sim, "order,order.status,order.user,share"),
        (
            "get_esims_list",
            &list_sims,
            "order,order.status,order.user",
        ),
        ("get_order_list", &list_orders, "sims,status,user"),
    ];
    for (operation, recorder, expected) in sent {
        let request = recorder.single();
        let include = query(&request).into_iter().find(|(k, _)| k == "include");
        assert_eq!(
            include.map(|(_, v)| v).as_deref(),
            Some(expected),
            "{operation}"
        );
    }
}

#[test]
fn an_https_base_url_needs_a_tls_feature() {
    let built = Client::builder()
        .base_url("https://api.example.com")
        .credentials(CLIENT_ID, CLIENT_SECRET)
        .build();
    if cfg!(any(feature = "rustls", feature = "native-tls")) {
        assert!(built.is_ok());
    } else {
        let err = expect_err(built);
        assert!(
            matches!(err.kind(), ErrorKind::Config { message } if message.contains("no TLS")),
            "{err}"
        );
        // Loopback http is still fine, and a caller's own client may bring TLS.
        assert!(
            Client::builder()
                .base_url("http://127.0.0.1:9")
                .credentials(CLIENT_ID, CLIENT_SECRET)
                .build()
                .is_ok()
        );
        assert!(
            Client::builder()
                .base_url("https://api.example.com")
                .credentials(CLIENT_ID, CLIENT_SECRET)
                .http_client(reqwest::Client::new())
                .build()
                .is_ok()
        );
    }
}
