use super::*;

// ---------------------------------------------------------------------------------------------
// Errors common to every operation
// ---------------------------------------------------------------------------------------------

type Call = fn(Client) -> BoxFuture<'static, pressone_esim::Result<()>>;

struct Operation {
    name: &'static str,
    method: &'static str,
    path: String,
    voice: bool,
    call: Call,
}

fn operations() -> Vec<Operation> {
    fn op(
        name: &'static str,
        method: &'static str,
        path: String,
        voice: bool,
        call: Call,
    ) -> Operation {
        Operation {
            name,
            method,
            path,
            voice,
            call,
        }
    }
    vec![
        op(
            "get_balance",
            "GET",
            "/customer/v2/balance".into(),
            false,
            |c| async move { c.balance().await.map(drop) }.boxed(),
        ),
        op(
            "get_compatible_devices_lite",
            "GET",
            "/customer/v2/compatible-devices-lite".into(),
            false,
            |c| async move { c.devices().await.map(drop) }.boxed(),
        ),
        op(
            "get_packages",
            "GET",
            "/customer/v2/packages".into(),
            false,
            |c| async move { c.packages().list().await.map(drop) }.boxed(),
        ),
        op("submit_order", "POST", ORDERS.into(), false, |c| {
            async move {
                c.orders()
                    .create("kallur-digital-7days-1gb", 1)
                    .await
                    .map(drop)
            }
            .boxed()
        }),
        op("get_order_list", "GET", ORDERS.into(), false, |c| {
            async move { c.orders().list().await.map(drop) }.boxed()
        }),
        op("get_order", "GET", format!("{ORDERS}/9666"), false, |c| {
            async move { c.orders().get("9666").await.map(drop) }.boxed()
        }),
        op(
            "get_esims_list",
            "GET",
            "/customer/v2/sims".into(),
            false,
            |c| async move { c.sims().list().await.map(drop) }.boxed(),
        ),
        op("get_esim", "GET", sim_path(""), false, |c| {
            async move { c.sims().get(ICCID).await.map(drop) }.boxed()
        }),
        op("get_usage", "GET", sim_path("/usage"), false, |c| {
            async move { c.sims().usage(ICCID).await.map(drop) }.boxed()
        }),
        op(
            "get_installation_instructions",
            "GET",
            sim_path("/instructions"),
            false,
            |c| async move { c.sims().instructions(ICCID).await.map(drop) }.boxed(),
        ),
        op("get_topups", "GET", sim_path("/topups"), false, |c| {
            async move { c.sims().topups(ICCID).await.map(drop) }.boxed()
        }),
        op(
            "get_esim_package_history",
            "GET",
            sim_path("/packages"),
            false,
            |c| async move { c.sims().history(ICCID).await.map(drop) }.boxed(),
        ),
        op(
            "submit_topup",
            "POST",
            "/customer/v2/orders/topups".into(),
            false,
            |c| {
                async move {
                    c.topups()
                        .create(ICCID, "change-7days-1gb-topup")
                        .await
                        .map(drop)
                }
                .boxed()
            },
        ),
        op(
            "list_available_numbers",
            "GET",
            format!("{VOICE}/available-numbers/"),
            true,
            |c| async move { c.voice().available_numbers().await.map(drop) }.boxed(),
        ),
        op(
            "claim_number",
            "POST",
            format!("{VOICE}/claim-number/"),
            true,
            |c| {
                async move {
                    c.voice()
                        .claim("+2342012345678", "ada@example.com")
                        .await
                        .map(drop)
                }
                .boxed()
            },
        ),
        op(
            "renew_number",
            "POST",
            format!("{VOICE}/renew-number/"),
            true,
            |c| async move { c.voice().renew("ada@example.com").await.map(drop) }.boxed(),
        ),
        op("list_users", "GET", format!("{VOICE}/user/"), true, |c| {
            async move { c.voice().users().await.map(drop) }.boxed()
        }),
    ]
}

#[tokio::test]
async fn every_operation_401_refreshes_the_token_once_then_fails() {
    for op in operations() {
        let server = MockServer::start_async().await;
        let token = mount_token(&server).await;
        let body = if op.voice {
            json!({"detail": "Invalid token."})
        } else {
            json!({"data": [], "meta": {"message": "Unauthenticated."}})
        };
        let (mock, recorder) = record(
            &server,
            Method::from(op.method),
            &op.path,
            401,
            body.to_string(),
        )
        .await;
        let err = expect_err((op.call)(client(&server)).await);
        assert_eq!(err.kind(), &ErrorKind::Authentication, "{}", op.name);
        assert_eq!(err.status(), Some(401), "{}", op.name);
        assert_eq!(err.operation(), Some(op.name));
        assert!(err.message().is_some(), "{}", op.name);
        assert_eq!(
            token.calls_async().await,
            2,
            "{}: one token, one refresh",
            op.name
        );
        assert_eq!(
            mock.calls_async().await,
            2,
            "{}: the call and one retry, no loop",
            op.name
        );
        for req in recorder.requests() {
            assert_eq!(
                header(&req, "authorization").as_deref(),
                Some(BEARER),
                "{}",
                op.name
            );
        }
    }
}

#[tokio::test]
async fn every_operation_403_code_89_is_forbidden_ip_not_allowed() {
    for op in operations() {
        let server = MockServer::start_async().await;
        let token = mount_token(&server).await;
        let (mock, _) = record(
            &server,
            Method::from(op.method),
            &op.path,
            403,
            json!({"code": 89, "reason": "Your IP is not allowed"}).to_string(),
        )
        .await;
        let err = expect_err((op.call)(client(&server)).await);
        assert_eq!(
            err.kind(),
            &ErrorKind::Forbidden {
                code: Some(BusinessCode::IpNotAllowed)
            },
            "{}",
            op.name
        );
        assert_eq!(err.business_code(), Some(BusinessCode::IpNotAllowed));
        assert_eq!(err.message(), Some("Your IP is not allowed"));
        assert!(err.to_string().contains("code 89"), "{err}");
        assert_eq!(
            token.calls_async().await,
            1,
            "{}: the token stays valid",
            op.name
        );
        assert_eq!(mock.calls_async().await, 1, "{}: not retried", op.name);
    }
}

#[tokio::test]
async fn every_operation_reports_an_undocumented_status_once() {
    for op in operations() {
        let server = token_server().await;
        let (mock, _) = record(
            &server,
            Method::from(op.method),
            &op.path,
            409,
            json!({"message": "Conflict"}).to_string(),
        )
        .await;
        let err = expect_err((op.call)(client(&server)).await);
        assert_eq!(err.kind(), &ErrorKind::UnexpectedStatus, "{}", op.name);
        assert_eq!(err.status(), Some(409));
        assert_eq!(err.message(), Some("Conflict"));
        assert_eq!(mock.calls_async().await, 1, "{}", op.name);
    }
}

#[tokio::test]
async fn every_operation_reports_an_unreadable_success_body_as_decode() {
    for op in operations() {
        let server = token_server().await;
        // The documented success status: 201 for a claim (a DRF create view), else 200.
        let success = if op.name == "claim_number" { 201 } else { 200 };
        let (mock, _) = record(
            &server,
            Method::from(op.method),
            &op.path,
            success,
            "<html>maintenance</html>",
        )
        .await;
        let err = expect_err((op.call)(client(&server)).await);
        assert!(
            matches!(err.kind(), ErrorKind::Decode { .. }),
            "{}: {err:?}",
            op.name
        );
        assert_eq!(err.status(), Some(success), "{}", op.name);
        assert!(err.got_response());
        assert_eq!(mock.calls_async().await, 1, "{}: not retried", op.name);
    }
}
