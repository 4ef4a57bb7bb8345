//! Many items in one command: orders and top-ups from a CSV file (journaled, never placed
//! twice across runs), and the usage of many eSIMs.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use futures::StreamExt;
use pressone_esim::bulk::{
    BulkError, FileJournal, LineOutcome, LineReport, OrderLine, TopupLine, generated_description,
};
use pressone_esim::{Client, ErrorKind, SharingOption, Usage};
use serde::Serialize;

use crate::cli::{CreateManyArgs, ManySimsArgs, UsageArgs};
use crate::error::{CliError, EXIT_MAYBE_DONE, EXIT_OK, Reference, api_exit_code, describe};
use crate::output::{Printer, Row, prefix};
use crate::table::{ForSim, data_text};

/// An item's failure in a list: what kind, the one-line message, the exit code it would have
/// alone.
#[derive(Debug, Serialize)]
pub struct ItemError {
    /// e.g. `not_found`, `rate_limited`, `transport`.
    pub kind: &'static str,
    /// One line.
    pub message: String,
    /// The exit code of this failure alone.
    pub exit_code: u8,
}

impl ItemError {
    /// The view of an SDK error.
    pub fn new(err: &pressone_esim::Error) -> Self {
        ItemError {
            kind: kind_name(err.kind()),
            message: describe(err),
            exit_code: api_exit_code(err),
        }
    }
}

fn kind_name(kind: &ErrorKind) -> &'static str {
    match kind {
        ErrorKind::Authentication => "authentication",
        ErrorKind::Forbidden { .. } => "forbidden",
        ErrorKind::NotFound => "not_found",
        ErrorKind::Validation { .. } => "validation",
        ErrorKind::Business { .. } => "business",
        ErrorKind::RateLimited { .. } => "rate_limited",
        ErrorKind::Server => "server",
        ErrorKind::UnexpectedStatus => "unexpected_status",
        ErrorKind::Transport => "transport",
        ErrorKind::Timeout => "timeout",
        ErrorKind::Decode { .. } => "decode",
        ErrorKind::InvalidInput { .. } => "invalid_input",
        ErrorKind::Config { .. } => "config",
        _ => "other",
    }
}

/// The most serious of several exit codes: 9 (may have been carried out), then 3, 2, 8, 7, 6,
/// 4, 5, 1; `None` when all are 0.
pub fn most_serious(codes: impl IntoIterator<Item = u8>) -> Option<u8> {
    const ORDER: [u8; 9] = [9, 3, 2, 8, 7, 6, 4, 5, 1];
    let rank = |code: u8| ORDER.iter().position(|c| *c == code).unwrap_or(ORDER.len());
    codes
        .into_iter()
        .filter(|c| *c != EXIT_OK)
        .min_by_key(|c| rank(*c))
}

/// `Ok` when no item failed, else `Reported` with the most serious item's exit code.
fn reported<'a>(
    errors: impl IntoIterator<Item = &'a ItemError>,
    message: impl FnOnce() -> String,
) -> Result<(), CliError> {
    match most_serious(errors.into_iter().map(|e| e.exit_code)) {
        None => Ok(()),
        Some(code) => Err(CliError::Reported {
            code,
            message: message(),
        }),
    }
}

/// ICCIDs from the arguments, then from the file (`-`: stdin), one per line; blank lines and
/// `#` comments skipped.
pub fn read_iccids(sims: &ManySimsArgs) -> Result<Vec<String>, CliError> {
    let mut all = sims.iccids.clone();
    if let Some(path) = sims.from_file.as_deref() {
        let text = if path == Path::new("-") {
            std::io::read_to_string(std::io::stdin())
                .map_err(|e| CliError::other(format!("could not read standard input: {e}")))?
        } else {
            std::fs::read_to_string(path)
                .map_err(|e| CliError::Usage(format!("could not read {}: {e}", path.display())))?
        };
        all.extend(
            text.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .map(str::to_string),
        );
    }
    if all.is_empty() {
        return Err(CliError::Usage("no ICCID given".into()));
    }
    Ok(all)
}

/// One ICCID's usage or failure, as printed.
#[derive(Debug, Serialize)]
struct UsageItem {
    iccid: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    usage: Option<Usage>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<ItemError>,
}

impl Row for UsageItem {
    fn headers() -> &'static [&'static str] {
        &["ICCID", "Status", "Data", "Expires", "Error"]
    }
    fn cells(&self) -> Vec<String> {
        match (&self.usage, &self.error) {
            (Some(usage), _) => vec![
                self.iccid.clone(),
                usage.status.to_string(),
                data_text(usage),
                usage
                    .expires_at
                    .map(|t| t.format("%Y-%m-%d %H:%M").to_string())
                    .unwrap_or_default(),
                String::new(),
            ],
            (None, error) => vec![
                self.iccid.clone(),
                "-".into(),
                "-".into(),
                "-".into(),
                error
                    .as_ref()
                    .map(|e| e.message.clone())
                    .unwrap_or_default(),
            ],
        }
    }
}

/// `sims usage`: one ICCID prints one object (as always); several, or --from-file, one row
/// per ICCID in input order, exiting with the most serious failure's code.
pub async fn usage(client: &Client, args: UsageArgs, out: Printer) -> Result<(), CliError> {
    if args.sims.from_file.is_none()
        && let [iccid] = args.sims.iccids.as_slice()
    {
        let usage = client.sims().usage(iccid).await?;
        return out.item(&ForSim {
            iccid,
            item: &usage,
        });
    }
    let iccids = read_iccids(&args.sims)?;
    let items: Vec<UsageItem> = client
        .sims()
        .usage_many(iccids)
        .concurrency(usize::from(args.sims.concurrency))
        .stream()
        .map(|(iccid, result)| match result {
            Ok(usage) => UsageItem {
                iccid,
                usage: Some(usage),
                error: None,
            },
            Err(err) => UsageItem {
                iccid,
                usage: None,
                error: Some(ItemError::new(&err)),
            },
        })
        .collect()
        .await;
    out.list(&items, "No eSIMs.")?;
    let failed: Vec<&UsageItem> = items.iter().filter(|i| i.error.is_some()).collect();
    reported(items.iter().filter_map(|i| i.error.as_ref()), || {
        format!(
            "{} of {} eSIMs failed (first: {})",
            failed.len(),
            items.len(),
            failed.first().map_or("", |i| i.iccid.as_str())
        )
    })
}

/// One CSV line: its number in the file, its fields by column, its text for the description.
struct CsvLine {
    line: u64,
    fields: HashMap<String, String>,
    content: String,
}

impl CsvLine {
    fn get(&self, column: &str) -> Option<&str> {
        self.fields
            .get(column)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    fn required(&self, column: &str) -> Result<&str, CliError> {
        self.get(column).ok_or_else(|| {
            CliError::Usage(format!("line {}: the {column} column is empty", self.line))
        })
    }

    /// The line's description, or the stable generated one.
    fn description(&self, source: &str) -> String {
        match self.get("description") {
            Some(d) => d.to_string(),
            None => generated_description(source, self.line, &self.content),
        }
    }
}

/// Reads a CSV file with a header; returns the file's identity (its canonical path) and lines.
fn read_csv(
    path: &Path,
    required: &[&str],
    optional: &[&str],
) -> Result<(String, Vec<CsvLine>), CliError> {
    let bad = |e: &dyn std::fmt::Display| CliError::Usage(format!("{}: {e}", path.display()));
    let source = std::fs::canonicalize(path).map_err(|e| bad(&e))?;
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_path(path)
        .map_err(|e| bad(&e))?;
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| bad(&e))?
        .iter()
        .map(str::to_ascii_lowercase)
        .collect();
    for h in &headers {
        if !required.contains(&h.as_str()) && !optional.contains(&h.as_str()) {
            return Err(bad(&format!(
                "unknown column {h:?} (columns: {}, optional {})",
                required.join(","),
                optional.join(",")
            )));
        }
    }
    for r in required {
        if !headers.iter().any(|h| h == r) {
            return Err(bad(&format!("the header has no {r} column")));
        }
    }
    let mut lines = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| bad(&e))?;
        let line = record.position().map_or(0, csv::Position::line);
        let fields = headers
            .iter()
            .cloned()
            .zip(record.iter().map(str::to_string))
            .collect();
        let content = record.iter().collect::<Vec<_>>().join(",");
        lines.push(CsvLine {
            line,
            fields,
            content,
        });
    }
    if lines.is_empty() {
        return Err(bad(&"no line under the header"));
    }
    Ok((source.display().to_string(), lines))
}

fn journal_path(args: &CreateManyArgs) -> PathBuf {
    args.journal.clone().unwrap_or_else(|| {
        let mut name = args.file.file_name().unwrap_or_default().to_os_string();
        name.push(".journal.jsonl");
        args.file.with_file_name(name)
    })
}

fn open_journal(args: &CreateManyArgs) -> Result<FileJournal, CliError> {
    let path = journal_path(args);
    FileJournal::open(&path).map_err(|e| {
        CliError::other(format!(
            "could not open the journal {}: {e}",
            path.display()
        ))
    })
}

/// `orders create-many`.
pub async fn orders(client: &Client, args: CreateManyArgs, out: Printer) -> Result<(), CliError> {
    let (source, csv) = read_csv(
        &args.file,
        &["package_id", "quantity"],
        &["description", "email_to", "brand"],
    )?;
    let mut lines = Vec::with_capacity(csv.len());
    for l in &csv {
        let quantity = l.required("quantity")?.parse::<u32>().map_err(|_| {
            CliError::Usage(format!(
                "line {}: the quantity is not a whole number",
                l.line
            ))
        })?;
        let mut line = OrderLine::new(l.description(&source), l.required("package_id")?, quantity);
        if let Some(to) = l.get("email_to") {
            line = line.email_to(to, &[SharingOption::Link]);
        }
        if let Some(brand) = l.get("brand") {
            line = line.brand_settings_name(brand);
        }
        lines.push(line);
    }
    let mut journal = open_journal(&args)?;
    let reports = client.orders().create_many(lines, &mut journal).await;
    finish(reports, &csv, "order", out)
}

/// `topups create-many`.
pub async fn topups(client: &Client, args: CreateManyArgs, out: Printer) -> Result<(), CliError> {
    let (source, csv) = read_csv(&args.file, &["iccid", "package_id"], &["description"])?;
    let mut lines = Vec::with_capacity(csv.len());
    for l in &csv {
        lines.push(TopupLine::new(
            l.description(&source),
            l.required("iccid")?,
            l.required("package_id")?,
        ));
    }
    let mut journal = open_journal(&args)?;
    let reports = client.topups().create_many(lines, &mut journal).await;
    finish(reports, &csv, "top-up", out)
}

/// One line's result, as printed.
#[derive(Debug, Serialize)]
struct LineView {
    /// The line's number in the file.
    line: u64,
    description: String,
    /// `placed`, `already_placed`, `found`, `unclear` or `failed`.
    result: &'static str,
    order_id: Option<i64>,
    order_code: Option<String>,
    iccids: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<ItemError>,
}

impl Row for LineView {
    fn headers() -> &'static [&'static str] {
        &["Line", "Description", "Result", "Order", "eSIMs / error"]
    }
    fn cells(&self) -> Vec<String> {
        let last = match &self.error {
            Some(e) => e.message.clone(),
            None => self.iccids.join(" "),
        };
        vec![
            self.line.to_string(),
            self.description.clone(),
            self.result.to_string(),
            self.order_code
                .clone()
                .or(self.order_id.map(|i| i.to_string()))
                .unwrap_or_default(),
            last,
        ]
    }
    fn whole_columns() -> &'static [usize] {
        &[0, 1, 3]
    }
}

fn view(report: LineReport, csv: &[CsvLine]) -> LineView {
    let line = csv.get(report.line - 1).map_or(0, |l| l.line);
    let result = report.outcome.name();
    let order_id = report.outcome.order_id();
    let (order_code, iccids, error) = match report.outcome {
        LineOutcome::Placed(o) | LineOutcome::Found(o) => (
            o.code.clone(),
            o.esims.iter().map(|e| e.iccid.clone()).collect(),
            None,
        ),
        LineOutcome::AlreadyPlaced { order_code, .. } => (order_code, Vec::new(), None),
        LineOutcome::Unclear(err) => {
            let mut e = ItemError::new(&err);
            e.exit_code = EXIT_MAYBE_DONE;
            (None, Vec::new(), Some(e))
        }
        LineOutcome::Failed(err) => (None, Vec::new(), Some(ItemError::new(&err))),
        _ => (None, Vec::new(), None),
    };
    LineView {
        line,
        description: report.description,
        result,
        order_id,
        order_code,
        iccids,
        error,
    }
}

fn finish(
    reports: Result<Vec<LineReport>, BulkError>,
    csv: &[CsvLine],
    what: &str,
    out: Printer,
) -> Result<(), CliError> {
    let reports = reports.map_err(|e| match e {
        BulkError::Input { line, message } => {
            let line = csv.get(line.wrapping_sub(1)).map_or(0, |l| l.line);
            CliError::Usage(format!("line {line}: {message}; nothing was sent"))
        }
        BulkError::Journal { sent: true, .. } => CliError::other(format!(
            "{e}: that {what} may have been placed; run the same command again (it looks it up before sending anything)"
        )),
        other => CliError::other(format!("{other}; the line was not sent")),
    })?;
    let views: Vec<LineView> = reports.into_iter().map(|r| view(r, csv)).collect();
    out.list(&views, "No lines.")?;
    let unclear: Vec<&LineView> = views.iter().filter(|v| v.result == "unclear").collect();
    if let Some(first) = unclear.first() {
        eprintln!(
            "{} {} line(s) may have been placed (first: line {}, check with `{}`): run the same command again; it looks them up by description and never sends them twice",
            prefix("note"),
            unclear.len(),
            first.line,
            Reference::Description(first.description.clone()).check_command()
        );
    }
    let failed = views.iter().filter(|v| v.error.is_some()).count();
    reported(views.iter().filter_map(|v| v.error.as_ref()), || {
        format!(
            "{failed} of {} lines not placed ({} unclear); the journal keeps every line's state",
            views.len(),
            unclear.len()
        )
    })
}
