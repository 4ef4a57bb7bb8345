//! Access tokens: where they are kept ([`TokenStore`]) and how they are obtained and refreshed
//! (one request at a time, shared by every caller that needs one).

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, SystemTime};

use futures::FutureExt;
use futures::future::{BoxFuture, Shared};
use secrecy::{ExposeSecret, SecretString};

use arc_swap::ArcSwapOption;
use reqwest::header::HeaderValue;

use crate::error::{Error, Result};

mod file;
mod obtain;
#[cfg(feature = "redis")]
mod redis;

pub use file::FileTokenStore;
#[cfg(feature = "redis")]
pub use redis::RedisTokenStore;

/// An access token and when it stops being used.
#[derive(Clone)]
pub struct Token {
    access_token: SecretString,
    obtained_at: SystemTime,
    expires_at: SystemTime,
    /// The `Authorization` value, built (and marked sensitive) on its first use, once per
    /// token rather than once per call; `None` if the token cannot be a header value.
    bearer: OnceLock<Option<HeaderValue>>,
}

impl Token {
    /// A token obtained at `obtained_at` that expires at `expires_at`.
    pub fn new(
        access_token: impl Into<String>,
        obtained_at: SystemTime,
        expires_at: SystemTime,
    ) -> Self {
        Token {
            access_token: SecretString::from(access_token.into()),
            obtained_at,
            expires_at,
            bearer: OnceLock::new(),
        }
    }

    /// The bearer token. Keep it out of logs.
    pub fn secret(&self) -> &str {
        self.access_token.expose_secret()
    }

    /// The `Authorization: Bearer …` value of this token, marked sensitive (so `http` and
    /// `reqwest` keep it out of their `Debug` output); `None` if the token holds characters a
    /// header cannot.
    pub(crate) fn bearer(&self) -> Option<HeaderValue> {
        self.bearer
            .get_or_init(|| {
                let mut value = HeaderValue::from_str(&format!("Bearer {}", self.secret())).ok()?;
                value.set_sensitive(true);
                Some(value)
            })
            .clone()
    }

    /// When the token was obtained.
    pub fn obtained_at(&self) -> SystemTime {
        self.obtained_at
    }

    /// When the server said it expires.
    pub fn expires_at(&self) -> SystemTime {
        self.expires_at
    }

    /// Whether the SDK should still use it at `now`: before expiry minus `margin`, and younger
    /// than `max_age`.
    pub fn is_usable(&self, now: SystemTime, margin: Duration, max_age: Duration) -> bool {
        let fresh = now
            .duration_since(self.obtained_at)
            .map_or(true, |age| age < max_age);
        let before_expiry = self
            .expires_at
            .checked_sub(margin)
            .is_some_and(|deadline| now < deadline);
        fresh && before_expiry
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Token")
            .field("access_token", &"[redacted]")
            .field("obtained_at", &self.obtained_at)
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

/// Which token a store entry is: one per API base URL, client id and client secret, so clients
/// of several partners or environments never share a token, and a client with a wrong or
/// rotated secret never uses a token obtained with another one.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TokenKey {
    /// The data API's base URL.
    pub base_url: String,
    /// The client id (not secret).
    pub client_id: String,
    /// A one-way fingerprint of the client id and secret (SHA-256, hex); the secret itself is
    /// never stored.
    pub secret_fingerprint: String,
}

impl TokenKey {
    /// The key of the token obtained with these credentials at this base URL.
    pub fn new(
        base_url: impl Into<String>,
        client_id: impl Into<String>,
        client_secret: &str,
    ) -> Self {
        use sha2::{Digest, Sha256};
        let client_id = client_id.into();
        let mut hasher = Sha256::new();
        hasher.update(b"pressone-esim token key\0");
        hasher.update(client_id.as_bytes());
        hasher.update(b"\0");
        hasher.update(client_secret.as_bytes());
        let digest = hasher.finalize();
        let secret_fingerprint = digest.iter().map(|b| format!("{b:02x}")).collect();
        TokenKey {
            base_url: base_url.into(),
            client_id,
            secret_fingerprint,
        }
    }
}

/// Where tokens are kept between calls (and, for a persistent or shared store, between runs
/// and processes).
///
/// The interface is asynchronous so that a network store (Redis) never blocks the runtime; a
/// blocking store implements it by doing its short work and returning a ready future, as
/// [`MemoryTokenStore`] and [`FileTokenStore`] do (`Box::pin(std::future::ready(..))`).
///
/// The SDK reads the store only when it has no valid token in memory. Failures are the
/// store's own business: a store that cannot read returns `None`, one that cannot write logs
/// a warning and drops the token; the SDK then fetches a new token. A store shared by several
/// processes also hands out fetch leases ([`try_lease`](Self::try_lease)), so that one
/// process fetches a new token while the others wait for it.
pub trait TokenStore: Send + Sync + fmt::Debug {
    /// The stored token for `key`, if any (expired ones included; the SDK checks).
    fn load<'a>(&'a self, key: &'a TokenKey) -> BoxFuture<'a, Option<Token>>;
    /// Stores `token` for `key`.
    fn save<'a>(&'a self, key: &'a TokenKey, token: &'a Token) -> BoxFuture<'a, ()>;
    /// Forgets the token for `key` (after the server refused it).
    fn clear<'a>(&'a self, key: &'a TokenKey) -> BoxFuture<'a, ()>;
    /// Asks for the right to fetch a new token for `key`, for at most `ttl`.
    ///
    /// `Some(lease)`: the caller fetches (and then [`release`](Self::release)s the lease);
    /// `None`: another holder is fetching right now, the caller waits for its token (bounded
    /// in time, then fetches itself). A store that is not shared, or that cannot reach its
    /// backend, grants every lease: the default.
    fn try_lease<'a>(&'a self, key: &'a TokenKey, ttl: Duration) -> BoxFuture<'a, Option<Lease>> {
        let _ = (key, ttl);
        Box::pin(std::future::ready(Some(Lease::local())))
    }
    /// Counts one token request for `key` against the request budget that the store's users
    /// share (the token endpoint allows a few requests a minute): `Ok(())` to go ahead,
    /// `Err(wait)` when the budget of the current window is used up and the next window
    /// starts in `wait`. A store that keeps no shared count, or cannot reach its backend,
    /// allows every request: the default.
    fn count_token_request<'a>(
        &'a self,
        key: &'a TokenKey,
    ) -> BoxFuture<'a, std::result::Result<(), Duration>> {
        let _ = key;
        Box::pin(std::future::ready(Ok(())))
    }
    /// Gives back a lease taken with [`try_lease`](Self::try_lease); a lease that expired and
    /// was taken by another holder meanwhile stays theirs.
    fn release<'a>(&'a self, key: &'a TokenKey, lease: Lease) -> BoxFuture<'a, ()> {
        let _ = (key, lease);
        Box::pin(std::future::ready(()))
    }
}

/// The right to fetch one key's token, granted by [`TokenStore::try_lease`]: its owner value
/// is unique, so only its holder can release it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lease {
    owner: String,
}

impl Lease {
    /// A lease with a new unique owner value (process id, a counter and a random part).
    pub fn new() -> Self {
        static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        Lease {
            owner: format!(
                "{}-{}-{:016x}",
                std::process::id(),
                COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
                fastrand::u64(..),
            ),
        }
    }

    /// A lease granted without asking anyone (a store that is not shared or not reachable).
    pub fn local() -> Self {
        Lease::new()
    }

    /// The unique owner value.
    pub fn owner(&self) -> &str {
        &self.owner
    }
}

impl Default for Lease {
    fn default() -> Self {
        Lease::new()
    }
}

/// Keeps tokens in memory, per client. The default.
#[derive(Debug, Default)]
pub struct MemoryTokenStore {
    tokens: Mutex<HashMap<TokenKey, Token>>,
}

impl MemoryTokenStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// The stored token for `key`, if any (the blocking form of [`TokenStore::load`]).
    pub fn load(&self, key: &TokenKey) -> Option<Token> {
        self.tokens.lock().ok()?.get(key).cloned()
    }

    /// Stores `token` for `key` (the blocking form of [`TokenStore::save`]).
    pub fn save(&self, key: &TokenKey, token: &Token) {
        if let Ok(mut tokens) = self.tokens.lock() {
            tokens.insert(key.clone(), token.clone());
        }
    }

    /// Forgets the token for `key` (the blocking form of [`TokenStore::clear`]).
    pub fn clear(&self, key: &TokenKey) {
        if let Ok(mut tokens) = self.tokens.lock() {
            tokens.remove(key);
        }
    }
}

/// Implements [`TokenStore`] for a store whose inherent `load`, `save` and `clear` are short
/// and blocking: the work is done when the future is first polled.
macro_rules! blocking_token_store {
    ($store:ty) => {
        impl $crate::TokenStore for $store {
            fn load<'a>(
                &'a self,
                key: &'a $crate::TokenKey,
            ) -> ::futures::future::BoxFuture<'a, Option<$crate::Token>> {
                Box::pin(async move { <$store>::load(self, key) })
            }

            fn save<'a>(
                &'a self,
                key: &'a $crate::TokenKey,
                token: &'a $crate::Token,
            ) -> ::futures::future::BoxFuture<'a, ()> {
                Box::pin(async move { <$store>::save(self, key, token) })
            }

            fn clear<'a>(
                &'a self,
                key: &'a $crate::TokenKey,
            ) -> ::futures::future::BoxFuture<'a, ()> {
                Box::pin(async move { <$store>::clear(self, key) })
            }
        }
    };
}
pub(crate) use blocking_token_store;

blocking_token_store!(MemoryTokenStore);

/// When the SDK stops using a token and fetches a new one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TokenPolicy {
    /// Refresh this long before the server's `expires_in` runs out. Default 5 minutes.
    pub expiry_margin: Duration,
    /// Refresh a token older than this even if the server says it is valid longer (the docs
    /// recommend refreshing daily although tokens are issued for a year). Default 24 hours.
    pub max_age: Duration,
}

impl Default for TokenPolicy {
    fn default() -> Self {
        TokenPolicy {
            expiry_margin: Duration::from_secs(300),
            max_age: Duration::from_secs(24 * 3600),
        }
    }
}

type Flight = Shared<BoxFuture<'static, Result<Arc<Token>>>>;

/// The fetcher of new tokens: called with no lock held.
pub(crate) type FetchToken = Arc<dyn Fn() -> BoxFuture<'static, Result<Token>> + Send + Sync>;

struct State {
    current: Option<Arc<Token>>,
    flight: Option<(u64, Flight)>,
    next_flight: u64,
    /// The token the server last refused: the next flight drops it from the store.
    refused: Option<Token>,
}

/// Caches one client's token and makes sure that concurrent callers cause one token request.
pub(crate) struct TokenManager {
    key: TokenKey,
    store: Arc<dyn TokenStore>,
    policy: TokenPolicy,
    fetch: FetchToken,
    /// `state.current`, published for the lock-free fast path of [`token`](Self::token).
    /// Written only with the `state` lock held, right after `state.current`.
    published: ArcSwapOption<Token>,
    state: Mutex<State>,
}

impl fmt::Debug for TokenManager {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenManager")
            .field("key", &self.key)
            .field("store", &self.store)
            .field("policy", &self.policy)
            .finish_non_exhaustive()
    }
}

impl TokenManager {
    pub(crate) fn new(
        key: TokenKey,
        store: Arc<dyn TokenStore>,
        policy: TokenPolicy,
        fetch: FetchToken,
    ) -> Self {
        TokenManager {
            key,
            store,
            policy,
            fetch,
            published: ArcSwapOption::empty(),
            state: Mutex::new(State {
                current: None,
                flight: None,
                next_flight: 0,
                refused: None,
            }),
        }
    }

    fn usable(&self, token: &Token) -> bool {
        usable(&self.policy, token)
    }

    /// A usable token: the cached one, the stored one, or a new one fetched by exactly one of
    /// the callers that need it at the same time (and, with a shared store, by one process of
    /// all those that share it; see [`TokenStore::try_lease`]).
    pub(crate) async fn token(&self) -> Result<Arc<Token>> {
        // Almost every call ends here, without taking the lock.
        if let Some(token) = self.published.load().as_ref().filter(|t| self.usable(t)) {
            return Ok(Arc::clone(token));
        }
        let flight = {
            let mut state = self.state.lock().map_err(|_| poisoned())?;
            if let Some(token) = state.current.as_ref().filter(|t| self.usable(t)) {
                return Ok(Arc::clone(token));
            }
            match &state.flight {
                Some((_, flight)) => flight.clone(),
                None => {
                    let id = state.next_flight;
                    state.next_flight += 1;
                    let obtain = obtain::Obtain {
                        key: self.key.clone(),
                        store: Arc::clone(&self.store),
                        policy: self.policy,
                        fetch: Arc::clone(&self.fetch),
                        refused: state.refused.clone(),
                    };
                    let flight = async move { obtain.run().await.map(Arc::new) }
                        .boxed()
                        .shared();
                    state.flight = Some((id, flight.clone()));
                    flight
                }
            }
        };
        let result = flight.clone().await;
        let mut state = self.state.lock().map_err(|_| poisoned())?;
        // The first caller back from this flight publishes its result and closes it; a
        // failure is not cached, so the next call tries again.
        if let Some((_, current_flight)) = &state.flight
            && current_flight.ptr_eq(&flight)
        {
            state.flight = None;
            if let Ok(token) = &result {
                self.publish(&mut state, Some(Arc::clone(token)));
                state.refused = None;
            }
        }
        result
    }

    /// Sets the current token; the caller holds the `state` lock, so readers of `published`
    /// see the tokens in the order they were set.
    fn publish(&self, state: &mut State, token: Option<Arc<Token>>) {
        self.published.store(token.clone());
        state.current = token;
    }

    /// Forgets `used` after the server refused it, unless a newer token replaced it already;
    /// the next flight drops it from the store too.
    pub(crate) fn invalidate(&self, used: &Token) {
        let Ok(mut state) = self.state.lock() else {
            return;
        };
        let same = state
            .current
            .as_ref()
            .is_some_and(|t| t.secret() == used.secret());
        if same || state.current.is_none() {
            self.publish(&mut state, None);
            state.refused = Some(used.clone());
        }
    }
}

/// Whether the SDK uses `token` now under `policy`.
fn usable(policy: &TokenPolicy, token: &Token) -> bool {
    // A token that lives less than twice the margin is used for half its life, not fetched
    // again on every call.
    let lifetime = token
        .expires_at()
        .duration_since(token.obtained_at())
        .unwrap_or_default();
    let margin = policy.expiry_margin.min(lifetime / 2);
    token.is_usable(SystemTime::now(), margin, policy.max_age)
}

fn poisoned() -> Error {
    Error::config("the token cache lock was poisoned by a panic in another thread")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    pub(super) fn key() -> TokenKey {
        TokenKey::new("https://api.example.com", "id", "secret")
    }

    pub(super) fn fresh(secret: &str) -> Token {
        let now = SystemTime::now();
        Token::new(secret, now, now + Duration::from_secs(3600))
    }

    #[test]
    fn usability_honours_margin_and_max_age() {
        let now = SystemTime::now();
        let t = Token::new("t", now, now + Duration::from_secs(600));
        let policy = TokenPolicy::default();
        assert!(t.is_usable(now, policy.expiry_margin, policy.max_age));
        assert!(!t.is_usable(
            now + Duration::from_secs(301),
            policy.expiry_margin,
            policy.max_age
        ));
        let long = Token::new("t", now, now + Duration::from_secs(366 * 86400));
        assert!(long.is_usable(
            now + Duration::from_secs(3600),
            policy.expiry_margin,
            policy.max_age
        ));
        assert!(!long.is_usable(
            now + Duration::from_secs(86400),
            policy.expiry_margin,
            policy.max_age
        ));
    }

    #[test]
    fn debug_redacts_the_token() {
        let t = fresh("super-secret-token");
        assert!(!format!("{t:?}").contains("super-secret-token"));
    }

    #[tokio::test]
    async fn concurrent_callers_share_one_fetch_and_failures_do_not_stick() {
        let calls = Arc::new(AtomicUsize::new(0));
        let fail = Arc::new(std::sync::atomic::AtomicBool::new(true));
        let (c, f) = (Arc::clone(&calls), Arc::clone(&fail));
        let fetch: FetchToken = Arc::new(move || {
            let (c, f) = (Arc::clone(&c), Arc::clone(&f));
            async move {
                c.fetch_add(1, Ordering::SeqCst);
                tokio::time::sleep(Duration::from_millis(20)).await;
                if f.load(Ordering::SeqCst) {
                    Err(Error::config("boom"))
                } else {
                    Ok(fresh("tok"))
                }
            }
            .boxed()
        });
        let manager = Arc::new(TokenManager::new(
            key(),
            Arc::new(MemoryTokenStore::new()),
            TokenPolicy::default(),
            fetch,
        ));
        let run = |m: Arc<TokenManager>| async move { m.token().await };
        let results = futures::future::join_all((0..50).map(|_| run(Arc::clone(&manager)))).await;
        assert!(results.iter().all(|r| r.is_err()));
        assert_eq!(calls.load(Ordering::SeqCst), 1);

        fail.store(false, Ordering::SeqCst);
        let results = futures::future::join_all((0..50).map(|_| run(Arc::clone(&manager)))).await;
        assert!(
            results
                .iter()
                .all(|r| r.as_ref().is_ok_and(|t| t.secret() == "tok"))
        );
        assert_eq!(calls.load(Ordering::SeqCst), 2);

        let used = manager.token().await.unwrap();
        manager.invalidate(&used);
        manager.token().await.unwrap();
        assert_eq!(calls.load(Ordering::SeqCst), 3);
    }
}
