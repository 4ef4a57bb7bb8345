//! Every command against a seeded sandbox with a frozen clock, in both output formats.

use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::time::Duration;

use serde_json::Value;

use crate::snap;
use crate::support::{TestSandbox, assert_success, cli, create_order};

/// The package the tests order: a rechargeable United States data plan of the sandbox.
const PACKAGE: &str = "change-7days-1gb";

#[test]
fn balance_and_devices() {
    let sb = TestSandbox::start(11);
    let (json, text) = sb.json(&["balance"]);
    assert_eq!(json[0]["amount"], "1000.00", "money is an exact string");
    snap!("balance_json", text);
    snap!("balance_table", sb.ok(&["balance"]));

    let (json, text) = sb.json(&["devices"]);
    assert!(json.as_array().is_some_and(|d| d.len() > 5));
    snap!("devices_json", text);
    snap!("devices_table", sb.ok(&["devices"]));
}

#[test]
fn packages_list() {
    let sb = TestSandbox::start(12);
    let (json, text) = sb.json(&["packages", "list", "--country", "US"]);
    let packages = json.as_array().expect("an array");
    assert!(packages.iter().all(|p| p["country_code"] == "US"));
    assert!(packages.iter().all(|p| p["kind"] == "sim"));
    snap!("packages_us_json", text);
    snap!(
        "packages_us_table",
        sb.ok(&["packages", "list", "--country", "US"])
    );

    // One page only, with top-ups.
    let (page, _) = sb.json(&[
        "packages",
        "list",
        "--type",
        "global",
        "--include-topups",
        "--page-size",
        "2",
        "--page",
        "1",
    ]);
    let page = page.as_array().expect("an array");
    assert!(page.iter().all(|p| p["operator_kind"] == "global"));
    assert!(page.iter().any(|p| p["kind"] == "topup"));
    let entries: std::collections::BTreeSet<_> =
        page.iter().map(|p| p["entry"].to_string()).collect();
    assert_eq!(
        entries.len(),
        2,
        "two catalogue entries on page 1: {entries:?}"
    );

    // Without --page: every page through the stream, the same as one big page.
    let (all_small_pages, _) =
        sb.json(&["packages", "list", "--type", "global", "--page-size", "2"]);
    let (one_page, _) = sb.json(&[
        "packages",
        "list",
        "--type",
        "global",
        "--page-size",
        "100",
        "--page",
        "1",
    ]);
    assert_eq!(all_small_pages, one_page);
    assert!(one_page.as_array().is_some_and(|p| p.len() > 10));

    // No match: an empty array, and a note in table mode.
    let none = ["packages", "list", "--country", "AQ"];
    sb.assert_empty_list(&none, "packages_none_table");
}

#[test]
fn orders_create_list_get() {
    let sb = TestSandbox::start(13);
    sb.assert_empty_list(&["orders", "list"], "orders_none_table");

    let (order, text) = sb.json(&[
        "orders",
        "create",
        "--package",
        PACKAGE,
        "--quantity",
        "2",
        "--description",
        "shop-order-1",
    ]);
    assert_eq!(order["quantity"], 2);
    assert_eq!(order["esims"].as_array().map(Vec::len), Some(2));
    snap!("orders_create_json", text);
    snap!(
        "orders_create_table",
        sb.ok(&create_order(&[], PACKAGE, "shop-order-2"))
    );

    sb.assert_list(&["orders", "list"], 2, "orders_list");

    let (filtered, _) = sb.json(&[
        "orders",
        "list",
        "--description",
        "shop-order-1",
        "--status",
        "completed",
        "--page-size",
        "1",
        "--page",
        "1",
    ]);
    assert_eq!(filtered.as_array().map(Vec::len), Some(1));
    assert_eq!(filtered[0]["description"], "shop-order-1");
    let code = order["code"].as_str().expect("a code");
    let (by_code, _) = sb.json(&["orders", "list", "--code", code]);
    assert_eq!(by_code[0]["id"], order["id"]);
    let iccid = order["esims"][0]["iccid"].as_str().expect("an ICCID");
    let (by_iccid, _) = sb.json(&["orders", "list", "--iccid", iccid]);
    assert_eq!(by_iccid[0]["id"], order["id"]);
    let (refunded, _) = sb.json(&["orders", "list", "--status", "refunded"]);
    assert_eq!(refunded, Value::Array(vec![]));

    let id = order["id"].to_string();
    let (got, text) = sb.json(&["orders", "get", &id]);
    assert_eq!(got["id"], order["id"]);
    snap!("orders_get_json", text);
    snap!("orders_get_table", sb.ok(&["orders", "get", &id]));
}

#[test]
fn sims_commands() {
    let sb = TestSandbox::start(14);
    let (empty, _) = sb.json(&["sims", "list"]);
    assert_eq!(empty, Value::Array(vec![]));

    let iccid = sb.order_esim(PACKAGE);
    let (list, text) = sb.json(&["sims", "list"]);
    assert_eq!(list[0]["iccid"], iccid.as_str());
    snap!("sims_list_json", text);
    snap!("sims_list_table", sb.ok(&["sims", "list"]));
    let (page, _) = sb.json(&[
        "sims",
        "list",
        "--iccid",
        &iccid,
        "--page",
        "1",
        "--page-size",
        "5",
    ]);
    assert_eq!(page, list);

    let (esim, text) = sb.json(&["sims", "get", &iccid]);
    assert!(
        esim["lpa"]
            .as_str()
            .is_some_and(|l| l.starts_with("LPA:1$"))
    );
    snap!("sims_get_json", text);
    snap!("sims_get_table", sb.ok(&["sims", "get", &iccid]));

    let (usage, text) = sb.json(&["sims", "usage", &iccid]);
    assert_eq!(usage["status"], "NOT_ACTIVE");
    snap!("sims_usage_json", text);
    snap!("sims_usage_table", sb.ok(&["sims", "usage", &iccid]));

    let (instructions, text) = sb.json(&["sims", "instructions", &iccid, "--language", "en"]);
    assert!(
        instructions["ios"]
            .as_array()
            .is_some_and(|i| !i.is_empty())
    );
    snap!("sims_instructions_json", text);
    snap!(
        "sims_instructions_text",
        sb.ok(&["sims", "instructions", &iccid])
    );

    let (links, text) = sb.json(&["sims", "install-link", &iccid]);
    let lpa = esim["lpa"].as_str().expect("an LPA string");
    assert!(
        links["apple"]
            .as_str()
            .is_some_and(|l| l.starts_with("https://esimsetup.apple.com/") && l.ends_with(lpa))
    );
    assert!(
        links["android"]
            .as_str()
            .is_some_and(|l| l.starts_with("https://esimsetup.android.com/"))
    );
    assert_eq!(links["activation_code"], esim["matching_id"]);
    assert_eq!(links["smdp_address"], esim["smdp_address"]);
    snap!("sims_install_link_json", text);
    snap!(
        "sims_install_link_text",
        sb.ok(&["sims", "install-link", &iccid])
    );

    // Top-ups are offered to active eSIMs only.
    sb.assert_empty_list(&["sims", "topups", &iccid], "sims_topups_none_table");
    sb.handle.activate(&iccid).expect("activated");
    let (topups, text) = sb.json(&["sims", "topups", &iccid]);
    assert!(topups.as_array().is_some_and(|t| !t.is_empty()));
    snap!("sims_topups_json", text);
    snap!("sims_topups_table", sb.ok(&["sims", "topups", &iccid]));

    let topup = topups[0]["id"].as_str().expect("a top-up id");
    let (order, text) = sb.json(&[
        "topups",
        "create",
        "--iccid",
        &iccid,
        "--package",
        topup,
        "--description",
        "refill-1",
    ]);
    assert_eq!(order["kind"], "topup");
    snap!("topups_create_json", text);

    // The API allows one history request per eSIM per 15 minutes: move the clock between.
    let (history, text) = sb.json(&["sims", "history", &iccid]);
    assert_eq!(history.as_array().map(Vec::len), Some(2));
    snap!("sims_history_json", text);
    sb.handle.advance_clock(Duration::from_secs(16 * 60));
    snap!("sims_history_table", sb.ok(&["sims", "history", &iccid]));
}

#[test]
fn sims_qr_files() {
    let sb = TestSandbox::start(15);
    let iccid = sb.order_esim(PACKAGE);
    let png = sb.home.path().join("code.png");
    let png_path = png.to_str().expect("UTF-8 path");
    let to_png = ["sims", "qr", &iccid, "--out", png_path];
    let out = sb.ok(&to_png);
    assert!(out.contains("PNG"), "{out}");
    let bytes = std::fs::read(&png).expect("the PNG file");
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"));

    let svg = sb.home.path().join("code.SVG");
    let svg_path = svg.to_str().expect("UTF-8 path");
    let (json, _) = sb.json(&["sims", "qr", &iccid, "--out", svg_path, "--show"]);
    assert_eq!(json["format"], "svg");
    let text = std::fs::read_to_string(&svg).expect("the SVG file");
    assert!(text.contains("<svg"));
    assert_eq!(json["bytes"].as_u64(), Some(text.len() as u64));

    // --show draws the code in the terminal too.
    let shown = sb.ok(&[&to_png[..], &["--show"]].concat());
    assert!(shown.contains('█'));
}

#[test]
fn voice_numbers_and_users() {
    let sb = TestSandbox::start(16);
    sb.assert_empty_list(&["users", "list"], "users_none_table");

    let available = [
        "numbers",
        "available",
        "--country",
        "NG",
        "--page",
        "1",
        "--page-size",
        "5",
    ];
    let numbers = sb.assert_list(&available, 5, "numbers_available");
    let (all, _) = sb.json(&["numbers", "available", "--page-size", "7"]);
    assert_eq!(
        all.as_array().map(Vec::len),
        Some(50),
        "every page of the 50 numbers"
    );

    let number = numbers[0]["number"].as_str().expect("a number");
    let (user, text) = sb.json(&[
        "numbers",
        "claim",
        "--number",
        number,
        "--email",
        "ada@example.com",
        "--first-name",
        "Ada",
        "--last-name",
        "Lovelace",
    ]);
    assert_eq!(user["subscription"]["status"], "trial");
    snap!("numbers_claim_json", text);
    let (renewed, text) = sb.json(&["numbers", "renew", "--email", "ada@example.com"]);
    assert_eq!(renewed["subscription"]["status"], "active");
    snap!("numbers_renew_json", text);
    snap!(
        "numbers_renew_table",
        sb.ok(&["numbers", "renew", "--email", "ada@example.com"])
    );

    let users = sb.assert_list(&["users", "list"], 1, "users_list");
    let (by_email, _) = sb.json(&[
        "users",
        "list",
        "--email",
        "ada@example.com",
        "--page",
        "1",
        "--page-size",
        "10",
    ]);
    assert_eq!(by_email, users);
    let (by_mobile, _) = sb.json(&["users", "list", "--mobile", "+10000000000"]);
    assert_eq!(by_mobile, Value::Array(vec![]));
}

/// `sandbox` serves until killed; its printed URL and credentials work.
#[test]
fn sandbox_command_serves_until_stopped() {
    let home = tempfile::tempdir().expect("a temp dir");
    for format in ["json", "table"] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_pressone-esim"))
            .args(["sandbox", "--port", "0", "--seed", "5", "-o", format])
            .env_remove("PRESSONE_BASE_URL")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the sandbox starts");
        let stdout = child.stdout.take().expect("stdout");
        let mut lines = BufReader::new(stdout).lines();
        let mut text = String::new();
        let done = |text: &str| match format {
            "json" => text.ends_with("}\n"),
            _ => text.contains("PRESSONE_CLIENT_SECRET="),
        };
        while !done(&text) {
            match lines.next() {
                Some(Ok(line)) => {
                    text.push_str(&line);
                    text.push('\n');
                }
                _ => break,
            }
        }
        let (base_url, id, secret) = if format == "json" {
            let v: Value = serde_json::from_str(&text).expect("one JSON document");
            assert_eq!(v["voice_base_url"], v["base_url"]);
            assert_eq!(
                v["console_url"].as_str(),
                v["base_url"]
                    .as_str()
                    .map(|b| format!("{b}/_sandbox/console"))
                    .as_deref()
            );
            let s = |k: &str| v[k].as_str().expect("a string").to_string();
            (s("base_url"), s("client_id"), s("client_secret"))
        } else {
            let var = |name: &str| {
                text.lines()
                    .find_map(|l| l.strip_prefix(&format!("export {name}=")))
                    .expect("the variable is printed")
                    .to_string()
            };
            (
                var("PRESSONE_BASE_URL"),
                var("PRESSONE_CLIENT_ID"),
                var("PRESSONE_CLIENT_SECRET"),
            )
        };
        assert!(base_url.starts_with("http://127.0.0.1:"), "{text}");
        let output = cli(home.path())
            .args(["--no-token-cache", "-o", "json", "balance"])
            .env("PRESSONE_BASE_URL", &base_url)
            .env("PRESSONE_CLIENT_ID", &id)
            .env("PRESSONE_CLIENT_SECRET", &secret)
            .output()
            .expect("the CLI runs");
        assert_success(&output, &["balance"]);
        let _ = child.kill();
        let _ = child.wait();
    }
}

/// One vocabulary everywhere: SM-DP+ address, activation code (the matching id) and LPA
/// string (`LPA:1$address$matching id`), in `sims get`, `install-link` and both platforms'
/// manual sections of the instructions.
#[test]
fn installation_labels_use_one_vocabulary() {
    let sb = TestSandbox::start(17);
    let iccid = sb.order_esim(PACKAGE);
    let (esim, _) = sb.json(&["sims", "get", &iccid]);
    let address = esim["smdp_address"].as_str().expect("an address");
    let code = esim["matching_id"].as_str().expect("a matching id");
    let lpa = esim["lpa"].as_str().expect("an LPA string");
    assert_eq!(lpa, format!("LPA:1${address}${code}"));
    let row = |text: &str, label: &str| -> String {
        // Table borders (on a terminal) are not part of the values.
        text.lines()
            .map(|l| l.replace(['│', '┆'], " "))
            .find_map(|l| {
                l.trim_start()
                    .strip_prefix(label)
                    .map(|rest| rest.trim_start_matches(':').trim().to_string())
            })
            .unwrap_or_else(|| panic!("no {label:?} in:\n{text}"))
    };
    for text in [
        sb.ok(&["sims", "get", &iccid]),
        sb.ok(&["sims", "install-link", &iccid]),
    ] {
        assert_eq!(row(&text, "SM-DP+ address"), address, "{text}");
        assert_eq!(row(&text, "Activation code"), code, "{text}");
        assert_eq!(row(&text, "LPA string"), lpa, "{text}");
    }
    let text = sb.ok(&["sims", "instructions", &iccid]);
    let android = text.split("\nAndroid").nth(1).expect("an Android section");
    let ios = text.split("\nAndroid").next().expect("an iOS section");
    for section in [ios, android] {
        assert_eq!(row(section, "SM-DP+ address"), address, "{section}");
        assert_eq!(row(section, "Activation code"), code, "{section}");
        assert_eq!(row(section, "LPA string"), lpa, "{section}");
    }
}
