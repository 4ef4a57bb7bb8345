//! A misbehaving proxy in front of the sandbox: it forwards every request (so the sandbox
//! really places orders), and for the Nth order drops the connection without answering, or
//! holds the answer until the client is gone.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, mpsc};

/// What to do with the Nth order (`POST /customer/v2/orders`, counted from 1).
#[derive(Clone, Copy, Debug)]
pub enum Fault {
    /// Forward it, then close the connection without answering.
    DropAnswer(usize),
    /// Forward it, then keep the answer (and the connection) until the client goes away.
    HoldAnswer(usize),
}

pub struct Proxy {
    pub base_url: String,
    /// Receives the order's number once the sandbox has placed the order being dropped/held.
    pub faulted: mpsc::Receiver<usize>,
}

impl Proxy {
    pub fn start(upstream: String, fault: Fault) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a port");
        let base_url = format!("http://{}", listener.local_addr().expect("an address"));
        let upstream = upstream
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .to_string();
        let orders = Arc::new(AtomicUsize::new(0));
        let (tx, faulted) = mpsc::channel();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let (upstream, orders, tx) = (upstream.clone(), orders.clone(), tx.clone());
                std::thread::spawn(move || serve(stream, &upstream, &orders, fault, &tx));
            }
        });
        Proxy { base_url, faulted }
    }
}

/// One request per connection: read it, forward it with `Connection: close`, answer (or not).
fn serve(
    mut client: TcpStream,
    upstream: &str,
    orders: &AtomicUsize,
    fault: Fault,
    tx: &mpsc::Sender<usize>,
) {
    let Ok(read_half) = client.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(read_half);
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).unwrap_or(0) == 0 {
        return;
    }
    let mut headers = Vec::new();
    let mut length = 0usize;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).unwrap_or(0) == 0 {
            return;
        }
        let header = header.trim_end().to_string();
        if header.is_empty() {
            break;
        }
        let name = header
            .split(':')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        if name == "content-length" {
            length = header
                .split(':')
                .nth(1)
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or(0);
        }
        if name != "connection" {
            headers.push(header);
        }
    }
    let mut body = vec![0; length];
    if reader.read_exact(&mut body).is_err() {
        return;
    }
    let mut parts = request_line.split_whitespace();
    let is_order = parts.next() == Some("POST")
        && parts
            .next()
            .is_some_and(|p| p.split('?').next() == Some("/customer/v2/orders"));
    let number = if is_order {
        orders.fetch_add(1, Ordering::SeqCst) + 1
    } else {
        0
    };
    let Ok(mut up) = TcpStream::connect(upstream) else {
        return;
    };
    let mut forwarded = format!("{}\r\n", request_line.trim_end());
    for h in &headers {
        forwarded.push_str(h);
        forwarded.push_str("\r\n");
    }
    forwarded.push_str("Connection: close\r\n\r\n");
    let mut bytes = forwarded.into_bytes();
    bytes.extend_from_slice(&body);
    let mut answer = Vec::new();
    if up.write_all(&bytes).is_err() || up.read_to_end(&mut answer).is_err() {
        return;
    }
    match fault {
        Fault::DropAnswer(n) if n == number => {
            let _ = tx.send(number);
            let _ = client.shutdown(Shutdown::Both);
        }
        Fault::HoldAnswer(n) if n == number => {
            let _ = tx.send(number);
            // Until the client goes away: a read then returns 0 or fails.
            let mut rest = Vec::new();
            let _ = reader.read_to_end(&mut rest);
        }
        _ => {
            let _ = client.write_all(&answer);
            let _ = client.shutdown(Shutdown::Both);
        }
    }
}
