//! Shared checks of the decoder targets (included with `#[path]`, not a target itself).

use std::sync::LazyLock;

use pressone_esim::decode::{OPERATIONS, response};
use pressone_esim::{Api, ErrorKind, OperationId};

/// The `operationId`s of one API, in the order of the spec (from the generated table).
fn operations(api: Api) -> Vec<&'static str> {
    OperationId::ALL
        .iter()
        .filter(|op| op.info().api == api)
        .map(|op| op.as_str())
        .collect()
}

/// Checks a success body of one of `api`'s operations: the input's first byte picks the
/// operation (its index, by `pick`, with the status it is answered with), the rest is the body.
#[allow(dead_code)] // the error-body target picks among every operation
pub fn check_success(api: Api, data: &[u8], pick: impl Fn(u8) -> (usize, u16)) {
    let Some((&selector, body)) = data.split_first() else {
        return;
    };
    let operations = match api {
        Api::Data => &DATA,
        Api::Voice => &VOICE,
    };
    let (index, status) = pick(selector);
    check(operations[index % operations.len()], status, body);
}

/// `request_access_token` and the data-eSIM operations, in the spec's order.
static DATA: LazyLock<Vec<&'static str>> = LazyLock::new(|| operations(Api::Data));

/// The voice operations, in the spec's order.
static VOICE: LazyLock<Vec<&'static str>> = LazyLock::new(|| operations(Api::Voice));

/// Decodes `body` as `operation`'s answer with `status` and checks what must hold for any
/// input: no panic (the harness), a decoded value and an error that format, an error that is
/// one line (server text never breaks a log line), and an error kind that matches the status.
pub fn check(operation: &str, status: u16, body: &[u8]) {
    debug_assert!(OPERATIONS.contains(&operation));
    match response(operation, status, body) {
        Ok(value) => {
            assert!(
                (200..300).contains(&status),
                "{operation} {status}: decoded"
            );
            let _ = format!("{value:?}");
        }
        Err(err) => {
            let shown = err.to_string();
            assert!(!shown.contains('\n') && !shown.contains('\r'), "{shown:?}");
            let _ = format!("{err:?}");
            let kind = err.kind();
            match status {
                200..=299 => assert!(matches!(kind, ErrorKind::Decode { .. }), "{err:?}"),
                401 => assert_eq!(kind, &ErrorKind::Authentication),
                403 => assert!(matches!(kind, ErrorKind::Forbidden { .. }), "{err:?}"),
                404 => assert_eq!(kind, &ErrorKind::NotFound),
                429 => assert!(matches!(kind, ErrorKind::RateLimited { .. }), "{err:?}"),
                400 | 422 => assert!(
                    matches!(
                        kind,
                        ErrorKind::Validation { .. } | ErrorKind::Business { .. }
                    ),
                    "{err:?}"
                ),
                500..=599 => assert_eq!(kind, &ErrorKind::Server),
                _ => assert_eq!(kind, &ErrorKind::UnexpectedStatus),
            }
            assert_eq!(
                err.status(),
                (!(200..300).contains(&status)).then_some(status)
            );
            assert!(err.may_have_reached_server() && err.got_response());
        }
    }
}
