//! Shared test helpers: an in-process sandbox, the CLI command, snapshot filters, mocks.

use std::path::Path;
use std::process::Output;

use assert_cmd::Command;
use chrono::TimeZone;
use pressone_esim_sandbox::{Sandbox, SandboxConfig, SandboxHandle};
use tempfile::TempDir;

/// The secret the tests' sandboxes accept: distinctive, so that a leak is easy to find.
pub const SECRET: &str = "cli-test-secret-Zq8vX2";
/// The client id the tests' sandboxes accept.
pub const CLIENT_ID: &str = "cli-test-client";

/// Every environment variable the CLI reads.
pub const CLI_ENV: &[&str] = &[
    "PRESSONE_BASE_URL",
    "PRESSONE_PROFILE",
    "PRESSONE_CONFIG",
    "PRESSONE_SANDBOX",
    "PRESSONE_VOICE_API_KEY",
    "PRESSONE_COLOR",
    "PRESSONE_VERBOSE",
    "NO_COLOR",
    "PRESSONE_VOICE_BASE_URL",
    "PRESSONE_CLIENT_ID",
    "PRESSONE_CLIENT_SECRET",
    "PRESSONE_OUTPUT",
    "PRESSONE_TIMEOUT",
    "PRESSONE_NO_TOKEN_CACHE",
    "PRESSONE_CACHE_DIR",
    "PRESSONE_TOKEN_STORE",
    "COLUMNS",
];

/// The CLI binary with a clean environment: no PRESSONE_* variable, and HOME / XDG_CACHE_HOME
/// in a temporary directory so that nothing touches the real user cache.
///
/// `PRESSONE_ESIM_TEST_BIN` runs the suite against another build of the binary (e.g. an older
/// one, to see which tests fail on the old behaviour).
pub fn cli(home: &Path) -> Command {
    let bin = std::env::var_os("PRESSONE_ESIM_TEST_BIN").map_or_else(
        || env!("CARGO_BIN_EXE_pressone-esim").into(),
        std::path::PathBuf::from,
    );
    let mut cmd = Command::new(bin);
    for var in CLI_ENV {
        cmd.env_remove(var);
    }
    cmd.env("HOME", home)
        .env("XDG_CACHE_HOME", home.join("cache"))
        .env("XDG_CONFIG_HOME", home.join("config"))
        .current_dir(home)
        .timeout(std::time::Duration::from_secs(30));
    cmd
}

/// A sandbox served by its own runtime thread, with a frozen clock (reproducible timestamps)
/// and the tests' credentials; plus a temporary home for the CLI.
pub struct TestSandbox {
    pub handle: SandboxHandle,
    pub home: TempDir,
    // Serves the sandbox; dropped last (fields drop in order).
    _runtime: tokio::runtime::Runtime,
}

impl TestSandbox {
    pub fn start(seed: u64) -> Self {
        Self::with_config(Self::config(seed))
    }

    pub fn config(seed: u64) -> SandboxConfig {
        let start = chrono::Utc
            .with_ymd_and_hms(2025, 3, 14, 9, 26, 53)
            .single()
            .expect("a valid date");
        SandboxConfig::default()
            .seed(seed)
            .client_id(CLIENT_ID)
            .client_secret(SECRET)
            .start_time(start)
            .frozen_clock(true)
    }

    pub fn with_config(config: SandboxConfig) -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("a runtime");
        let handle = runtime
            .block_on(Sandbox::start(config))
            .expect("the sandbox starts");
        TestSandbox {
            handle,
            home: tempfile::tempdir().expect("a temp dir"),
            _runtime: runtime,
        }
    }

    /// The CLI pointed at this sandbox (token cache in the temporary home).
    pub fn cli(&self) -> Command {
        let mut cmd = cli(self.home.path());
        cmd.env("PRESSONE_BASE_URL", self.handle.base_url())
            .env("PRESSONE_CLIENT_ID", CLIENT_ID)
            .env("PRESSONE_CLIENT_SECRET", SECRET)
            .env("PRESSONE_CACHE_DIR", self.home.path().join("tokens"));
        cmd
    }

    /// Runs the CLI with these arguments; asserts success and returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let output = self.cli().args(args).output().expect("the CLI runs");
        assert_success(&output, args);
        String::from_utf8(output.stdout).expect("UTF-8 output")
    }

    /// Runs the CLI with `-o json` and these arguments; returns the parsed document and the
    /// text.
    pub fn json(&self, args: &[&str]) -> (serde_json::Value, String) {
        let mut all = vec!["-o", "json"];
        all.extend_from_slice(args);
        let text = self.ok(&all);
        let value = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{args:?}: stdout is not one JSON document ({e}):\n{text}"));
        (value, text)
    }

    /// Orders one eSIM of a package and returns its ICCID.
    pub fn order_esim(&self, package: &str) -> String {
        let (order, _) = self.json(&["orders", "create", "--package", package]);
        order["esims"][0]["iccid"]
            .as_str()
            .expect("an ICCID")
            .to_string()
    }

    /// The token the CLI cached on disk, if any.
    /// Asserts that `args` lists `count` items, and snapshots its JSON and its table as
    /// `<snapshot>_json` and `<snapshot>_table`; gives the JSON.
    pub fn assert_list(&self, args: &[&str], count: usize, snapshot: &str) -> serde_json::Value {
        let (json, text) = self.json(args);
        assert_eq!(json.as_array().map(Vec::len), Some(count), "{args:?}");
        crate::snap!(format!("{snapshot}_json"), text);
        crate::snap!(format!("{snapshot}_table"), self.ok(args));
        json
    }

    /// Asserts that `args` lists nothing (an empty JSON array) and that its table is the
    /// `snapshot` (the note of an empty list).
    pub fn assert_empty_list(&self, args: &[&str], snapshot: &str) {
        let (json, _) = self.json(args);
        assert_eq!(json, serde_json::Value::Array(vec![]), "{args:?}");
        crate::snap!(snapshot, self.ok(args));
    }

    pub fn cached_token(&self) -> Option<String> {
        let text = std::fs::read_to_string(self.home.path().join("tokens/tokens.json")).ok()?;
        let value: serde_json::Value = serde_json::from_str(&text).ok()?;
        value["entries"][0]["access_token"]
            .as_str()
            .map(str::to_string)
    }
}

pub fn assert_success(output: &Output, args: &[&str]) {
    assert!(
        output.status.success(),
        "{args:?} failed with {:?}\nstdout:\n{}\nstderr:\n{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Snapshot settings: the sandbox's address (an ephemeral port) is replaced.
pub fn settings() -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.add_filter(r"http://127\.0\.0\.1:\d+", "http://[sandbox]");
    // Signed, expiring links: the signature is the sandbox's business.
    settings.add_filter(r"\?expires=[^\s\x22]*", "?[signed]");
    // Generated order references carry the time and random digits.
    settings.add_filter(r"cli-\d{8}T\d{6}Z-[0-9a-f]{6}", "cli-[generated]");
    settings.set_prepend_module_to_snapshot(false);
    settings
}

/// Asserts a text snapshot under the filters of [`settings`].
#[macro_export]
macro_rules! snap {
    ($name:expr, $value:expr) => {
        $crate::support::settings().bind(|| insta::assert_snapshot!($name, $value))
    };
}

/// The token endpoint's success body, with this token.
pub fn token_body(token: &str) -> String {
    serde_json::json!({
        "data": {"token_type": "Bearer", "expires_in": 31_622_400, "access_token": token},
        "meta": {"message": "success"}
    })
    .to_string()
}

/// A balance body.
pub fn balance_body() -> String {
    serde_json::json!({
        "data": {"balances": {"name": "PressOne Credit", "availableBalance": {"amount": 1250.5, "currency": "USD"}}}
    })
    .to_string()
}

/// The CLI pointed at an HTTP mock server.
pub fn mock_cli(server: &httpmock::MockServer, home: &Path) -> Command {
    let mut cmd = cli(home);
    cmd.env("PRESSONE_BASE_URL", server.base_url())
        .env("PRESSONE_CLIENT_ID", CLIENT_ID)
        .env("PRESSONE_CLIENT_SECRET", SECRET)
        .env("PRESSONE_CACHE_DIR", home.join("tokens"));
    cmd
}

/// Mocks the token endpoint with this token.
pub fn mock_token<'a>(server: &'a httpmock::MockServer, token: &str) -> httpmock::Mock<'a> {
    let body = token_body(token);
    server.mock(|when, then| {
        when.method(httpmock::Method::POST)
            .path("/customer/v2/token");
        then.status(200)
            .header("content-type", "application/json")
            .body(body);
    })
}

/// A home for the CLI beside an HTTP mock of the API.
pub struct MockApi {
    pub home: TempDir,
    pub server: httpmock::MockServer,
}

impl MockApi {
    /// A fresh home and mock server, with nothing mocked yet.
    pub fn start() -> Self {
        Self {
            home: tempfile::tempdir().expect("a temp dir"),
            server: httpmock::MockServer::start(),
        }
    }

    /// A fresh home and mock server whose token endpoint gives `token`.
    pub fn with_token(token: &str) -> Self {
        let api = Self::start();
        mock_token(&api.server, token);
        api
    }

    /// The CLI pointed at the mock server, with the tests' credentials.
    pub fn cli(&self) -> Command {
        mock_cli(&self.server, self.home.path())
    }

    /// Mocks `method path` with this answer.
    pub fn answer(
        &self,
        method: httpmock::Method,
        path: &str,
        status: u16,
        headers: &[(&str, &str)],
        body: impl Into<String>,
    ) -> httpmock::Mock<'_> {
        let body = body.into();
        self.server.mock(|when, then| {
            when.method(method).path(path);
            let mut then = then.status(status);
            for (name, value) in headers {
                then = then.header(*name, *value);
            }
            then.body(body);
        })
    }

    /// Mocks every request with an empty 200 answer (to count that none is sent).
    pub fn catch_all(&self) -> httpmock::Mock<'_> {
        self.server.mock(|when, then| {
            when.any_request();
            then.status(200).body("{}");
        })
    }

    /// Mocks `GET /customer/v2/balance` with the API's `text/plain` balance answer.
    pub fn balance(&self) -> httpmock::Mock<'_> {
        let headers = [("content-type", "text/plain")];
        let path = "/customer/v2/balance";
        self.answer(httpmock::Method::GET, path, 200, &headers, balance_body())
    }

    /// Mocks `GET path` with the API's 429 answer, with this `Retry-After`.
    pub fn rate_limited(&self, path: &str, retry_after: &str) -> httpmock::Mock<'_> {
        let headers = [("Retry-After", retry_after), JSON];
        let body = r#"{"message":"Too Many Attempts."}"#;
        self.answer(httpmock::Method::GET, path, 429, &headers, body)
    }
}

/// The JSON content-type header.
pub const JSON: (&str, &str) = ("content-type", "application/json");

/// Runs `cmd`, asserts that it succeeded (`what` names the run in the failure) and gives its
/// output.
pub fn run_ok(cmd: &mut Command, what: &str) -> Output {
    let output = cmd.output().expect("the CLI runs");
    assert_success(&output, &[what]);
    output
}

/// The CLI pointed at a local port nothing listens on.
pub fn closed_port_cli(home: &Path) -> Command {
    let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("a port");
    let port = closed.local_addr().expect("an address").port();
    drop(closed);
    let mut cmd = cli(home);
    cmd.env("PRESSONE_BASE_URL", format!("http://127.0.0.1:{port}"))
        .env("PRESSONE_CLIENT_ID", "id")
        .env("PRESSONE_CLIENT_SECRET", "secret");
    cmd
}

/// `orders create --package <package> --description <description>`, after `before`.
pub fn create_order<'a>(
    before: &[&'a str],
    package: &'a str,
    description: &'a str,
) -> Vec<&'a str> {
    let create = [
        "orders",
        "create",
        "--package",
        package,
        "--description",
        description,
    ];
    [before, &create[..]].concat()
}

/// Asserts that `line` says the order with `reference` may have been carried out and how to
/// find it (`find` is the reference as the shell would quote it).
pub fn assert_may_have_ordered(line: &str, reference: &str, find: &str) {
    assert!(
        line.contains(&format!(
            "the order may have been carried out (reference {reference})"
        )) && line.contains(&format!("`pressone-esim orders find --description {find}`")),
        "{line}"
    );
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// One request the [`DroppingServer`] read.
#[derive(Clone, Debug)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    /// Header names in lower case.
    pub headers: Vec<(String, String)>,
    pub body: String,
}

/// A server that answers the token request, and reads every other request in full (as a
/// server that processes it would), records it, then closes the connection without answering.
pub struct DroppingServer {
    pub base_url: String,
    pub recorded: std::sync::Arc<std::sync::Mutex<Vec<Recorded>>>,
}

impl DroppingServer {
    pub fn start() -> Self {
        use std::io::{BufRead, BufReader, Read, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a port");
        let base_url = format!("http://{}", listener.local_addr().expect("an address"));
        let recorded = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let log = recorded.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let log = log.clone();
                std::thread::spawn(move || {
                    let Ok(read_half) = stream.try_clone() else {
                        return;
                    };
                    let mut reader = BufReader::new(read_half);
                    // Keep-alive: several requests may come on one connection.
                    loop {
                        let mut line = String::new();
                        if reader.read_line(&mut line).unwrap_or(0) == 0 {
                            return;
                        }
                        let mut parts = line.split_whitespace();
                        let method = parts.next().unwrap_or_default().to_string();
                        let path = parts.next().unwrap_or_default().to_string();
                        let mut length = 0usize;
                        let mut headers = Vec::new();
                        loop {
                            let mut header = String::new();
                            if reader.read_line(&mut header).unwrap_or(0) == 0 {
                                return;
                            }
                            let header = header.trim_end();
                            if header.is_empty() {
                                break;
                            }
                            if let Some((name, value)) = header.split_once(':') {
                                let name = name.trim().to_ascii_lowercase();
                                if name == "content-length" {
                                    length = value.trim().parse().unwrap_or(0);
                                }
                                headers.push((name, value.trim().to_string()));
                            }
                        }
                        let mut body = vec![0; length];
                        if reader.read_exact(&mut body).is_err() {
                            return;
                        }
                        if path.starts_with("/customer/v2/token") {
                            let body = token_body("tok-dropping");
                            let _ = write!(
                                stream,
                                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
                                body.len()
                            );
                            continue;
                        }
                        log.lock().expect("the log").push(Recorded {
                            method,
                            path,
                            headers,
                            body: String::from_utf8_lossy(&body).into_owned(),
                        });
                        let _ = stream.shutdown(std::net::Shutdown::Both);
                        return;
                    }
                });
            }
        });
        DroppingServer { base_url, recorded }
    }

    /// The CLI pointed at this server (data and voice API), tokens in memory.
    pub fn cli(&self, home: &Path) -> Command {
        let mut cmd = cli(home);
        cmd.env("PRESSONE_BASE_URL", &self.base_url)
            .env("PRESSONE_CLIENT_ID", CLIENT_ID)
            .env("PRESSONE_CLIENT_SECRET", SECRET)
            .env("PRESSONE_NO_TOKEN_CACHE", "1");
        cmd
    }

    /// Percent-decodes a query or form text (`+` is a space).
    pub fn decode(text: &str) -> String {
        let bytes = text.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'%' if i + 2 < bytes.len() => {
                    let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
                    match u8::from_str_radix(hex, 16) {
                        Ok(b) => {
                            out.push(b);
                            i += 3;
                            continue;
                        }
                        Err(_) => out.push(b'%'),
                    }
                }
                b'+' => out.push(b' '),
                b => out.push(b),
            }
            i += 1;
        }
        String::from_utf8_lossy(&out).into_owned()
    }

    pub fn recorded(&self) -> Vec<Recorded> {
        self.recorded.lock().expect("the log").clone()
    }
}

/// Total requests the sandbox received (every operation).
pub fn total_requests(sb: &TestSandbox) -> u64 {
    sb.handle.stats().requests.values().sum()
}
