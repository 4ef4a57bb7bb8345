//! The token store backed by one JSON file, shared safely by several stores and processes.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::{Token, TokenKey};

/// Keeps tokens in one JSON file, so that separate runs of a program (a CLI) reuse a token.
///
/// The file is written with mode 0600 (through a temporary file and a rename), holds one entry
/// per base URL and client id, and never holds the client secret. On Unix a file that other
/// users can write, or that another user owns, is refused (treated as empty and not trusted).
///
/// Several stores and several processes may share one file (tenants of one host, parallel
/// CLI runs): each save or clear reads, changes and writes the file while holding an advisory
/// lock on `<file>.lock` (`flock`, Unix), and each write goes through a temporary file of its
/// own, so no saved token is lost and no writer replaces another's half-written file. Elsewhere
/// than Unix only the stores of one process exclude each other.
#[derive(Debug)]
pub struct FileTokenStore {
    path: PathBuf,
    lock: Mutex<()>,
}

#[derive(Default, Serialize, Deserialize)]
struct FileContents {
    entries: Vec<FileEntry>,
}

#[derive(Serialize, Deserialize)]
struct FileEntry {
    base_url: String,
    client_id: String,
    /// Entries written before fingerprints existed match no key and are replaced.
    #[serde(default)]
    secret_fingerprint: String,
    access_token: String,
    obtained_at: u64,
    expires_at: u64,
}

impl FileEntry {
    fn matches(&self, key: &TokenKey) -> bool {
        self.base_url == key.base_url
            && self.client_id == key.client_id
            && self.secret_fingerprint == key.secret_fingerprint
    }
}

/// Makes each temporary file's name unique within the process (with the pid and a random
/// part, across processes too).
static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

impl FileTokenStore {
    /// A store backed by the file at `path` (created on first save, with its directory).
    pub fn new(path: impl Into<PathBuf>) -> Self {
        FileTokenStore {
            path: path.into(),
            lock: Mutex::new(()),
        }
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A sibling of the file: its name with `suffix` appended.
    fn sibling(&self, suffix: &str) -> PathBuf {
        let mut name = self.path.file_name().unwrap_or_default().to_os_string();
        name.push(suffix);
        self.path.with_file_name(name)
    }

    fn read(&self) -> FileContents {
        match std::fs::read(&self.path) {
            Ok(bytes) if self.is_trusted() => serde_json::from_slice(&bytes).unwrap_or_default(),
            Ok(_) => {
                tracing::warn!(path = %self.path.display(), "token cache file is writable by others or not ours; ignoring it");
                FileContents::default()
            }
            Err(_) => FileContents::default(),
        }
    }

    /// Refuses a file that group or others can write, or that another user owns.
    #[cfg(unix)]
    fn is_trusted(&self) -> bool {
        use std::os::unix::fs::MetadataExt;
        let Ok(meta) = std::fs::metadata(&self.path) else {
            return false;
        };
        let others_can_write = meta.mode() & 0o022 != 0;
        // `/proc/self` is owned by the process's effective user (Linux); elsewhere the owner
        // check is skipped and the mode check stands alone.
        let ours = std::fs::metadata("/proc/self").map_or(true, |me| me.uid() == meta.uid());
        !others_can_write && ours
    }

    #[cfg(not(unix))]
    fn is_trusted(&self) -> bool {
        true
    }

    fn create_dir(&self) -> std::io::Result<()> {
        if let Some(dir) = self.path.parent().filter(|d| !d.as_os_str().is_empty()) {
            // A directory we create is private to this user (0700 on Unix).
            let mut builder = std::fs::DirBuilder::new();
            builder.recursive(true);
            #[cfg(unix)]
            {
                use std::os::unix::fs::DirBuilderExt;
                builder.mode(0o700);
            }
            builder.create(dir)?;
        }
        Ok(())
    }

    /// Opens a new file for writing, readable by this user only; `create_new` so that it is
    /// never one another writer has open.
    fn open_private(path: &Path, create_new: bool) -> std::io::Result<File> {
        let mut options = std::fs::OpenOptions::new();
        options.write(true);
        if create_new {
            options.create_new(true);
        } else {
            options.create(true);
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        options.open(path)
    }

    /// Holds the advisory lock on `<file>.lock` until the returned file is dropped.
    fn lock_file(&self) -> std::io::Result<File> {
        let file = Self::open_private(&self.sibling(".lock"), false)?;
        #[cfg(unix)]
        rustix::fs::flock(&file, rustix::fs::FlockOperation::LockExclusive)?;
        Ok(file)
    }

    fn write(&self, contents: &FileContents) -> std::io::Result<()> {
        let bytes = serde_json::to_vec_pretty(contents).map_err(std::io::Error::other)?;
        let tmp = self.sibling(&format!(
            ".tmp.{}.{}.{:016x}",
            std::process::id(),
            TEMP_COUNTER.fetch_add(1, Ordering::Relaxed),
            fastrand::u64(..),
        ));
        let written = (|| {
            let mut file = Self::open_private(&tmp, true)?;
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
            }
            file.write_all(&bytes)?;
            file.sync_all()?;
            std::fs::rename(&tmp, &self.path)
        })();
        if written.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        written
    }

    /// Reads, changes and writes the file under both locks: the in-process one (stores of this
    /// value's threads) and the advisory file lock (other stores and processes).
    fn update(&self, f: impl FnOnce(&mut FileContents)) {
        let Ok(_guard) = self.lock.lock() else { return };
        let result = self.create_dir().and_then(|()| {
            let _lock = self.lock_file()?;
            let mut contents = self.read();
            f(&mut contents);
            self.write(&contents)
        });
        if let Err(err) = result {
            tracing::warn!(path = %self.path.display(), error = %err, "could not write the token cache file");
        }
    }
}

fn secs(t: SystemTime) -> u64 {
    t.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

impl FileTokenStore {
    /// The stored token for `key`, if any (the blocking form of [`TokenStore::load`](super::TokenStore::load)).
    pub fn load(&self, key: &TokenKey) -> Option<Token> {
        // Writers replace the file by a rename, so a read without the file lock sees a whole
        // file, old or new.
        let _guard = self.lock.lock().ok()?;
        let contents = self.read();
        let entry = contents.entries.into_iter().find(|e| e.matches(key))?;
        Some(Token::new(
            entry.access_token,
            UNIX_EPOCH + Duration::from_secs(entry.obtained_at),
            UNIX_EPOCH + Duration::from_secs(entry.expires_at),
        ))
    }

    /// Stores `token` for `key` (the blocking form of [`TokenStore::save`](super::TokenStore::save)).
    pub fn save(&self, key: &TokenKey, token: &Token) {
        self.update(|contents| {
            contents
                .entries
                // A token obtained with a new secret replaces one of the old secret.
                .retain(|e| !(e.base_url == key.base_url && e.client_id == key.client_id));
            contents.entries.push(FileEntry {
                base_url: key.base_url.clone(),
                client_id: key.client_id.clone(),
                secret_fingerprint: key.secret_fingerprint.clone(),
                access_token: token.secret().to_string(),
                obtained_at: secs(token.obtained_at),
                expires_at: secs(token.expires_at),
            });
        });
    }

    /// Forgets the token for `key` (the blocking form of [`TokenStore::clear`](super::TokenStore::clear)).
    pub fn clear(&self, key: &TokenKey) {
        self.update(|contents| {
            contents.entries.retain(|e| !e.matches(key));
        });
    }
}

// The file is small and read or written only when a client has no token in memory, so the
// work is done in place rather than on a blocking thread.
super::blocking_token_store!(FileTokenStore);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::token::tests::{fresh, key};

    #[cfg(unix)]
    #[test]
    fn file_store_round_trips_with_mode_0600_and_never_the_secret() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache").join("tokens.json");
        let store = FileTokenStore::new(&path);
        assert!(store.load(&key()).is_none());
        store.save(&key(), &fresh("tok-1"));
        let other = TokenKey::new("https://api.example.com", "other", "secret");
        store.save(&other, &fresh("tok-2"));
        assert_eq!(store.load(&key()).unwrap().secret(), "tok-1");
        assert_eq!(store.load(&other).unwrap().secret(), "tok-2");
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let lock_mode = std::fs::metadata(store.sibling(".lock"))
            .unwrap()
            .permissions()
            .mode()
            & 0o777;
        assert_eq!(lock_mode, 0o600);
        store.clear(&key());
        assert!(store.load(&key()).is_none());
        assert!(store.load(&other).is_some());
        assert!(!std::fs::read_to_string(&path).unwrap().contains("secret\""));
        // No temporary file is left behind.
        let names: Vec<_> = std::fs::read_dir(path.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        assert!(names.iter().all(|n| !n.contains(".tmp.")), "{names:?}");

        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o666)).unwrap();
        assert!(
            store.load(&other).is_none(),
            "a world-writable cache must not be trusted"
        );
    }
}
