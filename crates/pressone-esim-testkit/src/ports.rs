//! Ports that misbehave: one that refuses every connection, one that drops every request.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use tokio::io::AsyncWriteExt;

use crate::fixtures::fixture;
use crate::raw_server::{TOKEN_PATH, read_request};

/// A loopback port that refuses every connection: bound but never listening, so that no other
/// test can take the port while this value lives (a port merely freed could be reused by a
/// server of a test running alongside). Its [`http_client`](Self::http_client) counts the
/// connection attempts: it resolves the URL's name once per new connection.
pub struct ClosedPort {
    _socket: tokio::net::TcpSocket,
    addr: std::net::SocketAddr,
    attempts: Arc<AtomicUsize>,
}

impl Default for ClosedPort {
    fn default() -> Self {
        Self::new()
    }
}

impl ClosedPort {
    /// Reserves a port on 127.0.0.1.
    pub fn new() -> Self {
        let socket = tokio::net::TcpSocket::new_v4().expect("socket");
        socket.bind("127.0.0.1:0".parse().unwrap()).expect("bind");
        let addr = socket.local_addr().expect("addr");
        ClosedPort {
            _socket: socket,
            addr,
            attempts: Arc::new(AtomicUsize::new(0)),
        }
    }

    /// The port's URL by address (no name to resolve).
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The port's URL by name, for [`http_client`](Self::http_client).
    pub fn named_url(&self) -> String {
        format!("http://localhost:{}", self.addr.port())
    }

    /// A client that resolves every name to this port and counts the look-ups.
    pub fn http_client(&self) -> reqwest::Client {
        reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .dns_resolver(Arc::new(CountingResolver {
                addr: self.addr,
                attempts: Arc::clone(&self.attempts),
            }))
            .build()
            .expect("client")
    }

    /// Connections tried through [`http_client`](Self::http_client).
    pub fn attempts(&self) -> usize {
        self.attempts.load(Ordering::SeqCst)
    }
}

struct CountingResolver {
    addr: std::net::SocketAddr,
    attempts: Arc<AtomicUsize>,
}

impl reqwest::dns::Resolve for CountingResolver {
    fn resolve(&self, _name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        self.attempts.fetch_add(1, Ordering::SeqCst);
        let addr = self.addr;
        Box::pin(async move { Ok(Box::new(std::iter::once(addr)) as reqwest::dns::Addrs) })
    }
}

/// A raw HTTP server that answers the token request (the fixture's token) and drops every other
/// connection after reading the whole request (the request reached the server; no answer came
/// back).
pub struct DroppingServer {
    /// The server's base URL.
    pub url: String,
    hits: Arc<AtomicUsize>,
}

impl DroppingServer {
    /// Starts the server on a free loopback port.
    pub async fn start() -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        let hits = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&hits);
        tokio::spawn(async move {
            while let Ok((mut socket, _)) = listener.accept().await {
                let counter = Arc::clone(&counter);
                tokio::spawn(async move {
                    let Some(request) = read_request(&mut socket).await else {
                        return;
                    };
                    if request.method == "POST" && request.path == TOKEN_PATH {
                        let body = fixture("airalo.request-access-token.200.json");
                        let response = format!(
                            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                            body.len()
                        );
                        let _ = socket.write_all(response.as_bytes()).await;
                        let _ = socket.shutdown().await;
                    } else {
                        counter.fetch_add(1, Ordering::SeqCst);
                        drop(socket);
                    }
                });
            }
        });
        DroppingServer { url, hits }
    }

    /// Requests other than the token request that arrived.
    pub fn hits(&self) -> usize {
        self.hits.load(Ordering::SeqCst)
    }
}
