//! Helpers of the SDK's tests: client builders, httpmock mounts and request recorders. The
//! fixtures, token bodies, log capture and misbehaving servers are the workspace's test kit
//! (`pressone-esim-testkit`), re-exported here.
#![allow(dead_code)]

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use httpmock::prelude::*;
use httpmock::{Method, Mock, Then, When};
/// The operation table (method and path of every operation, from the spec): tests mount
/// their answers where it says, the raw client's wire tests check it against the literal paths.
pub use pressone_esim::OperationId as Op;
use pressone_esim::{
    Client, ClientBuilder, Decimal, Error, ErrorKind, MemoryTokenStore, RetryPolicy, Token,
    TokenKey,
};
use serde_json::Value;

pub use pressone_esim_testkit::raw_server::TOKEN_PATH;
pub use pressone_esim_testkit::*;

/// The access token of `airalo.request-access-token.200.json`.
pub const TOKEN: &str = "<access token>";
/// The `Authorization` header carrying [`TOKEN`].
pub const BEARER: &str = "Bearer <access token>";
pub const CLIENT_ID: &str = "id";
pub const CLIENT_SECRET: &str = "secret";
pub const USER_AGENT: &str = concat!("pressone-esim/", env!("CARGO_PKG_VERSION"));
pub const ICCID: &str = "8944465400000267221";
/// The package of the order fixtures.
pub const PACKAGE: &str = "kallur-digital-7days-1gb";

pub fn dec(s: &str) -> Decimal {
    s.parse().expect("decimal literal")
}

/// Retries without jitter and with short back-offs.
pub fn fast_retry() -> RetryPolicy {
    RetryPolicy::default()
        .jitter(false)
        .initial_backoff(Duration::from_millis(10))
}

/// A builder for `server` with the test credentials, a short timeout and fast retries.
pub fn builder(server: &MockServer) -> ClientBuilder {
    builder_for(&server.base_url())
}

pub fn builder_for(base_url: &str) -> ClientBuilder {
    Client::builder()
        .base_url(base_url)
        .credentials(CLIENT_ID, CLIENT_SECRET)
        .request_timeout(Duration::from_secs(5))
        .retry_policy(fast_retry())
}

pub fn client(server: &MockServer) -> Client {
    builder(server).build().expect("client builds")
}

/// A client of `server` with these credentials (a tenant of its own).
pub fn tenant(server: &MockServer, client_id: &str, client_secret: &str) -> Client {
    builder(server)
        .credentials(client_id, client_secret)
        .build()
        .expect("client builds")
}

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

/// Responds with a JSON body.
pub fn json(then: Then, status: u16, body: impl AsRef<[u8]>) -> Then {
    then.status(status)
        .header("content-type", "application/json")
        .body(body)
}

/// A call of the client whose answer is dropped (made with the `call!` macro).
pub type Call = fn(Client) -> futures::future::BoxFuture<'static, pressone_esim::Result<()>>;

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

/// The headers every authenticated data-API call carries.
pub fn authed(when: When) -> When {
    when.header("accept", "application/json")
        .header("authorization", BEARER)
        .header("user-agent", USER_AGENT)
}

/// The query pairs of a request, sorted.
pub fn query(req: &HttpMockRequest) -> Vec<(String, String)> {
    sorted(req.query_params())
}

/// One header of a recorded request (the first value), if present.
pub fn header(req: &HttpMockRequest, name: &str) -> Option<String> {
    req.headers_vec()
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.clone())
}

/// The text fields of a `multipart/form-data` request, in order; `None` when the request is
/// not multipart.
pub fn multipart_fields(req: &HttpMockRequest) -> Option<Vec<(String, String)>> {
    let content_type = header(req, "content-type")?;
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")?
        .trim_matches('"')
        .to_string();
    let body = String::from_utf8(req.body_vec()).ok()?;
    let delimiter = format!("--{boundary}");
    let mut fields = Vec::new();
    for part in body.split(&delimiter).skip(1) {
        if part.starts_with("--") {
            break;
        }
        let part = part.strip_prefix("\r\n")?;
        let (head, value) = part.split_once("\r\n\r\n")?;
        let name = head.split("name=\"").nth(1)?.split('"').next()?.to_string();
        fields.push((name, value.strip_suffix("\r\n")?.to_string()));
    }
    Some(fields)
}

/// Requests seen by a mock that answers through [`Recorder::respond`].
#[derive(Clone, Default)]
pub struct Recorder(Arc<Mutex<Vec<HttpMockRequest>>>);

impl Recorder {
    pub fn new() -> Self {
        Self::default()
    }

    /// Records each request and answers with `status` and the JSON `body`.
    pub fn respond(&self, then: Then, status: u16, body: impl Into<String>) -> Then {
        self.respond_as(then, status, "application/json", body)
    }

    /// Records each request and answers with `status` and `body` of this content type.
    pub fn respond_as(
        &self,
        then: Then,
        status: u16,
        content_type: &str,
        body: impl Into<String>,
    ) -> Then {
        let seen = Arc::clone(&self.0);
        let body = body.into();
        let content_type = content_type.to_string();
        then.respond_with(move |req| {
            seen.lock().unwrap().push(req.clone());
            HttpMockResponse::builder()
                .status(status)
                .header("content-type", content_type.clone())
                .body(body.clone())
                .build()
        })
    }

    pub fn requests(&self) -> Vec<HttpMockRequest> {
        self.0.lock().unwrap().clone()
    }

    /// The only request seen (panics unless exactly one was).
    pub fn single(&self) -> HttpMockRequest {
        let requests = self.requests();
        assert_eq!(requests.len(), 1, "expected exactly one request");
        requests.into_iter().next().unwrap()
    }
}

/// Checks the headers every authenticated call must carry.
pub fn assert_standard_headers(req: &HttpMockRequest) {
    assert_eq!(
        header(req, "accept").as_deref(),
        Some("application/json"),
        "Accept of {}",
        req.uri()
    );
    assert_eq!(
        header(req, "authorization").as_deref(),
        Some(BEARER),
        "Authorization of {}",
        req.uri()
    );
    assert_eq!(
        header(req, "user-agent").as_deref(),
        Some(USER_AGENT),
        "User-Agent of {}",
        req.uri()
    );
    assert!(
        header(req, "api-version").is_none(),
        "the generator's api-version header leaks into {}",
        req.uri()
    );
}

/// A memory token store that already holds `token` for this base URL and the test client id,
/// so that no token request is needed.
pub fn preloaded_store(base_url: &str, token: &str) -> Arc<MemoryTokenStore> {
    let store = Arc::new(MemoryTokenStore::new());
    let key = TokenKey::new(base_url.trim_end_matches('/'), CLIENT_ID, CLIENT_SECRET);
    let now = SystemTime::now();
    store.save(
        &key,
        &Token::new(token, now, now + Duration::from_secs(3600)),
    );
    store
}

/// Unwraps an error, with the value in the panic message otherwise.
pub fn expect_err<T: std::fmt::Debug>(result: Result<T, Error>) -> Error {
    match result {
        Ok(v) => panic!("expected an error, got {v:?}"),
        Err(e) => e,
    }
}

/// The field messages of a validation error.
pub fn field_messages(err: &Error) -> Vec<(String, String)> {
    match err.kind() {
        ErrorKind::Validation { fields } => sorted(
            fields
                .iter()
                .map(|f| (f.field.clone(), f.message.clone()))
                .collect(),
        ),
        other => panic!("expected a validation error, got {other:?} ({err})"),
    }
}

/// Mounts the order list for authenticated requests ([`authed`]) whose query holds (at least)
/// the pairs `query`, answering 200 with `body` (an [`orders_page`]).
pub async fn mount_orders<'a>(
    server: &'a MockServer,
    query: &[(&str, &str)],
    body: String,
) -> Mock<'a> {
    let query = owned(query);
    server
        .mock_async(|when, then| {
            let mut when = authed(when.method(GET).path(op_path(Op::GetOrderList)));
            for (name, value) in query {
                when = when.query_param(name, value);
            }
            json(then, 200, body);
        })
        .await
}

/// One page of the order list in the fixture's shape: `(id, description)` per order, Laravel
/// `meta`/`links` saying page `current` of `last`.
pub fn orders_page(orders: &[(i64, Option<&str>)], current: u32, last: u32) -> String {
    let mut body = fixture_json("airalo.get-order-list.200.json");
    let template = body["data"][0].clone();
    body["data"] = Value::Array(
        orders
            .iter()
            .map(|(id, description)| {
                let mut o = template.clone();
                o["id"] = serde_json::json!(id);
                o["code"] = serde_json::json!(format!("20230227-{id:06}"));
                o["description"] = serde_json::json!(description);
                o
            })
            .collect(),
    );
    body["meta"]["current_page"] = serde_json::json!(current);
    body["meta"]["last_page"] = serde_json::json!(last);
    body["meta"]["total"] = serde_json::json!(orders.len());
    body["links"]["next"] = if current < last {
        serde_json::json!(format!(
            "https://api.example.com/customer/v2/orders?page={}",
            current + 1
        ))
    } else {
        Value::Null
    };
    body.to_string()
}
