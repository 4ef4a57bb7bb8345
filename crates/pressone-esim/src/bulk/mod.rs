//! Bulk work: the usage of many eSIMs, and many orders or top-ups that are never placed twice.
//!
//! # Usage of many eSIMs
//!
//! [`Sims::usage_many`](crate::Sims::usage_many) asks for the usage of many ICCIDs with a
//! concurrency cap (default 8) and yields `(iccid, Result<Usage>)` **in input order**; a 429
//! pauses the whole batch instead of failing items (see [`UsageMany`]).
//!
//! ```no_run
//! # async fn run(client: pressone_esim::Client) {
//! use futures::StreamExt;
//!
//! let mut results = client.sims().usage_many(["8944465400000267221", "8944465400000267222"]).stream();
//! while let Some((iccid, usage)) = results.next().await {
//!     match usage {
//!         Ok(usage) => println!("{iccid}: {:?} MB left", usage.remaining_mb()),
//!         Err(err) => println!("{iccid}: {err}"),
//!     }
//! }
//! # }
//! ```
//!
//! # Many orders, with a journal
//!
//! [`Orders::create_many`](crate::Orders::create_many) and
//! [`Topups::create_many`](crate::Topups::create_many) place one line after another and
//! record each line's state in a [`Journal`] ([`FileJournal`]: JSON lines, synced to disk):
//!
//! 1. `sending` is recorded, durably, **before** the request is sent (a failure to record it
//!    stops the run: nothing is sent);
//! 2. then `placed` with the order's id, `unclear` when the request may have reached the server
//!    without an answer saying what happened (timeout, dropped connection, 5xx), or `failed`
//!    when the order certainly does not exist (refused by the server, never sent).
//!
//! A second run with the same journal and lines skips `placed` lines; for `sending` and
//! `unclear` lines it looks the order up by its description
//! ([`Orders::find_by_description`](crate::Orders::find_by_description), every page): found,
//! the line is `placed`; certainly absent, it is sent; when the look-up fails, the line stays
//! unclear and is **not** sent. `failed` lines are sent again. So a line that may exist on the
//! server is never sent again, and running the same job until no line is unclear or failed
//! places every line exactly once.
//!
//! Every line needs a description unique in the run (checked before anything is sent): your
//! own reference, or [`generated_description`] for the lines of a file.
//!
//! ```no_run
//! # async fn run(client: pressone_esim::Client) -> Result<(), Box<dyn std::error::Error>> {
//! use pressone_esim::bulk::{FileJournal, OrderLine};
//!
//! let mut journal = FileJournal::open("orders.journal.jsonl")?;
//! let lines = vec![
//!     OrderLine::new("shop-1042", "kallur-digital-7days-1gb", 1),
//!     OrderLine::new("shop-1043", "kallur-digital-7days-1gb", 2),
//! ];
//! for report in client.orders().create_many(lines, &mut journal).await? {
//!     println!("line {} {}: {}", report.line, report.description, report.outcome.name());
//! }
//! # Ok(()) }
//! ```

mod create;
mod journal;
mod usage;

pub use create::{
    BulkError, LineOutcome, LineReport, OrderLine, TopupLine, generated_description, may_exist,
};
pub use journal::{FileJournal, Journal, JournalRecord, LineState};
pub use usage::{DEFAULT_CONCURRENCY, UsageMany};

pub(crate) use create::{Reports, run};
