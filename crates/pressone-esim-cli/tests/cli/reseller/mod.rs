//! The reseller toolkit from the command line: `orders create-many` through a proxy that
//! drops or holds the third/second order's answer (and a killed process), then reruns that
//! order every line exactly once; `sims usage` of many ICCIDs; `sims watch --once` exit codes;
//! `packages export` and `packages diff`.

mod proxy;

use std::path::Path;
use std::time::Duration;

use serde_json::Value;

use self::proxy::{Fault, Proxy};
use crate::support::{CLI_ENV, CLIENT_ID, SECRET, TestSandbox, stderr, stdout};

/// A rechargeable 1 GB United States plan of the sandbox.
const PACKAGE: &str = "change-7days-1gb";

/// The bulk order of `orders.csv`, JSON output.
const CREATE_MANY: [&str; 6] = [
    "-o",
    "json",
    "orders",
    "create-many",
    "--file",
    "orders.csv",
];

fn results(stdout: &str) -> Vec<String> {
    let json: Value = serde_json::from_str(stdout).expect("one JSON document");
    json.as_array()
        .expect("an array")
        .iter()
        .map(|l| l["result"].as_str().expect("a result").to_string())
        .collect()
}

/// A sandbox (seeded with `seed`) with an orders file of `lines` lines in its home, and a
/// proxy in front of it that injects `fault`.
fn behind_a_proxy(seed: u64, lines: usize, fault: Fault) -> (TestSandbox, Proxy) {
    let sb = TestSandbox::start(seed);
    write_orders(sb.home.path(), lines);
    let proxy = Proxy::start(sb.handle.base_url(), fault);
    (sb, proxy)
}

fn write_orders(home: &Path, lines: usize) {
    let mut csv = String::from("package_id,quantity,description\n");
    for i in 1..=lines {
        // Same package and quantity on every line: only the line number tells them apart,
        // except line 2 which carries its own reference.
        let description = if i == 2 { "shop-7" } else { "" };
        csv.push_str(&format!("{PACKAGE},1,{description}\n"));
    }
    std::fs::write(home.join("orders.csv"), csv).expect("written");
}

/// Every line's description has exactly one order on the sandbox.
fn each_once(sb: &TestSandbox, stdout: &str) {
    let json: Value = serde_json::from_str(stdout).expect("one JSON document");
    for line in json.as_array().expect("an array") {
        let description = line["description"].as_str().expect("a description");
        let orders = sb.handle.orders_with_description(description);
        assert_eq!(orders.len(), 1, "{description}: {orders:?}");
    }
}

#[test]
fn a_dropped_answer_then_a_rerun_orders_every_line_exactly_once() {
    let (sb, proxy) = behind_a_proxy(61, 5, Fault::DropAnswer(3));
    let args = CREATE_MANY;

    let first = sb
        .cli()
        .env("PRESSONE_BASE_URL", &proxy.base_url)
        .args(args)
        .output()
        .expect("runs");
    assert_eq!(first.status.code(), Some(9), "{}", stderr(&first));
    assert_eq!(proxy.faulted.try_recv(), Ok(3));
    assert_eq!(
        results(&stdout(&first)),
        ["placed", "placed", "unclear", "placed", "placed"]
    );
    assert!(stderr(&first).contains("run the same command again"));
    assert!(
        stderr(&first).contains("pressone-esim orders find --description bulk-"),
        "{}",
        stderr(&first)
    );
    assert_eq!(
        sb.handle.order_count(),
        5,
        "the third was placed, unanswered"
    );

    let second = sb.cli().args(args).output().expect("runs");
    assert!(second.status.success(), "{}", stderr(&second));
    assert_eq!(
        results(&stdout(&second)),
        [
            "already_placed",
            "already_placed",
            "found",
            "already_placed",
            "already_placed"
        ]
    );
    assert_eq!(sb.handle.order_count(), 5, "no line ordered twice");
    each_once(&sb, &stdout(&second));
    let json: Value = serde_json::from_str(&stdout(&second)).expect("JSON");
    assert_eq!(json[1]["description"], "shop-7");
    assert!(
        json[0]["description"]
            .as_str()
            .is_some_and(|d| d.starts_with("bulk-"))
    );
    assert!(sb.home.path().join("orders.csv.journal.jsonl").exists());
}

/// The CLI binary as a child process, pointed at `base_url`, stdout piped, stderr discarded.
fn spawn(home: &Path, base_url: &str, args: &[&str]) -> std::process::Child {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_pressone-esim"));
    for var in CLI_ENV {
        cmd.env_remove(var);
    }
    cmd.env("HOME", home)
        .env("XDG_CACHE_HOME", home.join("cache"))
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("PRESSONE_BASE_URL", base_url)
        .env("PRESSONE_CLIENT_ID", CLIENT_ID)
        .env("PRESSONE_CLIENT_SECRET", SECRET)
        .env("PRESSONE_CACHE_DIR", home.join("tokens"))
        .current_dir(home)
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null());
    cmd.spawn().expect("the CLI starts")
}

#[test]
fn a_process_killed_between_record_and_answer_never_orders_twice() {
    let (sb, proxy) = behind_a_proxy(62, 3, Fault::HoldAnswer(2));
    let args = CREATE_MANY;
    let mut child = spawn(sb.home.path(), &proxy.base_url, &args);
    // The sandbox placed the second order; its answer is held: the process waits for it.
    let held = proxy.faulted.recv_timeout(Duration::from_secs(60));
    assert_eq!(held, Ok(2));
    let journal =
        std::fs::read_to_string(sb.home.path().join("orders.csv.journal.jsonl")).expect("read");
    let last: Value =
        serde_json::from_str(journal.lines().last().expect("a record")).expect("a record");
    assert_eq!(
        last["state"], "sending",
        "recorded before the request: {journal}"
    );
    assert_eq!(last["description"], "shop-7");
    child.kill().expect("killed");
    let _ = child.wait();
    assert_eq!(sb.handle.order_count(), 2);

    let rerun = sb.cli().args(args).output().expect("runs");
    assert!(rerun.status.success(), "{}", stderr(&rerun));
    assert_eq!(
        results(&stdout(&rerun)),
        ["already_placed", "found", "placed"]
    );
    assert_eq!(sb.handle.order_count(), 3, "one order per line");
    each_once(&sb, &stdout(&rerun));
}

#[test]
fn a_bad_csv_sends_nothing() {
    let sb = TestSandbox::start(63);
    std::fs::write(
        sb.home.path().join("bad.csv"),
        format!("package_id,quantity\n{PACKAGE},1\n{PACKAGE},two\n"),
    )
    .expect("written");
    let out = sb
        .cli()
        .args(["orders", "create-many", "--file", "bad.csv"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("line 3"), "{}", stderr(&out));
    assert_eq!(sb.handle.order_count(), 0);
}

#[test]
fn topups_create_many_reruns_without_duplicates() {
    let sb = TestSandbox::start(64);
    let iccid = sb.order_esim(PACKAGE);
    sb.handle.activate(&iccid).expect("activated");
    let (offers, _) = sb.json(&["sims", "topups", &iccid]);
    let offer = offers[0]["id"].as_str().expect("a top-up").to_string();
    std::fs::write(
        sb.home.path().join("topups.csv"),
        format!("iccid,package_id\n{iccid},{offer}\n"),
    )
    .expect("written");
    let args = [
        "-o",
        "json",
        "topups",
        "create-many",
        "--file",
        "topups.csv",
    ];
    let first = sb.cli().args(args).output().expect("runs");
    assert!(first.status.success(), "{}", stderr(&first));
    assert_eq!(results(&stdout(&first)), ["placed"]);
    let second = sb.cli().args(args).output().expect("runs");
    assert_eq!(results(&stdout(&second)), ["already_placed"]);
    assert_eq!(sb.handle.topup_count(), 1);
}

#[test]
fn usage_of_many_esims_one_row_each_in_order() {
    let sb = TestSandbox::start(65);
    let (order, _) = sb.json(&["orders", "create", "--package", PACKAGE, "--quantity", "3"]);
    let mut iccids: Vec<String> = order["esims"]
        .as_array()
        .expect("eSIMs")
        .iter()
        .map(|e| e["iccid"].as_str().expect("an ICCID").to_string())
        .collect();
    iccids.insert(1, "8999000000000000017".into());
    std::fs::write(sb.home.path().join("iccids.txt"), iccids.join("\n")).expect("written");

    let out = sb
        .cli()
        .args(["-o", "json", "sims", "usage", "--from-file", "iccids.txt"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(5), "not found: {}", stderr(&out));
    let json: Value = serde_json::from_str(&stdout(&out)).expect("one JSON document");
    let rows = json.as_array().expect("an array");
    let order: Vec<&str> = rows
        .iter()
        .map(|r| r["iccid"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(order, iccids.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(rows[1]["error"]["kind"], "not_found");
    assert_eq!(rows[1]["error"]["exit_code"], 5);
    assert!(rows[0]["usage"]["status"].is_string());

    // Standard input, csv: one header and one row per ICCID.
    let out = sb
        .cli()
        .args(["-o", "csv", "sims", "usage", "--from-file", "-", &iccids[0]])
        .write_stdin(format!("{}\n{}\n", iccids[2], iccids[3]))
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", stderr(&out));
    let mut reader = csv::Reader::from_reader(out.stdout.as_slice());
    let headers = reader.headers().expect("a header").clone();
    assert_eq!(&headers[0], "iccid");
    assert_eq!(reader.records().count(), 3);
}

#[test]
fn watch_once_exits_ten_when_an_esim_is_below_the_level() {
    let sb = TestSandbox::start(66);
    let iccid = sb.order_esim(PACKAGE);
    let above = sb
        .cli()
        .args(["sims", "watch", &iccid, "--below", "20%", "--once"])
        .output()
        .expect("runs");
    assert_eq!(above.status.code(), Some(0), "{}", stderr(&above));
    assert_eq!(stdout(&above), "");

    let below = sb
        .cli()
        .args([
            "-o", "json", "sims", "watch", &iccid, "--below", "2GB", "--once",
        ])
        .output()
        .expect("runs");
    assert_eq!(below.status.code(), Some(10), "{}", stderr(&below));
    let alert: Value = serde_json::from_str(stdout(&below).trim()).expect("one JSON line");
    assert_eq!(alert["iccid"], iccid.as_str());
    assert_eq!(alert["below"], "2048MB");

    let bad = sb
        .cli()
        .args([
            "sims",
            "watch",
            "8999000000000000017",
            "--below",
            "20%",
            "--once",
        ])
        .output()
        .expect("runs");
    assert_eq!(bad.status.code(), Some(5), "{}", stderr(&bad));
}

#[test]
fn export_has_one_row_per_package_and_parses_back() {
    let sb = TestSandbox::start(67);
    let (list, _) = sb.json(&["packages", "list"]);
    let count = list.as_array().expect("an array").len();
    assert!(count > 10);

    let csv_text = sb.ok(&[
        "packages",
        "export",
        "--markup",
        "25%",
        "--round",
        ".99",
        "--currency",
        "usd",
    ]);
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let headers = reader.headers().expect("a header").clone();
    let column = |name: &str| headers.iter().position(|h| h == name).expect(name);
    let (id, net, retail) = (column("id"), column("net_price"), column("retail_price"));
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("a row")).collect();
    assert_eq!(rows.len(), count, "one row per package of the catalogue");
    let ids: Vec<&str> = list
        .as_array()
        .expect("an array")
        .iter()
        .map(|p| p["id"].as_str().expect("an id"))
        .collect();
    assert_eq!(rows.iter().map(|r| &r[id]).collect::<Vec<_>>(), ids);
    let mut priced = 0;
    for row in &rows {
        if row[net].is_empty() {
            assert!(
                row[retail].is_empty(),
                "no net price, no invented retail price"
            );
            continue;
        }
        priced += 1;
        let net: f64 = row[net].parse().expect("an amount");
        let retail_text = &row[retail];
        assert!(retail_text.ends_with(".99"), "{retail_text}");
        assert!(retail_text.parse::<f64>().expect("an amount") >= net * 1.25);
    }
    assert!(priced > 0);

    sb.ok(&[
        "packages",
        "export",
        "--format",
        "jsonl",
        "--out",
        "today.jsonl",
    ]);
    let jsonl = std::fs::read_to_string(sb.home.path().join("today.jsonl")).expect("written");
    assert_eq!(jsonl.lines().count(), count);
    for line in jsonl.lines() {
        let row: Value = serde_json::from_str(line).expect("a JSON row");
        assert!(row["prices"].is_object());
    }
}

#[test]
fn diff_lists_added_removed_and_repriced_packages() {
    let sb = TestSandbox::start(68);
    sb.ok(&[
        "packages",
        "export",
        "--format",
        "jsonl",
        "--markup",
        "1.50",
        "--out",
        "old.jsonl",
    ]);
    let old = std::fs::read_to_string(sb.home.path().join("old.jsonl")).expect("written");
    let mut rows: Vec<Value> = old
        .lines()
        .map(|l| serde_json::from_str(l).expect("a row"))
        .collect();
    let removed = rows.remove(0)["id"].as_str().expect("an id").to_string();
    let repriced = rows[0]["id"].as_str().expect("an id").to_string();
    rows[0]["retail_price"] = Value::String("999.99".into());
    let mut added = rows[1].clone();
    added["id"] = Value::String("brand-new-package".into());
    rows.push(added);
    let new: String = rows.iter().map(|r| format!("{r}\n")).collect();
    std::fs::write(sb.home.path().join("new.jsonl"), new).expect("written");

    let (json, _) = sb.json(&["packages", "diff", "old.jsonl", "new.jsonl"]);
    let changes: Vec<(String, String)> = json
        .as_array()
        .expect("an array")
        .iter()
        .map(|c| {
            (
                c["change"].as_str().expect("a change").to_string(),
                c["id"].as_str().expect("an id").to_string(),
            )
        })
        .collect();
    assert_eq!(
        changes,
        [
            ("added".to_string(), "brand-new-package".to_string()),
            ("removed".to_string(), removed),
            ("repriced".to_string(), repriced),
        ]
    );
    assert_eq!(json[2]["price"], "retail_price");
    assert_eq!(json[2]["new"], "999.99");
    // The same file twice: nothing changed.
    let same = sb.ok(&["packages", "diff", "old.jsonl", "old.jsonl"]);
    assert_eq!(same, "No changes.\n");
}
