//! The token store (and shared cache) of a fleet of processes: one Redis.

use std::fmt;
use std::future::Future;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use futures::future::BoxFuture;
use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use serde::{Deserialize, Serialize};

use super::{Lease, Token, TokenKey, TokenStore};
use crate::cache::SharedCache;
use crate::error::{Error, Result};

/// Keeps tokens in Redis, so that every process of a fleet (workers, queue consumers, cron
/// jobs, several hosts) uses one token and only one of them fetches a new one; also a
/// [`SharedCache`] for the answers the API allows rarely (package histories).
///
/// * Keys are namespaced by a prefix (default `pressone-esim:`) and carry the API base URL,
///   the client id and a one-way fingerprint of the credentials, never the secret.
/// * A token's Redis TTL ends before the token expires.
/// * The fetch lease is `SET <prefix>lease:… <unique value> NX PX <ms>`, released only by
///   its owner (a compare-and-delete script).
/// * Every command is bounded by a timeout (default 500 ms). Redis unreachable, slow or
///   restarted: a warning is logged and the SDK goes on with a token of its own; when Redis is
///   back, the next token fetched is shared again.
///
/// The connection (a reconnecting [`ConnectionManager`]) is opened on first use, on the Tokio
/// runtime that first uses the store: use one store per runtime. `rediss://` URLs use TLS
/// (rustls, verified against the system's roots or the PEM file named by `SSL_CERT_FILE`); a
/// password in the URL (`redis://:pw@host/`) authenticates.
/// `Debug` shows the host and port, never the URL's password, and no token.
pub struct RedisTokenStore {
    client: redis::Client,
    manager: tokio::sync::OnceCell<ConnectionManager>,
    prefix: String,
    timeout: Duration,
    /// Token requests allowed per window, fleet-wide.
    budget: Option<(u32, Duration)>,
}

impl fmt::Debug for RedisTokenStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let info = self.client.get_connection_info();
        f.debug_struct("RedisTokenStore")
            .field("addr", &info.addr().to_string())
            .field("db", &info.redis_settings().db())
            .field("prefix", &self.prefix)
            .field("command_timeout", &self.timeout)
            .field("token_budget", &self.budget)
            .finish()
    }
}

/// What Redis holds for a token.
#[derive(Serialize, Deserialize)]
struct StoredToken {
    access_token: String,
    obtained_at: u64,
    expires_at: u64,
}

/// Counts a request in the current fixed window: its count and the window's remaining time.
const BUDGET_SCRIPT: &str = r#"local n = redis.call("INCR", KEYS[1]) if n == 1 then redis.call("PEXPIRE", KEYS[1], ARGV[1]) end return {n, redis.call("PTTL", KEYS[1])}"#;

/// Gives a lease back only if it is still the caller's.
const RELEASE_SCRIPT: &str = r#"if redis.call("GET", KEYS[1]) == ARGV[1] then return redis.call("DEL", KEYS[1]) else return 0 end"#;

impl RedisTokenStore {
    /// A store on the Redis at `url` (`redis://[:password@]host[:port][/db]`, `rediss://` for
    /// TLS). Connects on first use, not here. The error never repeats the URL.
    pub fn new(url: &str) -> Result<Self> {
        let client = redis::Client::open(url)
            .map_err(|_| Error::config("the Redis URL is not valid (redis://… or rediss://…)"))?;
        Ok(RedisTokenStore {
            client,
            manager: tokio::sync::OnceCell::new(),
            prefix: "pressone-esim:".to_string(),
            timeout: Duration::from_millis(500),
            budget: Some((3, Duration::from_secs(60))),
        })
    }

    crate::setters! {
        /// The prefix of every key. Default `pressone-esim:`.
        with_prefix(prefix: impl Into<String>) => prefix = prefix.into();

        /// The longest any Redis command (connecting included) may take before the SDK goes on
        /// without it. Default 500 ms.
        with_command_timeout(timeout: Duration) => timeout = timeout;

        /// How many token requests the whole fleet may send per `window` (per credentials), or
        /// `None` for no shared budget. Default 3 a minute, the token endpoint's documented rate
        /// limit. A request over budget is not sent: the call fails with
        /// [`ErrorKind::RateLimited`](crate::ErrorKind::RateLimited) and the time until the next
        /// window, as the server would answer.
        with_token_budget(budget: Option<(u32, Duration)>) => budget = budget;
    }

    /// The key of `key`'s token.
    pub fn token_key(&self, key: &TokenKey) -> String {
        format!(
            "{}token:{}|{}|{}",
            self.prefix, key.base_url, key.client_id, key.secret_fingerprint
        )
    }

    fn lease_key(&self, key: &TokenKey) -> String {
        format!("{}lease:{}", self.prefix, self.token_key(key))
    }

    async fn connection(&self) -> Option<ConnectionManager> {
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(self.timeout))
            .set_response_timeout(Some(self.timeout))
            .set_number_of_retries(1);
        let init =
            || async { ConnectionManager::new_lazy_with_config(self.client.clone(), config) };
        match self.manager.get_or_try_init(init).await {
            Ok(manager) => Some(manager.clone()),
            Err(err) => {
                tracing::warn!(error = %err, "Redis is not usable; going on without the shared store");
                None
            }
        }
    }

    /// Runs one command, bounded by the timeout; `None` (and a warning) when it fails.
    async fn bounded<T, F, Fut>(&self, operation: &'static str, run: F) -> Option<T>
    where
        F: FnOnce(ConnectionManager) -> Fut,
        Fut: Future<Output = redis::RedisResult<T>>,
    {
        let connection = self.connection().await?;
        match tokio::time::timeout(self.timeout, run(connection)).await {
            Ok(Ok(value)) => Some(value),
            Ok(Err(err)) => {
                tracing::warn!(operation, error = %err, "Redis command failed; going on without the shared store");
                None
            }
            Err(_) => {
                tracing::warn!(
                    operation,
                    timeout_ms = self.timeout.as_millis() as u64,
                    "Redis command timed out; going on without the shared store"
                );
                None
            }
        }
    }

    async fn set_px(&self, operation: &'static str, key: String, value: Vec<u8>, ttl: Duration) {
        let millis = u64::try_from(ttl.as_millis()).unwrap_or(u64::MAX);
        self.bounded(operation, |mut c| async move {
            redis::cmd("SET")
                .arg(key)
                .arg(value)
                .arg("PX")
                .arg(millis)
                .query_async::<()>(&mut c)
                .await
        })
        .await;
    }

    async fn get(&self, operation: &'static str, key: String) -> Option<Vec<u8>> {
        self.bounded(operation, |mut c| async move {
            redis::cmd("GET")
                .arg(key)
                .query_async::<Option<Vec<u8>>>(&mut c)
                .await
        })
        .await
        .flatten()
    }
}

impl RedisTokenStore {
    async fn del(&self, operation: &'static str, key: String) {
        self.bounded(operation, |mut c| async move {
            redis::cmd("DEL").arg(key).query_async::<()>(&mut c).await
        })
        .await;
    }
}

fn secs(t: SystemTime) -> u64 {
    t.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

/// How long Redis keeps a token: until a tenth of its remaining life (at most 5 minutes)
/// before it expires; `None` for a token too close to its end to share.
fn token_ttl(token: &Token, now: SystemTime) -> Option<Duration> {
    let remaining = token.expires_at().duration_since(now).ok()?;
    let ttl = remaining.saturating_sub((remaining / 10).min(Duration::from_secs(300)));
    (ttl >= Duration::from_secs(1)).then_some(ttl)
}

impl TokenStore for RedisTokenStore {
    fn load<'a>(&'a self, key: &'a TokenKey) -> BoxFuture<'a, Option<Token>> {
        Box::pin(async move {
            let bytes = self.get("load token", self.token_key(key)).await?;
            let stored: StoredToken = serde_json::from_slice(&bytes).ok()?;
            Some(Token::new(
                stored.access_token,
                UNIX_EPOCH + Duration::from_secs(stored.obtained_at),
                UNIX_EPOCH + Duration::from_secs(stored.expires_at),
            ))
        })
    }

    fn save<'a>(&'a self, key: &'a TokenKey, token: &'a Token) -> BoxFuture<'a, ()> {
        Box::pin(async move {
            let Some(ttl) = token_ttl(token, SystemTime::now()) else {
                return;
            };
            let stored = StoredToken {
                access_token: token.secret().to_string(),
                obtained_at: secs(token.obtained_at()),
                expires_at: secs(token.expires_at()),
            };
            let Ok(value) = serde_json::to_vec(&stored) else {
                return;
            };
            self.set_px("save token", self.token_key(key), value, ttl)
                .await;
        })
    }

    fn clear<'a>(&'a self, key: &'a TokenKey) -> BoxFuture<'a, ()> {
        Box::pin(self.del("clear token", self.token_key(key)))
    }

    fn try_lease<'a>(&'a self, key: &'a TokenKey, ttl: Duration) -> BoxFuture<'a, Option<Lease>> {
        Box::pin(async move {
            let lease = Lease::new();
            let owner = lease.owner().to_string();
            let millis = u64::try_from(ttl.as_millis()).unwrap_or(u64::MAX).max(1);
            let lease_key = self.lease_key(key);
            let taken = self
                .bounded("take token lease", |mut c| async move {
                    redis::cmd("SET")
                        .arg(lease_key)
                        .arg(owner)
                        .arg("NX")
                        .arg("PX")
                        .arg(millis)
                        .query_async::<Option<String>>(&mut c)
                        .await
                })
                .await;
            match taken {
                // Granted, or Redis is not there to ask: fetch.
                Some(Some(_)) | None => Some(lease),
                Some(None) => None,
            }
        })
    }

    fn count_token_request<'a>(
        &'a self,
        key: &'a TokenKey,
    ) -> BoxFuture<'a, std::result::Result<(), Duration>> {
        Box::pin(async move {
            let Some((limit, window)) = self.budget else {
                return Ok(());
            };
            let budget_key = format!("{}budget:{}", self.prefix, self.token_key(key));
            let millis = u64::try_from(window.as_millis()).unwrap_or(u64::MAX).max(1);
            let counted = self
                .bounded("count token request", |mut c| async move {
                    redis::Script::new(BUDGET_SCRIPT)
                        .key(budget_key)
                        .arg(millis)
                        .invoke_async::<(u64, i64)>(&mut c)
                        .await
                })
                .await;
            match counted {
                Some((count, left_ms)) if count > u64::from(limit) => Err(Duration::from_millis(
                    u64::try_from(left_ms).unwrap_or(0).max(1),
                )),
                _ => Ok(()),
            }
        })
    }

    fn release<'a>(&'a self, key: &'a TokenKey, lease: Lease) -> BoxFuture<'a, ()> {
        Box::pin(async move {
            let lease_key = self.lease_key(key);
            self.bounded("release token lease", |mut c| async move {
                redis::Script::new(RELEASE_SCRIPT)
                    .key(lease_key)
                    .arg(lease.owner())
                    .invoke_async::<i64>(&mut c)
                    .await
            })
            .await;
        })
    }
}

impl SharedCache for RedisTokenStore {
    fn get<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Option<Vec<u8>>> {
        Box::pin(self.get("read shared cache", format!("{}cache:{key}", self.prefix)))
    }

    fn put<'a>(&'a self, key: &'a str, value: Vec<u8>, ttl: Duration) -> BoxFuture<'a, ()> {
        Box::pin(self.set_px(
            "write shared cache",
            format!("{}cache:{key}", self.prefix),
            value,
            ttl,
        ))
    }

    fn remove<'a>(&'a self, key: &'a str) -> BoxFuture<'a, ()> {
        Box::pin(self.del("forget shared cache", format!("{}cache:{key}", self.prefix)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ttl_ends_before_the_token_and_the_key_has_no_secret() {
        let now = SystemTime::now();
        let token = Token::new("t", now, now + Duration::from_secs(3600));
        let ttl = token_ttl(&token, now).unwrap();
        assert!(ttl < Duration::from_secs(3600));
        assert_eq!(ttl, Duration::from_secs(3300));
        let short = Token::new("t", now, now + Duration::from_millis(500));
        assert_eq!(token_ttl(&short, now), None);

        let store = RedisTokenStore::new("redis://:hunter2@127.0.0.1:1/3")
            .unwrap()
            .with_prefix("p:");
        let key = TokenKey::new("https://api.example.com", "id", "very-secret-value");
        let redis_key = store.token_key(&key);
        assert!(redis_key.starts_with("p:token:https://api.example.com|id|"));
        assert!(!redis_key.contains("very-secret-value"));
        let debug = format!("{store:?}");
        assert!(!debug.contains("hunter2"), "{debug}");
        assert!(RedisTokenStore::new("not a url").is_err());
    }
}
