//! Printing results: one JSON document, csv/tsv rows, or tables that fit the terminal.

use std::io::{IsTerminal, Write};

use comfy_table::{ColumnConstraint, ContentArrangement, Table, presets};
use serde::Serialize;

use crate::cli::{ColorChoice, OutputFormat};
use crate::error::CliError;

/// The widest a table gets on a terminal whose width is not known.
const DEFAULT_WIDTH: u16 = 100;

/// A list item that can be a table row.
pub trait Row {
    /// The column titles.
    fn headers() -> &'static [&'static str];
    /// The cells, in the order of the headers.
    fn cells(&self) -> Vec<String>;
    /// Columns never shortened (ids, ICCIDs, amounts): the first one by default.
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
    sandbox: bool,
}

impl Printer {
    /// A printer for this format.
    pub fn new(format: OutputFormat) -> Self {
        Printer {
            format,
            sandbox: false,
        }
    }

    /// The same printer, marking printed objects with `"sandbox": true` (JSON) when the
    /// results come from the embedded sandbox.
    pub fn with_sandbox(mut self, sandbox: bool) -> Self {
        self.sandbox = sandbox;
        self
    }

    /// Whether the output is JSON.
    pub fn is_json(&self) -> bool {
        self.format == OutputFormat::Json
    }

    /// Prints a list: a JSON array, csv/tsv rows, or a table (a short note when empty).
    pub fn list<T: Serialize + Row>(&self, items: &[T], empty: &str) -> Result<(), CliError> {
        match self.format {
            OutputFormat::Json => return self.json_plain(&items),
            OutputFormat::Csv | OutputFormat::Tsv => return self.delimited(items),
            OutputFormat::Table => {}
        }
        if items.is_empty() {
            return write_stdout(&format!("{empty}\n"));
        }
        let mut table = new_table();
        let mut header = comfy_table::Row::from(T::headers().iter().copied());
        // Column titles are cut like cells rather than wrapped letter by letter.
        header.max_height(1);
        table.set_header(header);
        let whole = T::whole_columns();
        for item in items {
            let cells: Vec<String> = item.cells().iter().map(|c| crate::text::cell(c)).collect();
            let mut row = comfy_table::Row::from(cells);
            // Never wrap: a cell too long for the table's width is cut with `…` (never one of
            // the whole columns: ids, ICCIDs, amounts).
            row.max_height(1);
            table.add_row(row);
        }
        for &index in whole {
            if let Some(column) = table.column_mut(index) {
                column.set_constraint(ColumnConstraint::ContentWidth);
            }
        }
        write_table(&table)
    }

    /// Prints one item: a JSON object, one csv/tsv row, or a table of its fields.
    pub fn item<T: Serialize + Fields>(&self, item: &T) -> Result<(), CliError> {
        match self.format {
            OutputFormat::Table => write_table(&fields_table(&item.fields())),
            _ => self.structured(item),
        }
    }

    /// Prints one item: a JSON object, one csv/tsv row, or the given text.
    pub fn item_or_text<T: Serialize>(&self, item: &T, text: &str) -> Result<(), CliError> {
        match self.format {
            OutputFormat::Table => write_stdout(text),
            _ => self.structured(item),
        }
    }

    fn structured<T: Serialize>(&self, item: &T) -> Result<(), CliError> {
        match self.format {
            OutputFormat::Csv | OutputFormat::Tsv => self.delimited(std::slice::from_ref(item)),
            _ => self.json(item),
        }
    }

    /// Prints one JSON document (pretty, with a final newline); an object gets
    /// `"sandbox": true` when the results come from the embedded sandbox.
    pub fn json<T: Serialize + ?Sized>(&self, value: &T) -> Result<(), CliError> {
        if self.sandbox && to_value(value)?.is_object() {
            return self.json_plain(&Marked {
                item: value,
                sandbox: true,
            });
        }
        self.json_plain(value)
    }

    fn json_plain<T: Serialize + ?Sized>(&self, value: &T) -> Result<(), CliError> {
        let text = serde_json::to_string_pretty(value)
            .map_err(|e| CliError::other(format!("could not encode the output: {e}")))?;
        write_stdout(&format!("{text}\n"))
    }

    /// csv or tsv: one header row (the JSON field names, nested ones joined with `.`), then
    /// one row per item.
    fn delimited<T: Serialize>(&self, items: &[T]) -> Result<(), CliError> {
        let rows = items
            .iter()
            .map(|item| {
                serde_json::to_string(item)
                    .and_then(|text| crate::flat::flatten(&text))
                    .map_err(|e| CliError::other(format!("could not encode the output: {e}")))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let mut columns: Vec<String> = Vec::new();
        for row in &rows {
            for (key, _) in row {
                if !columns.contains(key) {
                    columns.push(key.clone());
                }
            }
        }
        let delimiter = if self.format == OutputFormat::Tsv {
            b'\t'
        } else {
            b','
        };
        let mut writer = csv::WriterBuilder::new()
            .delimiter(delimiter)
            .from_writer(Vec::new());
        let fail = |e: csv::Error| CliError::other(format!("could not write the rows: {e}"));
        if !columns.is_empty() {
            writer.write_record(&columns).map_err(fail)?;
        }
        for row in &rows {
            let record = columns.iter().map(|column| {
                row.iter()
                    .find(|(key, _)| key == column)
                    .map_or("", |(_, value)| value.as_str())
            });
            writer.write_record(record).map_err(fail)?;
        }
        let bytes = writer
            .into_inner()
            .map_err(|e| CliError::other(format!("could not write the rows: {e}")))?;
        write_stdout(&String::from_utf8_lossy(&bytes))
    }
}

/// An object with `"sandbox": true` added after its fields.
#[derive(Serialize)]
struct Marked<'a, T: ?Sized> {
    #[serde(flatten)]
    item: &'a T,
    sandbox: bool,
}

fn to_value<T: Serialize + ?Sized>(value: &T) -> Result<serde_json::Value, CliError> {
    serde_json::to_value(value)
        .map_err(|e| CliError::other(format!("could not encode the output: {e}")))
}

/// A table with the CLI's look: on a terminal, box drawing and the terminal's width; off a
/// terminal, no box drawing, `$COLUMNS` wide when set, else as wide as its content (nothing cut
/// in a file or a pipe).
pub fn new_table() -> Table {
    let mut table = Table::new();
    let terminal = std::io::stdout().is_terminal();
    table
        .load_preset(if terminal {
            presets::UTF8_FULL_CONDENSED
        } else {
            presets::NOTHING
        })
        .set_truncation_indicator("…");
    match table_width(terminal) {
        Some(width) => {
            table
                .set_content_arrangement(ContentArrangement::Dynamic)
                .set_width(width);
        }
        None => {
            table.set_content_arrangement(ContentArrangement::Disabled);
        }
    }
    table
}

/// A two-column table of `(name, value)` pairs.
pub fn fields_table(fields: &[(&'static str, String)]) -> Table {
    let mut table = new_table();
    for (name, value) in fields {
        let value = if value.is_empty() { "-" } else { value };
        table.add_row(vec![name.to_string(), value.to_string()]);
    }
    if let Some(column) = table.column_mut(1) {
        column.set_constraint(ColumnConstraint::ContentWidth);
    }
    table
}

/// The terminal's real width; else `COLUMNS`; else, on a terminal of unknown size, 100; else
/// no limit.
fn table_width(terminal: bool) -> Option<u16> {
    if terminal
        && let Some((terminal_size::Width(w), _)) =
            terminal_size::terminal_size_of(std::io::stdout())
        && w >= 40
    {
        return Some(w);
    }
    let columns = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<u16>().ok())
        .filter(|c| *c >= 40);
    match columns {
        Some(c) => Some(c),
        None if terminal => Some(DEFAULT_WIDTH),
        None => None,
    }
}

/// Whether stderr messages get colours.
pub fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stderr().is_terminal()
        }
    }
}

static COLOR: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Turns colours on stderr on or off (once, at start).
pub fn set_color(on: bool) {
    COLOR.store(on, std::sync::atomic::Ordering::Relaxed);
}

/// A stderr prefix (`error:`, `note:`), red or yellow when colours are on.
pub fn prefix(word: &str) -> String {
    if !COLOR.load(std::sync::atomic::Ordering::Relaxed) {
        return format!("{word}:");
    }
    let code = if word == "error" { "31" } else { "33" };
    format!("\x1b[1;{code}m{word}:\x1b[0m")
}

/// Writes a table, without the trailing blanks of borderless tables.
fn write_table(table: &Table) -> Result<(), CliError> {
    let text: String = table
        .to_string()
        .lines()
        .map(|line| format!("{}\n", line.trim_end()))
        .collect();
    write_stdout(&text)
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
