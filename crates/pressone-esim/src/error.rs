//! The one error type of the SDK, with kinds a program can match on.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use pressone_esim_raw::OperationId;

use crate::text::one_line;

/// The result type of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Every failure of the SDK: a [`kind`](Error::kind) to match on, the HTTP status and the
/// server's message when there was a response, the operation, and whether the request may have
/// reached the server.
///
/// `Display` is one line and never contains the client secret or a token.
///
/// ```
/// use pressone_esim::{BusinessCode, Error, ErrorKind};
///
/// fn explain(err: &Error) -> String {
///     match err.kind() {
///         ErrorKind::Business { code: BusinessCode::InsufficientCredit, .. } => {
///             "top up your PressOne credit".into()
///         }
///         ErrorKind::Validation { fields } => {
///             fields.iter().map(|f| format!("{}: {}", f.field, f.message)).collect::<Vec<_>>().join("; ")
///         }
///         ErrorKind::RateLimited { retry_after } => format!("slow down ({retry_after:?})"),
///         _ if err.is_retryable() => "temporary failure, try again".into(),
///         _ => err.to_string(),
///     }
/// }
/// ```
#[derive(Clone)]
pub struct Error {
    inner: Arc<Inner>,
}

#[derive(Clone)]
struct Inner {
    kind: ErrorKind,
    operation: Option<OperationId>,
    status: Option<u16>,
    message: Option<String>,
    reached: Reached,
    source: Option<Arc<dyn std::error::Error + Send + Sync>>,
}

/// What went wrong, for a program to match on.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The credentials or the token were refused (HTTP 401), also after one refresh.
    Authentication,
    /// The call is not allowed (HTTP 403); `code` 89 means the caller's IP is not on the
    /// account's allow list.
    Forbidden {
        /// The business code of the body, when there is one.
        code: Option<BusinessCode>,
    },
    /// The resource does not exist (HTTP 404), e.g. an unknown ICCID or order id.
    NotFound,
    /// The server rejected the parameters (HTTP 400 or 422), with a message per field.
    Validation {
        /// One entry per rejected field (may be empty when the server named none).
        fields: Vec<FieldError>,
    },
    /// The server refused the operation with a business code (HTTP 422 `{code, reason}`).
    Business {
        /// The code.
        code: BusinessCode,
        /// The server's reason text.
        reason: String,
    },
    /// Too many requests (HTTP 429), still so after the retries the policy allowed.
    RateLimited {
        /// How long the server asked to wait, when it said.
        retry_after: Option<Duration>,
    },
    /// The server failed (HTTP 5xx).
    Server,
    /// An HTTP status the API does not document (e.g. 405, 409, 413).
    UnexpectedStatus,
    /// The connection failed or broke (refused, reset, TLS, DNS).
    Transport,
    /// No complete answer within the configured timeout.
    Timeout,
    /// The response could not be understood.
    Decode {
        /// A short excerpt of the body (never for the token endpoint).
        excerpt: String,
    },
    /// The SDK refused to send the request: an argument is invalid.
    InvalidInput {
        /// The argument.
        field: &'static str,
        /// What is wrong with it.
        message: String,
    },
    /// The client is misconfigured (base URL, credentials, options).
    Config {
        /// What is wrong.
        message: String,
    },
}

/// One rejected field of a validation error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    /// The field as the server names it (may be dotted, e.g. `sharing_option.0`).
    pub field: String,
    /// The server's message.
    pub message: String,
}

/// The documented business codes of the API (HTTP 422, or 403 for code 89).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum BusinessCode {
    /// 11: not enough credit on the partner account.
    InsufficientCredit,
    /// 13: the operator is under maintenance.
    OperatorMaintenance,
    /// 14: invalid checksum.
    InvalidChecksum,
    /// 23: the operator disabled top-ups for this package.
    TopupDisabled,
    /// 33: not enough eSIMs in stock for the quantity.
    InsufficientStock,
    /// 34: the package is invalid or out of stock.
    PackageUnavailable,
    /// 43: bad request.
    BadRequest,
    /// 53: something unexpected happened on the server.
    Unexpected,
    /// 73: the eSIM was recycled; it can no longer be used or topped up.
    Recycled,
    /// 89: the calling IP is not on the account's allow list.
    IpNotAllowed,
    /// A code this SDK does not know.
    Other(i64),
}

impl BusinessCode {
    /// The code for a number.
    pub fn from_code(code: i64) -> Self {
        match code {
            11 => Self::InsufficientCredit,
            13 => Self::OperatorMaintenance,
            14 => Self::InvalidChecksum,
            23 => Self::TopupDisabled,
            33 => Self::InsufficientStock,
            34 => Self::PackageUnavailable,
            43 => Self::BadRequest,
            53 => Self::Unexpected,
            73 => Self::Recycled,
            89 => Self::IpNotAllowed,
            other => Self::Other(other),
        }
    }

    /// The number on the wire.
    pub fn code(self) -> i64 {
        match self {
            Self::InsufficientCredit => 11,
            Self::OperatorMaintenance => 13,
            Self::InvalidChecksum => 14,
            Self::TopupDisabled => 23,
            Self::InsufficientStock => 33,
            Self::PackageUnavailable => 34,
            Self::BadRequest => 43,
            Self::Unexpected => 53,
            Self::Recycled => 73,
            Self::IpNotAllowed => 89,
            Self::Other(code) => code,
        }
    }
}

impl fmt::Display for BusinessCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.code())
    }
}

/// Whether a request reached the server, as far as the client can know.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Reached {
    /// Never sent (invalid input, configuration, connection refused).
    No,
    /// Sent, but no answer arrived (timeout, connection reset): the server may have acted.
    Maybe,
    /// The server answered.
    Yes,
}

impl Error {
    pub(crate) fn new(kind: ErrorKind, reached: Reached) -> Self {
        Error {
            inner: Arc::new(Inner {
                kind,
                operation: None,
                status: None,
                message: None,
                reached,
                source: None,
            }),
        }
    }

    pub(crate) fn invalid_input(field: &'static str, message: impl Into<String>) -> Self {
        Self::new(
            ErrorKind::InvalidInput {
                field,
                message: message.into(),
            },
            Reached::No,
        )
    }

    pub(crate) fn config(message: impl Into<String>) -> Self {
        Self::new(
            ErrorKind::Config {
                message: message.into(),
            },
            Reached::No,
        )
    }

    /// The token request was not sent: the processes sharing the token store spent their
    /// token-request budget; the next window starts after `wait`.
    pub(crate) fn token_budget_spent(wait: Duration) -> Self {
        Self::new(
            ErrorKind::RateLimited {
                retry_after: Some(wait),
            },
            Reached::No,
        )
        .with_operation(OperationId::RequestAccessToken)
        .with_message(Some(
            "the token-request budget shared through the token store is used up".to_string(),
        ))
    }

    fn inner_mut(&mut self) -> &mut Inner {
        // Errors are built before they are shared, so this rarely copies.
        Arc::make_mut(&mut self.inner)
    }

    /// Marks an error that happened before this call's request was sent (a failed token
    /// request): whatever reached the token endpoint, the call itself never left.
    pub(crate) fn never_sent(mut self) -> Self {
        self.inner_mut().reached = Reached::No;
        self
    }

    pub(crate) fn with_status(mut self, status: u16) -> Self {
        self.inner_mut().status = Some(status);
        self
    }

    pub(crate) fn with_message(mut self, message: Option<String>) -> Self {
        self.inner_mut().message = message.filter(|m| !m.trim().is_empty());
        self
    }

    pub(crate) fn with_operation(mut self, operation: OperationId) -> Self {
        self.inner_mut().operation = Some(operation);
        self
    }

    pub(crate) fn with_source(
        mut self,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> Self {
        self.inner_mut().source = Some(Arc::new(source));
        self
    }

    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.inner.kind
    }

    /// The HTTP status of the response, when one arrived.
    pub fn status(&self) -> Option<u16> {
        self.inner.status
    }

    /// The server's message (`reason`, `meta.message`, `detail` or `message`), when it sent one.
    pub fn message(&self) -> Option<&str> {
        self.inner.message.as_deref()
    }

    /// The operation (the spec's `operationId`) that failed, when the error came from a call.
    pub fn operation(&self) -> Option<&'static str> {
        self.inner.operation.map(OperationId::as_str)
    }

    /// The operation that failed, when the error came from a call.
    pub fn operation_id(&self) -> Option<OperationId> {
        self.inner.operation
    }

    /// The business code, for business errors and HTTP 403 with a code.
    pub fn business_code(&self) -> Option<BusinessCode> {
        match &self.inner.kind {
            ErrorKind::Business { code, .. } => Some(*code),
            ErrorKind::Forbidden { code } => *code,
            _ => None,
        }
    }

    /// How long the server asked to wait before trying again (HTTP 429 `Retry-After`).
    pub fn retry_after(&self) -> Option<Duration> {
        match &self.inner.kind {
            ErrorKind::RateLimited { retry_after } => *retry_after,
            _ => None,
        }
    }

    /// Whether the same request may succeed later: rate limits, server errors (5xx), transport
    /// failures, timeouts, and the business codes the API documents as temporary (13, operator
    /// maintenance; 53, something unexpected). The client's own retries follow the same rule
    /// (for reads, and for writes that never left the client). Retrying a call that spends
    /// money is only safe after reconciling (see [`Error::may_have_reached_server`]).
    pub fn is_retryable(&self) -> bool {
        crate::retry::is_transient(self)
    }

    /// Whether the request may have reached the server (and so may have taken effect).
    ///
    /// `false` only when the SDK knows it was never delivered: invalid input, configuration,
    /// a refused connection. After an order or top-up fails with this `true` and no answer
    /// (timeout, reset, 5xx), look the order up before ordering again (see
    /// [`Orders::find_by_description`](crate::Orders::find_by_description)).
    pub fn may_have_reached_server(&self) -> bool {
        self.inner.reached != Reached::No
    }

    /// Whether the server answered (with an error status or an unreadable body).
    pub fn got_response(&self) -> bool {
        self.inner.reached == Reached::Yes
    }

    pub(crate) fn reached(&self) -> Reached {
        self.inner.reached
    }

    fn kind_name(&self) -> &'static str {
        match &self.inner.kind {
            ErrorKind::Authentication => "authentication failed",
            ErrorKind::Forbidden { .. } => "forbidden",
            ErrorKind::NotFound => "not found",
            ErrorKind::Validation { .. } => "validation failed",
            ErrorKind::Business { .. } => "rejected",
            ErrorKind::RateLimited { .. } => "rate limited",
            ErrorKind::Server => "server error",
            ErrorKind::UnexpectedStatus => "unexpected status",
            ErrorKind::Transport => "network error",
            ErrorKind::Timeout => "timed out",
            ErrorKind::Decode { .. } => "unreadable response",
            ErrorKind::InvalidInput { .. } => "invalid input",
            ErrorKind::Config { .. } => "invalid configuration",
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &self.inner;
        if let Some(op) = inner.operation {
            write!(f, "{}: ", op.as_str())?;
        }
        f.write_str(self.kind_name())?;
        if let Some(status) = inner.status {
            write!(f, " (HTTP {status})")?;
        }
        match &inner.kind {
            ErrorKind::Business { code, reason } => {
                write!(f, ": code {code}: {}", one_line(reason))?
            }
            ErrorKind::Forbidden { code: Some(code) } => write!(f, ": code {code}")?,
            ErrorKind::Validation { fields } if !fields.is_empty() => {
                f.write_str(":")?;
                for (i, field) in fields.iter().enumerate() {
                    let sep = if i == 0 { " " } else { "; " };
                    write!(
                        f,
                        "{sep}{}: {}",
                        one_line(&field.field),
                        one_line(&field.message)
                    )?;
                }
            }
            ErrorKind::RateLimited {
                retry_after: Some(after),
            } => write!(f, ": retry after {}s", after.as_secs())?,
            ErrorKind::InvalidInput { field, message } => {
                write!(f, ": {field}: {}", one_line(message))?
            }
            ErrorKind::Config { message } => write!(f, ": {}", one_line(message))?,
            ErrorKind::Decode { excerpt } if !excerpt.is_empty() => {
                write!(f, ": body starts {excerpt:?}")?
            }
            _ => {}
        }
        let show_message = !matches!(
            inner.kind,
            ErrorKind::Business { .. } | ErrorKind::Validation { .. }
        );
        if let (true, Some(message)) = (show_message, &inner.message) {
            write!(f, ": {}", one_line(message))?;
        }
        if let Some(source) = &inner.source {
            write!(f, ": {}", one_line(&source.to_string()))?;
        }
        Ok(())
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &self.inner;
        f.debug_struct("Error")
            .field("kind", &inner.kind)
            .field("operation", &inner.operation)
            .field("status", &inner.status)
            .field("message", &inner.message)
            .field("reached", &inner.reached)
            .field("source", &inner.source.as_ref().map(|s| s.to_string()))
            .finish()
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.inner
            .source
            .as_ref()
            .map(|s| s.as_ref() as &(dyn std::error::Error + 'static))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_is_one_line_with_code_and_reason() {
        let err = Error::new(
            ErrorKind::Business {
                code: BusinessCode::InsufficientCredit,
                reason: "Insufficient PressOne Credit:\n 3.00 USD".into(),
            },
            Reached::Yes,
        )
        .with_status(422)
        .with_operation(OperationId::SubmitOrder);
        assert_eq!(
            err.to_string(),
            "submit_order: rejected (HTTP 422): code 11: Insufficient PressOne Credit: 3.00 USD"
        );
        assert!(!err.is_retryable());
        assert!(err.may_have_reached_server());
        assert_eq!(err.business_code(), Some(BusinessCode::InsufficientCredit));
    }

    #[test]
    fn codes_round_trip() {
        for code in [11, 13, 14, 23, 33, 34, 43, 53, 73, 89, 999] {
            assert_eq!(BusinessCode::from_code(code).code(), code);
        }
    }

    #[test]
    fn validation_lists_fields() {
        let err = Error::new(
            ErrorKind::Validation {
                fields: vec![
                    FieldError {
                        field: "limit".into(),
                        message: "The limit must be an integer.".into(),
                    },
                    FieldError {
                        field: "page".into(),
                        message: "The page must be an integer.".into(),
                    },
                ],
            },
            Reached::Yes,
        )
        .with_status(422);
        assert_eq!(
            err.to_string(),
            "validation failed (HTTP 422): limit: The limit must be an integer.; page: The page must be an integer."
        );
    }

    #[test]
    fn invalid_input_never_reached_the_server() {
        let err = Error::invalid_input("quantity", "must be between 1 and 50");
        assert!(!err.may_have_reached_server());
        assert_eq!(
            err.to_string(),
            "invalid input: quantity: must be between 1 and 50"
        );
    }
}
