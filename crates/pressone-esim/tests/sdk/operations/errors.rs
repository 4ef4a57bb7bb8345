use super::*;
use pressone_esim_raw::{Api, Auth};

// ---------------------------------------------------------------------------------------------
// Errors common to every operation
// ---------------------------------------------------------------------------------------------

/// Every operation the client sends with a token, and a call that sends it. What the tests need
/// to know of each (name, method, path, API, success and error statuses) comes from the
/// generated operation table, not from a second list here.
struct Operation {
    id: Op,
    call: Call,
}

impl Operation {
    fn name(&self) -> &'static str {
        self.id.as_str()
    }
}

fn operations() -> Vec<Operation> {
    let table: Vec<(Op, Call)> = vec![
        (Op::GetBalance, call!(|c| c.balance())),
        (Op::GetCompatibleDevicesLite, call!(|c| c.devices())),
        (Op::GetPackages, call!(|c| c.packages().list())),
        (Op::SubmitOrder, call!(|c| c.orders().create(PACKAGE, 1))),
        (Op::GetOrderList, call!(|c| c.orders().list())),
        (Op::GetOrder, call!(|c| c.orders().get("9666"))),
        (Op::GetEsimsList, call!(|c| c.sims().list())),
        (Op::GetEsim, call!(|c| c.sims().get(ICCID))),
        (Op::GetUsage, call!(|c| c.sims().usage(ICCID))),
        (
            Op::GetInstallationInstructions,
            call!(|c| c.sims().instructions(ICCID)),
        ),
        (Op::GetTopups, call!(|c| c.sims().topups(ICCID))),
        (
            Op::GetEsimPackageHistory,
            call!(|c| c.sims().history(ICCID)),
        ),
        (
            Op::SubmitTopup,
            call!(|c| c.topups().create(ICCID, "change-7days-1gb-topup")),
        ),
        (
            Op::ListAvailableNumbers,
            call!(|c| c.voice().available_numbers()),
        ),
        (
            Op::ClaimNumber,
            call!(|c| c.voice().claim("+2342012345678", "ada@example.com")),
        ),
        (
            Op::RenewNumber,
            call!(|c| c.voice().renew("ada@example.com")),
        ),
        (Op::ListUsers, call!(|c| c.voice().users())),
    ];
    let mut covered: Vec<Op> = table.iter().map(|(id, _)| *id).collect();
    covered.sort();
    let mut expected: Vec<Op> = Op::ALL
        .into_iter()
        .filter(|id| id.info().auth == Auth::Bearer)
        .collect();
    expected.sort();
    assert_eq!(
        covered, expected,
        "one call for every operation sent with a token"
    );
    table
        .into_iter()
        .map(|(id, call)| Operation { id, call })
        .collect()
}

#[tokio::test]
async fn every_operation_401_refreshes_the_token_once_then_fails() {
    for op in operations() {
        let server = MockServer::start_async().await;
        let token = mount_token(&server).await;
        let body = if op.id.info().api == Api::Voice {
            json!({"detail": "Invalid token."})
        } else {
            json!({"data": [], "meta": {"message": "Unauthenticated."}})
        };
        let (mock, recorder) = record(&server, op.id, 401, body.to_string()).await;
        let err = expect_err((op.call)(client(&server)).await);
        assert_eq!(err.kind(), &ErrorKind::Authentication, "{}", op.name());
        assert_eq!(err.status(), Some(401), "{}", op.name());
        assert_eq!(err.operation(), Some(op.name()));
        assert!(err.message().is_some(), "{}", op.name());
        assert_eq!(
            token.calls_async().await,
            2,
            "{}: one token, one refresh",
            op.name()
        );
        assert_eq!(
            mock.calls_async().await,
            2,
            "{}: the call and one retry, no loop",
            op.name()
        );
        for req in recorder.requests() {
            assert_eq!(
                header(&req, "authorization").as_deref(),
                Some(BEARER),
                "{}",
                op.name()
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
            op.id,
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
            op.name()
        );
        assert_eq!(err.business_code(), Some(BusinessCode::IpNotAllowed));
        assert_eq!(err.message(), Some("Your IP is not allowed"));
        assert!(err.to_string().contains("code 89"), "{err}");
        assert_eq!(
            token.calls_async().await,
            1,
            "{}: the token stays valid",
            op.name()
        );
        assert_eq!(mock.calls_async().await, 1, "{}: not retried", op.name());
    }
}

#[tokio::test]
async fn every_operation_reports_an_undocumented_status_once() {
    for op in operations() {
        // 409 is documented for no operation: an answer the client cannot expect.
        assert!(!op.id.info().error_statuses.contains(&409), "{}", op.name());
        let server = token_server().await;
        let (mock, _) = record(
            &server,
            op.id,
            409,
            json!({"message": "Conflict"}).to_string(),
        )
        .await;
        let err = expect_err((op.call)(client(&server)).await);
        assert_eq!(err.kind(), &ErrorKind::UnexpectedStatus, "{}", op.name());
        assert_eq!(err.status(), Some(409));
        assert_eq!(err.message(), Some("Conflict"));
        assert_eq!(mock.calls_async().await, 1, "{}", op.name());
    }
}

#[tokio::test]
async fn every_operation_reports_an_unreadable_success_body_as_decode() {
    for op in operations() {
        let server = token_server().await;
        // The documented success status (201 for a claim, a DRF create view).
        let success = op.id.info().success_status;
        let (mock, _) = record(&server, op.id, success, "<html>maintenance</html>").await;
        let err = expect_err((op.call)(client(&server)).await);
        assert!(
            matches!(err.kind(), ErrorKind::Decode { .. }),
            "{}: {err:?}",
            op.name()
        );
        assert_eq!(err.status(), Some(success), "{}", op.name());
        assert!(err.got_response());
        assert_eq!(mock.calls_async().await, 1, "{}: not retried", op.name());
    }
}
