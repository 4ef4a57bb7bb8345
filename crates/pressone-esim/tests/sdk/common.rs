//! Helpers of the SDK's tests: client builders, httpmock mounts and request recorders. The
//! fixtures, token bodies, log capture and misbehaving servers are the workspace's test kit
//! (`pressone-esim-testkit`), re-exported here.
#![allow(dead_code)]

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use httpmock::prelude::*;
use httpmock::{Mock, Then, When};
/// The operation table (method and path of every operation, from the spec): tests mount
/// their answers where it says, the raw client's wire tests check it against the literal paths.
pub use pressone_esim::OperationId as Op;
use pressone_esim::{
    Client, ClientBuilder, Decimal, Error, ErrorKind, MemoryTokenStore, Page, RetryPolicy, Token,
    TokenKey,
};
use serde_json::Value;

pub use pressone_esim_testkit::raw_server::TOKEN_PATH;
pub use pressone_esim_testkit::*;

mod mounts;
pub use mounts::*;

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

/// The process-wide `tracing` subscriber of this test binary, at TRACE (also receiving `log`
/// records), writing into a buffer: every thread's records, every test's, from the first call
/// on. One global subscriber rather than per-test ones: a thread's own subscriber lost records
/// while another test installed this one.
pub fn trace_logs() -> &'static LogBuffer {
    static LOGS: std::sync::OnceLock<LogBuffer> = std::sync::OnceLock::new();
    LOGS.get_or_init(|| {
        let buffer = LogBuffer::default();
        tracing_subscriber::fmt()
            // Everything but the mock server's own records (which quote the requests).
            .with_env_filter(tracing_subscriber::EnvFilter::new("trace,httpmock=off"))
            .with_ansi(false)
            .with_writer(buffer.clone())
            .try_init()
            .expect("the only global subscriber");
        buffer
    })
}

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

/// Responds with a JSON body.
pub fn json(then: Then, status: u16, body: impl AsRef<[u8]>) -> Then {
    then.status(status)
        .header("content-type", "application/json")
        .body(body)
}

/// A call of the client whose answer is dropped (made with the `call!` macro).
pub type Call = fn(Client) -> futures::future::BoxFuture<'static, pressone_esim::Result<()>>;

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

/// Checks a read as it went out: the standard headers ([`assert_standard_headers`]), exactly
/// the query `expected` and no body.
pub fn assert_read(req: &HttpMockRequest, expected: &[(&str, &str)]) {
    assert_standard_headers(req);
    assert_eq!(query(req), owned(expected), "query of {}", req.uri());
    assert!(
        req.body_ref().is_empty(),
        "a GET carries no body: {}",
        req.uri()
    );
}

/// A list request made with a client, and the query it must send.
pub type ListRequest<'q, R> = (fn(&Client) -> R, &'q [(&'q str, &'q str)]);

/// Sends a list's two requests and checks them as they went out: `filtered`, with every
/// option set, then `plain`, without options (only the defaults in its query); returns the
/// filtered request's page.
pub async fn send_list_requests<T, F, P>(
    c: &Client,
    recorder: &Recorder,
    (filtered, filtered_query): ListRequest<'_, F>,
    (plain, plain_query): ListRequest<'_, P>,
) -> Page<T>
where
    F: std::future::IntoFuture<Output = pressone_esim::Result<Page<T>>>,
    P: std::future::IntoFuture<Output = pressone_esim::Result<Page<T>>>,
{
    let page = filtered(c).await.unwrap();
    plain(c).await.unwrap();
    let requests = recorder.requests();
    assert_eq!(requests.len(), 2, "one list call with options, one without");
    assert_read(&requests[0], filtered_query);
    assert_read(&requests[1], plain_query);
    page
}

/// Checks a form write as it went out: the standard headers, no query, and a urlencoded body
/// holding exactly the fields `expected`.
pub fn assert_form(req: &HttpMockRequest, expected: &[(&str, &str)]) {
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
