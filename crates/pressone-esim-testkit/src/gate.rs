//! A proxy that can hold every request until the test opens it: "all calls are in flight" by
//! construction, not by timing.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Notify, watch};

use crate::raw_server::read_request;

/// An HTTP/1.1 proxy on loopback in front of `upstream`. Open, it forwards each request as it
/// comes; [closed](Self::close), it reads each request whole and holds it (counted) until
/// [`open`](Self::open), then forwards every held request at once. Each request goes upstream
/// on a connection of its own, dropped after the answer; the client's connection is kept.
pub struct GatedProxy {
    /// The proxy's base URL.
    pub url: String,
    open: watch::Sender<bool>,
    held: Arc<AtomicUsize>,
    arrived: Arc<Notify>,
    forwarded: Arc<AtomicUsize>,
}

impl GatedProxy {
    /// Starts an open proxy to `upstream` (`http://host:port`).
    pub async fn start(upstream: &str) -> Self {
        let upstream = upstream
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .to_string();
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        let (open, gate) = watch::channel(true);
        let held = Arc::new(AtomicUsize::new(0));
        let arrived = Arc::new(Notify::new());
        let forwarded = Arc::new(AtomicUsize::new(0));
        let (h, a, f) = (
            Arc::clone(&held),
            Arc::clone(&arrived),
            Arc::clone(&forwarded),
        );
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                let (gate, upstream) = (gate.clone(), upstream.clone());
                let (h, a, f) = (Arc::clone(&h), Arc::clone(&a), Arc::clone(&f));
                tokio::spawn(relay(socket, upstream, gate, h, a, f));
            }
        });
        GatedProxy {
            url,
            open,
            held,
            arrived,
            forwarded,
        }
    }

    /// Holds every request that arrives from now on.
    pub fn close(&self) {
        self.open.send_replace(false);
    }

    /// Forwards every held request, and every later one as it comes.
    pub fn open(&self) {
        self.open.send_replace(true);
    }

    /// Requests held since the proxy was started (released ones included).
    pub fn held(&self) -> usize {
        self.held.load(Ordering::SeqCst)
    }

    /// Requests forwarded upstream.
    pub fn forwarded(&self) -> usize {
        self.forwarded.load(Ordering::SeqCst)
    }

    /// Waits until `n` requests have been held.
    pub async fn wait_held(&self, n: usize) {
        loop {
            let notified = self.arrived.notified();
            if self.held() >= n {
                return;
            }
            notified.await;
        }
    }
}

async fn relay(
    mut client: TcpStream,
    upstream: String,
    mut gate: watch::Receiver<bool>,
    held: Arc<AtomicUsize>,
    arrived: Arc<Notify>,
    forwarded: Arc<AtomicUsize>,
) {
    // The client may send several requests on one connection (keep-alive): each is answered
    // in turn, over a new upstream connection of its own.
    while let Some(request) = read_request(&mut client).await {
        if !*gate.borrow_and_update() {
            held.fetch_add(1, Ordering::SeqCst);
            arrived.notify_waiters();
            if gate.wait_for(|open| *open).await.is_err() {
                return;
            }
        }
        let Ok(mut server) = TcpStream::connect(&upstream).await else {
            return;
        };
        forwarded.fetch_add(1, Ordering::SeqCst);
        // Head and body in one write, as a client sends a small request: a server that
        // answers after the head must not find the body arriving later, unread.
        let mut bytes = format!("{}\r\n\r\n", request.head).into_bytes();
        bytes.extend_from_slice(&request.body);
        if server.write_all(&bytes).await.is_err() {
            return;
        }
        // The answer is read to its end as framed (not to the connection's close: a server
        // that answers without reading the body and then closes would reset the connection).
        let Some(answer) = read_response(&mut server).await else {
            return;
        };
        if client.write_all(&answer).await.is_err() {
            return;
        }
    }
}

/// Reads one whole response (head, then a `content-length` or chunked body).
async fn read_response(socket: &mut TcpStream) -> Option<Vec<u8>> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    let end = loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break end + 4;
        }
        let n = socket.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
    let header = |name: &str| {
        head.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            (k.trim() == name).then(|| v.trim().to_string())
        })
    };
    let chunked = header("transfer-encoding").is_some_and(|v| v.contains("chunked"));
    let length = header("content-length").and_then(|v| v.parse::<usize>().ok());
    loop {
        let complete = if chunked {
            buf[end..].ends_with(b"0\r\n\r\n")
        } else {
            buf.len() >= end + length.unwrap_or(0)
        };
        if complete {
            return Some(buf);
        }
        let n = socket.read(&mut chunk).await.ok()?;
        if n == 0 {
            // Closed: the body ends here (a body framed by the connection's end).
            return Some(buf);
        }
        buf.extend_from_slice(&chunk[..n]);
    }
}
