use super::*;

#[tokio::test]
async fn get_esims_list_sends_every_filter_with_its_bracketed_name() -> TestResult {
    let exchange = Exchange::start(|when, then| {
        request(when, GET, "/customer/v2/sims").is_true(exact_query(&[
            ("include", "order,order.status,order.user,share"),
            ("filter[created_at]", "2024-01-01 - 2024-01-31"),
            ("filter[iccid]", ICCID),
            ("limit", "25"),
            ("page", "3"),
        ]));
        json_ok(then, fixture("airalo.get-esims-list.200.json"));
    })
    .await;
    let list = exchange
        .call(|c| {
            c.get_esims_list()
                .include("order,order.status,order.user,share")
                .filter_created_at("2024-01-01 - 2024-01-31")
                .filter_iccid(ICCID)
                .limit(nz(25))
                .page(nz(3))
                .send()
        })
        .await?;
    assert_eq!(list.data.len(), 5);
    assert_eq!(list.data[0].id, Some(11047));
    Ok(())
}

#[tokio::test]
async fn get_esim_gets_one_esim_by_iccid() -> TestResult {
    let exchange = Exchange::start(|when, then| {
        request(when, GET, format!("/customer/v2/sims/{ICCID}"))
            .is_true(exact_query(&[("include", "order,share")]));
        json_ok(then, fixture("airalo.get-esim.200.json"));
    })
    .await;
    let esim = exchange
        .call(|c| c.get_esim().iccid(ICCID).include("order,share").send())
        .await?;
    assert_eq!(esim.data.id, Some(11028));
    assert_eq!(
        esim.data.simable.and_then(|o| o.price),
        Some(Money(dec("9.50")))
    );
    Ok(())
}

#[tokio::test]
async fn path_parameters_are_percent_encoded() -> TestResult {
    let exchange = Exchange::start(|when, then| {
        when.method(GET).is_true(|req: &HttpMockRequest| {
            req.uri().path() == "/customer/v2/sims/89%2F44%20x%3F/usage"
        });
        json_ok(then, fixture("airalo.get-usage.200.json"));
    })
    .await;
    exchange
        .call(|c| c.get_usage().iccid("89/44 x?").send())
        .await?;
    Ok(())
}

#[tokio::test]
async fn get_installation_instructions_sends_accept_language() -> TestResult {
    let exchange = Exchange::start(|when, then| {
        request(when, GET, format!("/customer/v2/sims/{ICCID}/instructions"))
            .header("accept-language", "pt-BR")
            .is_true(exact_query(&[]));
        json_ok(
            then,
            fixture("airalo.get-installation-instructions.200.json"),
        );
    })
    .await;
    let instructions = exchange
        .call(|c| {
            c.get_installation_instructions()
                .iccid(ICCID)
                .accept_language("pt-BR")
                .send()
        })
        .await?;
    let instructions = instructions.data.instructions.expect("instructions");
    assert_eq!(instructions.language.as_deref(), Some("EN"));
    assert!(!instructions.ios.is_empty() && !instructions.android.is_empty());
    Ok(())
}

#[tokio::test]
async fn get_installation_instructions_leaves_the_language_default_to_the_caller() -> TestResult {
    // The spec's `default: en` of the header is not applied by the generated code: the wrapper
    // sends `en` itself. Without a value no header is sent.
    let exchange = Exchange::start(|when, then| {
        when.method(GET)
            .path(format!("/customer/v2/sims/{ICCID}/instructions"))
            .header_missing("accept-language");
        json_ok(
            then,
            fixture("airalo.get-installation-instructions.200.json"),
        );
    })
    .await;
    exchange
        .call(|c| c.get_installation_instructions().iccid(ICCID).send())
        .await?;
    Ok(())
}

/// The three reads under one eSIM (usage, top-up offers, package history): a GET of the ICCID's
/// path with no query, asking for JSON, that decodes into the generated type. What the answers
/// mean (remaining data, offers, history entries) is the SDK's fact, tested in its
/// `operations::esims` tests; the usage's `meta` (with the API's own spelling) is the wire's.
#[tokio::test]
async fn reads_under_one_esim_get_its_path_with_no_query() -> TestResult {
    for (suffix, name) in [
        ("usage", "airalo.get-usage.200.json"),
        ("topups", "airalo.get-topups.200.json"),
        ("packages", "airalo.get-esim-package-history.200.json"),
    ] {
        let server = MockServer::start_async().await;
        let mock = server
            .mock_async(|when, then| {
                request(when, GET, format!("/customer/v2/sims/{ICCID}/{suffix}"))
                    .is_true(exact_query(&[]));
                json_ok(then, fixture(name));
            })
            .await;
        let c = client(&server);
        match suffix {
            "usage" => {
                let usage = c.get_usage().iccid(ICCID).send().await?.into_inner();
                assert_eq!(usage.data.is_unlimited, Some(true));
                assert_eq!(
                    usage.meta.and_then(|m| m.message).as_deref(),
                    Some("api.succes")
                );
            }
            "topups" => {
                let topups = c.get_topups().iccid(ICCID).send().await?.into_inner();
                assert!(!topups.data.is_empty(), "{name}");
            }
            _ => {
                let history = c.get_esim_package_history().iccid(ICCID).send().await?;
                assert!(!history.into_inner().data.is_empty(), "{name}");
            }
        }
        mock.assert_async().await;
    }
    Ok(())
}

#[tokio::test]
async fn submit_topup_posts_the_urlencoded_topup() -> TestResult {
    let exchange = Exchange::start(|when, then| {
        request(when, POST, "/customer/v2/orders/topups")
            .header("content-type", "application/x-www-form-urlencoded")
            .is_true(exact_form(&[
                ("package_id", "change-7days-1gb-topup"),
                ("iccid", ICCID),
                ("description", "topup-7f3a9c"),
            ]))
            .is_true(exact_query(&[]));
        json_ok(then, fixture("airalo.submit-topup.200.json"));
    })
    .await;
    let topup = exchange
        .call(|c| {
            c.submit_topup()
                .body(types::SubmitTopupRequest {
                    description: Some("topup-7f3a9c".into()),
                    iccid: ICCID.into(),
                    package_id: "change-7days-1gb-topup".into(),
                })
                .send()
        })
        .await?;
    assert_eq!(topup.data.id, Some(111));
    assert_eq!(topup.data.type_.as_deref(), Some("topup"));
    Ok(())
}

pub(super) const VOICE_USER: &str = r#"{
    "id": 4211, "email": "ada@example.com", "mobile": "+2348031234567",
    "first_name": "Ada", "last_name": "Obi", "number": "+2342012345678",
    "date_joined": "2025-03-01T09:15:00Z",
    "subscription": {"plan": "monthly", "status": "trial", "is_trial": true,
                     "start_date": "2025-03-01T09:15:00Z", "end_date": "2025-03-08T09:15:00Z"}
}"#;

#[tokio::test]
async fn list_available_numbers_gets_a_drf_page() -> TestResult {
    let exchange = Exchange::start(|when, then| {
        request(when, GET, "/api/third-party/partner/available-numbers/").is_true(exact_query(&[("country", "NG"), ("page", "2"), ("page_size", "20")]));
        json_ok(
            then,
            json!({
                "count": 41, "next": "https://voice.example/api/third-party/partner/available-numbers/?page=3",
                "previous": null,
                "results": [{"number": "+2342012345678", "country": "NG"}]
            })
            .to_string(),
        );
    })
    .await;
    let page = exchange
        .call(|c| {
            c.list_available_numbers()
                .country("NG")
                .page(nz(2))
                .page_size(nz(20))
                .send()
        })
        .await?;
    assert_eq!(page.count, Some(41));
    assert_eq!(page.previous, None);
    assert_eq!(page.results[0].number.as_deref(), Some("+2342012345678"));
    Ok(())
}

#[tokio::test]
async fn claim_number_posts_a_json_body() -> TestResult {
    let exchange = Exchange::start(|when, then| {
        request(when, POST, "/api/third-party/partner/claim-number/")
            .header("content-type", "application/json")
            .json_body(json!({
                "number": "+2342012345678",
                "email": "ada@example.com",
                "first_name": "Ada",
                "last_name": "Obi"
            }))
            .is_true(exact_query(&[]));
        // A DRF create view answers 201 Created (the spec declares 201).
        reply(then, 201, JSON, VOICE_USER);
    })
    .await;
    let user = exchange
        .call(|c| {
            c.claim_number()
                .body(types::ClaimNumberRequest {
                    email: "ada@example.com".into(),
                    first_name: Some("Ada".into()),
                    last_name: Some("Obi".into()),
                    number: "+2342012345678".into(),
                })
                .send()
        })
        .await?;
    assert_eq!(user.id, Some(json!(4211)));
    assert_eq!(
        user.subscription.and_then(|s| s.status).as_deref(),
        Some("trial")
    );
    Ok(())
}

#[tokio::test]
async fn renew_number_posts_a_json_body() -> TestResult {
    let exchange = Exchange::start(|when, then| {
        request(when, POST, "/api/third-party/partner/renew-number/")
            .header("content-type", "application/json")
            .json_body(json!({"email": "ada@example.com"}))
            .is_true(exact_query(&[]));
        json_ok(then, VOICE_USER.replace("\"trial\"", "\"active\""));
    })
    .await;
    let user = exchange
        .call(|c| {
            c.renew_number()
                .body(types::RenewNumberRequest {
                    email: "ada@example.com".into(),
                })
                .send()
        })
        .await?;
    assert_eq!(user.email.as_deref(), Some("ada@example.com"));
    assert_eq!(
        user.subscription.and_then(|s| s.status).as_deref(),
        Some("active")
    );
    Ok(())
}

#[tokio::test]
async fn list_users_sends_its_filters() -> TestResult {
    let exchange = Exchange::start(|when, then| {
        request(when, GET, "/api/third-party/partner/user/").is_true(exact_query(&[
            ("mobile", "+2348031234567"),
            ("email", "ada@example.com"),
            ("page", "1"),
            ("page_size", "10"),
        ]));
        json_ok(
            then,
            format!(r#"{{"count": 1, "next": null, "previous": null, "results": [{VOICE_USER}]}}"#),
        );
    })
    .await;
    let page = exchange
        .call(|c| {
            c.list_users()
                .mobile("+2348031234567")
                .email("ada@example.com")
                .page(nz(1))
                .page_size(nz(10))
                .send()
        })
        .await?;
    assert_eq!(page.count, Some(1));
    assert_eq!(page.results[0].number.as_deref(), Some("+2342012345678"));
    Ok(())
}
