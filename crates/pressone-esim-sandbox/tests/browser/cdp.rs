//! Headless Chromium (the Debian package) driven over the DevTools protocol: a websocket to
//! `--remote-debugging-port`, one page target attached in flattened mode.

use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::net::TcpStream;
use tokio::process::{Child, Command};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream, connect_async};

/// How long any one browser step may take before the test gives up with a clear message (a
/// guard against hanging, never an assertion on timing).
const STEP_LIMIT: Duration = Duration::from_secs(60);

const INSTALL_HINT: &str = "install the Debian package with `apt-get install -y chromium` \
     (.ci/run does), or point CHROMIUM at a Chromium binary";

/// The browser binary: `$CHROMIUM`, else the first of `chromium`, `chromium-browser`,
/// `google-chrome` on the `PATH`.
fn chromium_binary() -> PathBuf {
    if let Some(path) = std::env::var_os("CHROMIUM").filter(|p| !p.is_empty()) {
        return PathBuf::from(path);
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    for name in ["chromium", "chromium-browser", "google-chrome"] {
        for dir in std::env::split_paths(&path) {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return candidate;
            }
        }
    }
    panic!("the browser test needs Chromium and found none on the PATH: {INSTALL_HINT}");
}

pub struct Browser {
    child: Child,
    ws: WebSocketStream<MaybeTlsStream<TcpStream>>,
    session: String,
    next_id: u64,
    /// Events received while waiting for command results, oldest first.
    events: Vec<Value>,
    _profile: Profile,
}

impl Browser {
    /// Stops Chromium and waits for it to exit, then removes its profile (on drop).
    pub async fn close(mut self) {
        let _ = self.child.start_kill();
        let _ = step("exit", self.child.wait()).await;
    }
}

/// The throw-away profile directory, removed when the browser goes.
struct Profile(PathBuf);

impl Drop for Profile {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

async fn step<T>(what: &str, fut: impl std::future::Future<Output = T>) -> T {
    match tokio::time::timeout(STEP_LIMIT, fut).await {
        Ok(v) => v,
        Err(_) => panic!("Chromium did not finish `{what}` within {STEP_LIMIT:?}"),
    }
}

impl Browser {
    /// Starts headless Chromium and attaches to a blank page. Panics with what went wrong and
    /// how to install Chromium when it cannot start.
    pub async fn start(width: u32, height: u32) -> Browser {
        let binary = chromium_binary();
        // One fixed place under target/tmp; a run that failed may have left it behind.
        let profile = Profile(PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("chromium-profile"));
        let _ = std::fs::remove_dir_all(&profile.0);
        let mut child = Command::new(&binary)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-extensions",
                "--remote-debugging-address=127.0.0.1",
                "--remote-debugging-port=0",
                &format!("--window-size={width},{height}"),
                &format!("--user-data-dir={}", profile.0.display()),
                "about:blank",
            ])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .unwrap_or_else(|e| {
                panic!(
                    "could not start Chromium ({}): {e}; {INSTALL_HINT}",
                    binary.display()
                )
            });
        let stderr = child.stderr.take().expect("Chromium's stderr");
        let mut lines = BufReader::new(stderr).lines();
        let mut seen = Vec::new();
        let ws_url = step("start", async {
            while let Ok(Some(line)) = lines.next_line().await {
                if let Some(url) = line.split("DevTools listening on ").nth(1) {
                    return url.trim().to_string();
                }
                seen.push(line);
            }
            panic!(
                "Chromium ({}) exited before opening its DevTools port; its output:\n{}\n{INSTALL_HINT}",
                binary.display(),
                seen.join("\n")
            );
        })
        .await;
        // Keep draining stderr so Chromium never blocks on a full pipe.
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        let (ws, _) = step("connect", connect_async(ws_url.as_str()))
            .await
            .expect("DevTools websocket");
        let mut browser = Browser {
            child,
            ws,
            session: String::new(),
            next_id: 0,
            events: Vec::new(),
            _profile: profile,
        };
        let target = browser
            .call("Target.createTarget", json!({"url": "about:blank"}))
            .await;
        let attached = browser
            .call(
                "Target.attachToTarget",
                json!({"targetId": target["targetId"], "flatten": true}),
            )
            .await;
        browser.session = attached["sessionId"]
            .as_str()
            .expect("sessionId")
            .to_string();
        browser.call("Page.enable", json!({})).await;
        browser.call("Runtime.enable", json!({})).await;
        browser
    }

    async fn next_message(&mut self) -> Value {
        loop {
            match self.ws.next().await {
                Some(Ok(Message::Text(text))) => {
                    return serde_json::from_str(text.as_str()).expect("DevTools JSON");
                }
                Some(Ok(_)) => continue,
                Some(Err(e)) => panic!("DevTools websocket error: {e}"),
                None => panic!("Chromium closed the DevTools websocket"),
            }
        }
    }

    /// Sends a command (to the page once attached) and returns its result.
    pub async fn call(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        let mut msg = json!({"id": id, "method": method, "params": params});
        if !self.session.is_empty() {
            msg["sessionId"] = json!(self.session);
        }
        step(method, async {
            self.ws
                .send(Message::Text(msg.to_string().into()))
                .await
                .expect("send to DevTools");
            loop {
                let m = self.next_message().await;
                if m["id"] == id {
                    if let Some(err) = m.get("error") {
                        panic!("DevTools {method} failed: {err}");
                    }
                    return m["result"].clone();
                }
                self.events.push(m);
            }
        })
        .await
    }

    /// Forgets the events received so far.
    pub fn clear_events(&mut self) {
        self.events.clear();
    }

    /// Whether an event of this name arrived (since the last `clear_events`).
    pub fn saw_event(&self, method: &str) -> bool {
        self.events.iter().any(|e| e["method"] == method)
    }

    /// Waits for the next event of this name (or takes one already received).
    pub async fn wait_event(&mut self, method: &str) -> Value {
        if let Some(i) = self.events.iter().position(|e| e["method"] == method) {
            return self.events.remove(i);
        }
        step(method, async {
            loop {
                let m = self.next_message().await;
                if m["method"] == method {
                    return m;
                }
                self.events.push(m);
            }
        })
        .await
    }

    /// Loads `url` and waits for its load event.
    pub async fn navigate(&mut self, url: &str) {
        self.clear_events();
        self.call("Page.navigate", json!({"url": url})).await;
        self.wait_event("Page.loadEventFired").await;
    }

    /// Evaluates a JavaScript expression in the page and returns its value.
    pub async fn eval(&mut self, expression: &str) -> Value {
        let r = self
            .call(
                "Runtime.evaluate",
                json!({"expression": expression, "returnByValue": true}),
            )
            .await;
        if let Some(ex) = r.get("exceptionDetails") {
            panic!("`{expression}` threw: {ex}");
        }
        r["result"]["value"].clone()
    }

    /// A PNG screenshot of the page, or of `clip` (`{x,y,width,height,scale}`) when given.
    pub async fn screenshot(&mut self, clip: Option<Value>) -> Vec<u8> {
        use base64::Engine;
        let mut params = json!({"format": "png", "captureBeyondViewport": true});
        if let Some(clip) = clip {
            params["clip"] = clip;
        }
        let r = self.call("Page.captureScreenshot", params).await;
        let data = r["data"].as_str().expect("screenshot data");
        base64::engine::general_purpose::STANDARD
            .decode(data)
            .expect("base64 PNG")
    }
}
