//! When and how long to wait before trying a call again: the one rule of what is transient
//! ([`is_transient`], also [`Error::is_retryable`]) and of what the client sends again
//! ([`should_retry`]).

use std::time::Duration;

use pressone_esim_raw::Operation;

use crate::error::{BusinessCode, Error, ErrorKind, Reached};

/// Whether the same request may succeed later: rate limits (429), server errors (5xx),
/// transport failures, timeouts, and the business codes the API documents as temporary
/// ("please try again later"): 13 (operator under maintenance) and 53 (something unexpected).
pub(crate) fn is_transient(err: &Error) -> bool {
    match err.kind() {
        ErrorKind::RateLimited { .. }
        | ErrorKind::Server
        | ErrorKind::Transport
        | ErrorKind::Timeout => true,
        ErrorKind::Business { code, .. } => matches!(
            code,
            BusinessCode::OperatorMaintenance | BusinessCode::Unexpected
        ),
        _ => false,
    }
}

/// Whether the client sends `operation` again after `err`: the failure is transient and
/// sending again cannot act twice, because the operation is safe to retry (`x-retry-safe`)
/// or the request certainly never left the client.
pub(crate) fn should_retry(operation: &Operation, err: &Error) -> bool {
    is_transient(err) && (operation.retry_safe || err.reached() == Reached::No)
}

/// How calls safe to retry (GETs, the token request: the spec's `x-retry-safe`) are retried
/// after rate limits (429), server errors (5xx), connection failures, timeouts and the
/// business codes documented as temporary (13, 53): exponential back-off with full jitter,
/// bounded in attempts and in total time. These are the errors
/// [`Error::is_retryable`](crate::Error::is_retryable) calls retryable.
///
/// Calls that spend money or change state (orders, top-ups, claim and renew number) are never
/// sent again once the request may have reached the server, whatever this policy says: they
/// are retried only when the connection could not be opened, or once after a 401 with a fresh
/// token.
///
/// ```
/// use std::time::Duration;
/// use pressone_esim::RetryPolicy;
///
/// let policy = RetryPolicy::default().max_attempts(5).max_elapsed(Duration::from_secs(60));
/// assert_eq!(policy.attempts(), 5);
/// let off = RetryPolicy::disabled();
/// assert_eq!(off.attempts(), 1);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_elapsed: Duration,
    max_retry_after: Duration,
    jitter: bool,
}

impl Default for RetryPolicy {
    /// 3 attempts, back-off from 200 ms doubling up to 5 s with full jitter, at most 30 s in
    /// all, `Retry-After` honoured up to 30 s.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(5),
            max_elapsed: Duration::from_secs(30),
            max_retry_after: Duration::from_secs(30),
            jitter: true,
        }
    }
}

impl RetryPolicy {
    /// No retries: every call is sent once (a 401 is still retried once with a fresh token).
    pub fn disabled() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..Self::default()
        }
    }

    crate::setters! {
        /// The total number of attempts, including the first (at least 1).
        max_attempts(attempts: u32) => max_attempts = attempts.max(1);

        /// The first back-off; later ones double.
        initial_backoff(backoff: Duration) => initial_backoff = backoff;

        /// The longest single back-off.
        max_backoff(backoff: Duration) => max_backoff = backoff;

        /// No retry starts after this much time since the first attempt, and no wait goes past it.
        max_elapsed(elapsed: Duration) => max_elapsed = elapsed;

        /// The longest `Retry-After` the SDK waits for; a longer one ends the retries with a
        /// rate-limited error that carries the server's value.
        max_retry_after(wait: Duration) => max_retry_after = wait;

        /// Whether back-offs are randomized (full jitter). On by default, so that many clients do
        /// not retry in step.
        jitter(jitter: bool) => jitter = jitter;
    }

    /// The total number of attempts.
    pub fn attempts(&self) -> u32 {
        self.max_attempts
    }

    /// How long to wait before attempt `attempt + 1` (`attempt` starts at 1), given what the
    /// server asked and how much time has passed; `None` means stop.
    pub(crate) fn next_delay(
        &self,
        attempt: u32,
        retry_after: Option<Duration>,
        elapsed: Duration,
    ) -> Option<Duration> {
        if attempt >= self.max_attempts {
            return None;
        }
        let delay = match retry_after {
            Some(wait) if wait > self.max_retry_after => return None,
            Some(wait) => wait,
            None => {
                let exp = self
                    .initial_backoff
                    .saturating_mul(2u32.saturating_pow(attempt.saturating_sub(1)))
                    .min(self.max_backoff);
                if self.jitter {
                    exp.mul_f64(fastrand::f64())
                } else {
                    exp
                }
            }
        };
        (elapsed.saturating_add(delay) <= self.max_elapsed).then_some(delay)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pressone_esim_raw::OperationId;

    /// Every kind, with the business codes the API documents and one it does not.
    fn every_error() -> Vec<Error> {
        let mut kinds = vec![
            ErrorKind::Authentication,
            ErrorKind::Forbidden { code: None },
            ErrorKind::NotFound,
            ErrorKind::Validation { fields: Vec::new() },
            ErrorKind::RateLimited { retry_after: None },
            ErrorKind::RateLimited {
                retry_after: Some(Duration::from_secs(1)),
            },
            ErrorKind::Server,
            ErrorKind::UnexpectedStatus,
            ErrorKind::Transport,
            ErrorKind::Timeout,
            ErrorKind::Decode {
                excerpt: String::new(),
            },
            ErrorKind::InvalidInput {
                field: "x",
                message: String::new(),
            },
            ErrorKind::Config {
                message: String::new(),
            },
        ];
        for code in [11, 13, 14, 23, 33, 34, 43, 53, 73, 89, 999] {
            kinds.push(ErrorKind::Business {
                code: BusinessCode::from_code(code),
                reason: String::new(),
            });
            kinds.push(ErrorKind::Forbidden {
                code: Some(BusinessCode::from_code(code)),
            });
        }
        let mut errors = Vec::new();
        for kind in kinds {
            for reached in [Reached::No, Reached::Maybe, Reached::Yes] {
                errors.push(Error::new(kind.clone(), reached));
            }
        }
        errors
    }

    #[test]
    fn the_retry_loop_and_is_retryable_agree_for_every_kind_and_code() {
        for err in every_error() {
            let transient = matches!(
                err.kind(),
                ErrorKind::RateLimited { .. }
                    | ErrorKind::Server
                    | ErrorKind::Transport
                    | ErrorKind::Timeout
            ) || matches!(err.business_code(), Some(c) if [13, 53].contains(&c.code())
                && matches!(err.kind(), ErrorKind::Business { .. }));
            assert_eq!(err.is_retryable(), transient, "{err:?}");
            for op in OperationId::ALL {
                let info = op.info();
                let sent_again = should_retry(info, &err);
                // A read is retried exactly when the error says a retry may succeed; a write
                // only when, besides, it certainly never left the client.
                let expected =
                    err.is_retryable() && (info.retry_safe || !err.may_have_reached_server());
                assert_eq!(sent_again, expected, "{op}: {err:?}");
                if !info.retry_safe && err.may_have_reached_server() {
                    assert!(!sent_again, "{op} could be sent twice after {err:?}");
                }
            }
        }
    }

    #[test]
    fn backoff_doubles_and_is_bounded() {
        let p = RetryPolicy::default().jitter(false).max_attempts(6);
        let d: Vec<_> = (1..6)
            .map(|a| p.next_delay(a, None, Duration::ZERO).unwrap())
            .collect();
        assert_eq!(
            d,
            [200, 400, 800, 1600, 3200]
                .map(Duration::from_millis)
                .to_vec()
        );
        assert_eq!(p.next_delay(6, None, Duration::ZERO), None);
        let capped = RetryPolicy::default().jitter(false).max_attempts(20);
        assert_eq!(
            capped.next_delay(15, None, Duration::ZERO),
            Some(Duration::from_secs(5))
        );
    }

    #[test]
    fn retry_after_is_honoured_within_limits_and_beyond_them_ends_the_retries_at_once() {
        let (secs, zero) = (Duration::from_secs, Duration::ZERO);
        // Attempt 1 of 5: attempts are left in every case.
        let policy = RetryPolicy::default().max_attempts(5);
        // (case, Retry-After, time elapsed since the first attempt, next delay)
        let cases = [
            ("within the limits", secs(2), zero, Some(secs(2))),
            ("beyond the longest accepted wait", secs(31), zero, None),
            ("past the time left", secs(2), secs(29), None),
            (
                "within the wait, past the time left",
                secs(20),
                secs(11),
                None,
            ),
        ];
        for (case, retry_after, elapsed, expected) in cases {
            let delay = policy.next_delay(1, Some(retry_after), elapsed);
            assert_eq!(delay, expected, "{case}");
        }
    }

    #[test]
    fn jitter_stays_below_the_exponential_bound() {
        let p = RetryPolicy::default().max_attempts(10);
        for _ in 0..1000 {
            let d = p.next_delay(3, None, Duration::ZERO).unwrap();
            assert!(d <= Duration::from_millis(800));
        }
    }

    #[test]
    fn disabled_never_retries() {
        assert_eq!(
            RetryPolicy::disabled().next_delay(1, None, Duration::ZERO),
            None
        );
    }
}
