//! The client's builder and its configuration: the settings, their defaults and checks, and
//! the assembly of the transport and the token manager.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use futures::FutureExt;
use pressone_esim_raw::OperationId;
use reqwest::header::{ACCEPT, HeaderName, HeaderValue};
use secrecy::{ExposeSecret, SecretString};

use super::{Client, ClientInner};
use crate::base_url::BaseUrl;
use crate::call::Transport;
use crate::error::{Error, Result};
use crate::raw;
use crate::raw::hooks::{FormEncoding as RawFormEncoding, Settings};
use crate::retry::RetryPolicy;
use crate::token::{FetchToken, MemoryTokenStore, TokenKey, TokenManager, TokenPolicy, TokenStore};

/// How long package histories are cached per ICCID by default: the window of the spec's rate
/// rule of `get_esim_package_history` (one request per eSIM per 15 minutes).
pub const HISTORY_CACHE_TTL: Duration = match OperationId::GetEsimPackageHistory.info().rate {
    Some(rule) => Duration::from_secs((rule.per_seconds / rule.requests) as u64),
    None => Duration::ZERO,
};

/// How form bodies (token, orders, top-ups) are encoded.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum FormEncoding {
    /// `application/x-www-form-urlencoded` (the default; what current docs of this API family use).
    #[default]
    UrlEncoded,
    /// `multipart/form-data`, as the PressOne pages show.
    Multipart,
}

/// Builds a [`Client`].
///
/// ```
/// use std::time::Duration;
/// use pressone_esim::{Client, FormEncoding, RetryPolicy};
///
/// let client = Client::builder()
///     .base_url("https://api.example.com/customer/v2/")
///     .voice_base_url("https://voice.example.com")
///     .credentials("id", "secret")
///     .request_timeout(Duration::from_secs(20))
///     .retry_policy(RetryPolicy::default().max_attempts(4))
///     .form_encoding(FormEncoding::Multipart)
///     .build()
///     .unwrap();
/// assert_eq!(client.base_url().as_str(), "https://api.example.com");
/// assert!(!format!("{client:?}").contains("secret\""));
/// ```
pub struct ClientBuilder {
    base_url: Option<String>,
    voice_base_url: Option<String>,
    client_id: Option<String>,
    client_secret: Option<SecretString>,
    allow_insecure_http: bool,
    connect_timeout: Duration,
    request_timeout: Duration,
    max_response_body: usize,
    retry: RetryPolicy,
    token_store: Option<Arc<dyn TokenStore>>,
    token_policy: TokenPolicy,
    form_encoding: FormEncoding,
    http_client: Option<reqwest::Client>,
    root_certificates: Vec<Vec<u8>>,
    voice_api_key: Option<(String, SecretString)>,
    user_agent_suffix: Option<String>,
    history_cache: Option<Duration>,
    shared_cache: Option<Arc<dyn crate::SharedCache>>,
}

/// `ClientBuilder::max_response_body`'s default: 128 MiB.
const DEFAULT_MAX_RESPONSE_BODY: usize = 128 * 1024 * 1024;

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            base_url: None,
            voice_base_url: None,
            client_id: None,
            client_secret: None,
            allow_insecure_http: false,
            connect_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            max_response_body: DEFAULT_MAX_RESPONSE_BODY,
            retry: RetryPolicy::default(),
            token_store: None,
            token_policy: TokenPolicy::default(),
            form_encoding: FormEncoding::default(),
            http_client: None,
            root_certificates: Vec::new(),
            voice_api_key: None,
            user_agent_suffix: None,
            history_cache: Some(HISTORY_CACHE_TTL),
            shared_cache: None,
        }
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("voice_base_url", &self.voice_base_url)
            .field("client_id", &self.client_id)
            .field(
                "client_secret",
                &self.client_secret.as_ref().map(|_| "[redacted]"),
            )
            .field("allow_insecure_http", &self.allow_insecure_http)
            .field("connect_timeout", &self.connect_timeout)
            .field("request_timeout", &self.request_timeout)
            .field("max_response_body", &self.max_response_body)
            .field("retry", &self.retry)
            .field("form_encoding", &self.form_encoding)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// A builder filled from `PRESSONE_CLIENT_ID`, `PRESSONE_CLIENT_SECRET`,
    /// `PRESSONE_BASE_URL` and `PRESSONE_VOICE_BASE_URL` (each optional here; `build`
    /// reports what is missing).
    pub fn from_env() -> Result<Self> {
        let var = |name: &str| match std::env::var(name) {
            Ok(v) if !v.trim().is_empty() => Ok(Some(v)),
            Ok(_) | Err(std::env::VarError::NotPresent) => Ok(None),
            Err(std::env::VarError::NotUnicode(_)) => {
                Err(Error::config(format!("{name} is not valid UTF-8")))
            }
        };
        Ok(ClientBuilder {
            base_url: var("PRESSONE_BASE_URL")?,
            voice_base_url: var("PRESSONE_VOICE_BASE_URL")?,
            client_id: var("PRESSONE_CLIENT_ID")?,
            client_secret: var("PRESSONE_CLIENT_SECRET")?.map(SecretString::from),
            ..ClientBuilder::default()
        })
    }

    crate::setters! {
        /// The data API's base URL: scheme, host and an optional gateway prefix. A trailing
        /// `/customer/v2` is dropped. Required.
        base_url(url: impl Into<String>) => base_url = Some(url.into());

        /// The voice API's base URL. Defaults to the data API's.
        voice_base_url(url: impl Into<String>) => voice_base_url = Some(url.into());
    }

    /// The partner's client id and secret. Required.
    pub fn credentials(
        mut self,
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
    ) -> Self {
        self.client_id = Some(client_id.into());
        self.client_secret = Some(SecretString::from(client_secret.into()));
        self
    }

    crate::setters! {
        /// Allows plain `http://` base URLs for hosts that are not loopback. Off by default:
        /// credentials and tokens would cross the network in clear text.
        allow_insecure_http(allow: bool) => allow_insecure_http = allow;

        /// How long to wait for a connection. Default 10 s.
        connect_timeout(timeout: Duration) => connect_timeout = timeout;

        /// The longest answer body the client reads, in bytes. Default 128 MiB: a 20,000-package
        /// catalogue is about 6 MB. A longer answer, announced by `Content-Length` or received,
        /// is not read further and the call fails with
        /// [`ErrorKind::Decode`](crate::ErrorKind::Decode) (the server did answer: retrying
        /// a read will not help). The limit applies to every body: answers, error bodies (an
        /// error status with a longer body is classified without it) and the balance.
        max_response_body(bytes: usize) => max_response_body = bytes;

        /// How long one attempt may take, from sending to the end of the body. Default 30 s.
        request_timeout(timeout: Duration) => request_timeout = timeout;

        /// How read-only calls are retried. Default [`RetryPolicy::default`].
        retry_policy(policy: RetryPolicy) => retry = policy;

        /// Where tokens are kept. Default: in memory, private to this client.
        token_store(store: Arc<dyn TokenStore>) => token_store = Some(store);

        /// When tokens are refreshed. Default [`TokenPolicy::default`].
        token_policy(policy: TokenPolicy) => token_policy = policy;

        /// How form bodies are encoded. Default URL-encoded.
        form_encoding(encoding: FormEncoding) => form_encoding = encoding;

        /// Uses this `reqwest::Client` (its TLS, proxy and pool settings). The SDK still sets
        /// its `User-Agent`, the request timeout and the auth header on each request; the
        /// connect timeout is then the given client's. Build it with
        /// `.redirect(reqwest::redirect::Policy::none())`: the SDK's own client follows no
        /// redirect, so the token request's secret is never re-sent elsewhere.
        http_client(client: reqwest::Client) => http_client = Some(client);

        /// Also trusts the certificates of this PEM file (one or more `BEGIN CERTIFICATE`
        /// blocks), for example the private CA of a gateway in front of the API; the platform's
        /// roots stay trusted and verification stays on. Needs the `rustls` or `native-tls`
        /// feature and the SDK's own HTTP client: [`build`](Self::build) reports a
        /// [`Config`](crate::ErrorKind::Config) error for a file without a certificate, without
        /// a TLS feature, or together with [`http_client`](Self::http_client) (whose TLS
        /// settings are then yours).
        ///
        /// ```no_run
        /// # fn run() -> Result<(), Box<dyn std::error::Error>> {
        /// let client = pressone_esim::Client::builder()
        ///     .base_url("https://esim-gateway.internal.example")
        ///     .credentials("my-client-id", "my-client-secret")
        ///     .add_root_certificate_pem(std::fs::read("internal-ca.pem")?)
        ///     .build()?;
        /// # Ok(()) }
        /// ```
        add_root_certificate_pem(pem: impl Into<Vec<u8>>) => root_certificates.push(pem.into());

        /// Authenticates the voice API with this header and value (an API key) instead of the data
        /// API's bearer token. The voice API's auth scheme is not published; the default is the
        /// bearer token.
        voice_api_key(header: impl Into<String>, value: impl Into<String>) =>
            voice_api_key = Some((header.into(), SecretString::from(value.into())));

        /// Appends a product token to the `User-Agent` (`pressone-esim/<version> <suffix>`).
        user_agent_suffix(suffix: impl Into<String>) => user_agent_suffix = Some(suffix.into());

        /// How long eSIM package histories are cached per ICCID (the API allows one request per
        /// eSIM per 15 minutes). `None` turns the cache off. Default 15 minutes.
        package_history_cache(ttl: Option<Duration>) => history_cache = ttl;

        /// Shares cached answers (package histories) with the other processes of a fleet through
        /// `cache`, for example a `RedisTokenStore` (feature `redis`). Default: none.
        shared_cache(cache: Arc<dyn crate::SharedCache>) => shared_cache = Some(cache);
    }

    /// Validates the configuration and builds the client. Sends nothing.
    ///
    /// Built without the `rustls` and `native-tls` features, an `https` base URL is a
    /// [`Config`](crate::ErrorKind::Config) error unless you pass your own `reqwest::Client`
    /// ([`http_client`](Self::http_client)).
    pub fn build(self) -> Result<Client> {
        let base = self.base_url.as_deref().ok_or_else(|| {
            Error::config("no base URL: set it with `base_url` or PRESSONE_BASE_URL")
        })?;
        let base_url = BaseUrl::parse(base, self.allow_insecure_http)?;
        let voice_base_url = match &self.voice_base_url {
            Some(url) => BaseUrl::parse(url, self.allow_insecure_http)?,
            None => base_url.clone(),
        };
        // Built without TLS, the SDK's own HTTP client cannot reach an https URL: say so now
        // rather than failing every call with a transport error.
        if cfg!(not(any(feature = "rustls", feature = "native-tls")))
            && self.http_client.is_none()
            && [&base_url, &voice_base_url]
                .iter()
                .any(|url| url.as_str().starts_with("https:"))
        {
            return Err(Error::config(
                "this build of pressone-esim has no TLS (features `rustls` and `native-tls` are \
                 off), so it cannot reach an https base URL: enable one of them or pass your own \
                 reqwest::Client with `http_client`",
            ));
        }
        let client_id = self
            .client_id
            .filter(|id| !id.trim().is_empty())
            .ok_or_else(|| {
                Error::config("no client id: set it with `credentials` or PRESSONE_CLIENT_ID")
            })?;
        let client_secret = self
            .client_secret
            .filter(|s| !s.expose_secret().trim().is_empty())
            .ok_or_else(|| {
                Error::config(
                    "no client secret: set it with `credentials` or PRESSONE_CLIENT_SECRET",
                )
            })?;
        // Without a suffix the value is static: cloning it for each request touches no shared
        // reference count (the tasks of one client run on every worker thread).
        const USER_AGENT: &str = concat!("pressone-esim/", env!("CARGO_PKG_VERSION"));
        let user_agent = match &self.user_agent_suffix {
            None => HeaderValue::from_static(USER_AGENT),
            Some(suffix) => HeaderValue::from_str(&format!("{USER_AGENT} {suffix}"))
                .map_err(|_| Error::config("the User-Agent suffix is not a valid header value"))?,
        };
        let voice_api_key = match self.voice_api_key {
            Some((name, value)) => {
                let name = HeaderName::from_bytes(name.as_bytes())
                    .map_err(|_| Error::config("the voice API key header name is invalid"))?;
                let mut value = HeaderValue::from_str(value.expose_secret())
                    .map_err(|_| Error::config("the voice API key is not a valid header value"))?;
                value.set_sensitive(true);
                Some((name, value))
            }
            None => None,
        };
        // Every answer of this API is JSON, the balance's too: documented as text, its generated
        // request is the only one without `Accept`, which this adds (the others keep theirs).
        let mut settings = Settings::new()
            .with_header(ACCEPT, HeaderValue::from_static("application/json"))
            .with_max_body(self.max_response_body)
            .with_form_encoding(match self.form_encoding {
                FormEncoding::UrlEncoded => RawFormEncoding::UrlEncoded,
                FormEncoding::Multipart => RawFormEncoding::Multipart,
            });
        if self.http_client.is_some() {
            // The SDK's own client has the request timeout and the User-Agent built in; a
            // caller's client gets them per request (a timeout costs an allocation per call
            // in `reqwest`).
            settings = settings
                .with_timeout(self.request_timeout)
                .with_header(reqwest::header::USER_AGENT, user_agent.clone());
        }
        let http = match self.http_client {
            Some(_) if !self.root_certificates.is_empty() => {
                return Err(Error::config(
                    "`add_root_certificate_pem` configures the SDK's own HTTP client: with \
                     `http_client`, add the certificate to that client instead",
                ));
            }
            Some(client) => client,
            None => {
                let builder = reqwest::Client::builder()
                    .user_agent(user_agent)
                    .connect_timeout(self.connect_timeout)
                    .timeout(self.request_timeout)
                    .pool_idle_timeout(Duration::from_secs(60))
                    // A redirect would re-send the token request's client secret to wherever it
                    // points, and could lead off https: the API documents none, so none is
                    // followed.
                    .redirect(reqwest::redirect::Policy::none());
                with_root_certificates(builder, &self.root_certificates)?
                    .build()
                    .map_err(|e| {
                        Error::config(format!(
                            "the HTTP client could not be built: {}",
                            with_causes(&e)
                        ))
                    })?
            }
        };
        let transport = Arc::new(Transport::new(
            (base_url.as_str(), http.clone()),
            (voice_base_url.as_str(), http),
            settings,
            self.retry,
            voice_api_key,
        )?);
        let key = TokenKey::new(
            base_url.to_string(),
            client_id.clone(),
            client_secret.expose_secret(),
        );
        let store = self
            .token_store
            .unwrap_or_else(|| Arc::new(MemoryTokenStore::new()));
        let fetch = token_fetcher(Arc::clone(&transport), client_id.clone(), client_secret);
        let tokens = TokenManager::new(key, store, self.token_policy, fetch);
        let scope = format!("{base_url}|{client_id}");
        let history =
            crate::cache::HistoryCache::new(self.history_cache, self.shared_cache, &scope);
        Ok(Client {
            inner: Arc::new(ClientInner {
                transport,
                tokens,
                base_url,
                voice_base_url,
                client_id,
                history,
            }),
        })
    }
}

/// `error`'s text followed by its sources': reqwest's own text for a builder error is only
/// "builder error", and the cause (a certificate the TLS library refused, say) is a source.
fn with_causes(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// `builder` trusting the certificates of each PEM file as well as the platform's roots.
#[cfg(any(feature = "rustls", feature = "native-tls"))]
fn with_root_certificates(
    builder: reqwest::ClientBuilder,
    pems: &[Vec<u8>],
) -> Result<reqwest::ClientBuilder> {
    let mut certificates = Vec::new();
    for pem in pems {
        let bundle = reqwest::Certificate::from_pem_bundle(pem).map_err(|e| {
            Error::config(format!(
                "a root certificate could not be read: {}",
                with_causes(&e)
            ))
        })?;
        if bundle.is_empty() {
            return Err(Error::config(
                "a root certificate file holds no PEM certificate",
            ));
        }
        certificates.extend(bundle);
    }
    Ok(if certificates.is_empty() {
        builder
    } else {
        builder.tls_certs_merge(certificates)
    })
}

/// Without a TLS feature there is nothing to trust a certificate with.
#[cfg(not(any(feature = "rustls", feature = "native-tls")))]
fn with_root_certificates(
    builder: reqwest::ClientBuilder,
    pems: &[Vec<u8>],
) -> Result<reqwest::ClientBuilder> {
    if pems.is_empty() {
        Ok(builder)
    } else {
        Err(Error::config(
            "this build of pressone-esim has no TLS (features `rustls` and `native-tls` are \
             off), so `add_root_certificate_pem` has nothing to add the certificate to",
        ))
    }
}

/// The token request, shared by all callers through the [`TokenManager`]'s single flight.
fn token_fetcher(
    transport: Arc<Transport>,
    client_id: String,
    client_secret: SecretString,
) -> FetchToken {
    let credentials = Arc::new((client_id, client_secret));
    Arc::new(move || {
        let transport = Arc::clone(&transport);
        let credentials = Arc::clone(&credentials);
        async move {
            let obtained_at = SystemTime::now();
            let response = transport
                .execute(OperationId::RequestAccessToken, None, |raw| {
                    let body = raw::types::TokenRequest {
                        client_id: credentials.0.clone(),
                        client_secret: credentials.1.expose_secret().to_string(),
                        grant_type: raw::types::TokenRequestGrantType::ClientCredentials,
                    };
                    raw.request_access_token().body(body).send()
                })
                .await?;
            crate::convert::token(response, obtained_at)
        }
        .boxed()
    })
}
