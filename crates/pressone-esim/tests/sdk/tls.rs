//! Real TLS handshakes with the back-end this build has: `rustls` (the default) or the
//! platform's library (`native-tls`; CI runs this module with
//! `--no-default-features --features native-tls`). A loopback HTTPS server
//! presents a certificate signed by a CA generated for the test; the client trusts that CA
//! through `add_root_certificate_pem` and gets typed answers, and refuses the server without it.
//! Built without a TLS feature (CI runs this module with `--no-default-features` too), a root
//! certificate is a `Config` error like an `https` base URL.

use base64::Engine as _;
use pressone_esim::ErrorKind;

use crate::common::*;

/// `der` as a PEM certificate block.
fn pem(der: &[u8]) -> String {
    let base64 = base64::engine::general_purpose::STANDARD.encode(der);
    let lines: Vec<&str> = base64
        .as_bytes()
        .chunks(64)
        .map(|line| std::str::from_utf8(line).expect("base64 is ASCII"))
        .collect();
    format!(
        "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
        lines.join("\n")
    )
}

#[test]
fn a_root_certificate_that_cannot_be_used_is_a_config_error() {
    let tls = cfg!(any(feature = "rustls", feature = "native-tls"));
    let not_pem = builder_for("https://api.example.com")
        .add_root_certificate_pem("not a certificate")
        .build();
    let with_own_client = builder_for("https://api.example.com")
        .add_root_certificate_pem(pem(b"unused"))
        .http_client(reqwest::Client::new())
        .build();
    let without_tls = builder_for("http://127.0.0.1:9")
        .add_root_certificate_pem(pem(b"unused"))
        .build();
    // Each case with the words its error must carry: the cause, not just the kind.
    let mut cases = vec![
        ("with http_client", with_own_client, "`http_client`"),
        (
            "not PEM",
            not_pem,
            if tls {
                "holds no PEM certificate"
            } else {
                "has no TLS"
            },
        ),
    ];
    if tls {
        // A certificate reqwest cannot parse is refused when the client is built, not ignored.
        let not_der = builder_for("https://api.example.com")
            .add_root_certificate_pem(pem(b"not DER"))
            .build();
        cases.push(("not DER", not_der, "certificate"));
    } else {
        cases.push(("without a TLS feature", without_tls, "has no TLS"));
    }
    for (case, built, cause) in cases {
        match built {
            Err(err) => {
                assert!(
                    matches!(err.kind(), ErrorKind::Config { .. }),
                    "{case}: {err:?}"
                );
                assert!(err.to_string().contains(cause), "{case}: {err}");
            }
            Ok(_) => panic!("{case}: built"),
        }
    }
}

#[cfg(any(feature = "rustls", feature = "native-tls"))]
mod handshake {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::{Arc, Mutex};

    use pressone_esim::{ErrorKind, EsimStatus};
    use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair};
    use tokio::io::AsyncWriteExt;
    use tokio::net::{TcpListener, TcpStream};
    use tokio_rustls::TlsAcceptor;
    use tokio_rustls::rustls::ServerConfig;
    use tokio_rustls::rustls::pki_types::PrivatePkcs8KeyDer;
    use tokio_rustls::server::TlsStream;

    use super::pem;
    use crate::common::*;

    /// The TLS library this build of the SDK uses (for the failure messages).
    const BACKEND: &str = if cfg!(feature = "rustls") {
        "rustls"
    } else {
        "native-tls"
    };

    /// What reached the server: completed handshakes and the paths of the requests.
    #[derive(Default)]
    struct Seen {
        handshakes: AtomicUsize,
        paths: Mutex<Vec<String>>,
    }

    /// A loopback HTTPS server answering the token request and the usage read; its certificate
    /// (for `127.0.0.1`) is signed by a CA made for this server.
    struct HttpsServer {
        url: String,
        /// The CA's certificate, PEM.
        ca_pem: String,
        seen: Arc<Seen>,
    }

    /// A CA, and a certificate for `127.0.0.1` it signed: `(CA PEM, server TLS config)`.
    fn ca_and_server_config() -> (String, ServerConfig) {
        let mut ca_params = CertificateParams::default();
        ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca_params
            .distinguished_name
            .push(DnType::CommonName, "pressone-esim test CA");
        let ca = CertifiedIssuer::self_signed(ca_params, KeyPair::generate().expect("CA key"))
            .expect("CA certificate");
        let server_key = KeyPair::generate().expect("server key");
        let server_certificate = CertificateParams::new(vec!["127.0.0.1".to_string()])
            .expect("server names")
            .signed_by(&server_key, &ca)
            .expect("server certificate");
        let provider = Arc::new(tokio_rustls::rustls::crypto::aws_lc_rs::default_provider());
        let config = ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .expect("protocol versions")
            .with_no_client_auth()
            .with_single_cert(
                vec![server_certificate.der().clone(), ca.der().clone()],
                PrivatePkcs8KeyDer::from(server_key.serialize_der()).into(),
            )
            .expect("server config");
        (pem(ca.der()), config)
    }

    /// Answers the requests of one TLS connection until the client closes it.
    async fn answer(mut tls: TlsStream<TcpStream>, seen: Arc<Seen>) {
        while let Some(request) = read_request(&mut tls).await {
            let body = match request.path.as_str() {
                TOKEN_PATH => token_body(TOKEN),
                _ => fixture("airalo.get-usage.200.json"),
            };
            seen.paths.lock().expect("paths").push(request.path);
            let head = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
                body.len()
            );
            if tls.write_all((head + &body).as_bytes()).await.is_err() {
                break;
            }
        }
    }

    impl HttpsServer {
        async fn start() -> HttpsServer {
            let (ca_pem, config) = ca_and_server_config();
            let acceptor = TlsAcceptor::from(Arc::new(config));
            let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
            let url = format!("https://{}", listener.local_addr().expect("address"));
            let seen = Arc::new(Seen::default());
            let shared = Arc::clone(&seen);
            tokio::spawn(async move {
                loop {
                    let Ok((tcp, _)) = listener.accept().await else {
                        break;
                    };
                    // A refused handshake (the client does not trust the CA) ends here.
                    if let Ok(tls) = acceptor.accept(tcp).await {
                        shared.handshakes.fetch_add(1, Ordering::SeqCst);
                        tokio::spawn(answer(tls, Arc::clone(&shared)));
                    }
                }
            });
            HttpsServer { url, ca_pem, seen }
        }

        fn paths(&self) -> Vec<String> {
            self.seen.paths.lock().expect("paths").clone()
        }
    }

    #[tokio::test]
    async fn a_call_over_https_trusting_a_private_ca_gets_the_typed_answer() {
        let server = HttpsServer::start().await;
        let client = builder_for(&server.url)
            .add_root_certificate_pem(server.ca_pem.clone())
            .build()
            .expect("client builds");
        let usage = client
            .sims()
            .usage(ICCID)
            .await
            .unwrap_or_else(|e| panic!("{BACKEND}: the call over https failed: {e:?}"));
        assert_eq!(usage.status, EsimStatus::Active, "{BACKEND}");
        assert!(usage.is_unlimited, "{BACKEND}");
        assert!(usage.expires_at.is_some(), "{BACKEND}");
        assert_eq!(
            server.paths(),
            [TOKEN_PATH, &format!("/customer/v2/sims/{ICCID}/usage")],
            "{BACKEND}: the token and the usage crossed the TLS connection"
        );
        assert!(
            server.seen.handshakes.load(Ordering::SeqCst) >= 1,
            "{BACKEND}"
        );
    }

    #[tokio::test]
    async fn the_same_server_is_refused_without_its_ca() {
        // The control of the test above: verification is on, and only the CA made it pass.
        let server = HttpsServer::start().await;
        let client = builder_for(&server.url).build().expect("client builds");
        let err = client
            .sims()
            .usage(ICCID)
            .await
            .expect_err("the CA is not trusted");
        assert_eq!(err.kind(), &ErrorKind::Transport, "{BACKEND}: {err:?}");
        assert!(!err.may_have_reached_server(), "{BACKEND}: {err:?}");
        assert!(server.paths().is_empty(), "{BACKEND}: nothing was sent");
    }
}
