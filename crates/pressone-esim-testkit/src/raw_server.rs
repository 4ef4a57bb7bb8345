//! A raw HTTP/1.1 server on loopback whose answers can break in every way a network or a proxy
//! breaks them (reset mid-body, cut short, never answering, stalling, trickling).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use crate::fixtures::token_body;

/// The data API's token path.
pub const TOKEN_PATH: &str = "/customer/v2/token";

/// How the raw server answers one request.
#[derive(Clone, Debug)]
pub enum Reply {
    /// A complete response (`content-length` is the body's; no content type when `None`).
    Full {
        /// The status.
        status: u16,
        /// The `content-type` header, if any.
        content_type: Option<&'static str>,
        /// More headers.
        headers: Vec<(&'static str, String)>,
        /// The body.
        body: Vec<u8>,
    },
    /// `200`, a `content-length` of the whole body, half of it, then a TCP reset.
    ResetMidBody {
        /// The whole body, of which half is sent.
        body: Vec<u8>,
    },
    /// `200`, a `content-length` of the whole body, half of it, then a clean close (FIN): the
    /// body ends before its announced length.
    CloseMidBody {
        /// The whole body, of which half is sent.
        body: Vec<u8>,
    },
    /// Reads the request and never writes a byte (holds the connection open).
    NeverAnswer,
    /// Sends the status line and headers (with a `content-length`), then nothing.
    HeadersThenStall {
        /// The status sent.
        status: u16,
    },
    /// `200` with a chunked body that sends one byte every 50 ms, forever.
    Trickle,
    /// Waits, then answers as the inner reply.
    Slow(Duration, Box<Reply>),
}

impl Reply {
    /// A complete JSON answer.
    pub fn json(status: u16, body: impl Into<Vec<u8>>) -> Reply {
        Reply::Full {
            status,
            content_type: Some("application/json"),
            headers: Vec::new(),
            body: body.into(),
        }
    }

    /// A complete answer of this content type.
    pub fn typed(status: u16, content_type: &'static str, body: impl Into<Vec<u8>>) -> Reply {
        Reply::Full {
            status,
            content_type: Some(content_type),
            headers: Vec::new(),
            body: body.into(),
        }
    }

    /// The token endpoint answering a valid `token`.
    pub fn token(token: &str) -> Reply {
        Reply::json(200, token_body(token))
    }
}

type Route = dyn Fn(&str, &str) -> Reply + Send + Sync;

/// An HTTP/1.1 server on 127.0.0.1 that answers each request (one per connection) as `route`
/// says for its method and path, and counts the requests it read completely.
pub struct RawServer {
    /// The server's base URL.
    pub url: String,
    seen: Arc<Mutex<HashMap<String, usize>>>,
    requests: Arc<Mutex<Vec<Request>>>,
}

impl RawServer {
    /// Starts the server on a free loopback port.
    pub async fn start(route: impl Fn(&str, &str) -> Reply + Send + Sync + 'static) -> RawServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        let seen = Arc::new(Mutex::new(HashMap::new()));
        let requests = Arc::new(Mutex::new(Vec::new()));
        let route: Arc<Route> = Arc::new(route);
        let (counter, recorder) = (Arc::clone(&seen), Arc::clone(&requests));
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                let route = Arc::clone(&route);
                let (counter, recorder) = (Arc::clone(&counter), Arc::clone(&recorder));
                tokio::spawn(serve(socket, route, counter, recorder));
            }
        });
        RawServer {
            url,
            seen,
            requests,
        }
    }

    /// Every request read, in order.
    pub fn requests(&self) -> Vec<Request> {
        self.requests
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Requests read for `method path` (path without query).
    pub fn hits(&self, method: &str, path: &str) -> usize {
        let key = format!("{method} {path}");
        self.seen
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&key)
            .copied()
            .unwrap_or(0)
    }

    /// Token requests read.
    pub fn token_hits(&self) -> usize {
        self.hits("POST", TOKEN_PATH)
    }

    /// Every request read.
    pub fn total(&self) -> usize {
        self.seen
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .values()
            .sum()
    }
}

async fn serve(
    mut socket: TcpStream,
    route: Arc<Route>,
    seen: Arc<Mutex<HashMap<String, usize>>>,
    requests: Arc<Mutex<Vec<Request>>>,
) {
    let Some(request) = read_request(&mut socket).await else {
        return;
    };
    *seen
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .entry(format!("{} {}", request.method, request.path))
        .or_insert(0) += 1;
    let mut reply = route(&request.method, &request.path);
    requests
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .push(request);
    let hold = Duration::from_secs(60);
    while let Reply::Slow(delay, inner) = reply {
        tokio::time::sleep(delay).await;
        reply = *inner;
    }
    match reply {
        Reply::Full {
            status,
            content_type,
            headers,
            body,
        } => {
            let mut head = format!(
                "HTTP/1.1 {status} {}\r\ncontent-length: {}\r\nconnection: close\r\n",
                reason(status),
                body.len()
            );
            if let Some(ct) = content_type {
                head.push_str(&format!("content-type: {ct}\r\n"));
            }
            for (name, value) in headers {
                head.push_str(&format!("{name}: {value}\r\n"));
            }
            head.push_str("\r\n");
            let _ = socket.write_all(head.as_bytes()).await;
            let _ = socket.write_all(&body).await;
            let _ = socket.shutdown().await;
        }
        Reply::ResetMidBody { body } => {
            let _ = socket.write_all(&cut_response(&body)).await;
            let _ = socket.flush().await;
            // Let the client read the headers and the first half before the reset.
            tokio::time::sleep(Duration::from_millis(50)).await;
            let _ = socket.set_zero_linger();
            drop(socket);
        }
        Reply::CloseMidBody { body } => {
            let _ = socket.write_all(&cut_response(&body)).await;
            let _ = socket.shutdown().await;
        }
        Reply::NeverAnswer => {
            tokio::time::sleep(hold).await;
            drop(socket);
        }
        Reply::HeadersThenStall { status } => {
            let head = format!(
                "HTTP/1.1 {status} {}\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n",
                reason(status)
            );
            let _ = socket.write_all(head.as_bytes()).await;
            tokio::time::sleep(hold).await;
        }
        Reply::Trickle => {
            let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n";
            if socket.write_all(head.as_bytes()).await.is_err() {
                return;
            }
            for _ in 0..1200 {
                if socket.write_all(b"1\r\n \r\n").await.is_err() {
                    return;
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
        Reply::Slow(..) => unreachable!("unwrapped above"),
    }
}

/// `200` headers announcing the whole body, and its first half.
fn cut_response(body: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(&body[..body.len() / 2]);
    out
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        204 => "No Content",
        401 => "Unauthorized",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Whatever",
    }
}

/// One request as it arrived.
#[derive(Clone, Debug)]
pub struct Request {
    /// The method.
    pub method: String,
    /// Without the query.
    pub path: String,
    /// The request line and the headers.
    pub head: String,
    /// The body (`content-length` bytes).
    pub body: Vec<u8>,
}

impl Request {
    /// The request as text, head and body.
    pub fn text(&self) -> String {
        format!(
            "{}\r\n\r\n{}",
            self.head,
            String::from_utf8_lossy(&self.body)
        )
    }
}

/// Reads one request (head and `content-length` body).
pub async fn read_request<S: AsyncRead + Unpin>(socket: &mut S) -> Option<Request> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let n = socket.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
        let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") else {
            continue;
        };
        let head = String::from_utf8_lossy(&buf[..end]).to_string();
        let length = head
            .lines()
            .find_map(|l| {
                let (k, v) = l.split_once(':')?;
                k.trim()
                    .eq_ignore_ascii_case("content-length")
                    .then(|| v.trim().parse::<usize>().ok())?
            })
            .unwrap_or(0);
        while buf.len() < end + 4 + length {
            let n = socket.read(&mut chunk).await.ok()?;
            if n == 0 {
                return None;
            }
            buf.extend_from_slice(&chunk[..n]);
        }
        let mut words = head.split_whitespace();
        let method = words.next()?.to_string();
        let target = words.next()?;
        let path = target.split('?').next().unwrap_or(target).to_string();
        let body = buf[end + 4..end + 4 + length].to_vec();
        return Some(Request {
            method,
            path,
            head,
            body,
        });
    }
}
