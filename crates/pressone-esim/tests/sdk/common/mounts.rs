//! Mounts: where the tests' loopback servers answer and with what. Routes come from the
//! operation table ([`Op`]) and fixtures are named after their operation ([`op_fixture`]), so a
//! test names an operation and a case, not a path and a file.

use std::time::Duration;

use httpmock::prelude::*;
use httpmock::{Method, Mock};

use super::*;

/// A loopback server whose token endpoint answers (see [`mount_token`]), for tests that need
/// no handle on the token mock.
pub async fn token_server() -> MockServer {
    let server = MockServer::start_async().await;
    mount_token(&server).await;
    server
}

/// Mounts the token endpoint for the test credentials, answering with the fixture.
pub async fn mount_token(server: &MockServer) -> Mock<'_> {
    mount_token_for(
        server,
        CLIENT_ID,
        CLIENT_SECRET,
        fixture("airalo.request-access-token.200.json"),
    )
    .await
}

/// Mounts the token endpoint for these credentials (checking the whole request on the wire),
/// answering 200 with `body`.
pub async fn mount_token_for<'a>(
    server: &'a MockServer,
    client_id: &str,
    client_secret: &str,
    body: String,
) -> Mock<'a> {
    let (id, secret) = (client_id.to_string(), client_secret.to_string());
    server
        .mock_async(move |when, then| {
            when.method(POST)
                .path(TOKEN_PATH)
                .header("content-type", "application/x-www-form-urlencoded")
                .header("accept", "application/json")
                .header("user-agent", USER_AGENT)
                .header_missing("authorization")
                .is_true(move |req| {
                    sorted(form_pairs(req))
                        == owned(&[
                            ("client_id", id.as_str()),
                            ("client_secret", secret.as_str()),
                            ("grant_type", "client_credentials"),
                        ])
                });
            json(then, 200, body);
        })
        .await
}

/// Mounts `method path` answering `status` with the JSON `body`.
pub async fn answer<'a>(
    server: &'a MockServer,
    method: Method,
    path: impl Into<String>,
    status: u16,
    body: impl AsRef<[u8]>,
) -> Mock<'a> {
    let (path, body) = (path.into(), body.as_ref().to_vec());
    server
        .mock_async(move |when, then| {
            when.method(method).path(path);
            json(then, status, body);
        })
        .await
}

/// The path of `op` from the operation table, `{iccid}` filled with [`ICCID`] and `{order_id}`
/// with 9666 (the order of the fixtures).
pub fn op_path(op: Op) -> String {
    op.path()
        .replace("{iccid}", ICCID)
        .replace("{order_id}", "9666")
}

/// Where a mock answers: an operation of the table (its method and [`op_path`]), or an explicit
/// `(method, path)` for a path the table does not name (another ICCID, a gateway prefix).
pub struct Route {
    pub method: Method,
    pub path: String,
    /// The operation, when the route is one of the table.
    pub op: Option<Op>,
}

impl Route {
    /// The fixture `name`, or, given a case of the route's operation (`"200"`,
    /// `"429-rate-limit"`), the name of that fixture ([`op_fixture`]).
    pub fn fixture_name(&self, name_or_case: &str) -> String {
        if name_or_case.ends_with(".json") {
            return name_or_case.to_string();
        }
        let op = self
            .op
            .unwrap_or_else(|| panic!("a fixture name for {}", self.path));
        op_fixture(op, name_or_case)
    }
}

impl From<Op> for Route {
    fn from(op: Op) -> Self {
        let (method, path) = (Method::from(op.method()), op_path(op));
        Route {
            method,
            path,
            op: Some(op),
        }
    }
}

impl From<(Method, &str)> for Route {
    fn from((method, path): (Method, &str)) -> Self {
        let path = path.to_string();
        Route {
            method,
            path,
            op: None,
        }
    }
}

impl From<(Method, &String)> for Route {
    fn from((method, path): (Method, &String)) -> Self {
        Route::from((method, path.as_str()))
    }
}

/// The name of `op`'s wire fixture for `case`: the fixtures are named after the operation,
/// `airalo.get-usage.429-rate-limit.json` is [`Op::GetUsage`]'s `"429-rate-limit"`.
pub fn op_fixture(op: Op, case: &str) -> String {
    format!("airalo.{}.{case}.json", op.as_str().replace('_', "-"))
}

/// Mounts `op` (method and path from the operation table, see [`op_path`]) answering
/// `status` with the JSON `body`.
pub async fn answer_op(
    server: &MockServer,
    op: Op,
    status: u16,
    body: impl AsRef<[u8]>,
) -> Mock<'_> {
    answer(server, Method::from(op.method()), op_path(op), status, body).await
}

/// Mounts `op` (see [`answer_op`]) answering with a wire fixture (its name, or its case of `op`
/// as [`Route::fixture_name`]), with the status its name carries.
pub async fn serve<'a>(server: &'a MockServer, op: Op, name_or_case: &str) -> Mock<'a> {
    let name = Route::from(op).fixture_name(name_or_case);
    answer_op(server, op, fixture_status(&name), fixture(&name)).await
}

/// As [`serve`], for requests carrying the headers of every authenticated call ([`authed`]).
pub async fn serve_authed<'a>(server: &'a MockServer, op: Op, name_or_case: &str) -> Mock<'a> {
    let name = Route::from(op).fixture_name(name_or_case);
    server
        .mock_async(|when, then| {
            authed(when.method(Method::from(op.method())).path(op_path(op)));
            json(then, fixture_status(&name), fixture(&name));
        })
        .await
}

/// The status a fixture's name carries: `airalo.get-usage.429-rate-limit.json` is a 429.
pub fn fixture_status(name: &str) -> u16 {
    name.rsplit('.')
        .nth(1)
        .and_then(|s| s.get(..3))
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("a status in the fixture name {name}"))
}

/// Mounts `op` answering 429 with its rate-limit fixture (`airalo.get-usage.429-rate-limit.json`
/// for [`Op::GetUsage`]) and this `Retry-After`.
pub async fn rate_limited<'a>(
    server: &'a MockServer,
    op: Op,
    retry_after: impl Into<String>,
) -> Mock<'a> {
    let name = op_fixture(op, "429-rate-limit");
    let retry_after = retry_after.into();
    server
        .mock_async(|when, then| {
            when.method(Method::from(op.method())).path(op_path(op));
            json(then, 429, fixture(&name)).header("retry-after", retry_after);
        })
        .await
}

/// Asks `server` for the usage (a retried read): it must succeed after `failures` answers of
/// `failing`, with one request to `ok`.
pub async fn assert_usage_recovers(
    server: &MockServer,
    failing: &Mock<'_>,
    failures: usize,
    ok: &Mock<'_>,
) {
    let usage = client(server).sims().usage(ICCID).await;
    usage.expect("the usage, after the failures");
    assert_eq!(
        calls(&[failing, ok]).await,
        [failures, 1],
        "failing, then ok"
    );
}

/// Mounts the usage endpoint answering the fixture to requests carrying `bearer`.
pub async fn mount_usage_for<'a>(server: &'a MockServer, bearer: &str) -> Mock<'a> {
    let bearer = format!("Bearer {bearer}");
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path(op_path(Op::GetUsage))
                .header("authorization", bearer)
                .header("user-agent", USER_AGENT);
            json(then, 200, fixture("airalo.get-usage.200.json"));
        })
        .await
}

/// Mounts the usage endpoint answering 401 to requests carrying `bearer`.
pub async fn refuse_usage_for<'a>(server: &'a MockServer, bearer: &str) -> Mock<'a> {
    refuse_usage_after(server, bearer, Duration::ZERO).await
}

/// Mounts the usage endpoint answering 401, after `delay`, to requests carrying `bearer`.
pub async fn refuse_usage_after<'a>(
    server: &'a MockServer,
    bearer: &str,
    delay: Duration,
) -> Mock<'a> {
    let bearer = format!("Bearer {bearer}");
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path(op_path(Op::GetUsage))
                .header("authorization", bearer);
            json(then, 401, UNAUTHENTICATED).delay(delay);
        })
        .await
}

/// The data API's answer to a refused token.
pub const UNAUTHENTICATED: &str = r#"{"data": [], "meta": {"message": "Unauthenticated."}}"#;

/// Mounts `op` answering a bare `status`: no body, no content type.
pub async fn bare(server: &MockServer, op: Op, status: u16) -> Mock<'_> {
    server
        .mock_async(|when, then| {
            when.method(Method::from(op.method())).path(op_path(op));
            then.status(status);
        })
        .await
}

/// Mounts a catch-all answering 500: a test that expects nothing to be sent checks that it
/// saw no request (with [`calls`]).
pub async fn catch_all(server: &MockServer) -> Mock<'_> {
    server
        .mock_async(|when, then| {
            when.any_request();
            then.status(500);
        })
        .await
}

/// Mounts `route` (an operation of the table, or `(method, path)`) answering `status` with the
/// JSON `body`, recording what it sees.
pub async fn record<'a>(
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
pub async fn serve_fixture<'a>(
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
pub async fn fixture_server(route: impl Into<Route>, name_or_case: &str) -> (MockServer, Recorder) {
    let server = token_server().await;
    let (_, recorder) = serve_fixture(&server, route, name_or_case).await;
    (server, recorder)
}
