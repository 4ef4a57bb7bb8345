//! The loopback server: HTTP/1.1 with keep-alive (hyper), answering every route with a
//! pre-built body, on its own runtime and threads.
//!
//! Routes (the data API's paths; methods are not checked):
//!
//! | path | answer |
//! | --- | --- |
//! | `/customer/v2/token` | the token fixture; each hit is counted ([`Server::token_hits`]) |
//! | `/customer/v2/sims/{iccid}/usage` | [`Bodies::usage`] |
//! | `/customer/v2/packages` | [`Bodies::packages`]; with `page=P` and [`Bodies::package_pages`] set, page `P` of those, compressed with the first of [`Bodies::encoded_package_pages`] the request's `Accept-Encoding` names |
//! | `/customer/v2/orders?limit=L&page=P` | page `P` of [`Bodies::orders`] for page size `L` |
//!
//! Anything else answers 404 with an empty JSON object.

use std::collections::HashMap;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::{Body, Incoming};
use hyper::header::{CONTENT_TYPE, HeaderValue};
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;

/// The bodies the server answers with. Cloning a [`Bytes`] shares it: serving a body copies
/// nothing in the server's memory.
#[derive(Clone, Debug, Default)]
pub struct Bodies {
    /// `POST /customer/v2/token`.
    pub token: Bytes,
    /// `GET /customer/v2/sims/{iccid}/usage`.
    pub usage: Bytes,
    /// `GET /customer/v2/packages`.
    pub packages: Bytes,
    /// `GET /customer/v2/packages?page=P`: the catalogue's pages (page 1 first), if any.
    pub package_pages: Vec<Bytes>,
    /// The same pages compressed, by `Content-Encoding` name (`gzip`, `br`, `zstd`), in the
    /// server's order of preference: a request whose `Accept-Encoding` names one gets it.
    /// Compressed once, before the server starts: serving a page costs what a plain one does.
    pub encoded_package_pages: Vec<(&'static str, Vec<Bytes>)>,
    /// `GET /customer/v2/orders`: the pages (page 1 first) for each page size (`limit`).
    pub orders: HashMap<u32, Vec<Bytes>>,
}

impl Bodies {
    /// The token and usage fixtures; no catalogue, no orders.
    pub fn small() -> Bodies {
        Bodies {
            token: crate::generate::token_body(),
            usage: crate::generate::usage_body(),
            ..Bodies::default()
        }
    }

    /// The small bodies and a catalogue of one page, `body`.
    pub fn catalogue(body: Bytes) -> Bodies {
        Bodies {
            packages: body,
            ..Bodies::small()
        }
    }

    /// The small bodies and a catalogue of these pages (page 1 first).
    pub fn catalogue_pages(pages: Vec<Bytes>) -> Bodies {
        Bodies {
            package_pages: pages,
            ..Bodies::small()
        }
    }
}

/// The listen backlog (the kernel caps it at `net.core.somaxconn`).
const BACKLOG: u32 = 4096;

struct Shared {
    bodies: Bodies,
    token_hits: AtomicUsize,
    requests: AtomicUsize,
    body_bytes: AtomicUsize,
}

/// A running loopback server. Dropping it stops it.
pub struct Server {
    addr: SocketAddr,
    shared: Arc<Shared>,
    runtime: Option<tokio::runtime::Runtime>,
}

impl std::fmt::Debug for Server {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Server").field("addr", &self.addr).finish()
    }
}

/// The environment variable that gives the server's threads a nice value (e.g. `-15`).
///
/// On a machine where server and clients share the cores, the server's single thread can be
/// starved by the client workers, and the time per call then measures the CPU the client
/// takes from the server rather than the client's own cost (docs/benchmarks.md, "The
/// machine"). A higher priority for the server keeps it from waiting on the clients.
/// Unset: the default (nice 0 for every thread).
pub const SERVER_NICE_ENV: &str = "PRESSONE_BENCH_SERVER_NICE";

/// The nice value asked for with [`SERVER_NICE_ENV`], if any.
pub fn server_nice() -> Option<i32> {
    std::env::var(SERVER_NICE_ENV).ok()?.trim().parse().ok()
}

/// Applies [`server_nice`] to the calling thread (Linux: a nice value is per thread).
fn prioritize_this_thread() {
    let Some(nice) = server_nice() else { return };
    // SAFETY: `gettid` and `setpriority` take plain integers and touch no memory of ours.
    let failed = unsafe {
        let tid = libc::syscall(libc::SYS_gettid) as libc::id_t;
        libc::setpriority(libc::PRIO_PROCESS, tid, nice) != 0
    };
    if failed {
        eprintln!("{SERVER_NICE_ENV}={nice}: setpriority failed (a negative value needs root)");
    }
}

impl Server {
    /// Starts a server on `127.0.0.1` (a free port) with `threads` worker threads of its own.
    /// Its threads' allocations are not counted by [`crate::alloc::Counting`].
    pub fn start(bodies: Bodies, threads: usize) -> Server {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(threads.max(1))
            .thread_name("loopback-server")
            .on_thread_start(|| {
                crate::alloc::exclude_this_thread();
                prioritize_this_thread();
            })
            .enable_all()
            .build()
            .expect("the server runtime starts");
        let shared = Arc::new(Shared {
            bodies,
            token_hits: AtomicUsize::new(0),
            requests: AtomicUsize::new(0),
            body_bytes: AtomicUsize::new(0),
        });
        // A deep accept queue: 1,000 clients connecting at once must not overflow it (the
        // kernel would drop their handshakes and they would retry a second later).
        let listener = runtime
            .block_on(async {
                let socket = tokio::net::TcpSocket::new_v4()?;
                socket.bind(SocketAddr::from(([127, 0, 0, 1], 0)))?;
                socket.listen(BACKLOG)
            })
            .expect("a loopback port");
        let addr = listener.local_addr().expect("the bound address");
        let accept_shared = Arc::clone(&shared);
        runtime.spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                let _ = stream.set_nodelay(true);
                let shared = Arc::clone(&accept_shared);
                tokio::spawn(async move {
                    let service = hyper::service::service_fn(move |request| {
                        let shared = Arc::clone(&shared);
                        async move { Ok::<_, Infallible>(answer(&shared, request).await) }
                    });
                    let _ = hyper::server::conn::http1::Builder::new()
                        .keep_alive(true)
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        Server {
            addr,
            shared,
            runtime: Some(runtime),
        }
    }

    /// The base URL to configure clients with (`http://127.0.0.1:PORT`).
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// How many token requests arrived so far.
    pub fn token_hits(&self) -> usize {
        self.shared.token_hits.load(Ordering::SeqCst)
    }

    /// How many requests (of any route) arrived so far.
    pub fn requests(&self) -> usize {
        self.shared.requests.load(Ordering::SeqCst)
    }

    /// How many response body bytes (as sent: compressed when compressed) were served so far.
    pub fn body_bytes(&self) -> usize {
        self.shared.body_bytes.load(Ordering::SeqCst)
    }

    /// Sets the counters back to zero.
    pub fn reset_counters(&self) {
        self.shared.token_hits.store(0, Ordering::SeqCst);
        self.shared.requests.store(0, Ordering::SeqCst);
        self.shared.body_bytes.store(0, Ordering::SeqCst);
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

fn json(status: StatusCode, body: Bytes) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(body));
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

fn query_u32(query: &str, name: &str) -> Option<u32> {
    query.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=')?;
        (k == name).then(|| v.parse().ok()).flatten()
    })
}

async fn answer(shared: &Shared, request: Request<Incoming>) -> Response<Full<Bytes>> {
    shared.requests.fetch_add(1, Ordering::Relaxed);
    let uri = request.uri();
    let accept = request
        .headers()
        .get(hyper::header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let response = route(shared, uri.path(), uri.query().unwrap_or_default(), accept);
    if let Some(len) = response.body().size_hint().exact() {
        shared.body_bytes.fetch_add(len as usize, Ordering::Relaxed);
    }
    // Read the request body (the token form) so the connection stays reusable.
    if !request.body().is_end_stream() {
        let _ = request.into_body().collect().await;
    }
    response
}

/// Page `page` of the catalogue, compressed if the request accepts one of the encodings.
fn catalogue_page(bodies: &Bodies, page: u32, accept: &str) -> Option<Response<Full<Bytes>>> {
    let index = page.checked_sub(1)? as usize;
    let accepted = |name: &str| {
        accept
            .split(',')
            .any(|e| e.split(';').next().is_some_and(|e| e.trim() == name))
    };
    for (name, pages) in &bodies.encoded_package_pages {
        if accepted(name) {
            let mut response = json(StatusCode::OK, pages.get(index)?.clone());
            response.headers_mut().insert(
                hyper::header::CONTENT_ENCODING,
                HeaderValue::from_static(name),
            );
            return Some(response);
        }
    }
    Some(json(
        StatusCode::OK,
        bodies.package_pages.get(index)?.clone(),
    ))
}

fn route(shared: &Shared, path: &str, query: &str, accept: &str) -> Response<Full<Bytes>> {
    let bodies = &shared.bodies;
    let not_found = || json(StatusCode::NOT_FOUND, Bytes::from_static(b"{}"));
    match path {
        "/customer/v2/token" => {
            shared.token_hits.fetch_add(1, Ordering::SeqCst);
            json(StatusCode::OK, bodies.token.clone())
        }
        "/customer/v2/packages" if !bodies.package_pages.is_empty() => {
            let page = query_u32(query, "page").unwrap_or(1);
            catalogue_page(bodies, page, accept).unwrap_or_else(not_found)
        }
        "/customer/v2/packages" => json(StatusCode::OK, bodies.packages.clone()),
        "/customer/v2/orders" => {
            let limit = query_u32(query, "limit").unwrap_or(0);
            let page = query_u32(query, "page").unwrap_or(1).max(1);
            match bodies
                .orders
                .get(&limit)
                .and_then(|pages| pages.get(page as usize - 1))
            {
                Some(body) => json(StatusCode::OK, body.clone()),
                None => not_found(),
            }
        }
        p if p.starts_with("/customer/v2/sims/") && p.ends_with("/usage") => {
            json(StatusCode::OK, bodies.usage.clone())
        }
        _ => not_found(),
    }
}
