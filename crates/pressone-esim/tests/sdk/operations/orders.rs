use super::*;

// ---------------------------------------------------------------------------------------------
// Orders
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn order_create_sends_the_form_and_decodes_the_fixture() {
    let server = token_server().await;
    let (mock, recorder) = serve_fixture(&server, Op::SubmitOrder, "200").await;
    let order = client(&server)
        .orders()
        .create(PACKAGE, 1)
        .description("shop-order-1042")
        .await
        .unwrap();
    assert_eq!(mock.calls_async().await, 1);
    let req = recorder.single();
    assert_form(
        &req,
        &[
            ("package_id", "kallur-digital-7days-1gb"),
            ("quantity", "1"),
            ("type", "sim"),
            ("description", "shop-order-1042"),
        ],
    );

    assert_eq!(order.id, 9666);
    assert_eq!(order.code.as_deref(), Some("20230227-009666"));
    assert_eq!(order.kind, PackageKind::Sim);
    assert_eq!(order.package_id, "kallur-digital-7days-1gb");
    assert_eq!(
        order.package_name.as_deref(),
        Some("Kallur Digital-1 GB - 7 Days")
    );
    assert_eq!(order.quantity, 1, "quantity \"1\" on the wire");
    assert_eq!(order.validity_days, Some(7));
    assert_eq!(order.data_label.as_deref(), Some("1 GB"));
    assert_eq!(order.price, Some(dec("9.5")));
    assert_eq!(order.price.unwrap().to_string(), "9.5");
    assert_eq!(order.currency.as_deref(), Some("USD"));
    assert_eq!(order.pricing_model, Some(PricingModel::NetPricing));
    assert_eq!(order.discount, None);
    assert_eq!(order.created_at, Some(utc(2023, 2, 27, 14, 9, 55)));
    assert_eq!(
        order.description.as_deref(),
        Some("Example description to identify the order")
    );
    assert_eq!(
        order.installation_guides.get("en").map(String::as_str),
        Some("https://sandbox.airalo.com/installation-guide")
    );
    assert_eq!(order.esims.len(), 1);
    let esim = &order.esims[0];
    assert_eq!(esim.iccid, "891000000000009125");
    assert_eq!(esim.smdp_address.as_deref(), Some("lpa.airalo.com"));
    assert_eq!(esim.matching_id.as_deref(), Some("TEST"));
    assert_eq!(esim.lpa.as_deref(), Some("LPA:1$lpa.airalo.com$TEST"));
    assert_eq!(esim.apn.apn_type, Some(ApnType::Automatic));
    assert_eq!(esim.created_at, Some(utc(2023, 2, 27, 14, 9, 55)));
    assert_eq!(
        esim.brand_settings_name.as_deref(),
        Some("our perfect brand")
    );
    let code = esim.activation_code().unwrap();
    assert_eq!(code.smdp_address(), "lpa.airalo.com");
    assert_eq!(code.matching_id(), "TEST");
}

#[tokio::test]
async fn order_create_emailed_to_the_end_user_repeats_the_list_keys() {
    let server = token_server().await;
    let (mock, recorder) = serve_fixture(&server, Op::SubmitOrder, "200").await;
    client(&server)
        .orders()
        .create(PACKAGE, 1)
        .email_to(
            "ada@example.com",
            &[SharingOption::Link, SharingOption::Pdf, SharingOption::Link],
        )
        .copy_to("ops@example.com")
        .await
        .unwrap();
    assert_eq!(mock.calls_async().await, 1);
    // What the SDK makes of `email_to`/`copy_to` (each sharing option once); how a list field
    // travels as repeated keys is the raw client's wire test.
    let form = form_pairs(&recorder.single());
    let values = |key: &str| -> Vec<&str> {
        let mut values: Vec<&str> = form
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .collect();
        values.sort();
        values
    };
    assert_eq!(values("sharing_option[]"), ["link", "pdf"], "{form:?}");
    assert_eq!(values("copy_address[]"), ["ops@example.com"]);
    assert_eq!(values("to_email"), ["ada@example.com"]);
    assert_eq!(values("package_id"), [PACKAGE]);
    assert_eq!(values("quantity"), ["1"]);
    assert_eq!(values("type"), ["sim"]);
    assert_eq!(form.len(), 7, "no other field: {form:?}");
}

#[tokio::test]
async fn order_create_email_needs_a_sharing_option_and_valid_addresses() {
    let server = MockServer::start_async().await;
    let token = mount_token(&server).await;
    let c = client(&server);
    for (to, sharing, cc) in [
        ("ada@example.com", &[][..], None),
        ("not-an-address", &[SharingOption::Link][..], None),
        ("ada@example.com", &[SharingOption::Pdf][..], Some("bad cc")),
    ] {
        let mut request = c.orders().create(PACKAGE, 1).email_to(to, sharing);
        if let Some(cc) = cc {
            request = request.copy_to(cc);
        }
        let err = expect_err(request.await);
        assert!(
            matches!(err.kind(), ErrorKind::InvalidInput { .. }),
            "{err}"
        );
        assert!(!err.may_have_reached_server());
    }
    assert_eq!(token.calls_async().await, 0, "nothing is sent");
}

#[tokio::test]
async fn order_create_without_description_sends_only_the_required_fields_and_brand_when_set() {
    let (server, recorder) = fixture_server(Op::SubmitOrder, "200-discount-pricing").await;
    let c = client(&server);
    let order = c.orders().create(PACKAGE, 50).await.unwrap();
    c.orders()
        .create(PACKAGE, 2)
        .brand_settings_name("our perfect brand")
        .await
        .unwrap();
    let requests = recorder.requests();
    assert_eq!(
        sorted(form_pairs(&requests[0])),
        owned(&[
            ("package_id", "kallur-digital-7days-1gb"),
            ("quantity", "50"),
            ("type", "sim"),
        ])
    );
    assert_eq!(
        sorted(form_pairs(&requests[1])),
        owned(&[
            ("brand_settings_name", "our perfect brand"),
            ("package_id", "kallur-digital-7days-1gb"),
            ("quantity", "2"),
            ("type", "sim"),
        ])
    );
    assert_eq!(order.pricing_model, Some(PricingModel::DiscountPricing));
    let discount = order.discount.expect("discount details");
    assert_eq!(discount.discount_percentage, Some(10.0));
    assert_eq!(discount.discount_amount, Some(dec("0.95")));
    assert_eq!(discount.unit_paid_price, Some(dec("8.55")));
    assert_eq!(discount.total_amount_paid, Some(dec("8.55")));
}

#[tokio::test]
async fn order_of_a_voice_and_data_package_keeps_the_msisdn() {
    let server = token_server().await;
    serve_fixture(&server, Op::SubmitOrder, "200-voice-data-package").await;
    let order = client(&server)
        .orders()
        .create("uki-mobile-15days-2gb", 1)
        .await
        .unwrap();
    assert_eq!(order.validity_days, Some(15));
    assert_eq!(order.net_price, Some(dec("1.6")));
    assert_eq!(order.created_at, Some(utc(2025, 4, 15, 14, 2, 38)));
    let esim = &order.esims[0];
    assert_eq!(esim.msisdn.as_deref(), Some("883190601604295"));
    assert_eq!(esim.apn.apn_type, Some(ApnType::Manual));
    assert_eq!(esim.apn.apn_value.as_deref(), Some("globaldata"));
}

#[tokio::test]
async fn order_create_validation_errors_carry_every_field() {
    for (fixture_name, expected) in [
        (
            "airalo.submit-order.422.json",
            vec![
                ("package_id", "The selected package is invalid."),
                ("quantity", "The quantity may not be greater than 50."),
            ],
        ),
        (
            "airalo.submit-order.422-sim-quantity-not-available.json",
            vec![(
                "quantity",
                "SIM quantity is not available. Available quantity: 9.",
            )],
        ),
        (
            "airalo.submit-order.422-brand-does-not-exist.json",
            vec![("brand_settings_name", "Brand settings name doesn't exist.")],
        ),
    ] {
        let server = token_server().await;
        let (mock, _) = record(&server, Op::SubmitOrder, 422, fixture(fixture_name)).await;
        let err = expect_err(client(&server).orders().create(PACKAGE, 1).await);
        assert_eq!(field_messages(&err), owned(&expected), "{fixture_name}");
        assert_eq!(err.status(), Some(422));
        assert_eq!(err.operation(), Some("submit_order"));
        assert!(err.may_have_reached_server() && err.got_response());
        assert!(!err.is_retryable());
        assert_eq!(mock.calls_async().await, 1);
    }
}

#[tokio::test]
async fn order_create_business_errors_name_the_code() {
    for (body, code) in [
        (
            json!({"code": 11, "reason": "Insufficient credit"}).to_string(),
            BusinessCode::InsufficientCredit,
        ),
        (
            json!({"code": 13, "reason": "The operator is under maintenance"}).to_string(),
            BusinessCode::OperatorMaintenance,
        ),
        (
            json!({"code": 33, "reason": "Insufficient stock of eSIMs"}).to_string(),
            BusinessCode::InsufficientStock,
        ),
        (
            fixture("airalo.future-orders.422-invalid-package.json"),
            BusinessCode::PackageUnavailable,
        ),
        (
            json!({"code": "53", "reason": "Something unexpected happened"}).to_string(),
            BusinessCode::Unexpected,
        ),
        (
            json!({"code": 999, "reason": "New rule"}).to_string(),
            BusinessCode::Other(999),
        ),
    ] {
        let server = token_server().await;
        let (mock, _) = record(&server, Op::SubmitOrder, 422, body.clone()).await;
        let err = expect_err(client(&server).orders().create(PACKAGE, 1).await);
        let reason = serde_json::from_str::<Value>(&body).unwrap()["reason"]
            .as_str()
            .unwrap()
            .to_string();
        assert_eq!(
            err.kind(),
            &ErrorKind::Business {
                code,
                reason: reason.clone()
            }
        );
        assert_eq!(err.business_code(), Some(code));
        assert_eq!(err.message(), Some(reason.as_str()));
        assert!(err.to_string().contains(&format!("code {}", code.code())));
        assert_eq!(
            mock.calls_async().await,
            1,
            "business errors are never retried"
        );
    }
}

#[tokio::test]
async fn order_list_sends_every_filter_and_decodes_string_prices() {
    let (server, recorder) = fixture_server(Op::GetOrderList, "200").await;
    let filtered = |c: &Client| {
        c.orders()
            .list()
            .created_between(date(2024, 1, 1), date(2024, 1, 31))
            .code("20230227")
            .status(OrderStatus::PartiallyRefunded)
            .iccid("8944465400000267221")
            .description("order-7f3a9c")
            .limit(5)
            .page(3)
    };
    let query = [
        ("include", "sims,status"),
        ("filter[created_at]", "2024-01-01 - 2024-01-31"),
        ("filter[code]", "20230227"),
        ("filter[order_status]", "partially_refunded"),
        ("filter[iccid]", "8944465400000267221"),
        ("filter[description]", "order-7f3a9c"),
        ("limit", "5"),
        ("page", "3"),
    ];
    let plain = |c: &Client| c.orders().list();
    let defaults = [("include", "sims,status")];
    let c = client(&server);
    let page = send_list_requests(&c, &recorder, (filtered, &query), (plain, &defaults)).await;

    assert_eq!(page.page, 1, "the server's current_page wins");
    assert_eq!(page.last_page, Some(18));
    assert_eq!(page.total, Some(87));
    assert!(page.has_more);
    assert_eq!(page.items.len(), 5);
    let first = &page.items[0];
    assert_eq!(first.price, Some(dec("9.50")));
    assert_eq!(first.price.unwrap().to_string(), "9.50", "scale is kept");
    assert_eq!(first.validity_days, Some(7), "validity \"7\" on the wire");
    assert_eq!(first.quantity, 1);
    assert_eq!(first.status, Some(OrderStatus::Completed));
    assert_eq!(first.created_at, Some(utc(2023, 2, 27, 14, 9, 55)));
    assert_eq!(first.esims[0].iccid, "891000000000009125");
    assert_eq!(page.items[2].price.unwrap().to_string(), "27.00");
    assert_eq!(page.items[2].validity_days, Some(30));
}

#[tokio::test]
async fn order_list_validation_errors_come_as_400_or_422() {
    for status in [400, 422] {
        let server = token_server().await;
        let (mock, _) = record(
            &server,
            Op::GetOrderList,
            status,
            fixture("airalo.get-order-list.422.json"),
        )
        .await;
        let err = expect_err(client(&server).orders().list().await);
        assert_eq!(
            field_messages(&err),
            owned(&[
                ("limit", "The limit must be an integer."),
                ("page", "The page must be an integer."),
            ]),
            "HTTP {status}"
        );
        assert_eq!(err.status(), Some(status));
        assert_eq!(err.message(), Some("the parameter is invalid"));
        assert_eq!(mock.calls_async().await, 1, "validation is not retried");
        let text = err.to_string();
        assert!(
            text.contains("limit: The limit must be an integer."),
            "{text}"
        );
    }
}

#[tokio::test]
async fn order_get_sends_the_id_and_includes() {
    let server = token_server().await;
    let mut body = fixture_json("airalo.get-order-list.200.json");
    body = json!({"data": body["data"][0].clone(), "meta": {"message": "success"}});
    let (_, recorder) = record(&server, Op::GetOrder, 200, body.to_string()).await;
    let order = client(&server).orders().get(" 9666 ").await.unwrap();
    let req = recorder.single();
    assert_read(&req, &[("include", "sims,user,status")]);
    assert_eq!(order.id, 9666);
    assert_eq!(order.status, Some(OrderStatus::Completed));
    assert_eq!(order.price.unwrap().to_string(), "9.50");
}

#[tokio::test]
async fn order_get_unknown_is_not_found() {
    let server = token_server().await;
    let (mock, _) = record(
        &server,
        (GET, &format!("{ORDERS}/1")),
        404,
        json!({"data": [], "meta": {"message": "messages.resource_not_found"}}).to_string(),
    )
    .await;
    let err = expect_err(client(&server).orders().get("1").await);
    assert_eq!(err.kind(), &ErrorKind::NotFound);
    assert_eq!(err.status(), Some(404));
    assert_eq!(err.message(), Some("messages.resource_not_found"));
    assert_eq!(mock.calls_async().await, 1);
}
