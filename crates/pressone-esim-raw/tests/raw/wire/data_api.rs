use super::*;

// ---------------------------------------------------------------------------------------------
// The 18 operations
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn request_access_token_posts_the_urlencoded_credentials() -> TestResult {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            request(when, POST, "/customer/v2/token")
                .header("content-type", "application/x-www-form-urlencoded")
                .header_missing("authorization")
                .is_true(exact_form(&[
                    ("client_id", "id-123"),
                    ("client_secret", "s3cr&t =x"),
                    ("grant_type", "client_credentials"),
                ]))
                .is_true(exact_query(&[]));
            json_ok(then, fixture("airalo.request-access-token.200.json"));
        })
        .await;

    let response = client(&server)
        .request_access_token()
        .body(token_request("id-123", "s3cr&t =x"))
        .send()
        .await?;
    mock.assert_async().await;
    assert_eq!(response.status(), 200);
    let token = response.into_inner();
    assert_eq!(token.data.access_token, "<access token>");
    assert_eq!(token.data.expires_in, Some(31_622_400));
    assert_eq!(token.data.token_type.as_deref(), Some("Bearer"));
    Ok(())
}

/// Serves `body` as Get balance does (documented `text/plain`) and decodes the collected stream.
async fn balance_with_body(
    body: Value,
) -> Result<types::BalanceResponse, Box<dyn std::error::Error>> {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/customer/v2/balance")
                .header_missing("api-version")
                .is_true(exact_query(&[]));
            reply(then, 200, "text/plain; charset=UTF-8", body.to_string());
        })
        .await;
    let response = client(&server).get_balance().send().await?;
    mock.assert_async().await;
    assert_eq!(response.status(), 200);
    let mut stream = response.into_inner_stream();
    let mut bytes = Vec::new();
    while let Some(chunk) = stream.next().await {
        bytes.extend_from_slice(&chunk?);
    }
    Ok(serde_json::from_slice(&bytes)?)
}

#[tokio::test]
async fn get_balance_streams_a_text_plain_body_with_balances_as_an_object() -> TestResult {
    let balance = balance_with_body(json!({
        "data": {"balances": {"name": "PressOne Credit", "availableBalance": {"amount": 1250.5, "currency": "USD"}}},
        "meta": {"message": "success"}
    }))
    .await?;
    let Some(types::Balances::Balance(account)) = balance.data.balances else {
        panic!(
            "expected one balance object, got {:?}",
            balance.data.balances
        );
    };
    assert_eq!(account.name.as_deref(), Some("PressOne Credit"));
    let available = account.available_balance.expect("availableBalance");
    assert_eq!(available.amount, Some(Money(dec("1250.5"))));
    assert_eq!(available.currency.as_deref(), Some("USD"));
    Ok(())
}

#[tokio::test]
async fn get_balance_streams_a_text_plain_body_with_balances_as_an_array() -> TestResult {
    let balance = balance_with_body(json!({
        "data": {"balances": [
            {"name": "Prepaid", "availableBalance": {"amount": 300, "currency": "USD"}},
            {"name": "Postpaid", "availableBalance": {"amount": "12.75", "currency": "EUR"}}
        ]},
        "meta": {"message": "success"}
    }))
    .await?;
    let Some(types::Balances::Array(accounts)) = balance.data.balances else {
        panic!(
            "expected an array of balances, got {:?}",
            balance.data.balances
        );
    };
    assert_eq!(accounts.len(), 2);
    assert_eq!(
        accounts[0]
            .available_balance
            .as_ref()
            .and_then(|b| b.amount),
        Some(Money(dec("300")))
    );
    assert_eq!(
        accounts[1]
            .available_balance
            .as_ref()
            .and_then(|b| b.amount),
        Some(Money(dec("12.75")))
    );

    let empty = balance_with_body(json!({"data": {"balances": []}})).await?;
    assert_eq!(empty.data.balances, Some(types::Balances::Array(vec![])));
    Ok(())
}

#[tokio::test]
async fn get_balance_sends_accept_any_unless_the_context_asks_for_json() -> TestResult {
    // The documented `text/plain` response makes progenitor send no `Accept` of its own, so
    // reqwest's default `*/*` goes out; the caller can ask for JSON through the context.
    let server = MockServer::start_async().await;
    // The balance, answered to a request with exactly this one `Accept`.
    let accepting = |accept: &'static str| {
        server.mock_async(move |when, then| {
            let balance = when.method(GET).path("/customer/v2/balance");
            balance.is_true(single_header("accept", accept));
            reply(then, 200, "text/plain", r#"{"data": {"balances": []}}"#);
        })
    };
    let default_accept = accepting("*/*").await;
    let client = client(&server);
    client.get_balance().send().await?;
    default_accept.assert_async().await;

    let json_accept = accepting("application/json").await;
    let context = CallContext::new().with_header(
        reqwest::header::ACCEPT,
        HeaderValue::from_static("application/json"),
    );
    let (result, status) = with_context(context, client.get_balance().send()).await;
    result?;
    assert_eq!(status, Some(200));
    json_accept.assert_async().await;
    Ok(())
}

#[tokio::test]
async fn get_compatible_devices_lite_gets_the_device_list() -> TestResult {
    let exchange = Exchange::start(|when, then| {
        request(when, GET, "/customer/v2/compatible-devices-lite").is_true(exact_query(&[]));
        json_ok(then, fixture("airalo.get-compatible-devices-lite.200.json"));
    })
    .await;
    let devices = exchange
        .call(|c| c.get_compatible_devices_lite().send())
        .await?;
    assert_eq!(devices.data.len(), 97);
    assert_eq!(devices.data[0].os.as_deref(), Some("android"));
    assert_eq!(devices.data[0].brand.as_deref(), Some("bq"));
    Ok(())
}

#[tokio::test]
async fn get_packages_sends_every_filter_with_its_bracketed_name() -> TestResult {
    let exchange = Exchange::start(|when, then| {
        request(when, GET, "/customer/v2/packages")
            .header("accept-language", "fr")
            .is_true(exact_query(&[
                ("filter[country]", "US"),
                ("filter[type]", "local"),
                ("include", "topup"),
                ("limit", "50"),
                ("page", "1"),
            ]));
        json_ok(then, fixture("airalo.get-packages.200.json"));
    })
    .await;
    let packages = exchange
        .call(|c| {
            c.get_packages()
                .filter_country("US")
                .filter_type(types::GetPackagesFilterType::Local)
                .include(types::GetPackagesInclude::Topup)
                .limit(nz(50))
                .page(nz(1))
                .accept_language("fr")
                .send()
        })
        .await?;
    let pressone_esim_raw::wire::PackageCountryList::Array(countries) = &packages.data else {
        panic!("page 1 is an array");
    };
    assert_eq!(countries[0].country_code.as_deref(), Some("US"));
    assert_eq!(packages.meta.and_then(|m| m.per_page), Some(IntOrString(2)));
    assert_eq!(
        packages.pricing.and_then(|p| p.model).as_deref(),
        Some("net_pricing")
    );
    Ok(())
}

#[tokio::test]
async fn get_packages_without_parameters_sends_no_query_and_no_language() -> TestResult {
    let exchange = Exchange::start(|when, then| {
        when.method(GET)
            .path("/customer/v2/packages")
            .header_missing("accept-language")
            .is_true(exact_query(&[]));
        json_ok(
            then,
            fixture("airalo.get-packages.200-discount-pricing.json"),
        );
    })
    .await;
    let packages = exchange.client().get_packages().send().await?.into_inner();
    exchange.assert().await;
    assert_eq!(
        packages.pricing.and_then(|p| p.model).as_deref(),
        Some("discount_pricing")
    );
    Ok(())
}

#[tokio::test]
async fn submit_order_posts_the_urlencoded_order() -> TestResult {
    let exchange = Exchange::start(|when, then| {
        request(when, POST, "/customer/v2/orders")
            .header("content-type", "application/x-www-form-urlencoded")
            .is_true(exact_form(&[
                ("package_id", "kallur-digital-7days-1gb"),
                ("quantity", "2"),
                ("type", "sim"),
                ("description", "order-7f3a9c"),
                ("brand_settings_name", "our perfect brand"),
                ("to_email", "ada@example.com"),
            ]))
            .is_true(exact_query(&[]));
        json_ok(then, fixture("airalo.submit-order.200.json"));
    })
    .await;
    let order = exchange
        .call(|c| {
            c.submit_order()
                .body(SubmitOrderRequest {
                    brand_settings_name: Some("our perfect brand".into()),
                    description: Some("order-7f3a9c".into()),
                    to_email: Some("ada@example.com".into()),
                    ..SubmitOrderRequest::new("kallur-digital-7days-1gb", nz(2))
                })
                .send()
        })
        .await?;
    assert_eq!(order.data.id, Some(9666));
    assert_eq!(order.data.quantity, Some(IntOrString(1)));
    assert_eq!(
        order.data.sims[0].iccid.as_deref(),
        Some("891000000000009125")
    );
    Ok(())
}

/// `sharing_option[]` and `copy_address[]` travel as one repeated key per value; the spec's
/// form type is replaced by a hand-written one (`wire::SubmitOrderRequest`) because the
/// generated form encoding cannot send lists.
#[tokio::test]
async fn submit_order_sends_array_fields_as_repeated_keys() -> TestResult {
    let exchange = Exchange::start(|when, then| {
        when.method(POST)
            .path("/customer/v2/orders")
            .is_true(exact_form(&[
                ("package_id", "kallur-digital-7days-1gb"),
                ("quantity", "1"),
                ("type", "sim"),
                ("to_email", "ada@example.com"),
                ("sharing_option[]", "link"),
                ("sharing_option[]", "pdf"),
                ("copy_address[]", "ops@example.com"),
            ]));
        json_ok(then, fixture("airalo.submit-order.200.json"));
    })
    .await;
    exchange
        .call(|c| {
            c.submit_order()
                .body(SubmitOrderRequest {
                    copy_address: vec!["ops@example.com".into()],
                    sharing_option: vec![SharingOption::Link, SharingOption::Pdf],
                    to_email: Some("ada@example.com".into()),
                    ..SubmitOrderRequest::new("kallur-digital-7days-1gb", nz(1))
                })
                .send()
        })
        .await?;
    Ok(())
}

#[tokio::test]
async fn get_order_list_sends_every_filter_with_its_bracketed_name() -> TestResult {
    let exchange = Exchange::start(|when, then| {
        request(when, GET, "/customer/v2/orders").is_true(exact_query(&[
            ("include", "sims,user,status"),
            ("filter[created_at]", "2024-01-01 - 2024-01-31"),
            ("filter[code]", "20230227-009666"),
            ("filter[order_status]", "partially_refunded"),
            ("filter[iccid]", ICCID),
            ("filter[description]", "order-7f3a9c"),
            ("limit", "5"),
            ("page", "2"),
        ]));
        json_ok(then, fixture("airalo.get-order-list.200.json"));
    })
    .await;
    let list = exchange
        .call(|c| {
            c.get_order_list()
                .include("sims,user,status")
                .filter_created_at("2024-01-01 - 2024-01-31")
                .filter_code("20230227-009666")
                .filter_order_status(types::GetOrderListFilterOrderStatus::PartiallyRefunded)
                .filter_iccid(ICCID)
                .filter_description("order-7f3a9c")
                .limit(nz(5))
                .page(nz(2))
                .send()
        })
        .await?;
    assert_eq!(list.data[0].price, Some(Money(dec("9.50"))));
    assert_eq!(
        list.meta.as_ref().and_then(|m| m.per_page),
        Some(IntOrString(5))
    );
    assert_eq!(list.links.and_then(|l| l.prev), None);
    Ok(())
}

#[tokio::test]
async fn get_order_gets_one_order_by_id() -> TestResult {
    // No published example: an order-list entry in the single-order envelope.
    let entry = fixture_json("airalo.get-order-list.200.json")["data"][0].clone();
    let body = json!({"data": entry, "meta": {"message": "success"}});
    let exchange = Exchange::start(|when, then| {
        request(when, GET, "/customer/v2/orders/9666")
            .is_true(exact_query(&[("include", "sims,user,status")]));
        json_ok(then, body.to_string());
    })
    .await;
    let order = exchange
        .call(|c| {
            c.get_order()
                .order_id("9666")
                .include("sims,user,status")
                .send()
        })
        .await?;
    assert_eq!(order.data.id, Some(9666));
    assert_eq!(
        order.data.status.and_then(|s| s.slug).as_deref(),
        Some("completed")
    );
    Ok(())
}
