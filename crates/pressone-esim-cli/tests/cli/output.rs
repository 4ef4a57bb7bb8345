//! Output formats: csv and tsv that parse back to the JSON items, tables off and on a real
//! terminal (pseudo-terminal of a given width), colours.

use serde_json::Value;

use crate::support::{CLIENT_ID, SECRET, TestSandbox, cli, create_order, stderr, stdout};

const PACKAGE: &str = "change-7days-1gb";

/// The JSON of an item flattened the way csv columns are named.
fn flat(prefix: &str, value: &Value, out: &mut Vec<(String, String)>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                let name = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flat(&name, v, out);
            }
        }
        Value::Null => out.push((prefix.into(), String::new())),
        Value::String(s) => out.push((prefix.into(), s.clone())),
        Value::Array(_) => {
            let cell = serde_json::to_string(value).expect("JSON");
            out.push((prefix.into(), cell));
        }
        other => out.push((prefix.into(), other.to_string())),
    }
}

#[test]
fn csv_and_tsv_parse_back_to_the_json_items() {
    let sb = TestSandbox::start(51);
    for d in ["csv-1", "csv, \"2\""] {
        sb.json(&["orders", "create", "--package", PACKAGE, "--description", d]);
    }
    for (args, format, delimiter) in [
        (&["orders", "list"][..], "csv", b','),
        (&["packages", "list", "--country", "US"], "tsv", b'\t'),
        (&["balance"], "csv", b','),
    ] {
        let (json, _) = sb.json(args);
        let items = json.as_array().expect("a list");
        assert!(!items.is_empty());
        let text = sb.ok(&[&["-o", format][..], args].concat());
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .from_reader(text.as_bytes());
        let headers = reader.headers().expect("one header row").clone();
        let rows: Vec<csv::StringRecord> =
            reader.records().collect::<Result<_, _>>().expect("rows");
        assert_eq!(rows.len(), items.len(), "{args:?}");
        for (item, row) in items.iter().zip(&rows) {
            let mut cells = Vec::new();
            flat("", item, &mut cells);
            for (name, value) in cells {
                let i = headers
                    .iter()
                    .position(|h| h == name)
                    .unwrap_or_else(|| panic!("column {name} in {headers:?}"));
                let cell = &row[i];
                if value.starts_with('[') {
                    let a: Value = serde_json::from_str(&value).expect("JSON");
                    let b: Value = serde_json::from_str(cell).expect("JSON cell");
                    assert_eq!(a, b, "{name}");
                } else {
                    assert_eq!(cell, value, "{args:?} {name}");
                }
            }
        }
    }
    let text = sb.ok(&["-o", "csv", "orders", "list"]);
    assert!(text.starts_with("id,code,kind,"), "{text}");
    assert!(text.contains(",\"csv, \"\"2\"\"\","), "quoted: {text}");
    assert!(text.contains(",4.50,"), "money as an exact string: {text}");
}

#[test]
fn tables_off_a_terminal_have_no_box_drawing_and_never_cut_ids_or_amounts() {
    let sb = TestSandbox::start(52);
    let reference = "a-rather-long-reference-that-may-be-cut-in-a-narrow-table";
    let (order, _) = sb.json(&create_order(&[], PACKAGE, reference));
    let mut cmd = sb.cli();
    let output = cmd
        .env("COLUMNS", "40")
        .args(["orders", "list"])
        .output()
        .expect("runs");
    let text = stdout(&output);
    assert!(
        !text.chars().any(|c| ('\u{2500}'..='\u{257f}').contains(&c)),
        "{text}"
    );
    let code = order["code"].as_str().expect("a code");
    assert!(text.contains(code) && text.contains("4.50 USD"), "{text}");
    assert!(text.contains(&order["id"].to_string()));
    let output = sb
        .cli()
        .env("COLUMNS", "40")
        .args(["sims", "list"])
        .output()
        .expect("runs");
    let iccid = order["esims"][0]["iccid"].as_str().expect("an ICCID");
    assert!(stdout(&output).contains(iccid), "{}", stdout(&output));
}

#[test]
fn colours_follow_the_flag_and_no_color() {
    let home = tempfile::tempdir().expect("a temp dir");
    let run = |args: &[&str], no_color: bool| {
        let mut cmd = cli(home.path());
        cmd.env("PRESSONE_CLIENT_ID", "x");
        if no_color {
            cmd.env("NO_COLOR", "1");
        }
        stderr(&cmd.args(args).output().expect("runs"))
    };
    assert!(run(&["--color", "always", "balance"], false).starts_with("\x1b["));
    assert!(run(&["--color", "never", "balance"], false).starts_with("error: "));
    assert!(run(&["--color", "auto", "balance"], true).starts_with("error: "));
}

/// Runs the CLI with stdout on a pseudo-terminal `cols` wide; returns what it printed.
#[cfg(unix)]
fn on_a_terminal(sb: &TestSandbox, cols: u16, args: &[&str]) -> String {
    use std::io::Read;
    use std::os::fd::{FromRawFd, OwnedFd};

    let mut master = -1;
    let mut slave = -1;
    let size = libc::winsize {
        ws_row: 50,
        ws_col: cols,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    // SAFETY: openpty writes two descriptors it opened; the size is read only.
    let rc = unsafe {
        libc::openpty(
            &mut master,
            &mut slave,
            std::ptr::null_mut(),
            std::ptr::null(),
            &size,
        )
    };
    assert_eq!(rc, 0, "a pseudo-terminal");
    // SAFETY: both descriptors were just opened by openpty and are owned here only.
    let (master, slave) = unsafe { (OwnedFd::from_raw_fd(master), OwnedFd::from_raw_fd(slave)) };
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_pressone-esim"));
    for var in crate::support::CLI_ENV {
        cmd.env_remove(var);
    }
    let home = sb.home.path();
    cmd.env("HOME", home)
        .env("XDG_CACHE_HOME", home.join("cache"))
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("PRESSONE_BASE_URL", sb.handle.base_url())
        .env("PRESSONE_CLIENT_ID", CLIENT_ID)
        .env("PRESSONE_CLIENT_SECRET", SECRET)
        .env("PRESSONE_CACHE_DIR", home.join("tokens"))
        // The terminal's own width wins over a stale $COLUMNS.
        .env("COLUMNS", "200")
        .args(args)
        .stdout(std::process::Stdio::from(slave))
        .stderr(std::process::Stdio::null());
    let mut child = cmd.spawn().expect("the CLI starts");
    // Our copy of the terminal's other side is gone with `cmd`: reading ends when the CLI does.
    drop(cmd);
    let mut out = Vec::new();
    let mut master = std::fs::File::from(master);
    let mut buf = [0u8; 4096];
    loop {
        match master.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => out.extend_from_slice(&buf[..n]),
        }
    }
    let status = child.wait().expect("the CLI ends");
    assert!(status.success(), "{args:?}");
    String::from_utf8_lossy(&out).replace("\r\n", "\n")
}

#[cfg(unix)]
#[test]
fn tables_on_a_terminal_fit_its_real_width_with_box_drawing() {
    let sb = TestSandbox::start(55);
    let reference = "a-rather-long-reference-that-must-be-cut-on-a-narrow-terminal";
    let (order, _) = sb.json(&create_order(&[], PACKAGE, reference));
    for cols in [72u16, 100] {
        let text = on_a_terminal(&sb, cols, &["orders", "list"]);
        assert!(text.contains('│'), "box drawing on a terminal:\n{text}");
        for line in text.lines() {
            assert!(
                line.chars().count() <= usize::from(cols),
                "wider than {cols} columns:\n{text}"
            );
        }
        let code = order["code"].as_str().expect("a code");
        assert!(text.contains(code) && text.contains("4.50 USD"), "{text}");
    }
    let wide = on_a_terminal(&sb, 200, &["orders", "list"]);
    assert!(
        wide.contains("a-rather-long-reference-that-must-be-cut-on-a-narrow-terminal"),
        "a wide terminal shows the whole reference:\n{wide}"
    );
}
