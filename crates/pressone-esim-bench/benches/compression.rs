//! Issue 20, compressed transfers: the floor bench's catalogue (15,000 packages, 3 pages,
//! 4.7 MB) streamed by the SDK (`packages().list().include_topups(true).stream()`) with
//! responses plain and compressed (gzip, brotli, zstd), on loopback and through a throttling
//! proxy on loopback (a slower link).
//!
//! The server compresses every page once before it starts (gzip level 6, brotli quality 5,
//! zstd level 3: nginx's and the libraries' usual levels), so serving a compressed page costs
//! the server what a plain one does; what is measured is the bytes on the wire and the
//! client's time, decompression included. Each encoding is one SDK client whose `reqwest`
//! client accepts that encoding only (`ClientBuilder::http_client`); "plain" accepts none.
//! Paired rounds alternate the compressed client and the plain one (the ratio is compressed
//! time / plain time).

use std::io::Write;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use bytes::Bytes;
use futures::TryStreamExt;
use pressone_esim_bench::generate::{CATALOGUE_PAGES, FLOOR_CATALOGUE, catalogue_pages};
use pressone_esim_bench::harness::{SERVER_THREADS, client_runtime};
use pressone_esim_bench::paired::{self, Kind};
use pressone_esim_bench::server::{Bodies, Server};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// The throttled link's rate: 100 Mbit/s.
const LINK_BYTES_PER_SEC: f64 = 12.5e6;

/// A compressor of one page.
type Encoder = fn(&[u8]) -> Bytes;

fn gzip(body: &[u8]) -> Bytes {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(6));
    e.write_all(body).expect("gzip into memory");
    Bytes::from(e.finish().expect("gzip into memory"))
}

fn br(body: &[u8]) -> Bytes {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 5,
        lgwin: 22,
        ..Default::default()
    };
    brotli::BrotliCompress(&mut &body[..], &mut out, &params).expect("brotli into memory");
    Bytes::from(out)
}

fn zstd(body: &[u8]) -> Bytes {
    Bytes::from(zstd::encode_all(body, 3).expect("zstd into memory"))
}

/// An SDK client of `base_url` whose HTTP client accepts only `encoding` (`None`: plain).
fn sdk(base_url: &str, encoding: Option<&str>) -> pressone_esim::Client {
    let http = reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(10))
        .timeout(Duration::from_secs(60))
        .pool_idle_timeout(Duration::from_secs(60))
        .redirect(reqwest::redirect::Policy::none())
        .gzip(encoding == Some("gzip"))
        .brotli(encoding == Some("br"))
        .zstd(encoding == Some("zstd"))
        .build()
        .expect("the HTTP client builds");
    pressone_esim::Client::builder()
        .base_url(base_url)
        .credentials(
            pressone_esim_bench::CLIENT_ID,
            pressone_esim_bench::CLIENT_SECRET,
        )
        .http_client(http)
        .build()
        .expect("the SDK client builds")
}

async fn stream_all(sdk: &pressone_esim::Client) -> usize {
    let entries: Vec<pressone_esim::CatalogEntry> = sdk
        .packages()
        .list()
        .include_topups(true)
        .stream()
        .try_collect()
        .await
        .expect("the SDK streams the catalogue");
    entries.iter().map(|e| e.packages().count()).sum()
}

/// A TCP proxy on loopback to `upstream` that passes the server's bytes to the client at
/// `rate` bytes per second (the client's bytes pass at once). Runs on `runtime`.
fn throttling_proxy(runtime: &tokio::runtime::Runtime, upstream: SocketAddr, rate: f64) -> String {
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .expect("a loopback port");
    let addr = listener.local_addr().expect("the bound address");
    runtime.spawn(async move {
        while let Ok((client, _)) = listener.accept().await {
            tokio::spawn(async move {
                let Ok(server) = tokio::net::TcpStream::connect(upstream).await else {
                    return;
                };
                let _ = (client.set_nodelay(true), server.set_nodelay(true));
                let (mut client_read, mut client_write) = client.into_split();
                let (mut server_read, mut server_write) = server.into_split();
                tokio::spawn(async move {
                    let _ = tokio::io::copy(&mut client_read, &mut server_write).await;
                });
                let mut buf = vec![0u8; 16 * 1024];
                // The time the bytes passed so far are due at the link's rate. An idle link
                // saves at most 5 ms of credit (a burst after a pause is still paced), enough
                // to absorb the timer's millisecond granularity.
                let slack = Duration::from_millis(5);
                let mut due = Instant::now();
                loop {
                    let n = match server_read.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => n,
                    };
                    due =
                        due.max(Instant::now() - slack) + Duration::from_secs_f64(n as f64 / rate);
                    tokio::time::sleep_until(due.into()).await;
                    if client_write.write_all(&buf[..n]).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    format!("http://{addr}")
}

fn main() {
    let pages = catalogue_pages(FLOOR_CATALOGUE, CATALOGUE_PAGES);
    let plain: usize = pages.iter().map(Bytes::len).sum();
    let encodings: [(&'static str, Encoder); 3] = [("gzip", gzip), ("br", br), ("zstd", zstd)];
    let encoded: Vec<(&'static str, Vec<Bytes>)> = encodings
        .iter()
        .map(|(name, f)| (*name, pages.iter().map(|p| f(p)).collect()))
        .collect();
    let runtime = client_runtime();
    let server = Server::start(
        Bodies {
            package_pages: pages,
            encoded_package_pages: encoded,
            ..Bodies::small()
        },
        SERVER_THREADS,
    );
    let proxy_runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("the proxy runtime starts");
    let upstream: SocketAddr = server
        .base_url()
        .trim_start_matches("http://")
        .parse()
        .expect("the server's address");
    let slow_url = throttling_proxy(&proxy_runtime, upstream, LINK_BYTES_PER_SEC);

    for (link, base_url, rounds) in [
        ("loopback", server.base_url(), 15),
        ("100mbit", slow_url, 5),
    ] {
        let plain_client = sdk(&base_url, None);
        for encoding in ["gzip", "br", "zstd"] {
            let client = sdk(&base_url, Some(encoding));
            // Warm both (token, connection) and count the bytes of one catalogue each.
            let mut wire = Vec::new();
            for c in [&client, &plain_client] {
                runtime.block_on(stream_all(c));
                server.reset_counters();
                let packages = runtime.block_on(stream_all(c));
                assert_eq!(packages, FLOOR_CATALOGUE.packages());
                wire.push(server.body_bytes());
            }
            assert_eq!(wire[1], plain, "the plain client got plain pages");
            if !paired::bench_mode() {
                continue;
            }
            println!(
                "wire compression/{link}/{encoding}: {} bytes of body vs {} plain ({:.3})",
                wire[0],
                wire[1],
                wire[0] as f64 / wire[1] as f64
            );
            let timed = |c: &pressone_esim::Client| {
                let started = Instant::now();
                runtime.block_on(stream_all(c));
                started.elapsed()
            };
            paired::run(
                &format!("compression_{link}_{encoding}"),
                Kind::Time,
                rounds,
                1,
                || timed(&client),
                || timed(&plain_client),
            );
        }
    }
}
