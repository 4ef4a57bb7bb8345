//! The package history cache across runs. The API allows one history request per eSIM per
//! 15 minutes, so answers are kept in `<cache dir>/history/` (directory 0700, files 0600) for
//! 15 minutes and shared by every invocation, per API base URL, client id and ICCID.

use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, Utc};
use pressone_esim::PackageHistoryEntry;
use serde::{Deserialize, Serialize};

/// How long an answer is reused.
pub const TTL: Duration = Duration::from_secs(15 * 60);

/// One cached answer.
#[derive(Serialize, Deserialize)]
struct Entry {
    fetched_at: DateTime<Utc>,
    base_url: String,
    client_id: String,
    iccid: String,
    entries: Vec<PackageHistoryEntry>,
}

/// The cache for one API and client id.
#[derive(Clone, Debug)]
pub struct HistoryCache {
    dir: PathBuf,
    base_url: String,
    client_id: String,
}

impl HistoryCache {
    /// The cache in `<cache dir>/history` for this API and client id.
    pub fn new(cache_dir: &Path, base_url: &str, client_id: &str) -> Self {
        HistoryCache {
            dir: cache_dir.join("history"),
            base_url: base_url.to_string(),
            client_id: client_id.to_string(),
        }
    }

    fn file(&self, iccid: &str) -> PathBuf {
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        (&self.base_url, &self.client_id).hash(&mut hasher);
        let safe: String = iccid
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .take(32)
            .collect();
        self.dir
            .join(format!("{safe}-{:016x}.json", hasher.finish()))
    }

    /// A cached answer younger than 15 minutes, if any.
    pub fn get(&self, iccid: &str) -> Option<(Vec<PackageHistoryEntry>, DateTime<Utc>)> {
        let text = std::fs::read_to_string(self.file(iccid)).ok()?;
        let entry: Entry = serde_json::from_str(&text).ok()?;
        let age = Utc::now().signed_duration_since(entry.fetched_at);
        let fresh = age >= chrono::Duration::zero()
            && age.to_std().is_ok_and(|age| age < TTL)
            && entry.base_url == self.base_url
            && entry.client_id == self.client_id
            && entry.iccid == iccid;
        fresh.then_some((entry.entries, entry.fetched_at))
    }

    /// Keeps an answer (a failure to write is logged, not an error: the answer is printed).
    pub fn put(&self, iccid: &str, entries: &[PackageHistoryEntry]) {
        let entry = Entry {
            fetched_at: Utc::now(),
            base_url: self.base_url.clone(),
            client_id: self.client_id.clone(),
            iccid: iccid.to_string(),
            entries: entries.to_vec(),
        };
        if let Err(e) = self.write(iccid, &entry) {
            tracing::warn!(dir = %self.dir.display(), error = %e, "could not keep the package history");
        }
    }

    fn write(&self, iccid: &str, entry: &Entry) -> std::io::Result<()> {
        crate::connect::create_private_dir(&self.dir)?;
        let text = serde_json::to_vec(entry).map_err(std::io::Error::other)?;
        let path = self.file(iccid);
        let tmp = path.with_extension(format!("tmp{}", std::process::id()));
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        {
            use std::io::Write;
            let mut file = options.open(&tmp)?;
            file.write_all(&text)?;
            file.sync_all()?;
        }
        std::fs::rename(&tmp, &path)
    }
}
