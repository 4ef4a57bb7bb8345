//! Transport security: TLS certificates are always verified (a self-signed loopback server is
//! refused before any byte of a request reaches it), plain HTTP is refused for hosts that are
//! not loopback unless explicitly allowed, and redirects never carry the client secret or a
//! token to another origin.
//!
//! The SDK has no option to turn certificate verification off. The only way around it is to
//! hand the builder your own `reqwest::Client` (`ClientBuilder::http_client`), whose TLS
//! settings are then yours.

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use pressone_esim::{Client, ErrorKind};
use tokio::io::AsyncWriteExt;
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::ServerConfig;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivatePkcs8KeyDer};

use support::*;

/// A TLS server on 127.0.0.1 with a fresh self-signed certificate, answering the token request
/// and every other request with a usage answer.
struct TlsServer {
    url: String,
    certificate: CertificateDer<'static>,
    handshakes: Arc<AtomicUsize>,
    requests: Arc<AtomicUsize>,
}

impl TlsServer {
    async fn start() -> TlsServer {
        let generated =
            rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_string()]).expect("cert");
        let certificate = generated.cert.der().clone();
        let key = PrivatePkcs8KeyDer::from(generated.signing_key.serialize_der());
        let provider = Arc::new(tokio_rustls::rustls::crypto::aws_lc_rs::default_provider());
        let config = ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(vec![certificate.clone()], key.into())
            .expect("server config");
        let acceptor = TlsAcceptor::from(Arc::new(config));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("https://{}", listener.local_addr().unwrap());
        let handshakes = Arc::new(AtomicUsize::new(0));
        let requests = Arc::new(AtomicUsize::new(0));
        let (h, r) = (Arc::clone(&handshakes), Arc::clone(&requests));
        tokio::spawn(async move {
            while let Ok((tcp, _)) = listener.accept().await {
                let (acceptor, h, r) = (acceptor.clone(), Arc::clone(&h), Arc::clone(&r));
                tokio::spawn(async move {
                    let Ok(mut tls) = acceptor.accept(tcp).await else {
                        return;
                    };
                    h.fetch_add(1, Ordering::SeqCst);
                    let Some(request) = read_request(&mut tls).await else {
                        return;
                    };
                    r.fetch_add(1, Ordering::SeqCst);
                    let body = if request.path == TOKEN_PATH {
                        token_body(TOKEN)
                    } else {
                        fixture("airalo.get-usage.200.json")
                    };
                    let response = format!(
                        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                        body.len()
                    );
                    let _ = tls.write_all(response.as_bytes()).await;
                    let _ = tls.shutdown().await;
                });
            }
        });
        TlsServer {
            url,
            certificate,
            handshakes,
            requests,
        }
    }
}

#[tokio::test]
async fn a_self_signed_certificate_is_refused_before_anything_is_sent() {
    let server = TlsServer::start().await;
    let client = builder_for(&server.url, Duration::from_secs(5))
        .build()
        .unwrap();
    for result in [
        client.authenticate().await.map(drop),
        client.sims().usage(ICCID).await.map(drop),
        client
            .orders()
            .create("kallur-digital-7days-1gb", 1)
            .await
            .map(drop),
    ] {
        let err = result.expect_err("the certificate is not trusted");
        assert_eq!(err.kind(), &ErrorKind::Transport, "{err:?}");
        assert!(
            !err.may_have_reached_server(),
            "a failed handshake sends nothing: {err:?}"
        );
        assert!(!err.to_string().contains(CLIENT_SECRET));
    }
    assert_eq!(server.handshakes.load(Ordering::SeqCst), 0);
    assert_eq!(
        server.requests.load(Ordering::SeqCst),
        0,
        "no request (and so no client secret) crossed the connection"
    );
}

#[tokio::test]
async fn the_same_server_is_reached_when_its_certificate_is_trusted() {
    // The control of the test above: the server works, and only the verification failed.
    // Trusting a private CA is possible only through your own reqwest client.
    let server = TlsServer::start().await;
    let certificate = reqwest::Certificate::from_der(&server.certificate).unwrap();
    let http = reqwest::Client::builder()
        .tls_certs_only([certificate])
        .build()
        .unwrap();
    let client = builder_for(&server.url, Duration::from_secs(5))
        .http_client(http)
        .build()
        .unwrap();
    client
        .sims()
        .usage(ICCID)
        .await
        .expect("trusted: the call works");
    assert_eq!(server.requests.load(Ordering::SeqCst), 2, "token and usage");
}

#[test]
fn plain_http_is_refused_for_hosts_that_are_not_loopback() {
    for url in [
        "http://api.example.com",
        "http://api.example.com:80/customer/v2/",
        "http://10.0.0.1:8080",
        "http://192.168.1.10",
        "http://localhost.example.com",
        "http://127.0.0.1.nip.io",
        "http://[::ffff:127.0.0.1]:8080",
        "HTTP://API.EXAMPLE.COM",
    ] {
        let err = Client::builder()
            .base_url(url)
            .credentials(CLIENT_ID, CLIENT_SECRET)
            .build()
            .expect_err(url);
        assert!(
            matches!(err.kind(), ErrorKind::Config { .. }),
            "{url}: {err:?}"
        );
        assert!(!err.may_have_reached_server());
        // The voice API's base URL is held to the same rule.
        let err = Client::builder()
            .base_url("https://api.example.com")
            .voice_base_url(url)
            .credentials(CLIENT_ID, CLIENT_SECRET)
            .build()
            .expect_err(url);
        assert!(matches!(err.kind(), ErrorKind::Config { .. }), "{url}");
        // Explicitly allowed: builds (and sends nothing until called).
        Client::builder()
            .base_url(url)
            .voice_base_url(url)
            .credentials(CLIENT_ID, CLIENT_SECRET)
            .allow_insecure_http(true)
            .build()
            .unwrap_or_else(|e| panic!("{url} with allow_insecure_http: {e}"));
    }
    for url in [
        "http://127.0.0.1:8080",
        "http://127.1.2.3",
        "http://localhost:9000",
        "http://LOCALHOST",
        "http://[::1]:8080",
        "https://api.example.com",
    ] {
        Client::builder()
            .base_url(url)
            .credentials(CLIENT_ID, CLIENT_SECRET)
            .build()
            .unwrap_or_else(|e| panic!("{url}: {e}"));
    }
}

/// A server that answers every request with a 307 to `target` (same method and body), and one
/// that records what reaches it.
async fn redirecting_to_another_origin() -> (RawServer, RawServer) {
    // `localhost` vs `127.0.0.1` and another port: another origin for any HTTP client.
    let elsewhere = RawServer::start(|_, path| {
        if path == TOKEN_PATH {
            Reply::token(TOKEN)
        } else {
            Reply::json(200, fixture("airalo.get-usage.200.json"))
        }
    })
    .await;
    let target = elsewhere.url.replace("127.0.0.1", "localhost");
    let redirecting = RawServer::start(move |_, path| Reply::Full {
        status: 307,
        content_type: None,
        headers: vec![("location", format!("{target}{path}"))],
        body: Vec::new(),
    })
    .await;
    (redirecting, elsewhere)
}

#[tokio::test]
async fn the_token_request_is_never_redirected_to_another_origin() {
    let (redirecting, elsewhere) = redirecting_to_another_origin().await;
    let client = builder_for(&redirecting.url, Duration::from_secs(5))
        .build()
        .unwrap();
    let result = client.authenticate().await;
    assert_eq!(redirecting.token_hits(), 1);
    let leaked: Vec<_> = elsewhere
        .requests()
        .into_iter()
        .filter(|r| r.text().contains(CLIENT_SECRET))
        .collect();
    assert!(
        leaked.is_empty(),
        "the client secret went to another origin: {leaked:?} (result: {result:?})"
    );
    assert_eq!(elsewhere.total(), 0, "result: {result:?}");
    let err = result.expect_err("a redirect is not a token");
    assert_eq!(err.status(), Some(307), "{err:?}");
}

#[tokio::test]
async fn a_redirect_never_carries_the_token_to_another_origin() {
    let elsewhere = RawServer::start(|_, _| Reply::json(401, r#"{"message": "no token"}"#)).await;
    let target = elsewhere.url.replace("127.0.0.1", "localhost");
    let redirecting = RawServer::start(move |_, path| {
        if path == TOKEN_PATH {
            Reply::token(TOKEN)
        } else {
            Reply::Full {
                status: 307,
                content_type: None,
                headers: vec![("location", format!("{target}{path}"))],
                body: Vec::new(),
            }
        }
    })
    .await;
    let client = builder_for(&redirecting.url, Duration::from_secs(5))
        .build()
        .unwrap();
    let err = client.sims().usage(ICCID).await.expect_err("no usage");
    assert!(!format!("{err} {err:?}").contains(TOKEN), "{err:?}");
    // Whether or not the redirect is followed, the bearer token (a header) never reaches
    // the other origin.
    for request in elsewhere.requests() {
        assert!(
            !request.text().contains(TOKEN),
            "the token went to another origin: {request:?}"
        );
    }
}
