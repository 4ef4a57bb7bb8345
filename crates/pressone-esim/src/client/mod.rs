//! The client; its builder and configuration are in `builder`.

use std::fmt;
use std::future::Future;
use std::sync::Arc;

use pressone_esim_raw::OperationId;

use crate::base_url::BaseUrl;
use crate::call::{Call, Transport};
use crate::error::Result;
use crate::token::TokenManager;

mod builder;

pub use builder::{ClientBuilder, FormEncoding, HISTORY_CACHE_TTL};

/// The client of the PressOne eSIM API.
///
/// Cheap to clone (clones share the connection pool, the token and the caches), `Send` and
/// `Sync`. Clients built separately share nothing: several partners or environments in one
/// process never see each other's tokens or cached answers.
///
/// ```no_run
/// # async fn run() -> pressone_esim::Result<()> {
/// use pressone_esim::Client;
///
/// let client = Client::builder()
///     .base_url("https://api.example.com")
///     .credentials("my-client-id", "my-client-secret")
///     .build()?;
/// let usage = client.sims().usage("8910300000000001234").await?;
/// println!("{:?} MB left", usage.remaining_mb());
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<ClientInner>,
}

pub(crate) struct ClientInner {
    pub(crate) transport: Arc<Transport>,
    pub(crate) tokens: TokenManager,
    pub(crate) base_url: BaseUrl,
    pub(crate) voice_base_url: BaseUrl,
    pub(crate) client_id: String,
    pub(crate) history: crate::cache::HistoryCache,
}

impl ClientInner {
    /// `op`, run with this client's transport and token.
    pub(crate) fn operation(&self, op: OperationId) -> Call<'_> {
        Call::new(&self.transport, &self.tokens, op)
    }
}

impl Client {
    /// Runs `body` as operation `op` of this client (its transport and token); every error
    /// `body` returns, its input checks' included, carries the operation.
    ///
    /// A plain function, not an `async fn`, for the reason given at [`Call::run`].
    pub(crate) fn run<'c, T, Fut>(
        &'c self,
        op: OperationId,
        body: impl FnOnce(Call<'c>) -> Fut,
    ) -> impl Future<Output = Result<T>>
    where
        Fut: Future<Output = Result<T>>,
    {
        let call = self.inner.operation(op);
        call.run(body(call))
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("voice_base_url", &self.inner.voice_base_url)
            .field("client_id", &self.inner.client_id)
            .field("client_secret", &"[redacted]")
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A builder with the defaults described on each of its methods.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client configured from the environment: `PRESSONE_CLIENT_ID`,
    /// `PRESSONE_CLIENT_SECRET`, `PRESSONE_BASE_URL` and (optional, defaults to the base URL)
    /// `PRESSONE_VOICE_BASE_URL`.
    pub fn from_env() -> Result<Client> {
        ClientBuilder::from_env()?.build()
    }

    /// The data API's base URL.
    pub fn base_url(&self) -> &BaseUrl {
        &self.inner.base_url
    }

    /// The voice API's base URL.
    pub fn voice_base_url(&self) -> &BaseUrl {
        &self.inner.voice_base_url
    }

    /// Fetches (or reuses) the access token now, so a misconfiguration shows at start-up
    /// rather than on the first real call.
    ///
    /// ```no_run
    /// # async fn run(client: pressone_esim::Client) -> pressone_esim::Result<()> {
    /// client.authenticate().await?; // fails fast on bad credentials
    /// # Ok(()) }
    /// ```
    pub async fn authenticate(&self) -> Result<()> {
        self.inner.tokens.token().await.map(|_| ())
    }
}
