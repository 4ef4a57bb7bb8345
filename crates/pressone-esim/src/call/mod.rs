//! The call pipeline: one place where every call is executed (token, credentials, retries,
//! the 401 refresh, error normalization and tracing), and [`Call`], the entry point of the
//! resource modules. The pipeline knows operations ([`OperationId`] and the spec's table), not
//! resources.

mod classify;
pub(crate) mod direct;
mod transport;

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::TryFutureExt;
use pressone_esim_raw::{Auth, Operation, OperationId};
use progenitor_client::{Error as RawError, ResponseValue};
use serde::Serialize;
use serde::de::DeserializeOwned;
use tracing::Instrument;

use crate::error::{Error, ErrorKind, Result};
use crate::raw::hooks::{CallContext, with_context};
use crate::token::{Token, TokenManager};

pub(crate) use classify::{classify, decode_error, from_reqwest};
pub(crate) use transport::Transport;

/// One operation of one client, as a resource module runs it: [`Call::run`] around the whole
/// of it (validation, request, conversion), [`Call::send`] for the request.
#[derive(Clone, Copy)]
pub(crate) struct Call<'c> {
    transport: &'c Transport,
    tokens: &'c TokenManager,
    op: OperationId,
}

impl<'c> Call<'c> {
    pub(crate) fn new(transport: &'c Transport, tokens: &'c TokenManager, op: OperationId) -> Self {
        Call {
            transport,
            tokens,
            op,
        }
    }

    /// Runs `body`; every error it returns (bad input, the request, a body that does not
    /// convert) names this operation.
    ///
    /// A plain function returning `body` mapped (not an `async fn` awaiting it): an `async fn`
    /// stores its argument and, once started, the same future again as the one it awaits, so
    /// each such layer doubled the size of every call's future (and of each move of it).
    pub(crate) fn run<T>(
        self,
        body: impl Future<Output = Result<T>>,
    ) -> impl Future<Output = Result<T>> {
        let op = self.op;
        body.map_err(move |e| e.with_operation(op))
    }

    /// Sends the generated request `send` builds (once per attempt) under the client's
    /// policies and returns its body.
    pub(crate) fn send<T, E, F, Fut>(self, send: F) -> impl Future<Output = Result<T>> + 'c
    where
        T: 'c,
        F: Fn(&'c crate::raw::Client) -> Fut + 'c,
        Fut: Future<Output = std::result::Result<ResponseValue<T>, RawError<E>>> + 'c,
        E: Serialize + 'c,
    {
        self.transport.execute(self.op, Some(self.tokens), send)
    }

    /// Sends the request the SDK builds itself ([`direct`]) with `attempt` (once per attempt,
    /// given the attempt's context) under the client's policies and returns its body.
    pub(crate) fn send_direct<T, E, F, Fut>(
        self,
        attempt: F,
    ) -> impl Future<Output = Result<T>> + 'c
    where
        T: 'c,
        F: Fn(&'c crate::raw::Client, CallContext) -> Fut + 'c,
        Fut: Future<Output = direct::Attempt<T, E>> + 'c,
        E: Serialize + 'c,
    {
        self.transport.attempts(self.op, Some(self.tokens), attempt)
    }

    /// Sends a GET of this operation, with its path parameters `args` and no query, built on
    /// the parsed base URL ([`direct`]), and returns its success body; a documented error status
    /// decodes as the API's error type `E`.
    ///
    /// The parameters are borrowed for the call and each attempt builds its URL from them: the
    /// first attempt (nearly always the only one) moves its URL into the request, with no copy
    /// kept for a retry that does not come.
    pub(crate) fn get<'a, T, E, const N: usize>(
        self,
        args: [&'a str; N],
    ) -> impl Future<Output = Result<T>> + 'a
    where
        'c: 'a,
        T: DeserializeOwned + 'a,
        E: DeserializeOwned + Serialize + 'a,
    {
        // `Call` is covariant: the call is narrowed to the parameters' lifetime.
        let call: Call<'a> = self;
        call.send_direct(move |raw, context| {
            let url = call.url(&args);
            direct::send::<T, E>(raw, call.op, direct::get(raw, url), context)
        })
    }

    /// The URL of this operation with its path parameters `args`, on the parsed base URL of
    /// its API (for a request sent with [`direct::send`]).
    pub(crate) fn url(self, args: &[&str]) -> url::Url {
        self.transport.url(self.op, args)
    }

    /// Reads a body the generated client hands over as a stream (the balance, documented as
    /// text) with the client's body limit, and decodes it as JSON.
    pub(crate) async fn read_json<T: DeserializeOwned>(
        self,
        mut stream: crate::raw::ByteStream,
    ) -> Result<T> {
        let limit = Some(self.transport.max_body());
        let bytes = match crate::raw::body::read(&mut stream, None, limit).await {
            Ok(bytes) => bytes,
            Err(crate::raw::body::ReadError::Body(e)) => return Err(from_reqwest(e, true)),
            Err(e) => {
                return Err(decode_error(Some(200), &[], None, self.op).with_source(e));
            }
        };
        serde_json::from_slice(&bytes)
            .map_err(|e| decode_error(Some(200), &bytes, Some(e), self.op))
    }
}

impl Transport {
    /// Runs `send` (a generated request) under the client's policies and returns its body;
    /// `tokens` supplies the access token of operations that need one.
    pub(crate) fn execute<'c, T, E, F, Fut>(
        &'c self,
        op: OperationId,
        tokens: Option<&'c TokenManager>,
        send: F,
    ) -> impl Future<Output = Result<T>> + 'c
    where
        T: 'c,
        F: Fn(&'c crate::raw::Client) -> Fut + 'c,
        Fut: Future<Output = std::result::Result<ResponseValue<T>, RawError<E>>> + 'c,
        E: Serialize + 'c,
    {
        self.attempts(op, tokens, move |raw, context| {
            // The generated request future is large (kilobytes); boxed, it is moved once, not
            // at every layer it is wrapped in (context, span, the loop, the caller's future).
            // Its hooks read the context from the task-local `with_context` sets.
            with_context(context, Box::pin(send(raw)))
        })
    }

    /// The executor: runs `send` (one request, given the attempt's context: its
    /// credentials) under the client's policies (token, the 401 refresh, retries, error
    /// normalization, tracing) and returns its body.
    ///
    /// A plain function returning an `async move` block rather than an `async fn`: an `async fn`
    /// keeps each argument twice in its future (as passed, and moved into its body), and this
    /// future is part of every call's.
    #[allow(clippy::manual_async_fn)] // On purpose: see above.
    pub(crate) fn attempts<'c, T, E, F, Fut>(
        &'c self,
        op: OperationId,
        tokens: Option<&'c TokenManager>,
        send: F,
    ) -> impl Future<Output = Result<T>> + 'c
    where
        T: 'c,
        F: Fn(&'c crate::raw::Client, CallContext) -> Fut + 'c,
        Fut: Future<Output = direct::Attempt<T, E>> + 'c,
        E: Serialize + 'c,
    {
        async move {
            let info = op.info();
            let auth = info.auth == Auth::Bearer;
            let started = Instant::now();
            let mut attempt: u32 = 0;
            let mut refreshed = false;
            loop {
                attempt += 1;
                let token = match tokens {
                    // The token request has its own retries; its failure ends the call, which was
                    // never sent.
                    Some(tokens) if auth && !self.uses_api_key(info.api) => Some(
                        tokens
                            .token()
                            .await
                            .map_err(|e| e.never_sent().with_operation(op))?,
                    ),
                    _ => None,
                };
                let mut context = CallContext::new();
                if auth && let Some((name, value)) = self.auth_header(info.api, token.as_ref()) {
                    context = context.with_auth(name, value);
                }
                let span = tracing::debug_span!(
                    "pressone_esim.request",
                    operation = op.as_str(),
                    attempt,
                    status = tracing::field::Empty,
                    latency_ms = tracing::field::Empty,
                );
                // The latency is only read by an enabled span: no clock reads otherwise.
                let sent = (!span.is_disabled()).then(Instant::now);
                // Polled inside its span only when the span records: a disabled span (no
                // subscriber, or one that filters it out) has nothing to enter, and skipping the
                // wrapper keeps its code and a move of the request's future off every call.
                let request = send(self.raw(info.api), context);
                let (result, status) = if span.is_disabled() {
                    request.await
                } else {
                    request.instrument(span.clone()).await
                };
                // `identity(result)`: the answer is moved whole out of its local, so nothing of it
                // is kept in this future (which every call carries) past this point.
                let err = match std::convert::identity(result) {
                    Ok(value) => {
                        record(&span, status, sent);
                        tracing::debug!(parent: &span, "ok");
                        return Ok(value.into_inner());
                    }
                    Err(err) => err,
                };
                // The rare path, boxed: its states and code are not part of every call's.
                let failed = Failed {
                    op,
                    status,
                    span: &span,
                    sent,
                    token: token.as_ref(),
                    tokens,
                    started,
                };
                match Box::pin(self.failed(failed, err, &mut attempt, &mut refreshed)).await {
                    Some(err) => return Err(err),
                    None => continue,
                }
            }
        }
    }

    /// After a failed attempt: the error normalized and traced, then either `None` (send again:
    /// after the 401 refresh, or the retry policy's delay, slept here) or the call's error.
    async fn failed<E: Serialize>(
        &self,
        failed: Failed<'_>,
        err: RawError<E>,
        attempt: &mut u32,
        refreshed: &mut bool,
    ) -> Option<Error> {
        let Failed {
            op,
            status,
            span,
            sent,
            token,
            tokens,
            started,
        } = failed;
        let err = classify::normalize(err, status, op)
            .instrument(span.clone())
            .await;
        record(span, status.or_else(|| err.status()), sent);
        tracing::debug!(parent: span, error = %err, "failed");
        let info = op.info();
        if matches!(err.kind(), ErrorKind::Authentication)
            && info.auth == Auth::Bearer
            && !*refreshed
            && let (Some(token), Some(tokens)) = (token, tokens)
        {
            // The server refused the token: drop it and retry once with a fresh one. A 401
            // means the request was not acted on, so this is safe for writes too.
            tokens.invalidate(token);
            *refreshed = true;
            *attempt -= 1;
            return None;
        }
        match self.retry_delay(info, &err, *attempt, started.elapsed()) {
            Some(delay) => {
                tracing::debug!(parent: span, delay_ms = delay.as_millis() as u64, "retrying");
                tokio::time::sleep(delay).await;
                None
            }
            None => Some(err),
        }
    }

    fn retry_delay(
        &self,
        info: &Operation,
        err: &Error,
        attempt: u32,
        elapsed: Duration,
    ) -> Option<Duration> {
        if !crate::retry::should_retry(info, err) {
            return None;
        }
        self.retry().next_delay(attempt, err.retry_after(), elapsed)
    }
}

/// What the failure path of an attempt needs to know of it ([`Transport::failed`]).
struct Failed<'a> {
    op: OperationId,
    /// The status of the response, if one arrived.
    status: Option<u16>,
    span: &'a tracing::Span,
    /// When the request was sent, if the span is enabled.
    sent: Option<Instant>,
    /// The token the request carried.
    token: Option<&'a Arc<Token>>,
    tokens: Option<&'a TokenManager>,
    /// When the call's first attempt started.
    started: Instant,
}

/// Records an attempt's status and latency on its span (the latency only if the span is enabled:
/// `sent` is read only then).
fn record(span: &tracing::Span, status: Option<u16>, sent: Option<Instant>) {
    if let Some(status) = status {
        span.record("status", status);
    }
    if let Some(sent) = sent {
        span.record("latency_ms", sent.elapsed().as_millis() as u64);
    }
}
