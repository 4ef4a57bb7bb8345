//! Runtimes, clients and the concurrent-call driver shared by the bench binaries.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, Instant};

use crate::server::Server;

/// Worker threads of the client's runtime: the machine's cores (2 on CI).
pub fn client_threads() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get())
}

/// Worker threads of the loopback server's runtime. One: the server answers fixed bodies, and
/// every thread it has competes with the client's for the same cores.
pub const SERVER_THREADS: usize = 1;

/// The multi-threaded runtime the clients run on.
pub fn client_runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(client_threads())
        .thread_name("bench-client")
        .enable_all()
        .build()
        .expect("the client runtime starts")
}

/// An SDK client of `server` with the SDK's defaults (its own `reqwest::Client`, retries,
/// in-memory token cache). Sends nothing until called.
pub fn sdk_client(server: &Server) -> pressone_esim::Client {
    pressone_esim::Client::builder()
        .base_url(server.base_url())
        .credentials(crate::CLIENT_ID, crate::CLIENT_SECRET)
        .build()
        .expect("the SDK client builds")
}

/// Runs `total` calls of `call` spread over `concurrency` tasks (each takes the next call as
/// soon as its previous one is answered) and returns the wall time of the whole. Each task
/// gets its own clone of `state` (a client) once; `call` must not fail (it panics otherwise).
pub async fn spread<S, F, Fut>(concurrency: usize, total: u64, state: S, call: F) -> Duration
where
    S: Clone + Send + Sync + 'static,
    F: Fn(&S) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let remaining = Arc::new(AtomicI64::new(total as i64));
    let call = Arc::new(call);
    let started = Instant::now();
    let tasks: Vec<_> = (0..concurrency.max(1).min(total.max(1) as usize))
        .map(|_| {
            let (remaining, call, state) =
                (Arc::clone(&remaining), Arc::clone(&call), state.clone());
            tokio::spawn(async move {
                while remaining.fetch_sub(1, Ordering::Relaxed) > 0 {
                    call(&state).await;
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.expect("a bench task panicked");
    }
    started.elapsed()
}

/// [`spread`] from outside the runtime: the tasks run on `runtime`'s workers.
pub fn spread_on<S, F, Fut>(
    runtime: &tokio::runtime::Runtime,
    concurrency: usize,
    total: u64,
    state: S,
    call: F,
) -> Duration
where
    S: Clone + Send + Sync + 'static,
    F: Fn(&S) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    runtime
        .block_on(runtime.spawn(spread(concurrency, total, state, call)))
        .expect("the driver task panicked")
}

/// The SDK's usage call, as a shop would make it.
pub fn sdk_usage(client: &pressone_esim::Client) -> impl Future<Output = ()> + Send + use<> {
    let client = client.clone();
    async move {
        let usage = client
            .sims()
            .usage(crate::ICCID)
            .await
            .expect("the SDK usage call succeeds");
        std::hint::black_box(usage);
    }
}

/// The baseline's usage call.
pub fn baseline_usage(
    baseline: &Arc<crate::baseline::Baseline>,
) -> impl Future<Output = ()> + Send + use<> {
    let baseline = Arc::clone(baseline);
    async move {
        let usage = baseline
            .usage(crate::ICCID)
            .await
            .expect("the baseline usage call succeeds");
        std::hint::black_box(usage);
    }
}

/// A server with the small bodies, an authenticated SDK client and a baseline client with the
/// token, both with warm connections.
pub fn usage_setup(
    runtime: &tokio::runtime::Runtime,
) -> (
    Server,
    pressone_esim::Client,
    Arc<crate::baseline::Baseline>,
) {
    serve(runtime, crate::server::Bodies::small())
}

/// A server of `bodies` ([`SERVER_THREADS`] threads) and the [`clients`] of it.
pub fn serve(
    runtime: &tokio::runtime::Runtime,
    bodies: crate::server::Bodies,
) -> (
    Server,
    pressone_esim::Client,
    Arc<crate::baseline::Baseline>,
) {
    let server = Server::start(bodies, SERVER_THREADS);
    let (sdk, baseline) = clients(runtime, &server);
    (server, sdk, baseline)
}

/// An SDK client of `server`, already authenticated, and a baseline client with the token.
pub fn clients(
    runtime: &tokio::runtime::Runtime,
    server: &Server,
) -> (pressone_esim::Client, Arc<crate::baseline::Baseline>) {
    let sdk = sdk_client(server);
    runtime
        .block_on(sdk.authenticate())
        .expect("the SDK authenticates");
    let baseline = Arc::new(crate::baseline::Baseline::new(
        &server.base_url(),
        &crate::generate::token(),
    ));
    (sdk, baseline)
}

/// Waits (at most a second) until the process has no more open files than `limit`: the
/// connections of a dropped client close in the background, and the next measurement must not
/// pay for that. Without `/proc` (not Linux) it waits 200 ms.
pub fn settle(limit: usize) {
    let deadline = Instant::now() + Duration::from_secs(1);
    while Instant::now() < deadline {
        match std::fs::read_dir("/proc/self/fd").map(Iterator::count) {
            Ok(open) if open <= limit => return,
            Ok(_) => std::thread::sleep(Duration::from_millis(5)),
            Err(_) => {
                std::thread::sleep(Duration::from_millis(200));
                return;
            }
        }
    }
}

/// The number of open files of this process (0 without `/proc`).
pub fn open_files() -> usize {
    std::fs::read_dir("/proc/self/fd").map_or(0, Iterator::count)
}
