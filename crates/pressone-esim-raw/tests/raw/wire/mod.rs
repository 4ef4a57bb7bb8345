//! The generated client over real loopback HTTP (httpmock): for each of the 18 operations, the
//! method, exact path, query parameters (bracketed names), headers and form/JSON body it sends,
//! and the decoding of the response; then the hooks (auth injection, status capture, multipart
//! re-encoding, timeout), the absence of progenitor's `api-version` header (the generator drops
//! it) and the error variants.

mod data_api;
mod errors;
mod esims_and_voice;
mod hooks;

use std::num::NonZeroU64;
use std::time::Duration;

use futures::StreamExt;
use httpmock::prelude::*;
use httpmock::{HttpMockRequest, Method, Mock, Then, When};
use pressone_esim_raw::hooks::{CallContext, FormEncoding, Settings, with_context};
use pressone_esim_raw::types;
use pressone_esim_raw::wire::{IntOrString, Money, SharingOption, SubmitOrderRequest};
use pressone_esim_raw::{Client, Error, ResponseValue};
use pressone_esim_testkit::{fixture, fixture_json, form_pairs, owned, sorted};
use reqwest::header::{ACCEPT_LANGUAGE, AUTHORIZATION, HeaderName, HeaderValue};
use rust_decimal::Decimal;
use serde_json::{Value, json};

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// The content type of the API's JSON answers.
const JSON: &str = "application/json";

const ICCID: &str = "8944465400000267221";

fn client(server: &MockServer) -> Client {
    client_with(server, Settings::new())
}

fn client_with(server: &MockServer, settings: Settings) -> Client {
    Client::new_with_client(&server.base_url(), reqwest::Client::new(), settings)
}

fn nz(n: u64) -> NonZeroU64 {
    NonZeroU64::new(n).expect("non-zero")
}

fn dec(s: &str) -> Decimal {
    s.parse().expect("decimal literal")
}

/// One exchange over loopback: a server whose one mock checks the request and gives the
/// answer, and clients pointed at it.
struct Exchange {
    server: MockServer,
    mock: usize,
    client: Client,
}

impl Exchange {
    /// Starts a server with the one mock `expect` (the request's matchers and the answer).
    async fn start(expect: impl FnOnce(When, Then)) -> Exchange {
        let server = MockServer::start_async().await;
        let mock = server.mock_async(expect).await.id();
        let client = client(&server);
        Exchange {
            server,
            mock,
            client,
        }
    }

    /// A client of the server, with no settings.
    fn client(&self) -> &Client {
        &self.client
    }

    /// Sends the request `send` makes with [`client`](Self::client), checks that the expected
    /// request arrived and returns the answer's body: what each operation's test does with
    /// its one exchange.
    async fn call<'a, T, E, F>(
        &'a self,
        send: impl FnOnce(&'a Client) -> F,
    ) -> Result<T, Box<dyn std::error::Error>>
    where
        F: std::future::Future<Output = Result<ResponseValue<T>, Error<E>>>,
        E: std::fmt::Debug + 'static,
    {
        let answer = send(&self.client).await;
        self.assert().await;
        Ok(answer?.into_inner())
    }

    /// Checks that the expected request arrived (an unexpected one is answered 404 and does
    /// not count).
    async fn assert(&self) {
        Mock::new(self.mock, &self.server).assert_async().await;
    }
}

/// What every operation's request carries: this method and exact path, `Accept:
/// application/json`, and no `api-version` header (progenitor would add one; the generator
/// drops it).
fn request(when: When, method: Method, path: impl Into<String>) -> When {
    when.method(method)
        .path(path)
        .header("accept", "application/json")
        .header_missing("api-version")
}

/// Responds 200 with a JSON body.
fn json_ok(then: Then, body: impl AsRef<[u8]>) {
    reply(then, 200, JSON, body);
}

/// Responds `status` with `body` of this content type.
fn reply(then: Then, status: u16, content_type: &str, body: impl AsRef<[u8]>) -> Then {
    then.status(status)
        .header("content-type", content_type)
        .body(body)
}

/// Mounts `method path`, answering `status` with `body` of this content type: for the tests
/// of what comes back (what goes out is each operation's own test).
async fn answer<'a>(
    server: &'a MockServer,
    method: Method,
    path: impl Into<String>,
    status: u16,
    content_type: &str,
    body: impl AsRef<[u8]>,
) -> Mock<'a> {
    let (path, body) = (path.into(), body.as_ref().to_vec());
    server
        .mock_async(|when, then| {
            when.method(method).path(path);
            reply(then, status, content_type, body);
        })
        .await
}

/// The documented error answer a call ended with; panics with what it got otherwise.
fn error_response<T, E: std::fmt::Debug>(
    result: Result<ResponseValue<T>, Error<E>>,
) -> ResponseValue<E> {
    match result {
        Err(Error::ErrorResponse(error)) => error,
        other => panic!(
            "expected ErrorResponse, got {:?}",
            other.map(|r| r.status())
        ),
    }
}

/// The call ended with the documented error answer `status` of the data API, whose `meta`
/// holds `message`; returns the decoded error for further checks.
fn assert_api_error<T>(
    result: Result<ResponseValue<T>, Error<types::ApiError>>,
    status: u16,
    message: &str,
) -> types::ApiError {
    let error = error_response(result);
    assert_eq!(error.status(), status);
    let error = error.into_inner();
    assert_eq!(error.meta, Some(json!({ "message": message })));
    error
}

/// Sends `request` under a fresh context, checks that `mock` got it and that the context
/// recorded the answer's `status`; returns the call's result.
async fn send_recorded<T, E>(
    mock: &Mock<'_>,
    status: u16,
    request: impl std::future::Future<Output = Result<ResponseValue<T>, Error<E>>>,
) -> Result<ResponseValue<T>, Error<E>> {
    let (result, recorded) = with_context(CallContext::new(), request).await;
    mock.assert_async().await;
    assert_eq!(recorded, Some(status), "the status the context recorded");
    result
}

/// The call ended with an answer of `status` the spec does not declare; panics with what it
/// got otherwise.
fn unexpected_response<T, E: std::fmt::Debug>(
    result: Result<ResponseValue<T>, Error<E>>,
    status: u16,
) -> reqwest::Response {
    match result {
        Err(Error::UnexpectedResponse(response)) => {
            assert_eq!(response.status(), status);
            response
        }
        other => panic!(
            "expected UnexpectedResponse, got {:?}",
            other.map(|r| r.status())
        ),
    }
}

/// A client that sends its forms as `multipart/form-data`.
fn multipart_client(server: &MockServer) -> Client {
    client_with(
        server,
        Settings::new().with_form_encoding(FormEncoding::Multipart),
    )
}

/// A token request with these credentials.
fn token_request(client_id: &str, client_secret: &str) -> types::TokenRequest {
    types::TokenRequest {
        client_id: client_id.into(),
        client_secret: client_secret.into(),
        grant_type: types::TokenRequestGrantType::ClientCredentials,
    }
}

/// Matches when the query string holds exactly these pairs (no more, no fewer, no repeats).
fn exact_query(
    expected: &'static [(&'static str, &'static str)],
) -> impl Fn(&HttpMockRequest) -> bool + Send + Sync {
    move |req| sorted(req.query_params()) == owned(expected)
}

/// Matches when the urlencoded body holds exactly these fields.
fn exact_form(
    expected: &'static [(&'static str, &'static str)],
) -> impl Fn(&HttpMockRequest) -> bool + Send + Sync {
    move |req| sorted(form_pairs(req)) == owned(expected)
}

/// Matches when the header appears exactly once, with this value.
fn single_header(
    name: &'static str,
    value: &'static str,
) -> impl Fn(&HttpMockRequest) -> bool + Send + Sync {
    move |req| {
        let headers = req.headers();
        let values: Vec<_> = headers.get_all(name).iter().collect();
        values.len() == 1 && values[0] == value
    }
}
