//! [`Operation`]: the API operations the sandbox serves, named by the spec's `operationId`s,
//! with the method and path each is served at.

use std::fmt;

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The API operations the sandbox serves, used for request statistics and to select which
/// operations a [`FaultConfig`](crate::FaultConfig) applies to.
///
/// The names ([`Operation::as_str`], serde and the control endpoints) are the `operationId`s of
/// `openapi/pressone-esim.yaml`, e.g. `submit_order`, `get_order_list`; a test checks the table
/// below against the spec.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Operation {
    /// `POST /customer/v2/token`
    RequestAccessToken,
    /// `GET /customer/v2/balance`
    GetBalance,
    /// `GET /customer/v2/compatible-devices-lite`
    GetCompatibleDevicesLite,
    /// `GET /customer/v2/packages`
    GetPackages,
    /// `POST /customer/v2/orders`
    SubmitOrder,
    /// `GET /customer/v2/orders`
    GetOrderList,
    /// `GET /customer/v2/orders/{order_id}`
    GetOrder,
    /// `POST /customer/v2/orders/topups`
    SubmitTopup,
    /// `GET /customer/v2/sims`
    GetEsimsList,
    /// `GET /customer/v2/sims/{iccid}`
    GetEsim,
    /// `GET /customer/v2/sims/{iccid}/instructions`
    GetInstallationInstructions,
    /// `GET /customer/v2/sims/{iccid}/usage`
    GetUsage,
    /// `GET /customer/v2/sims/{iccid}/topups`
    GetTopups,
    /// `GET /customer/v2/sims/{iccid}/packages`
    GetEsimPackageHistory,
    /// `GET /api/third-party/partner/available-numbers/`
    ListAvailableNumbers,
    /// `POST /api/third-party/partner/claim-number/`
    ClaimNumber,
    /// `POST /api/third-party/partner/renew-number/`
    RenewNumber,
    /// `GET /api/third-party/partner/user/`
    ListUsers,
}

/// `(operation, operationId, method, path template)`: the one table every name, route and
/// classification of the sandbox comes from.
const TABLE: [(Operation, &str, &str, &str); 18] = [
    (
        Operation::RequestAccessToken,
        "request_access_token",
        "POST",
        "/customer/v2/token",
    ),
    (
        Operation::GetBalance,
        "get_balance",
        "GET",
        "/customer/v2/balance",
    ),
    (
        Operation::GetCompatibleDevicesLite,
        "get_compatible_devices_lite",
        "GET",
        "/customer/v2/compatible-devices-lite",
    ),
    (
        Operation::GetPackages,
        "get_packages",
        "GET",
        "/customer/v2/packages",
    ),
    (
        Operation::SubmitOrder,
        "submit_order",
        "POST",
        "/customer/v2/orders",
    ),
    (
        Operation::GetOrderList,
        "get_order_list",
        "GET",
        "/customer/v2/orders",
    ),
    (
        Operation::GetOrder,
        "get_order",
        "GET",
        "/customer/v2/orders/{order_id}",
    ),
    (
        Operation::SubmitTopup,
        "submit_topup",
        "POST",
        "/customer/v2/orders/topups",
    ),
    (
        Operation::GetEsimsList,
        "get_esims_list",
        "GET",
        "/customer/v2/sims",
    ),
    (
        Operation::GetEsim,
        "get_esim",
        "GET",
        "/customer/v2/sims/{iccid}",
    ),
    (
        Operation::GetInstallationInstructions,
        "get_installation_instructions",
        "GET",
        "/customer/v2/sims/{iccid}/instructions",
    ),
    (
        Operation::GetUsage,
        "get_usage",
        "GET",
        "/customer/v2/sims/{iccid}/usage",
    ),
    (
        Operation::GetTopups,
        "get_topups",
        "GET",
        "/customer/v2/sims/{iccid}/topups",
    ),
    (
        Operation::GetEsimPackageHistory,
        "get_esim_package_history",
        "GET",
        "/customer/v2/sims/{iccid}/packages",
    ),
    (
        Operation::ListAvailableNumbers,
        "list_available_numbers",
        "GET",
        "/api/third-party/partner/available-numbers/",
    ),
    (
        Operation::ClaimNumber,
        "claim_number",
        "POST",
        "/api/third-party/partner/claim-number/",
    ),
    (
        Operation::RenewNumber,
        "renew_number",
        "POST",
        "/api/third-party/partner/renew-number/",
    ),
    (
        Operation::ListUsers,
        "list_users",
        "GET",
        "/api/third-party/partner/user/",
    ),
];

impl Operation {
    /// Every operation, in a stable order.
    pub const ALL: [Operation; 18] = {
        let mut all = [Operation::RequestAccessToken; 18];
        let mut i = 0;
        while i < TABLE.len() {
            all[i] = TABLE[i].0;
            i += 1;
        }
        all
    };

    /// Every `operationId`, in the order of [`Operation::ALL`].
    const NAMES: [&'static str; 18] = {
        let mut names = [""; 18];
        let mut i = 0;
        while i < TABLE.len() {
            names[i] = TABLE[i].1;
            i += 1;
        }
        names
    };

    fn row(self) -> &'static (Operation, &'static str, &'static str, &'static str) {
        // `TABLE` lists the variants in declaration order.
        &TABLE[self as usize]
    }

    /// The spec's `operationId`, also the name used by the control endpoints and the statistics.
    pub fn as_str(self) -> &'static str {
        self.row().1
    }

    /// The HTTP method (`GET` or `POST`).
    pub fn method(self) -> &'static str {
        self.row().2
    }

    /// The path template of the spec, e.g. `/customer/v2/sims/{iccid}`. The sandbox also
    /// serves the voice paths without their trailing slash.
    pub fn path(self) -> &'static str {
        self.row().3
    }

    /// Parses an `operationId` (see [`Operation::as_str`]).
    pub fn from_name(name: &str) -> Option<Operation> {
        Operation::ALL.into_iter().find(|op| op.as_str() == name)
    }

    /// The operation served at `method` and `path` (a request path, no query). Besides the
    /// spec's paths this knows the aliases the sandbox answers: voice paths without their
    /// trailing slash and the documented `/cusomter/v2/sims/{iccid}/usage` typo.
    pub fn classify(method: &str, path: &str) -> Option<Operation> {
        let path = match path.strip_prefix("/cusomter/v2/") {
            Some(rest) => std::borrow::Cow::Owned(format!("/customer/v2/{rest}")),
            None => std::borrow::Cow::Borrowed(path),
        };
        Operation::ALL.into_iter().find(|op| {
            op.method().eq_ignore_ascii_case(method) && template_matches(op.path(), &path, op)
        })
    }

    /// Whether the operation changes server state (orders, top-ups, tokens, voice claims).
    pub fn is_state_changing(self) -> bool {
        self.method() == "POST"
    }

    /// Whether the operation belongs to the (provisional, DRF-style) voice API.
    pub fn is_voice(self) -> bool {
        self.path().starts_with("/api/")
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

impl Serialize for Operation {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Operation {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
        Operation::from_name(&name).ok_or_else(|| D::Error::unknown_variant(&name, &Self::NAMES))
    }
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_in_declaration_order() {
        for (i, row) in TABLE.iter().enumerate() {
            assert_eq!(row.0 as usize, i, "{}", row.1);
        }
    }

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
