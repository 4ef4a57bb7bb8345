use super::*;

// ---------------------------------------------------------------------------------------------
// Top-ups
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn topup_create_sends_the_form_and_decodes_the_fixtures() {
    let (server, recorder) = fixture_server(Op::SubmitTopup, "200").await;
    let order = client(&server)
        .topups()
        .create(ICCID, "change-7days-1gb-topup")
        .description("shop-topup-77")
        .await
        .unwrap();
    assert_eq!(recorder.requests().len(), 1);
    let req = recorder.single();
    assert_form(
        &req,
        &[
            ("package_id", "change-7days-1gb-topup"),
            ("iccid", ICCID),
            ("description", "shop-topup-77"),
        ],
    );
    assert_eq!(order.id, 111);
    assert_eq!(order.kind, PackageKind::Topup);
    assert!(order.esims.is_empty());
    assert_eq!(order.price.unwrap().to_string(), "4.5");
    assert_eq!(order.net_price, Some(dec("3.6")));
    assert_eq!(order.created_at, Some(utc(2025, 11, 18, 13, 37, 7)));

    for name in [
        "airalo.submit-topup.200-discount-pricing.json",
        "airalo.submit-topup.200-apidog-2025-01.json",
    ] {
        let server = token_server().await;
        let (_, recorder) = record(&server, Op::SubmitTopup, 200, fixture(name)).await;
        let order = client(&server)
            .topups()
            .create(ICCID, "change-7days-1gb-topup")
            .await
            .unwrap();
        assert_eq!(
            sorted(form_pairs(&recorder.single())),
            owned(&[("package_id", "change-7days-1gb-topup"), ("iccid", ICCID)]),
            "no description: the server's default applies"
        );
        assert_eq!(order.kind, PackageKind::Topup, "{name}");
        assert_eq!(order.quantity, 1, "{name}");
    }
}

#[tokio::test]
async fn topup_create_errors() {
    for (name, expected) in [
        (
            "airalo.submit-topup.422-invalid-package-id.json",
            vec![("package_id", "invalid topup package")],
        ),
        (
            "airalo.submit-topup.422-purchase-limit-exceeded.json",
            vec![("package_id", "validation.order_exceed_limit")],
        ),
        (
            "airalo.submit-topup.422-required-fields-missing.json",
            vec![
                ("iccid", "The iccid field is required."),
                ("package_id", "The package id field is required."),
            ],
        ),
    ] {
        let server = token_server().await;
        let (mock, _) = record(&server, Op::SubmitTopup, 422, fixture(name)).await;
        let err = expect_err(
            client(&server)
                .topups()
                .create(ICCID, "change-7days-1gb-topup")
                .await,
        );
        assert_eq!(field_messages(&err), owned(&expected), "{name}");
        assert_eq!(err.operation(), Some("submit_topup"));
        assert_eq!(mock.calls_async().await, 1);
    }

    let server = token_server().await;
    serve_fixture(&server, Op::SubmitTopup, "422-recycled-sim").await;
    let err = expect_err(
        client(&server)
            .topups()
            .create("89340000000000872000", "change-7days-1gb-topup")
            .await,
    );
    assert_eq!(err.business_code(), Some(BusinessCode::Recycled));
    assert_eq!(
        err.message(),
        Some(
            "The eSIM with iccid 89340000000000872 has been recycled. It can no longer be used or topped up."
        )
    );
}
