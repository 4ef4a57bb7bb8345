//! Who may use the console: a loopback `Host` (every console request), a same-origin post
//! (`Origin`, `Sec-Fetch-Site`) and the per-process CSRF token (every form post).

use std::net::Ipv4Addr;

use axum::http::header::{HOST, ORIGIN};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};

fn forbidden(why: &str) -> Response {
    (
        StatusCode::FORBIDDEN,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        format!("sandbox console: {why}\n"),
    )
        .into_response()
}

fn host(headers: &HeaderMap) -> Option<&str> {
    headers.get(HOST)?.to_str().ok().map(str::trim)
}

/// Whether `host` (a `Host` header value: name or address, optional port) names this machine
/// by a loopback name: `localhost`, an address in `127.0.0.0/8`, or `[::1]`.
pub(super) fn is_loopback_host(host: &str) -> bool {
    let port_ok = |p: &str| p.is_empty() || p.strip_prefix(':').is_some_and(is_port);
    if let Some(rest) = host.strip_prefix('[') {
        return rest
            .split_once(']')
            .is_some_and(|(ip, port)| ip == "::1" && port_ok(port));
    }
    let (name, port) = match host.rsplit_once(':') {
        Some((name, port)) => (name, Some(port)),
        None => (host, None),
    };
    if port.is_some_and(|p| !is_port(p)) {
        return false;
    }
    name.eq_ignore_ascii_case("localhost")
        || name.parse::<Ipv4Addr>().is_ok_and(|ip| ip.is_loopback())
}

fn is_port(p: &str) -> bool {
    !p.is_empty() && p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit())
}

/// Every console request: the `Host` must be a loopback name, so a page of another site that
/// rebinds its own name to 127.0.0.1 cannot read the console (nor its CSRF token).
pub(super) fn loopback_host(headers: &HeaderMap) -> Result<(), Response> {
    match host(headers) {
        Some(h) if is_loopback_host(h) => Ok(()),
        _ => Err(forbidden(
            "the console answers only on a loopback host name (localhost, 127.0.0.1, [::1])",
        )),
    }
}

/// Every console form post: loopback `Host`, no other origin (`Origin` when sent must be this
/// very origin; `Sec-Fetch-Site` when sent must be `same-origin` or `none`), and the token.
pub(super) fn same_origin_post(
    headers: &HeaderMap,
    expected_token: &str,
    given_token: Option<&str>,
) -> Result<(), Response> {
    loopback_host(headers)?;
    if let Some(origin) = headers.get(ORIGIN) {
        let same = match (origin.to_str(), host(headers)) {
            (Ok(origin), Some(host)) => origin
                .strip_prefix("http://")
                .is_some_and(|o| o.eq_ignore_ascii_case(host)),
            _ => false,
        };
        if !same {
            return Err(forbidden("cross-origin form post refused"));
        }
    }
    if let Some(site) = headers.get("sec-fetch-site") {
        let ok = site
            .to_str()
            .is_ok_and(|s| s.eq_ignore_ascii_case("same-origin") || s.eq_ignore_ascii_case("none"));
        if !ok {
            return Err(forbidden("cross-site form post refused"));
        }
    }
    match given_token {
        Some(given) if constant_time_eq(given.as_bytes(), expected_token.as_bytes()) => Ok(()),
        _ => Err(forbidden(
            "missing or wrong CSRF token (reload the console and try again)",
        )),
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_names() {
        for ok in [
            "localhost",
            "LOCALHOST:8080",
            "127.0.0.1",
            "127.0.0.1:41234",
            "127.5.6.7:1",
            "[::1]",
            "[::1]:80",
        ] {
            assert!(is_loopback_host(ok), "{ok}");
        }
        for bad in [
            "",
            "evil.example",
            "localhost.evil.example",
            "127.0.0.1.nip.io",
            "10.0.0.1:80",
            "0.0.0.0:80",
            "[::2]:80",
            "[::1]x",
            "127.0.0.1:",
            "127.0.0.1:80:80",
            "localhost:abc",
        ] {
            assert!(!is_loopback_host(bad), "{bad}");
        }
    }

    #[test]
    fn token_comparison() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"abcd"));
    }
}
