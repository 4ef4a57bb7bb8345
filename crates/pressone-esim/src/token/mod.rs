//! Access tokens: where they are kept ([`TokenStore`]) and how they are obtained and refreshed
//! (one request at a time, shared by every caller that needs one).

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use futures::FutureExt;
use futures::future::{BoxFuture, Shared};
use secrecy::{ExposeSecret, SecretString};

use arc_swap::ArcSwapOption;

use crate::error::{Error, Result};

mod file;

pub use file::FileTokenStore;

/// An access token and when it stops being used.
#[derive(Clone)]
pub struct Token {
    access_token: SecretString,
    obtained_at: SystemTime,
    expires_at: SystemTime,
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
        }
    }

    /// The bearer token. Keep it out of logs.
    pub fn secret(&self) -> &str {
        self.access_token.expose_secret()
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

/// Where tokens are kept between calls (and, for a persistent store, between runs).
///
/// Implementations must be cheap: the SDK reads the store only when it has no valid token in
/// memory. Failures are the store's own business: a store that cannot read returns `None`, one
/// that cannot write logs and drops the token; the SDK then fetches a new token.
pub trait TokenStore: Send + Sync + fmt::Debug {
    /// The stored token for `key`, if any (expired ones included; the SDK checks).
    fn load(&self, key: &TokenKey) -> Option<Token>;
    /// Stores `token` for `key`.
    fn save(&self, key: &TokenKey, token: &Token);
    /// Forgets the token for `key` (after the server refused it).
    fn clear(&self, key: &TokenKey);
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
}

impl TokenStore for MemoryTokenStore {
    fn load(&self, key: &TokenKey) -> Option<Token> {
        self.tokens.lock().ok()?.get(key).cloned()
    }

    fn save(&self, key: &TokenKey, token: &Token) {
        if let Ok(mut tokens) = self.tokens.lock() {
            tokens.insert(key.clone(), token.clone());
        }
    }

    fn clear(&self, key: &TokenKey) {
        if let Ok(mut tokens) = self.tokens.lock() {
            tokens.remove(key);
        }
    }
}

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
            }),
        }
    }

    fn usable(&self, token: &Token) -> bool {
        // A token that lives less than twice the margin is used for half its life, not
        // fetched again on every call.
        let lifetime = token
            .expires_at()
            .duration_since(token.obtained_at())
            .unwrap_or_default();
        let margin = self.policy.expiry_margin.min(lifetime / 2);
        token.is_usable(SystemTime::now(), margin, self.policy.max_age)
    }

    /// A usable token: the cached one, the stored one, or a new one fetched by exactly one of
    /// the callers that need it at the same time.
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
                    if let Some(stored) = self.store.load(&self.key).filter(|t| self.usable(t)) {
                        let stored = Arc::new(stored);
                        self.publish(&mut state, Some(Arc::clone(&stored)));
                        return Ok(stored);
                    }
                    let id = state.next_flight;
                    state.next_flight += 1;
                    let fetch = Arc::clone(&self.fetch);
                    let flight = async move { fetch().await.map(Arc::new) }.boxed().shared();
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
                self.store.save(&self.key, token);
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

    /// Forgets `used` after the server refused it, unless a newer token replaced it already.
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
            if self
                .store
                .load(&self.key)
                .is_some_and(|t| t.secret() == used.secret())
            {
                self.store.clear(&self.key);
            }
        }
    }
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
