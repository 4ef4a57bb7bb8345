//! `sims watch`: alerts when eSIMs run low on data, once (for cron) or every interval.

use std::collections::HashSet;
use std::time::Duration;

use futures::StreamExt;
use pressone_esim::{Client, Usage};
use serde::Serialize;

use crate::cli::{Threshold, WatchArgs};
use crate::commands::bulk::{most_serious, read_iccids};
use crate::error::{CliError, EXIT_BELOW_THRESHOLD, api_exit_code, describe};
use crate::output::{Printer, prefix, write_stdout};

/// The API caches usage for 20 minutes: polling faster only repeats its answer.
const DEFAULT_INTERVAL: Duration = Duration::from_secs(20 * 60);

/// One eSIM below the level.
#[derive(Debug, Serialize)]
struct Alert {
    iccid: String,
    status: String,
    remaining_mb: i64,
    total_mb: i64,
    /// Whole percent of the plan left (rounded down).
    remaining_percent: Option<i64>,
    /// The level, as given (`20%`, `500MB`).
    below: String,
    checked_at: String,
}

impl Alert {
    fn text(&self) -> String {
        let percent = self
            .remaining_percent
            .map(|p| format!(" ({p}%)"))
            .unwrap_or_default();
        format!(
            "ALERT {}: {} of {} MB left{percent}, below {} [{}]\n",
            self.iccid, self.remaining_mb, self.total_mb, self.below, self.status
        )
    }
}

fn level_text(level: Threshold) -> String {
    match level {
        Threshold::Percent(p) => format!("{p}%"),
        Threshold::Megabytes(mb) => format!("{mb}MB"),
    }
}

/// The alert for this usage, when its data is below the level (unlimited plans never are).
fn below(iccid: &str, usage: &Usage, level: Threshold) -> Option<Alert> {
    let data = usage.data_mb?;
    let percent = (data.total > 0).then(|| data.remaining.saturating_mul(100) / data.total);
    let low = match level {
        Threshold::Percent(p) => {
            data.total > 0 && data.remaining.saturating_mul(100) < i64::from(p) * data.total
        }
        Threshold::Megabytes(mb) => data.remaining < mb,
    };
    low.then(|| Alert {
        iccid: iccid.to_string(),
        status: usage.status.to_string(),
        remaining_mb: data.remaining,
        total_mb: data.total,
        remaining_percent: percent,
        below: level_text(level),
        checked_at: chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string(),
    })
}

/// Checks every eSIM; prints an alert line per eSIM that is (with `only_new`: newly) below the
/// level; returns how many are below and the failures' exit codes.
async fn check(
    client: &Client,
    args: &WatchArgs,
    iccids: &[String],
    alerted: &mut HashSet<String>,
    only_new: bool,
    out: Printer,
) -> Result<(usize, Vec<u8>), CliError> {
    let mut results = client
        .sims()
        .usage_many(iccids.to_vec())
        .concurrency(usize::from(args.sims.concurrency))
        .stream();
    let mut low = 0;
    let mut failures = Vec::new();
    while let Some((iccid, result)) = results.next().await {
        match result {
            Ok(usage) => match below(&iccid, &usage, args.below) {
                Some(alert) => {
                    low += 1;
                    if alerted.insert(iccid) || !only_new {
                        let line = if out.is_json() {
                            serde_json::to_string(&alert)
                                .map(|l| format!("{l}\n"))
                                .map_err(|e| CliError::other(format!("could not encode: {e}")))?
                        } else {
                            alert.text()
                        };
                        write_stdout(&line)?;
                    }
                }
                None => {
                    alerted.remove(&iccid);
                }
            },
            Err(err) => {
                eprintln!("{} {iccid}: {}", prefix("warning"), describe(&err));
                failures.push(api_exit_code(&err));
            }
        }
    }
    Ok((low, failures))
}

/// `sims watch`.
pub async fn run(client: &Client, args: WatchArgs, out: Printer) -> Result<(), CliError> {
    let iccids = read_iccids(&args.sims)?;
    let mut alerted = HashSet::new();
    if args.once {
        let (low, failures) = check(client, &args, &iccids, &mut alerted, false, out).await?;
        return match most_serious(failures.iter().copied()) {
            Some(code) => Err(CliError::Reported {
                code,
                message: format!(
                    "{} of {} eSIMs could not be checked",
                    failures.len(),
                    iccids.len()
                ),
            }),
            None if low > 0 => Err(CliError::Reported {
                code: EXIT_BELOW_THRESHOLD,
                message: format!(
                    "{low} of {} eSIMs below {}",
                    iccids.len(),
                    level_text(args.below)
                ),
            }),
            None => Ok(()),
        };
    }
    let interval = args.interval.unwrap_or(DEFAULT_INTERVAL);
    eprintln!(
        "{} watching {} eSIMs every {}s (Ctrl-C stops)",
        prefix("note"),
        iccids.len(),
        interval.as_secs()
    );
    loop {
        check(client, &args, &iccids, &mut alerted, true, out).await?;
        tokio::select! {
            () = tokio::time::sleep(interval) => {}
            _ = tokio::signal::ctrl_c() => return Ok(()),
        }
    }
}
