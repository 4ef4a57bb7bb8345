//! The call pipeline: one place where every call is executed (token, credentials, retries,
//! the 401 refresh, error normalization and tracing), and [`Call`], the entry point of the
//! resource modules. The pipeline knows operations ([`OperationId`] and the spec's table), not
//! resources.

mod classify;
pub(crate) mod direct;
mod transport;

use std::future::Future;
use std::time::{Duration, Instant};

use pressone_esim_raw::{Auth, Operation, OperationId};
use progenitor_client::{Error as RawError, ResponseValue};
use serde::Serialize;
use serde::de::DeserializeOwned;
use tracing::Instrument;

use crate::error::{Error, ErrorKind, Result};
use crate::raw::hooks::{CallContext, with_context};
use crate::token::TokenManager;

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
    pub(crate) async fn run<T>(self, body: impl Future<Output = Result<T>>) -> Result<T> {
        body.await.map_err(|e| e.with_operation(self.op))
    }

    /// Sends the request `send` builds (once per attempt) under the client's policies and
    /// returns its body.
    ///
    /// A plain function returning the executor's future (not an `async fn` awaiting it), so
    /// that future is not wrapped, and copied, once more.
    pub(crate) fn send<T, E, F, Fut>(self, send: F) -> impl Future<Output = Result<T>> + 'c
    where
        T: 'c,
        F: Fn(&'c crate::raw::Client) -> Fut + 'c,
        Fut: Future<Output = std::result::Result<ResponseValue<T>, RawError<E>>> + 'c,
        E: Serialize + 'c,
    {
        self.transport.execute(self.op, Some(self.tokens), send)
    }

    /// Sends a GET of this operation, with its path parameters `args` and no query, built on
    /// the parsed base URL ([`direct`]), and returns its success body; a documented error status
    /// decodes as the API's error type `E`.
    pub(crate) fn get<T, E>(self, args: &[&str]) -> impl Future<Output = Result<T>> + 'c
    where
        T: DeserializeOwned + 'c,
        E: DeserializeOwned + Serialize + 'c,
    {
        let (url, op) = (self.url(args), self.op);
        self.send(move |raw| direct::send::<T, E>(raw, op, direct::get(raw, url.clone())))
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
    pub(crate) async fn execute<'c, T, E, F, Fut>(
        &'c self,
        op: OperationId,
        tokens: Option<&TokenManager>,
        send: F,
    ) -> Result<T>
    where
        F: Fn(&'c crate::raw::Client) -> Fut,
        Fut: Future<Output = std::result::Result<ResponseValue<T>, RawError<E>>> + 'c,
        E: Serialize,
    {
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
            let raw = self.raw(info.api);
            // The generated request future is large (kilobytes); boxed, it is moved once, not
            // at every layer it is wrapped in (context, span, this loop, the caller's future).
            let request = Box::pin(send(raw));
            let (result, status) = with_context(context, request)
                .instrument(span.clone())
                .await;
            let outcome = match result {
                Ok(value) => Ok(value.into_inner()),
                // Boxed: the error path is rare and its future large; inline, it would make
                // every call's future (and each move of it) that much bigger.
                Err(err) => Err(Box::pin(classify::normalize(err, status, op))
                    .instrument(span.clone())
                    .await),
            };
            let status = status.or_else(|| outcome.as_ref().err().and_then(Error::status));
            if let Some(status) = status {
                span.record("status", status);
            }
            if let Some(sent) = sent {
                span.record("latency_ms", sent.elapsed().as_millis() as u64);
            }
            let err = match outcome {
                Ok(value) => {
                    tracing::debug!(parent: &span, "ok");
                    return Ok(value);
                }
                Err(err) => err,
            };
            tracing::debug!(parent: &span, error = %err, "failed");
            if matches!(err.kind(), ErrorKind::Authentication)
                && auth
                && !refreshed
                && let (Some(token), Some(tokens)) = (&token, tokens)
            {
                // The server refused the token: drop it and retry once with a fresh one.
                // A 401 means the request was not acted on, so this is safe for writes too.
                tokens.invalidate(token);
                self.forget_bearer();
                refreshed = true;
                attempt -= 1;
                continue;
            }
            match self.retry_delay(info, &err, attempt, started.elapsed()) {
                Some(delay) => {
                    tracing::debug!(parent: &span, delay_ms = delay.as_millis() as u64, "retrying");
                    Box::pin(tokio::time::sleep(delay)).await;
                }
                None => return Err(err),
            }
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
