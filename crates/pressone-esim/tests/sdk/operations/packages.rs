use super::*;

// ---------------------------------------------------------------------------------------------
// Packages
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn packages_send_bracketed_filters_and_decode_the_fixture() {
    let (server, recorder) = fixture_server(Op::GetPackages, "200").await;
    let page = client(&server)
        .packages()
        .list()
        .package_type(PackageType::Local)
        .country("fr")
        .include_topups(true)
        .limit(2)
        .page(1)
        .language("fr")
        .await
        .unwrap();
    let req = recorder.single();
    assert_read(
        &req,
        &[
            ("filter[type]", "local"),
            ("filter[country]", "FR"),
            ("include", "topup"),
            ("limit", "2"),
            ("page", "1"),
        ],
    );
    assert_eq!(header(&req, "accept-language").as_deref(), Some("fr"));

    assert_eq!(page.page, 1);
    assert_eq!(page.last_page, Some(107));
    assert_eq!(page.total, Some(213));
    assert!(page.has_more);
    assert_eq!(page.items.len(), 2);
    let us = &page.items[0];
    assert_eq!(us.slug, "united-states");
    assert_eq!(us.country_code.as_deref(), Some("US"));
    assert_eq!(us.title, "United States");
    assert!(us.image_url.as_deref().unwrap().starts_with("https://"));
    let operator = &us.operators[0];
    assert_eq!(operator.id, Some(1180));
    assert_eq!(operator.title, "Change");
    assert_eq!(operator.kind, OperatorKind::Local);
    assert_eq!(operator.plan_type, PlanType::Data);
    assert!(operator.is_roaming && operator.rechargeable);
    let package = &operator.packages[0];
    assert_eq!(package.id, "change-in-7days-1gb");
    assert_eq!(package.kind, PackageKind::Sim);
    assert_eq!(package.data, DataAllowance::Limited { mb: 1024 });
    assert_eq!(package.data_label, "1 GB");
    assert_eq!(package.validity_days, 7);
    assert_eq!(package.price, Some(dec("4")));
    assert_eq!(package.net_price, Some(dec("1.8")));
    assert_eq!(package.prices.net("EUR"), Some(dec("1.55")));
    assert_eq!(package.prices.retail("GBP"), Some(dec("3")));
    assert_eq!(package.voice_minutes, None);
    let france = &page.items[1];
    assert_eq!(france.packages().next().unwrap().price, Some(dec("4.5")));
    assert_eq!(
        france.packages().next().unwrap().price.unwrap().to_string(),
        "4.5"
    );
}

#[tokio::test]
async fn packages_without_options_send_no_query_and_global_type_is_sent() {
    let (server, recorder) = fixture_server(Op::GetPackages, "200-discount-pricing").await;
    let c = client(&server);
    let page = c.packages().list().await.unwrap();
    c.packages()
        .list()
        .package_type(PackageType::Global)
        .await
        .unwrap();
    let requests = recorder.requests();
    assert_eq!(query(&requests[0]), vec![]);
    assert!(header(&requests[0], "accept-language").is_none());
    assert_eq!(query(&requests[1]), owned(&[("filter[type]", "global")]));
    // Discount pricing: no net price.
    let package = page.items[0].packages().next().unwrap();
    assert_eq!(package.net_price, None);
    assert!(package.price.is_some());
}

#[tokio::test]
async fn packages_unlimited_plans_have_no_meaningless_amount() {
    let server = token_server().await;
    let body = json!({
        "data": [{
            "slug": "world", "country_code": "", "title": "World",
            "operators": [{
                "id": 1, "title": "Discover", "type": "global", "plan_type": "voice-text",
                "is_roaming": true, "rechargeability": false,
                "packages": [{
                    "id": "discover-unlimited", "type": "sim", "price": "19.90", "net_price": 12,
                    "amount": 0, "day": 30, "is_unlimited": true, "title": "Unlimited - 30 days",
                    "data": "Unlimited", "voice": 100, "text": 50
                }]
            }]
        }]
    });
    record(&server, Op::GetPackages, 200, body.to_string()).await;
    let page = client(&server).packages().list().await.unwrap();
    let entry = &page.items[0];
    assert_eq!(
        entry.country_code, None,
        "an empty country code is no country"
    );
    assert_eq!(entry.operators[0].kind, OperatorKind::Global);
    assert_eq!(entry.operators[0].plan_type, PlanType::VoiceText);
    let package = entry.packages().next().unwrap();
    assert_eq!(package.data, DataAllowance::Unlimited);
    assert_eq!(package.price.unwrap().to_string(), "19.90");
    assert_eq!(package.voice_minutes, Some(100));
    assert_eq!(package.sms, Some(50));
    assert!(!page.has_more, "no meta and no links: a single page");
}
