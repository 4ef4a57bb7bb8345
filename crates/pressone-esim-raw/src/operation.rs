//! What the spec says about each operation: the types of the generated table
//! ([`OperationId::info`], in `operations.rs`), and the names of operations as text.

use std::fmt;
use std::str::FromStr;

use crate::OperationId;

/// Which of the two APIs an operation belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Api {
    /// The data-eSIM API (`/customer/v2/...`).
    Data,
    /// The voice-only API (`/api/third-party/partner/...`).
    Voice,
}

/// How an operation is authenticated.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Auth {
    /// With the access token (`Authorization: Bearer …`; the SDK may use the voice API key).
    Bearer,
    /// Without credentials (the token request, whose body holds them).
    None,
}

/// Who a rate rule counts requests for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RateScope {
    /// The partner account (all its requests to the operation).
    Partner,
    /// One eSIM (requests naming the same ICCID).
    Iccid,
}

/// A documented rate rule: at most `requests` requests per `per_seconds` seconds and scope.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct RateLimit {
    /// Requests allowed in the window.
    pub requests: u32,
    /// The window, in seconds.
    pub per_seconds: u32,
    /// Who the requests are counted for.
    pub scope: RateScope,
}

/// One row of the operation table (see [`OperationId::info`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Operation {
    /// The HTTP method, upper case (`GET`, `POST`).
    pub method: &'static str,
    /// The path template of the spec, e.g. `/customer/v2/sims/{iccid}`.
    pub path: &'static str,
    /// The API it belongs to.
    pub api: Api,
    /// Whether sending it again after an ambiguous failure is harmless (`x-retry-safe`): reads
    /// and the token request. Orders, top-ups and voice claims are not.
    pub retry_safe: bool,
    /// How it is authenticated.
    pub auth: Auth,
    /// The documented success status.
    pub success_status: u16,
    /// The documented error statuses (the 4xx and 5xx codes the spec lists), ascending: the
    /// ones whose body the generated client decodes as the API's error type.
    pub error_statuses: &'static [u16],
    /// The documented rate rule (`x-rate-limit`), if any.
    pub rate: Option<RateLimit>,
}

impl OperationId {
    /// The operation with this `operationId`.
    pub fn from_name(name: &str) -> Option<OperationId> {
        OperationId::ALL.into_iter().find(|op| op.as_str() == name)
    }

    /// The HTTP method, upper case ([`Operation::method`]).
    pub const fn method(self) -> &'static str {
        self.info().method
    }

    /// The path template of the spec ([`Operation::path`]).
    pub const fn path(self) -> &'static str {
        self.info().path
    }
}

/// An `operationId` that is not in the spec.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownOperation(pub String);

impl fmt::Display for UnknownOperation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?} is not an operationId of the spec", self.0)
    }
}

impl std::error::Error for UnknownOperation {}

impl FromStr for OperationId {
    type Err = UnknownOperation;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        OperationId::from_name(name).ok_or_else(|| UnknownOperation(name.to_string()))
    }
}

impl fmt::Display for OperationId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for OperationId {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for OperationId {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
        OperationId::from_name(&name).ok_or_else(|| {
            let names: Vec<&'static str> = OperationId::ALL.iter().map(|o| o.as_str()).collect();
            serde::de::Error::custom(format!(
                "unknown operation {name:?}, expected one of {}",
                names.join(", ")
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_through_text_and_serde() {
        for op in OperationId::ALL {
            assert_eq!(op.as_str().parse::<OperationId>(), Ok(op));
            assert_eq!(op.to_string(), op.as_str());
            let json = serde_json::to_string(&op).unwrap();
            assert_eq!(json, format!("\"{}\"", op.as_str()));
            assert_eq!(serde_json::from_str::<OperationId>(&json).unwrap(), op);
        }
        assert!("get_orders".parse::<OperationId>().is_err());
        assert!(serde_json::from_str::<OperationId>("\"get_orders\"").is_err());
    }

    #[test]
    fn writes_are_not_retry_safe_and_only_the_token_is_unauthenticated() {
        for op in OperationId::ALL {
            let info = op.info();
            assert_eq!(
                info.retry_safe,
                info.method == "GET" || op == OperationId::RequestAccessToken,
                "{op}"
            );
            assert_eq!(
                info.auth == Auth::None,
                op == OperationId::RequestAccessToken,
                "{op}"
            );
            assert_eq!(
                info.api == Api::Voice,
                info.path.starts_with("/api/"),
                "{op}"
            );
        }
    }
}
