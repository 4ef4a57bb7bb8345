//! Server lifecycle: [`Sandbox`], [`SandboxHandle`], the accept loop.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use chrono::{DateTime, Utc};
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use rust_decimal::Decimal;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tower::ServiceExt;

use crate::config::{FaultConfig, SandboxConfig};
use crate::control::{Snapshot, VoiceUserSnapshot};
use crate::esims::SimAction;
use crate::faults::DropConnection;
use crate::operation::Operation;
use crate::orders::OrderKind;
use crate::state::Stats;
use crate::web::{Shared, build_router};

/// Errors of the sandbox's Rust API (never of the HTTP API, which answers in its wire shapes).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SandboxError {
    /// Binding or reading the listener address failed.
    #[error("sandbox listener error: {0}")]
    Io(#[from] std::io::Error),
    /// No eSIM has this ICCID.
    #[error("unknown ICCID {0}")]
    UnknownIccid(String),
    /// The eSIM is not in a state that allows the control action.
    #[error("invalid eSIM state: {0}")]
    InvalidState(String),
    /// No voice user claimed a number with this e-mail.
    #[error("unknown voice user {0}")]
    UnknownVoiceUser(String),
    /// A [`FaultConfig`] failed validation.
    #[error("invalid fault configuration: {0}")]
    InvalidFaults(String),
}

/// Entry point: starts sandbox servers.
#[derive(Debug, Clone, Copy)]
pub struct Sandbox;

impl Sandbox {
    /// Starts a sandbox on `127.0.0.1` with an ephemeral port, in the current tokio runtime.
    pub async fn start(config: SandboxConfig) -> Result<SandboxHandle, SandboxError> {
        Self::bind(SocketAddr::from(([127, 0, 0, 1], 0)), config).await
    }

    /// Starts a sandbox on a fixed address (port 0 = ephemeral), in the current tokio runtime.
    pub async fn bind(
        addr: SocketAddr,
        config: SandboxConfig,
    ) -> Result<SandboxHandle, SandboxError> {
        let listener = TcpListener::bind(addr).await?;
        Self::serve(listener, config)
    }

    /// Serves a sandbox on an already bound listener.
    pub fn serve(
        listener: TcpListener,
        config: SandboxConfig,
    ) -> Result<SandboxHandle, SandboxError> {
        let addr = listener.local_addr()?;
        tracing::info!(%addr, seed = config.seed, "sandbox: listening");
        let shared = Arc::new(Shared::new(config));
        let router = build_router(shared.clone());
        let (tx, rx) = oneshot::channel();
        let task = tokio::spawn(accept_loop(listener, router, rx));
        Ok(SandboxHandle {
            addr,
            shared,
            shutdown: Some(tx),
            task: Some(task),
        })
    }
}

/// Builds the sandbox as a plain [`axum::Router`] (for embedding in another server or for
/// `tower` tests). Under a server other than the sandbox's own, an injected "drop" fault
/// aborts the response body instead of closing the connection before the headers.
pub fn router(config: SandboxConfig) -> Router {
    build_router(Arc::new(Shared::new(config)))
}

#[derive(Debug)]
struct Dropped;

impl std::fmt::Display for Dropped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("sandbox fault: connection dropped")
    }
}

impl std::error::Error for Dropped {}

async fn accept_loop(listener: TcpListener, router: Router, mut shutdown: oneshot::Receiver<()>) {
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    loop {
        tokio::select! {
            // Shutdown first: once asked to stop, no further connection is accepted.
            biased;
            _ = &mut shutdown => break,
            accepted = listener.accept() => {
                let stream = match accepted {
                    Ok((stream, _)) => stream,
                    Err(_) => {
                        // e.g. too many open files: back off instead of spinning.
                        tokio::time::sleep(Duration::from_millis(20)).await;
                        continue;
                    }
                };
                let _ = stream.set_nodelay(true);
                let router = router.clone();
                let service = hyper::service::service_fn(move |req: hyper::Request<Incoming>| {
                    let router = router.clone();
                    async move {
                        let resp = match router.oneshot(req.map(axum::body::Body::new)).await {
                            Ok(resp) => resp,
                            Err(never) => match never {},
                        };
                        if resp.extensions().get::<DropConnection>().is_some() {
                            // An error from the service makes hyper close the connection
                            // without writing a response.
                            return Err(Dropped);
                        }
                        Ok(resp)
                    }
                });
                let conn = hyper::server::conn::http1::Builder::new()
                    .keep_alive(true)
                    .serve_connection(TokioIo::new(stream), service);
                let conn = graceful.watch(conn);
                tokio::spawn(async move {
                    let _ = conn.await;
                });
            }
        }
    }
    drop(listener);
    let _ = tokio::time::timeout(Duration::from_secs(5), graceful.shutdown()).await;
}

/// A running sandbox. Dropping it (or calling [`SandboxHandle::shutdown`]) stops the server.
pub struct SandboxHandle {
    addr: SocketAddr,
    shared: Arc<Shared>,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for SandboxHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SandboxHandle")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

impl SandboxHandle {
    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Base URL of the data API, e.g. `http://127.0.0.1:41234` (the SDK appends
    /// `/customer/v2/...`).
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// URL of the console, the HTML page that shows what an integration did (orders, eSIMs,
    /// requests) and steers the sandbox, e.g. `http://127.0.0.1:41234/_sandbox/console`.
    pub fn console_url(&self) -> String {
        format!("{}/_sandbox/console", self.base_url())
    }

    /// Base URL of the voice API (the same server; the SDK appends `/api/third-party/partner/...`).
    pub fn voice_base_url(&self) -> String {
        self.base_url()
    }

    /// The accepted `client_id`.
    pub fn client_id(&self) -> &str {
        &self.shared.config.client_id
    }

    /// The accepted `client_secret`.
    pub fn client_secret(&self) -> &str {
        &self.shared.config.client_secret
    }

    /// Issues a valid access token directly (as `POST /customer/v2/token` would).
    pub fn issue_token(&self) -> String {
        self.shared.lock().issue_token(self.shared.config.token_ttl)
    }

    /// Invalidates every issued token.
    pub fn revoke_tokens(&self) {
        self.shared.lock().tokens.clear();
    }

    /// Request statistics per operation.
    pub fn stats(&self) -> Stats {
        self.shared.lock().stats.clone()
    }

    /// Requests received for one operation (including faulted and rejected ones).
    pub fn request_count(&self, op: Operation) -> u64 {
        self.shared.lock().stats.count(op)
    }

    /// The whole observable state.
    pub fn snapshot(&self) -> Snapshot {
        self.shared.snapshot()
    }

    /// Available balance (USD).
    pub fn balance(&self) -> Decimal {
        self.shared.lock().balance
    }

    /// Sets the available balance (USD).
    pub fn set_balance(&self, amount: Decimal) {
        self.shared.lock().balance = amount;
    }

    /// Number of eSIM orders (type `sim`) created.
    pub fn order_count(&self) -> usize {
        self.shared.lock().order_count(OrderKind::Sim)
    }

    /// Number of top-up orders created.
    pub fn topup_count(&self) -> usize {
        self.shared.lock().order_count(OrderKind::Topup)
    }

    /// Number of eSIMs created.
    pub fn esim_count(&self) -> usize {
        self.shared.lock().sims.len()
    }

    /// ICCIDs of every eSIM, oldest first.
    pub fn iccids(&self) -> Vec<String> {
        self.shared
            .lock()
            .sims
            .iter()
            .map(|s| s.iccid.clone())
            .collect()
    }

    /// Orders whose description contains `needle` (case-insensitive), as `(id, code)`.
    pub fn orders_with_description(&self, needle: &str) -> Vec<(u64, String)> {
        let needle = needle.to_lowercase();
        self.shared
            .lock()
            .orders
            .iter()
            .filter(|o| {
                o.placed
                    .description
                    .as_deref()
                    .is_some_and(|d| d.to_lowercase().contains(&needle))
            })
            .map(|o| (o.id, o.code()))
            .collect()
    }

    /// The active fault configuration.
    pub fn faults(&self) -> FaultConfig {
        self.shared.lock().faults.clone()
    }

    /// Replaces the fault configuration (validated, see [`FaultConfig::validate`]).
    pub fn set_faults(&self, faults: FaultConfig) -> Result<(), SandboxError> {
        faults.validate().map_err(SandboxError::InvalidFaults)?;
        self.shared.lock().faults = faults;
        Ok(())
    }

    /// Removes every configured fault.
    pub fn clear_faults(&self) {
        self.shared.lock().faults = FaultConfig::default();
    }

    /// Moves the sandbox clock forward (token expiry, rate windows, usage, eSIM expiry).
    pub fn advance_clock(&self, by: Duration) {
        self.shared.advance_clock(by);
    }

    /// The sandbox's current time.
    pub fn now(&self) -> DateTime<Utc> {
        self.shared.lock().now()
    }

    /// Activates a NOT_ACTIVE eSIM now (as if the end user installed it).
    pub fn activate(&self, iccid: &str) -> Result<(), SandboxError> {
        self.shared.sim_action(iccid, SimAction::Activate)
    }

    /// Expires every package of an eSIM now.
    pub fn expire(&self, iccid: &str) -> Result<(), SandboxError> {
        self.shared.sim_action(iccid, SimAction::Expire)
    }

    /// Recycles an eSIM (terminal: usage says RECYCLED, top-ups fail with code 73).
    pub fn recycle(&self, iccid: &str) -> Result<(), SandboxError> {
        self.shared.sim_action(iccid, SimAction::Recycle)
    }

    /// Every voice user with its subscription as the sandbox holds it, oldest first.
    pub fn voice_users(&self) -> Vec<VoiceUserSnapshot> {
        self.shared.voice_users()
    }

    /// Cancels the subscription of the voice user who claimed with `email` (as the end user
    /// or PressOne would); Renew number then refuses it with 403.
    pub fn cancel_voice_subscription(&self, email: &str) -> Result<(), SandboxError> {
        self.shared.cancel_voice_subscription(email)
    }

    /// Consumes data (MB), voice minutes and SMS on an ACTIVE eSIM.
    pub fn consume(
        &self,
        iccid: &str,
        data_mb: u64,
        voice_minutes: u32,
        sms: u32,
    ) -> Result<(), SandboxError> {
        self.shared.sim_action(
            iccid,
            SimAction::Consume {
                data_mb,
                voice_minutes,
                sms,
            },
        )
    }

    /// Stops accepting connections, lets in-flight requests finish (up to 5 s) and waits for the
    /// server task.
    pub async fn shutdown(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for SandboxHandle {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}
