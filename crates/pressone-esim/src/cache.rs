//! Caches: a small time-to-live cache private to one client, and the [`SharedCache`] that
//! processes of a fleet share (package histories).

use std::collections::HashMap;
use std::fmt;
use std::hash::Hash;
use std::sync::{Arc, Mutex};
use std::time::Duration;

// Tokio's clock: the real one in use, and one a test can pause and advance (`test-util`).
use tokio::time::Instant;

use futures::future::BoxFuture;

use crate::models::{Listing, PackageHistoryEntry};

/// A cached package history: the entries and their pricing.
type History = Listing<PackageHistoryEntry>;

/// A cache shared by every process of a fleet (for example
/// `RedisTokenStore` (feature `redis`)), for answers the API allows rarely: a package
/// history asked by one process answers the others for 15 minutes without a request.
///
/// Like a [`TokenStore`](crate::TokenStore), a cache handles its own failures: a read that
/// fails is a miss, a write that fails is dropped (with a warning in the logs).
pub trait SharedCache: Send + Sync + fmt::Debug {
    /// The value stored under `key`, if it has not expired.
    fn get<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Option<Vec<u8>>>;
    /// Stores `value` under `key` for `ttl`.
    fn put<'a>(&'a self, key: &'a str, value: Vec<u8>, ttl: Duration) -> BoxFuture<'a, ()>;
    /// Forgets the value under `key` (it changed).
    fn remove<'a>(&'a self, key: &'a str) -> BoxFuture<'a, ()>;
}

/// The package-history cache of one client: its own memory first, then the shared cache.
#[derive(Debug, Default)]
pub(crate) struct HistoryCache {
    local: Option<TtlCache<String, History>>,
    /// The shared cache and the prefix that keeps partners and environments apart.
    shared: Option<(Arc<dyn SharedCache>, String)>,
    ttl: Duration,
}

impl HistoryCache {
    /// Caches for `ttl` (`None`: no cache at all), in memory and in `shared` if given; `scope`
    /// names the client (base URL and client id) in the shared keys.
    pub(crate) fn new(
        ttl: Option<Duration>,
        shared: Option<Arc<dyn SharedCache>>,
        scope: &str,
    ) -> Self {
        let Some(ttl) = ttl else {
            return HistoryCache::default();
        };
        HistoryCache {
            local: Some(TtlCache::new(ttl)),
            shared: shared.map(|cache| (cache, format!("history:{scope}|"))),
            ttl,
        }
    }

    pub(crate) async fn get(&self, iccid: &str) -> Option<History> {
        let local = self.local.as_ref()?;
        if let Some(entries) = local.get(&iccid.to_string()) {
            return Some(entries);
        }
        let (shared, prefix) = self.shared.as_ref()?;
        let bytes = shared.get(&format!("{prefix}{iccid}")).await?;
        let entries: History = serde_json::from_slice(&bytes).ok()?;
        local.insert(iccid.to_string(), entries.clone());
        Some(entries)
    }

    pub(crate) async fn insert(&self, iccid: String, entries: &History) {
        if let Some((shared, prefix)) = &self.shared
            && let Ok(bytes) = serde_json::to_vec(entries)
        {
            shared
                .put(&format!("{prefix}{iccid}"), bytes, self.ttl)
                .await;
        }
        if let Some(local) = &self.local {
            local.insert(iccid, entries.clone());
        }
    }

    /// Forgets `iccid`'s history here and in the shared cache (a top-up changed it).
    pub(crate) async fn remove(&self, iccid: &str) {
        if let Some(local) = &self.local {
            local.remove(&iccid.to_string());
        }
        if let Some((shared, prefix)) = &self.shared {
            shared.remove(&format!("{prefix}{iccid}")).await;
        }
    }
}

/// Entries expire `ttl` after insertion; at most `MAX_ENTRIES` are kept (expired ones are
/// dropped first, then the oldest).
#[derive(Debug)]
pub(crate) struct TtlCache<K, V> {
    ttl: Duration,
    entries: Mutex<HashMap<K, (Instant, V)>>,
}

const MAX_ENTRIES: usize = 10_000;

impl<K: Eq + Hash + Clone, V: Clone> TtlCache<K, V> {
    pub(crate) fn new(ttl: Duration) -> Self {
        TtlCache {
            ttl,
            entries: Mutex::new(HashMap::new()),
        }
    }

    pub(crate) fn get(&self, key: &K) -> Option<V> {
        let entries = self.entries.lock().ok()?;
        let (at, value) = entries.get(key)?;
        (at.elapsed() < self.ttl).then(|| value.clone())
    }

    pub(crate) fn insert(&self, key: K, value: V) {
        let Ok(mut entries) = self.entries.lock() else {
            return;
        };
        if entries.len() >= MAX_ENTRIES {
            let ttl = self.ttl;
            entries.retain(|_, (at, _)| at.elapsed() < ttl);
            if entries.len() >= MAX_ENTRIES
                && let Some(oldest) = entries
                    .iter()
                    .min_by_key(|(_, (at, _))| *at)
                    .map(|(k, _)| k.clone())
            {
                entries.remove(&oldest);
            }
        }
        entries.insert(key, (Instant::now(), value));
    }

    pub(crate) fn remove(&self, key: &K) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.remove(key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn entries_expire() {
        let cache = TtlCache::new(Duration::from_secs(60));
        cache.insert("a", 1);
        tokio::time::advance(Duration::from_secs(59)).await;
        assert_eq!(cache.get(&"a"), Some(1));
        tokio::time::advance(Duration::from_secs(1)).await;
        assert_eq!(cache.get(&"a"), None);
        cache.insert("b", 2);
        cache.remove(&"b");
        assert_eq!(cache.get(&"b"), None);
    }
}
