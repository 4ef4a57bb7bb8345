use super::*;

// ---------------------------------------------------------------------------------------------
// Errors common to every operation
// ---------------------------------------------------------------------------------------------

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
            call!(|c| c.balance()),
        ),
        op(
            "get_compatible_devices_lite",
            "GET",
            "/customer/v2/compatible-devices-lite".into(),
            false,
            call!(|c| c.devices()),
        ),
        op(
            "get_packages",
            "GET",
            "/customer/v2/packages".into(),
            false,
            call!(|c| c.packages().list()),
        ),
        op(
            "submit_order",
            "POST",
            ORDERS.into(),
            false,
            call!(|c| c.orders().create(PACKAGE, 1)),
        ),
        op(
            "get_order_list",
            "GET",
            ORDERS.into(),
            false,
            call!(|c| c.orders().list()),
        ),
        op(
            "get_order",
            "GET",
            format!("{ORDERS}/9666"),
            false,
            call!(|c| c.orders().get("9666")),
        ),
        op(
            "get_esims_list",
            "GET",
            "/customer/v2/sims".into(),
            false,
            call!(|c| c.sims().list()),
        ),
        op(
            "get_esim",
            "GET",
            sim_path(""),
            false,
            call!(|c| c.sims().get(ICCID)),
        ),
        op(
            "get_usage",
            "GET",
            sim_path("/usage"),
            false,
            call!(|c| c.sims().usage(ICCID)),
        ),
        op(
            "get_installation_instructions",
            "GET",
            sim_path("/instructions"),
            false,
            call!(|c| c.sims().instructions(ICCID)),
        ),
        op(
            "get_topups",
            "GET",
            sim_path("/topups"),
            false,
            call!(|c| c.sims().topups(ICCID)),
        ),
        op(
            "get_esim_package_history",
            "GET",
            sim_path("/packages"),
            false,
            call!(|c| c.sims().history(ICCID)),
        ),
        op(
            "submit_topup",
            "POST",
            "/customer/v2/orders/topups".into(),
            false,
            call!(|c| c.topups().create(ICCID, "change-7days-1gb-topup")),
        ),
        op(
            "list_available_numbers",
            "GET",
            format!("{VOICE}/available-numbers/"),
            true,
            call!(|c| c.voice().available_numbers()),
        ),
        op(
            "claim_number",
            "POST",
            format!("{VOICE}/claim-number/"),
            true,
            call!(|c| c.voice().claim("+2342012345678", "ada@example.com")),
        ),
        op(
            "renew_number",
            "POST",
            format!("{VOICE}/renew-number/"),
            true,
            call!(|c| c.voice().renew("ada@example.com")),
        ),
        op(
            "list_users",
            "GET",
            format!("{VOICE}/user/"),
            true,
            call!(|c| c.voice().users()),
        ),
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
            (Method::from(op.method), &op.path),
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
            (Method::from(op.method), &op.path),
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
            (Method::from(op.method), &op.path),
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
            (Method::from(op.method), &op.path),
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
