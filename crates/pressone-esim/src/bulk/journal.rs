//! The journal of a bulk run: what happened to each line, durable before each request.

use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::{self, BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::models::Timestamp;

/// Where a line of a bulk run stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LineState {
    /// Recorded (durably) just before the request was sent: the order may exist.
    Sending,
    /// The server answered with the order.
    Placed,
    /// The request may have reached the server and no answer said what happened (timeout,
    /// dropped connection, 5xx, unreadable answer): the order may exist.
    Unclear,
    /// The order certainly does not exist (the server refused it, or it was never sent).
    Failed,
}

/// One record of a [`Journal`]: a line's new state. The last record of a description wins.
///
/// In a [`FileJournal`] each record is one JSON object on its own line, e.g.
/// `{"description":"bulk-3f…","line":3,"state":"placed","order_id":1042,"order_code":"20250314-000042","at":"2025-03-14T09:26:53Z"}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct JournalRecord {
    /// The line's description: its key (unique in a run).
    pub description: String,
    /// The line's position in the run's input (1-based).
    pub line: usize,
    /// The new state.
    pub state: LineState,
    /// The order's id, once known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_id: Option<i64>,
    /// The order's code, once known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_code: Option<String>,
    /// Why the line failed or is unclear (one line, from the SDK's error).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// When the record was written.
    pub at: Timestamp,
}

impl JournalRecord {
    /// A record of `state` for a line, written now.
    pub fn new(description: impl Into<String>, line: usize, state: LineState) -> Self {
        JournalRecord {
            description: description.into(),
            line,
            state,
            order_id: None,
            order_code: None,
            error: None,
            at: chrono::Utc::now(),
        }
    }

    /// The same record with the order's id and code.
    pub fn with_order(mut self, id: i64, code: Option<String>) -> Self {
        self.order_id = Some(id);
        self.order_code = code;
        self
    }

    /// The same record with an error text.
    pub fn with_error(mut self, error: impl Into<String>) -> Self {
        self.error = Some(error.into());
        self
    }
}

/// Where a bulk run records each line's state, so that a second run with the same journal
/// finishes the job without ordering anything twice.
///
/// The contract a bulk run relies on: when [`record`](Journal::record) returns `Ok`, the record
/// survives a crash of the process (and, for a file, of the machine); [`records`](Journal::records)
/// gives back every record written so far, oldest first. A run records `sending` before each
/// request and does not send it when that fails.
///
/// One run per journal at a time: two processes sharing a journal could both send a line.
pub trait Journal: Send {
    /// Every record so far, oldest first.
    fn records(&mut self) -> io::Result<Vec<JournalRecord>>;
    /// Appends a record; returns once it is durable.
    fn record(&mut self, record: &JournalRecord) -> io::Result<()>;
}

/// The last record of each description.
pub(crate) fn latest(records: Vec<JournalRecord>) -> HashMap<String, JournalRecord> {
    let mut map = HashMap::new();
    for record in records {
        map.insert(record.description.clone(), record);
    }
    map
}

/// A journal in a file of JSON lines (append-only), each record synced to disk (`fsync`)
/// before [`record`](Journal::record) returns.
///
/// A last line cut short by a crash (no final newline) is removed when the journal is opened:
/// it was never synced, so the request it announced was never sent (or, for an answer's
/// record, the line's earlier `sending` record still stands and is resolved by a look-up). Any
/// other unreadable line is an error: the file is not a journal.
#[derive(Debug)]
pub struct FileJournal {
    path: PathBuf,
    file: File,
}

impl FileJournal {
    /// Opens the journal at `path`, creating it (and syncing its directory, so that the new
    /// file survives a crash) when it does not exist.
    pub fn open(path: impl AsRef<Path>) -> io::Result<Self> {
        let path = path.as_ref().to_path_buf();
        let existed = path.exists();
        let mut options = OpenOptions::new();
        options.read(true).append(true).create(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let file = options.open(&path)?;
        if !existed {
            file.sync_all()?;
            sync_parent(&path)?;
        }
        let bytes = std::fs::read(&path)?;
        if bytes.last().is_some_and(|b| *b != b'\n') {
            let keep = bytes.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
            file.set_len(keep as u64)?;
            file.sync_all()?;
        }
        Ok(FileJournal { path, file })
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

#[cfg(unix)]
fn sync_parent(path: &Path) -> io::Result<()> {
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    File::open(parent)?.sync_all()
}

#[cfg(not(unix))]
fn sync_parent(_path: &Path) -> io::Result<()> {
    Ok(())
}

impl Journal for FileJournal {
    fn records(&mut self) -> io::Result<Vec<JournalRecord>> {
        let reader = BufReader::new(File::open(&self.path)?);
        let mut records = Vec::new();
        for (index, line) in reader.split(b'\n').enumerate() {
            let line = line?;
            let number = index + 1;
            if line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            match serde_json::from_slice::<JournalRecord>(&line) {
                Ok(record) => records.push(record),
                Err(e) => {
                    return Err(io::Error::new(
                        io::ErrorKind::InvalidData,
                        format!(
                            "{} line {number} is not a journal record: {e}",
                            self.path.display()
                        ),
                    ));
                }
            }
        }
        Ok(records)
    }

    fn record(&mut self, record: &JournalRecord) -> io::Result<()> {
        let mut line = serde_json::to_vec(record).map_err(io::Error::other)?;
        line.push(b'\n');
        self.file.write_all(&line)?;
        self.file.sync_data()
    }
}
