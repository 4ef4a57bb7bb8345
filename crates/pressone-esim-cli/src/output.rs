//! Printing results: one JSON document, or tables that stay readable at 100 columns.

use std::io::{IsTerminal, Write};

use comfy_table::{ColumnConstraint, ContentArrangement, Table, presets};
use pressone_esim::{Decimal, Timestamp};
use serde::Serialize;

use crate::cli::OutputFormat;
use crate::error::CliError;

/// The widest a table gets when stdout is not a terminal of known width.
const DEFAULT_WIDTH: u16 = 100;
/// The longest a table cell gets before it is cut with `…`.
const MAX_CELL: usize = 48;

/// A list item that can be a table row.
pub trait Row {
    /// The column titles.
    fn headers() -> &'static [&'static str];
    /// The cells, in the order of the headers.
    fn cells(&self) -> Vec<String>;
    /// Columns never shortened (ids to copy and paste): the first one by default.
    fn whole_columns() -> &'static [usize] {
        &[0]
    }
}

/// A single item shown as a two-column table of fields.
pub trait Fields {
    /// `(name, value)` pairs; empty values are shown as `-`.
    fn fields(&self) -> Vec<(&'static str, String)>;
}

/// Where and how results are printed.
#[derive(Clone, Copy, Debug)]
pub struct Printer {
    format: OutputFormat,
}

impl Printer {
    /// A printer for this format.
    pub fn new(format: OutputFormat) -> Self {
        Printer { format }
    }

    /// Whether the output is JSON.
    pub fn is_json(&self) -> bool {
        self.format == OutputFormat::Json
    }

    /// Prints a list: a JSON array, or a table (a short note when empty).
    pub fn list<T: Serialize + Row>(&self, items: &[T], empty: &str) -> Result<(), CliError> {
        if self.is_json() {
            return self.json(&items);
        }
        if items.is_empty() {
            return write_stdout(&format!("{empty}\n"));
        }
        let mut table = new_table();
        table.set_header(T::headers().iter().copied());
        for item in items {
            let mut row = comfy_table::Row::from(
                item.cells()
                    .into_iter()
                    .map(|c| truncate(&c, MAX_CELL))
                    .collect::<Vec<_>>(),
            );
            // Never wrap: a cell too long for the width is cut with `…`.
            row.max_height(1);
            table.add_row(row);
        }
        for &index in T::whole_columns() {
            if let Some(column) = table.column_mut(index) {
                column.set_constraint(ColumnConstraint::ContentWidth);
            }
        }
        write_stdout(&format!("{table}\n"))
    }

    /// Prints one item: a JSON object, or a table of its fields.
    pub fn item<T: Serialize + Fields>(&self, item: &T) -> Result<(), CliError> {
        if self.is_json() {
            return self.json(item);
        }
        write_stdout(&format!("{}\n", fields_table(&item.fields())))
    }

    /// Prints one item: a JSON object, or the given text.
    pub fn item_or_text<T: Serialize>(&self, item: &T, text: &str) -> Result<(), CliError> {
        if self.is_json() {
            return self.json(item);
        }
        write_stdout(text)
    }

    /// Prints one JSON document (pretty, with a final newline).
    pub fn json<T: Serialize + ?Sized>(&self, value: &T) -> Result<(), CliError> {
        let text = serde_json::to_string_pretty(value)
            .map_err(|e| CliError::other(format!("could not encode the output: {e}")))?;
        write_stdout(&format!("{text}\n"))
    }
}

/// A table with the CLI's look, at most 100 columns wide (or `COLUMNS` on a terminal).
pub fn new_table() -> Table {
    let mut table = Table::new();
    table
        .load_preset(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(table_width())
        .set_truncation_indicator("…");
    table
}

/// A two-column table of `(name, value)` pairs.
pub fn fields_table(fields: &[(&'static str, String)]) -> Table {
    let mut table = new_table();
    for (name, value) in fields {
        let value = if value.is_empty() { "-" } else { value };
        table.add_row(vec![name.to_string(), value.to_string()]);
    }
    table
}

fn table_width() -> u16 {
    if std::io::stdout().is_terminal()
        && let Some(cols) = std::env::var("COLUMNS")
            .ok()
            .and_then(|c| c.trim().parse::<u16>().ok())
            .filter(|c| *c >= 40)
    {
        return cols;
    }
    DEFAULT_WIDTH
}

/// Writes to stdout; a closed pipe (`| head`) is not an error.
pub fn write_stdout(text: &str) -> Result<(), CliError> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(CliError::other(format!("could not write the output: {e}"))),
    }
}

/// Cuts a text to `max` characters (one line), ending it with `…` when cut.
pub fn truncate(text: &str, max: usize) -> String {
    let line: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if line.chars().count() <= max {
        return line;
    }
    let mut cut: String = line.chars().take(max.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

/// Money as an exact string with at least two decimals (`9.5` → `"9.50"`).
pub fn money(amount: Decimal) -> String {
    let mut amount = amount;
    if amount.scale() < 2 {
        amount.rescale(2);
    }
    amount.to_string()
}

/// Optional money.
pub fn money_opt(amount: Option<Decimal>) -> Option<String> {
    amount.map(money)
}

/// A timestamp in RFC 3339, UTC, whole seconds (`2025-01-02T03:04:05Z`).
pub fn timestamp(t: &Timestamp) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Optional timestamp.
pub fn timestamp_opt(t: Option<&Timestamp>) -> Option<String> {
    t.map(timestamp)
}

/// A timestamp for a table cell: `2025-01-02 03:04` (UTC), `-` when absent.
pub fn short_time(t: Option<&str>) -> String {
    match t {
        Some(t) if t.len() >= 16 && t.is_char_boundary(16) => t[..16].replacen('T', " ", 1),
        Some(t) => t.to_string(),
        None => "-".to_string(),
    }
}

/// Text of an optional value for a table cell (`-` when absent).
pub fn cell<T: ToString>(value: Option<T>) -> String {
    value.map_or_else(|| "-".to_string(), |v| v.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_keeps_exact_digits_and_two_decimals() {
        let d = |s: &str| s.parse::<Decimal>().unwrap_or_default();
        assert_eq!(money(d("9.5")), "9.50");
        assert_eq!(money(d("9.50")), "9.50");
        assert_eq!(money(d("10")), "10.00");
        assert_eq!(money(d("0.125")), "0.125");
        assert_eq!(money(d("1250.5")), "1250.50");
    }

    #[test]
    fn truncation_marks_the_cut() {
        assert_eq!(truncate("abcdef", 4), "abc…");
        assert_eq!(truncate("abc", 4), "abc");
        assert_eq!(truncate("a\nb", 4), "a b");
    }

    #[test]
    fn short_times_drop_seconds() {
        assert_eq!(short_time(Some("2025-01-02T03:04:05Z")), "2025-01-02 03:04");
        assert_eq!(short_time(None), "-");
    }
}
