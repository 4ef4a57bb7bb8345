//! Project automation for the pressone-esim workspace.
//!
//! `cargo xtask gen` lints `openapi/pressone-esim.yaml` and regenerates
//! `crates/pressone-esim-raw/src/generated.rs` with progenitor used as a library, and the
//! operation table `crates/pressone-esim-raw/src/operations.rs`.
//! `cargo xtask gen --check` does the same in memory and fails with a diff when a
//! checked-in file is stale. `cargo xtask lint` runs the spec lint alone.

mod api_version;
mod body_reader;
mod lint;
mod operations;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use progenitor::{GenerationSettings, Generator, HooksMode, InterfaceStyle, TagStyle, TypeImpl};

const SPEC: &str = "openapi/pressone-esim.yaml";
const OUTPUT: &str = "crates/pressone-esim-raw/src/generated.rs";
const OPERATIONS: &str = "crates/pressone-esim-raw/src/operations.rs";

const USAGE: &str = "usage: cargo xtask <command>

commands:
  gen           lint the spec and regenerate the raw client and its operation table
  gen --check   lint the spec and fail if a checked-in generated file is stale
  lint          lint the spec only";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let result = match args.as_slice() {
        ["gen"] => generate(false),
        ["gen", "--check"] => generate(true),
        ["lint"] => lint_only(),
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("xtask: {err:#}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root: the parent of this crate's manifest directory.
fn workspace_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().unwrap_or(manifest).to_path_buf()
}

fn read_spec(root: &Path) -> Result<(serde_json::Value, openapiv3::OpenAPI)> {
    let path = root.join(SPEC);
    let text =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let value: serde_json::Value = serde_yaml::from_str(&text)
        .with_context(|| format!("parsing {} as YAML", path.display()))?;
    let spec: openapiv3::OpenAPI = serde_json::from_value(value.clone())
        .with_context(|| format!("{} is not a valid OpenAPI 3.0 document", path.display()))?;
    Ok((value, spec))
}

fn lint_only() -> Result<()> {
    let (value, _) = read_spec(&workspace_root())?;
    run_lint(&value)?;
    println!("spec lint: ok");
    Ok(())
}

fn run_lint(value: &serde_json::Value) -> Result<()> {
    let problems = lint::lint(value);
    if problems.is_empty() {
        return Ok(());
    }
    for p in &problems {
        eprintln!("spec lint: {p}");
    }
    bail!("{} problem(s) in {SPEC}", problems.len())
}

/// The spec's types that the raw client replaces with hand-written ones (in
/// `crates/pressone-esim-raw/src/wire.rs`), with the traits the generated code relies on:
/// - `Money`, `IntOrString`: money and integers that the wire sends as numbers or numeric
///   strings, with tolerant `Deserialize` impls.
/// - `SubmitOrderRequest`: submit order's form has list fields (`sharing_option[]`,
///   `copy_address[]`) that the generated form encoding cannot send; the hand-written type
///   sends them as repeated keys.
/// - `PriceMap`: two price maps per package; a compact sorted list instead of a `BTreeMap`
///   (whose smallest node is ~450 bytes) keeps a 20,000-package catalogue within 4x its body.
/// - `PackageCountryList`: the catalogue's array-or-object `data`; the generated untagged
///   enum buffered the whole body in serde's intermediate tree (10x the body), the
///   hand-written type decodes in one pass.
const REPLACEMENTS: [(&str, &str, &[TypeImpl]); 5] = [
    ("Money", "crate::wire::Money", &[TypeImpl::Display]),
    (
        "IntOrString",
        "crate::wire::IntOrString",
        &[TypeImpl::Display],
    ),
    ("SubmitOrderRequest", "crate::wire::SubmitOrderRequest", &[]),
    ("PriceMap", "crate::wire::PriceMap", &[TypeImpl::Default]),
    (
        "PackageCountryList",
        "crate::wire::PackageCountryList",
        &[TypeImpl::Default],
    ),
];

/// The generator settings: one place that decides how the raw client looks.
fn settings() -> Result<GenerationSettings> {
    let mut settings = GenerationSettings::new();
    // The client-wide settings the hooks apply to every request (form encoding, timeout, body
    // limit, headers), given once when the client is built.
    let inner = "crate::hooks::Settings"
        .parse()
        .map_err(|e| anyhow::anyhow!("the inner type does not parse: {e}"))?;
    settings
        .with_interface(InterfaceStyle::Builder)
        .with_inner_type(inner)
        .with_tag(TagStyle::Merged)
        // The hooks (auth injection, response capture) are hand-written in
        // `crates/pressone-esim-raw/src/hooks.rs`; forgetting them must not compile.
        .with_hooks(HooksMode::Expected)
        .with_derive("PartialEq")
        .with_map_type("::std::collections::BTreeMap");
    for (name, replacement, impls) in REPLACEMENTS {
        settings.with_replacement(name, replacement, impls.iter().copied());
    }
    Ok(settings)
}

fn render(spec: &openapiv3::OpenAPI) -> Result<String> {
    let mut generator = Generator::new(&settings()?);
    let tokens = generator
        .generate_tokens(spec)
        .map_err(|e| anyhow::anyhow!("progenitor failed: {e}"))?;
    let mut file: syn::File = syn::parse2(tokens).context("progenitor produced unparsable Rust")?;
    let operations = spec.operations().count();
    let removed = api_version::drop_api_version(&mut file);
    anyhow::ensure!(
        removed == operations,
        "expected progenitor's `api-version` header in each of the {operations} operations, \
         found it in {removed}: check xtask/src/api_version.rs against this progenitor"
    );
    // Every operation decodes at least its documented answers with it, except the balance
    // (text) whose success is a stream: so fewer renamed calls than operations means
    // progenitor's output changed shape.
    let renamed = body_reader::use_own_body_reader(&mut file);
    anyhow::ensure!(
        renamed >= operations,
        "expected progenitor's `ResponseValue::from_response` at least once per operation \
         ({operations}), found it {renamed} times: check xtask/src/body_reader.rs"
    );
    let body = prettyplease::unparse(&file);
    Ok(format!(
        "// @generated by `cargo xtask gen` from {SPEC} with progenitor {}.\n\
         // DO NOT EDIT: change the spec or the generator settings in xtask/src/main.rs instead.\n\n{body}",
        progenitor_version(),
    ))
}

fn progenitor_version() -> &'static str {
    "0.15.1"
}

fn generate(check: bool) -> Result<()> {
    let root = workspace_root();
    let (value, spec) = read_spec(&root)?;
    run_lint(&value)?;
    let table = operations::render(SPEC, &operations::rows(&spec)?);
    let outputs = [(OUTPUT, render(&spec)?), (OPERATIONS, table)];
    let mut stale = Vec::new();
    for (name, fresh) in &outputs {
        let out = root.join(name);
        let current = std::fs::read_to_string(&out).unwrap_or_default();
        if check {
            if current == *fresh {
                println!("{name} is up to date");
            } else {
                print_diff(name, &current, fresh);
                stale.push(*name);
            }
        } else {
            std::fs::write(&out, fresh).with_context(|| format!("writing {}", out.display()))?;
            println!("wrote {name} ({} lines)", fresh.lines().count());
        }
    }
    if !stale.is_empty() {
        bail!(
            "{} stale: run `cargo xtask gen` and commit the result",
            stale.join(", ")
        );
    }
    Ok(())
}

fn print_diff(name: &str, current: &str, fresh: &str) {
    let diff = similar::TextDiff::from_lines(current, fresh);
    let text = diff
        .unified_diff()
        .context_radius(3)
        .header(
            &format!("{name} (checked in)"),
            &format!("{name} (from the spec)"),
        )
        .to_string();
    const MAX: usize = 200;
    let lines: Vec<&str> = text.lines().collect();
    for line in lines.iter().take(MAX) {
        eprintln!("{line}");
    }
    if lines.len() > MAX {
        eprintln!("... ({} more diff lines)", lines.len() - MAX);
    }
}
