//! Validated base URLs.

use std::fmt;
use std::net::IpAddr;

use url::Url;

use crate::error::{Error, Result};

/// A validated API base URL: scheme and authority plus an optional gateway path prefix,
/// with no trailing slash (`https://api.example.com`, `http://127.0.0.1:8080/gateway`).
///
/// The SDK appends the documented paths (`/customer/v2/...`, `/api/third-party/partner/...`)
/// itself. A base URL pasted with the documented prefix (`…/customer/v2/`) is accepted and
/// the prefix dropped.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct BaseUrl(String);

impl BaseUrl {
    /// Parses and validates a base URL.
    ///
    /// `https` is required unless the host is loopback (`localhost`, `127.0.0.0/8`, `::1`) or
    /// `allow_insecure_http` is set. User information, queries and fragments are refused.
    ///
    /// ```
    /// use pressone_esim::BaseUrl;
    ///
    /// let url = BaseUrl::parse("https://api.example.com/customer/v2/", false).unwrap();
    /// assert_eq!(url.as_str(), "https://api.example.com");
    /// assert!(BaseUrl::parse("http://api.example.com", false).is_err());
    /// assert!(BaseUrl::parse("http://127.0.0.1:8080", false).is_ok());
    /// ```
    pub fn parse(input: &str, allow_insecure_http: bool) -> Result<Self> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(Error::config("the base URL is empty"));
        }
        // Never quote input that may carry credentials (`user:password@host`).
        let shown = if trimmed.contains('@') {
            "(redacted)"
        } else {
            trimmed
        };
        let url = Url::parse(trimmed)
            .map_err(|e| Error::config(format!("the base URL {shown:?} is not a URL: {e}")))?;
        if !url.username().is_empty() || url.password().is_some() {
            return Err(Error::config(
                "the base URL must not carry user credentials",
            ));
        }
        match url.scheme() {
            "https" => {}
            "http" if allow_insecure_http || is_loopback(&url) => {}
            "http" => {
                return Err(Error::config(format!(
                    "the base URL {shown:?} uses plain HTTP for a non-loopback host; use https or allow insecure HTTP explicitly"
                )));
            }
            other => {
                return Err(Error::config(format!(
                    "the base URL scheme {other:?} is not http or https"
                )));
            }
        }
        if url.host_str().is_none_or(str::is_empty) {
            return Err(Error::config(format!("the base URL {shown:?} has no host")));
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(Error::config(format!(
                "the base URL {shown:?} must not have a query or fragment"
            )));
        }
        let mut path = url.path().trim_end_matches('/').to_string();
        for suffix in [crate::raw::DATA_API_PREFIX, crate::raw::VOICE_API_PREFIX] {
            if let Some(stripped) = path.strip_suffix(suffix) {
                path = stripped.trim_end_matches('/').to_string();
                break;
            }
        }
        let host = url.host().map(|h| h.to_string()).unwrap_or_default();
        let mut origin = format!("{}://{host}", url.scheme());
        if let Some(port) = url.port() {
            origin.push_str(&format!(":{port}"));
        }
        Ok(BaseUrl(format!("{origin}{path}")))
    }

    /// The URL as a string, without a trailing slash.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether the host is a loopback address or `localhost`.
    pub fn is_loopback(&self) -> bool {
        Url::parse(&self.0).is_ok_and(|u| is_loopback(&u))
    }
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

impl fmt::Display for BaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for BaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "BaseUrl({:?})", self.0)
    }
}

impl std::str::FromStr for BaseUrl {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        BaseUrl::parse(s, false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(input: &str) -> String {
        BaseUrl::parse(input, false).unwrap().to_string()
    }

    #[test]
    fn normalizes_the_documented_forms() {
        assert_eq!(ok("https://api.example.com"), "https://api.example.com");
        assert_eq!(ok("https://api.example.com/"), "https://api.example.com");
        assert_eq!(
            ok("https://api.example.com/customer/v2"),
            "https://api.example.com"
        );
        assert_eq!(
            ok("https://api.example.com/customer/v2/"),
            "https://api.example.com"
        );
        assert_eq!(
            ok("https://gw.example.com/esim/customer/v2/"),
            "https://gw.example.com/esim"
        );
        assert_eq!(
            ok("https://v.example.com/api/third-party/partner/"),
            "https://v.example.com"
        );
        assert_eq!(
            ok("  HTTPS://API.Example.com:8443/x/ "),
            "https://api.example.com:8443/x"
        );
        assert_eq!(ok("http://localhost:9000"), "http://localhost:9000");
        assert_eq!(ok("http://127.0.0.2:1"), "http://127.0.0.2:1");
        assert_eq!(ok("http://[::1]:8080"), "http://[::1]:8080");
    }

    #[test]
    fn refuses_unsafe_or_broken_urls() {
        for bad in [
            "",
            "api.example.com",
            "ftp://api.example.com",
            "http://api.example.com",
            "http://10.0.0.1",
            "https://user:pw@api.example.com",
            "https://api.example.com?x=1",
            "https://api.example.com#frag",
        ] {
            let err = BaseUrl::parse(bad, false).unwrap_err();
            assert!(
                matches!(err.kind(), crate::ErrorKind::Config { .. }),
                "{bad}: {err}"
            );
        }
        assert!(BaseUrl::parse("http://api.example.com", true).is_ok());
    }
}
