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
use httpmock::{HttpMockRequest, Method, Then, When};
use pressone_esim_raw::hooks::{CallContext, FormEncoding, Settings, with_context};
use pressone_esim_raw::types;
use pressone_esim_raw::wire::{IntOrString, Money};
use pressone_esim_raw::{Client, Error, ResponseValue};
use pressone_esim_testkit::{fixture, fixture_json, form_pairs, owned, sorted};
use reqwest::header::{ACCEPT_LANGUAGE, AUTHORIZATION, HeaderName, HeaderValue};
use rust_decimal::Decimal;
use serde_json::{Value, json};

type TestResult = Result<(), Box<dyn std::error::Error>>;

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
    then.status(200)
        .header("content-type", "application/json")
        .body(body);
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
