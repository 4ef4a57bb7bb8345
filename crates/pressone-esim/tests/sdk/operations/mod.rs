//! Every operation of the client over real loopback HTTP: the request on the wire (method,
//! path, bracketed query names, headers, form or JSON body), the decoding of every documented
//! answer with the wire fixtures, and the normalized errors (401 after one refresh, 403 code
//! 89, 404, 400/422 validation with per-field messages, 422 business codes, 429).

mod account;
mod errors;
mod esims;
mod fidelity;
mod orders;
mod packages;
mod raw_hatch;
mod topups;
mod voice;

use std::time::Duration;

use chrono::{NaiveDate, TimeZone, Utc};
use httpmock::prelude::*;
use httpmock::{Method, Mock};
use pressone_esim::{
    ApnType, Balance, BusinessCode, Client, DataAllowance, DeviceOs, ErrorKind, EsimStatus,
    OperatorKind, OrderStatus, PackageKind, PackageType, PlanType, PricingModel, Remaining,
    RetryPolicy, SharingOption, SubscriptionStatus,
};
use serde_json::{Value, json};

use crate::common::*;

const ORDERS: &str = "/customer/v2/orders";
const VOICE: &str = "/api/third-party/partner";

fn sim_path(suffix: &str) -> String {
    format!("/customer/v2/sims/{ICCID}{suffix}")
}

/// Mounts `route` (an operation of the table, or `(method, path)`) answering `status` with the
/// JSON `body`, recording what it sees.
async fn record<'a>(
    server: &'a MockServer,
    route: impl Into<Route>,
    status: u16,
    body: impl Into<String>,
) -> (Mock<'a>, Recorder) {
    let Route { method, path, .. } = route.into();
    let recorder = Recorder::new();
    let body = body.into();
    let mock = server
        .mock_async(|when, then| {
            when.method(method).path(path);
            recorder.respond(then, status, body);
        })
        .await;
    (mock, recorder)
}

/// Mounts `route` answering with a wire fixture (its name, or its case of the route's
/// operation: `"429-rate-limit"`), with the status its name carries (429 there), recording
/// what it sees.
async fn serve_fixture<'a>(
    server: &'a MockServer,
    route: impl Into<Route>,
    name_or_case: &str,
) -> (Mock<'a>, Recorder) {
    let route = route.into();
    let name = route.fixture_name(name_or_case);
    record(server, route, fixture_status(&name), fixture(&name)).await
}

/// A server with a working token endpoint and `route` answering with the fixture `name` (as
/// [`serve_fixture`]); the recorder sees every request of that operation.
async fn fixture_server(route: impl Into<Route>, name_or_case: &str) -> (MockServer, Recorder) {
    let server = token_server().await;
    let (_, recorder) = serve_fixture(&server, route, name_or_case).await;
    (server, recorder)
}

/// Checks a read as it went out: the standard headers ([`assert_standard_headers`]), exactly
/// the query `expected` and no body.
fn assert_read(req: &httpmock::HttpMockRequest, expected: &[(&str, &str)]) {
    assert_standard_headers(req);
    assert_eq!(query(req), owned(expected), "query of {}", req.uri());
    assert!(
        req.body_ref().is_empty(),
        "a GET carries no body: {}",
        req.uri()
    );
}

/// Checks a list's two requests as they went out: the first, with every option set, with the
/// query `filtered`; the second, sent without options, with only the defaults `plain`.
fn assert_list_queries(recorder: &Recorder, filtered: &[(&str, &str)], plain: &[(&str, &str)]) {
    let requests = recorder.requests();
    assert_eq!(requests.len(), 2, "one list call with options, one without");
    assert_read(&requests[0], filtered);
    assert_read(&requests[1], plain);
}

/// Checks a form write as it went out: the standard headers, no query, and a urlencoded body
/// holding exactly the fields `expected`.
fn assert_form(req: &httpmock::HttpMockRequest, expected: &[(&str, &str)]) {
    assert_standard_headers(req);
    assert_eq!(query(req), vec![], "query of {}", req.uri());
    let content_type = header(req, "content-type");
    let urlencoded = "application/x-www-form-urlencoded";
    assert_eq!(content_type.as_deref(), Some(urlencoded), "{}", req.uri());
    assert_eq!(
        sorted(form_pairs(req)),
        owned(expected),
        "form of {}",
        req.uri()
    );
}

fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, s).unwrap()
}
