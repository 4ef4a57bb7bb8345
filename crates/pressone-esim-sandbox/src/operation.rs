//! [`Operation`]: the API operations the sandbox serves, named by the spec's `operationId`s.
//! The table is the raw client's, generated from the spec (`pressone_esim_raw::OperationId`:
//! method, path, API); this module adds what only the sandbox needs: which operation a request
//! is for, with the aliases the sandbox answers.

use pressone_esim_raw::Api;

/// The API operations the sandbox serves, used for request statistics and to select which
/// operations a [`FaultConfig`](crate::FaultConfig) applies to.
///
/// The names ([`Operation::as_str`], serde and the control endpoints) are the `operationId`s of
/// `openapi/pressone-esim.yaml`, e.g. `submit_order`, `get_order_list`.
pub use pressone_esim_raw::OperationId as Operation;

/// What the sandbox asks of an operation besides the spec's table.
pub(crate) trait Served: Sized {
    /// The operation served at `method` and `path` (a request path, no query). Besides the
    /// spec's paths this knows the aliases the sandbox answers: voice paths without their
    /// trailing slash and the documented `/cusomter/v2/sims/{iccid}/usage` typo.
    fn classify(method: &str, path: &str) -> Option<Self>;

    /// Whether the operation belongs to the (provisional, DRF-style) voice API.
    fn is_voice(&self) -> bool;
}

impl Served for Operation {
    fn classify(method: &str, path: &str) -> Option<Operation> {
        let path = match path.strip_prefix("/cusomter/v2/") {
            Some(rest) => std::borrow::Cow::Owned(format!("/customer/v2/{rest}")),
            None => std::borrow::Cow::Borrowed(path),
        };
        Operation::ALL.into_iter().find(|op| {
            op.method().eq_ignore_ascii_case(method) && template_matches(op.path(), &path, op)
        })
    }

    fn is_voice(&self) -> bool {
        self.info().api == Api::Voice
    }
}

/// Matches a request path against a path template; `{param}` matches one non-empty segment
/// that is not a literal of a more specific route (`/orders/topups` is not an order id).
fn template_matches(template: &str, path: &str, op: &Operation) -> bool {
    let template = template.trim_end_matches('/');
    let path = if op.is_voice() {
        path.strip_suffix('/').unwrap_or(path)
    } else {
        path
    };
    let mut t = template.split('/');
    let mut p = path.split('/');
    loop {
        match (t.next(), p.next()) {
            (None, None) => return true,
            (Some(ts), Some(ps)) if ts.starts_with('{') => {
                if ps.is_empty() || (*op == Operation::GetOrder && ps == "topups") {
                    return false;
                }
            }
            (Some(ts), Some(ps)) if ts == ps => {}
            _ => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_uses_the_operation_ids() {
        for op in Operation::ALL {
            let json = serde_json::to_string(&op).unwrap_or_default();
            assert_eq!(json, format!("\"{}\"", op.as_str()));
            assert_eq!(serde_json::from_str::<Operation>(&json).ok(), Some(op));
        }
        // The names used before the spec's ids are gone.
        for old in [
            "get_orders",
            "get_esims",
            "get_package_history",
            "get_compatible_devices",
        ] {
            assert!(serde_json::from_str::<Operation>(&format!("\"{old}\"")).is_err());
            assert_eq!(Operation::from_name(old), None);
        }
    }

    #[test]
    fn classification() {
        let cases = [
            ("POST", "/customer/v2/orders", Some(Operation::SubmitOrder)),
            ("GET", "/customer/v2/orders", Some(Operation::GetOrderList)),
            ("GET", "/customer/v2/orders/1001", Some(Operation::GetOrder)),
            ("GET", "/customer/v2/orders/topups", None),
            (
                "POST",
                "/customer/v2/orders/topups",
                Some(Operation::SubmitTopup),
            ),
            (
                "GET",
                "/customer/v2/sims/89/packages",
                Some(Operation::GetEsimPackageHistory),
            ),
            (
                "GET",
                "/cusomter/v2/sims/89/usage",
                Some(Operation::GetUsage),
            ),
            ("GET", "/customer/v2/sims/", None),
            (
                "POST",
                "/api/third-party/partner/claim-number/",
                Some(Operation::ClaimNumber),
            ),
            (
                "GET",
                "/api/third-party/partner/user",
                Some(Operation::ListUsers),
            ),
            ("GET", "/_sandbox/state", None),
            ("DELETE", "/customer/v2/orders", None),
        ];
        for (method, path, want) in cases {
            assert_eq!(Operation::classify(method, path), want, "{method} {path}");
        }
    }
}
