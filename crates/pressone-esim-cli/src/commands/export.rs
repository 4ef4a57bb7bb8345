//! `packages export` (one row per package, with optional retail prices) and `packages diff`
//! (what changed between two jsonl exports).

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use futures::TryStreamExt;
use pressone_esim::pricing::{Markup, PricingRule, Rounding};
use pressone_esim::{Client, Decimal, FlatPackage, money_string};
use serde::Serialize;
use serde_json::Value;

use crate::cli::{DiffArgs, ExportArgs, ExportFormat};
use crate::commands::progress;
use crate::error::CliError;
use crate::output::{Printer, Row, prefix, write_stdout};
use crate::table::opt;

/// Currencies without minor units: retail prices are whole numbers.
const WHOLE_CURRENCIES: &[&str] = &["CLP", "ISK", "JPY", "KRW", "UGX", "VND", "XAF", "XOF"];

/// The columns of the csv export, in order (`retail_price` only with --markup).
const COLUMNS: &[&str] = &[
    "id",
    "kind",
    "title",
    "country_code",
    "country",
    "slug",
    "operator",
    "package_type",
    "plan_type",
    "data_mb",
    "unlimited",
    "data_label",
    "validity_days",
    "voice_minutes",
    "sms",
    "rechargeable",
    "currency",
    "net_price",
    "recommended_retail_price",
];

fn rule(args: &ExportArgs) -> Result<Option<PricingRule>, CliError> {
    let usage = |e: pressone_esim::pricing::PricingError| CliError::Usage(e.to_string());
    let Some(markup) = &args.markup else {
        return Ok(None);
    };
    let mut rule = PricingRule::new(markup.parse::<Markup>().map_err(usage)?);
    if let Some(margin) = &args.min_margin {
        let margin = margin
            .trim()
            .parse::<Decimal>()
            .map_err(|_| CliError::Usage(format!("--min-margin {margin:?} is not an amount")))?;
        rule = rule.min_margin(margin);
    }
    if let Some(round) = &args.round {
        rule = rule.rounding(round.parse::<Rounding>().map_err(usage)?);
    }
    if WHOLE_CURRENCIES.contains(&args.currency.to_ascii_uppercase().as_str()) {
        rule = rule.decimals(0);
    }
    Ok(Some(rule))
}

/// `packages export`.
/// The file format is --format's (`-o` does not apply).
pub async fn export(client: &Client, args: ExportArgs) -> Result<(), CliError> {
    let rule = rule(&args)?;
    let currency = args.currency.trim().to_ascii_uppercase();
    let bar = progress("packages");
    let rows: Vec<FlatPackage> = client
        .packages()
        .list()
        .include_topups(args.include_topups)
        .flat()
        .inspect_ok(|_| bar.inc(1))
        .try_collect()
        .await?;
    bar.finish_and_clear();
    let mut unpriced = 0usize;
    let mut retail = |row: &FlatPackage| -> Result<Option<Decimal>, CliError> {
        let (Some(rule), Some(net)) = (&rule, row.net(&currency)) else {
            unpriced += usize::from(rule.is_some());
            return Ok(None);
        };
        rule.retail(net)
            .map(Some)
            .map_err(|e| CliError::other(format!("package {}: {e}", row.id)))
    };
    let bytes = match args.format {
        ExportFormat::Csv => {
            let mut writer = csv::Writer::from_writer(Vec::new());
            let fail = |e: csv::Error| CliError::other(format!("could not write the rows: {e}"));
            let mut header: Vec<&str> = COLUMNS.to_vec();
            if rule.is_some() {
                header.push("retail_price");
            }
            writer.write_record(&header).map_err(fail)?;
            for row in &rows {
                let mut record = vec![
                    row.id.clone(),
                    row.kind.to_string(),
                    row.title.clone(),
                    opt(row.country_code.as_ref()),
                    row.country.clone(),
                    row.slug.clone(),
                    row.operator.clone(),
                    row.package_type.to_string(),
                    row.plan_type.to_string(),
                    opt(row.data_mb),
                    row.unlimited.to_string(),
                    row.data_label.clone(),
                    row.validity_days.to_string(),
                    opt(row.voice_minutes),
                    opt(row.sms),
                    row.rechargeable.to_string(),
                    currency.clone(),
                    opt(row.net(&currency).map(money_string)),
                    opt(row.recommended_retail(&currency).map(money_string)),
                ];
                if rule.is_some() {
                    record.push(opt(retail(row)?.map(money_string)));
                }
                writer.write_record(&record).map_err(fail)?;
            }
            writer
                .into_inner()
                .map_err(|e| CliError::other(format!("could not write the rows: {e}")))?
        }
        ExportFormat::Jsonl => {
            let mut text = Vec::new();
            for row in &rows {
                let mut value = serde_json::to_value(row)
                    .map_err(|e| CliError::other(format!("could not encode: {e}")))?;
                if rule.is_some()
                    && let Value::Object(map) = &mut value
                {
                    let price = retail(row)?.map(money_string);
                    map.insert("retail_currency".into(), Value::String(currency.clone()));
                    map.insert(
                        "retail_price".into(),
                        price.map_or(Value::Null, Value::String),
                    );
                }
                serde_json::to_writer(&mut text, &value)
                    .map_err(|e| CliError::other(format!("could not encode: {e}")))?;
                text.push(b'\n');
            }
            text
        }
    };
    if unpriced > 0 {
        eprintln!(
            "{} {unpriced} packages have no net price in {currency}: their retail_price is empty",
            prefix("note")
        );
    }
    match args.out.as_deref() {
        Some(path) if path != Path::new("-") => {
            let mut file = std::fs::File::create(path).map_err(|e| {
                CliError::other(format!("could not create {}: {e}", path.display()))
            })?;
            file.write_all(&bytes)
                .and_then(|()| file.sync_all())
                .map_err(|e| CliError::other(format!("could not write {}: {e}", path.display())))?;
            eprintln!(
                "{} wrote {} packages to {}",
                prefix("note"),
                rows.len(),
                path.display()
            );
            Ok(())
        }
        _ => write_stdout(&String::from_utf8_lossy(&bytes)),
    }
}

/// One change between two exports.
#[derive(Debug, Serialize, PartialEq, Eq, PartialOrd, Ord)]
struct Change {
    /// `added`, `removed` or `repriced`.
    change: &'static str,
    id: String,
    title: String,
    /// For `repriced`: the currency and which price (`net`, `retail` for the recommended
    /// retail price, `retail_price` for the export's own).
    currency: Option<String>,
    price: Option<&'static str>,
    old: Option<String>,
    new: Option<String>,
}

impl Row for Change {
    fn headers() -> &'static [&'static str] {
        &[
            "Change", "Package", "Title", "Currency", "Price", "Old", "New",
        ]
    }
    fn cells(&self) -> Vec<String> {
        vec![
            self.change.to_string(),
            self.id.clone(),
            self.title.clone(),
            opt(self.currency.as_ref()),
            opt(self.price),
            opt(self.old.as_ref()),
            opt(self.new.as_ref()),
        ]
    }
    fn whole_columns() -> &'static [usize] {
        &[1, 5, 6]
    }
}

/// The rows of a jsonl export by package id.
fn read_export(path: &Path) -> Result<BTreeMap<String, Value>, CliError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| CliError::Usage(format!("could not read {}: {e}", path.display())))?;
    let mut rows = BTreeMap::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let value: Value = serde_json::from_str(line).map_err(|e| {
            CliError::Usage(format!(
                "{} line {}: not a jsonl export row: {e}",
                path.display(),
                i + 1
            ))
        })?;
        let Some(id) = value["id"].as_str().map(str::to_string) else {
            return Err(CliError::Usage(format!(
                "{} line {}: no id",
                path.display(),
                i + 1
            )));
        };
        rows.insert(id, value);
    }
    Ok(rows)
}

/// `(currency, price, amount)` of a row: every price of `prices`, and the export's own.
fn prices(row: &Value) -> BTreeMap<(String, &'static str), String> {
    let mut out = BTreeMap::new();
    if let Some(map) = row["prices"].as_object() {
        for (currency, amounts) in map {
            for (key, name) in [("net", "net"), ("retail", "retail")] {
                if let Some(a) = amounts[key].as_str() {
                    out.insert((currency.clone(), name), a.to_string());
                }
            }
        }
    }
    if let (Some(c), Some(a)) = (
        row["retail_currency"].as_str(),
        row["retail_price"].as_str(),
    ) {
        out.insert((c.to_string(), "retail_price"), a.to_string());
    }
    out
}

fn same_amount(a: Option<&String>, b: Option<&String>) -> bool {
    let parse = |s: Option<&String>| s.and_then(|s| s.parse::<Decimal>().ok());
    match (parse(a), parse(b)) {
        (Some(x), Some(y)) => x == y,
        _ => a == b,
    }
}

/// `packages diff OLD NEW`.
pub fn diff(args: DiffArgs, out: Printer) -> Result<(), CliError> {
    let old = read_export(&args.old)?;
    let new = read_export(&args.new)?;
    let title = |row: &Value| row["title"].as_str().unwrap_or_default().to_string();
    let bare = |change, id: &String, row: &Value| Change {
        change,
        id: id.clone(),
        title: title(row),
        currency: None,
        price: None,
        old: None,
        new: None,
    };
    let mut changes = Vec::new();
    for (id, row) in &new {
        let Some(before) = old.get(id) else {
            changes.push(bare("added", id, row));
            continue;
        };
        let (was, is) = (prices(before), prices(row));
        let keys: std::collections::BTreeSet<_> = was.keys().chain(is.keys()).collect();
        for key in keys {
            if !same_amount(was.get(key), is.get(key)) {
                changes.push(Change {
                    currency: Some(key.0.clone()),
                    price: Some(key.1),
                    old: was.get(key).cloned(),
                    new: is.get(key).cloned(),
                    ..bare("repriced", id, row)
                });
            }
        }
    }
    for (id, row) in &old {
        if !new.contains_key(id) {
            changes.push(bare("removed", id, row));
        }
    }
    changes.sort();
    out.list(&changes, "No changes.")
}
