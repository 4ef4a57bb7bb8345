//! Everyday use: every documented option is a flag, the package history cache across runs,
//! profiles, shell integration, lists that stop (output formats are in `output.rs`).

use httpmock::Method::GET;
use serde_json::Value;

use crate::errors::fails;
use crate::support::{
    CLIENT_ID, DroppingServer, JSON, MockApi, SECRET, TestSandbox, assert_success, cli, run_ok,
    stderr, stdout, total_requests,
};

const PACKAGE: &str = "change-7days-1gb";
const ICCID: &str = "8923410369565070438";

fn header<'a>(r: &'a crate::support::Recorded, name: &str) -> Option<&'a str> {
    r.headers
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

#[test]
fn every_documented_option_is_a_flag_and_reaches_the_wire() {
    let home = tempfile::tempdir().expect("a temp dir");
    let server = DroppingServer::start();
    let run = |args: &[&str]| {
        server
            .cli(home.path())
            .args(args)
            .output()
            .expect("the CLI runs")
    };
    run(&[
        "orders",
        "create",
        "--package",
        PACKAGE,
        "--description",
        "d-1",
        "--email-to",
        "ada@example.com",
        "--copy-to",
        "ops@example.com",
        "--copy-to",
        "cc@example.com",
        "--sharing-option",
        "link",
        "--sharing-option",
        "pdf",
        "--brand",
        "acme",
    ]);
    run(&[
        "orders",
        "list",
        "--created-from",
        "2025-03-01",
        "--created-to",
        "2025-03-31",
    ]);
    run(&[
        "sims",
        "list",
        "--created-from",
        "2025-03-02",
        "--created-to",
        "2025-03-30",
    ]);
    run(&["packages", "list", "--language", "fr"]);
    let voice = run(&[
        "-vv",
        "--voice-api-key",
        "vk-Hq7-never-shown",
        "users",
        "list",
    ]);
    let recorded = server.recorded();
    let find = |path: &str| {
        recorded
            .iter()
            .find(|r| r.path.starts_with(path))
            .unwrap_or_else(|| panic!("no request to {path}: {recorded:?}"))
    };
    let order = DroppingServer::decode(&find("/customer/v2/orders").body);
    for field in [
        "to_email=ada@example.com",
        "copy_address[]=ops@example.com",
        "copy_address[]=cc@example.com",
        "sharing_option[]=link",
        "sharing_option[]=pdf",
        "brand_settings_name=acme",
        "description=d-1",
    ] {
        assert!(order.split('&').any(|p| p == field), "{field} in {order}");
    }
    let orders = DroppingServer::decode(&find("/customer/v2/orders?").path);
    assert!(
        orders.contains("filter[created_at]=2025-03-01 - 2025-03-31"),
        "{orders}"
    );
    let sims = DroppingServer::decode(&find("/customer/v2/sims?").path);
    assert!(
        sims.contains("filter[created_at]=2025-03-02 - 2025-03-30"),
        "{sims}"
    );
    assert_eq!(
        header(find("/customer/v2/packages"), "accept-language"),
        Some("fr")
    );
    let users = find("/api/third-party/partner/user/");
    assert_eq!(header(users, "x-api-key"), Some("vk-Hq7-never-shown"));
    assert_eq!(header(users, "authorization"), None);
    let all = format!("{}{}", stdout(&voice), stderr(&voice));
    assert!(!all.contains("vk-Hq7-never-shown"), "{all}");
    assert!(!stderr(&voice).is_empty(), "-vv logged the call");

    // One end of a date range alone is a usage error.
    cli(home.path())
        .args(["orders", "list", "--created-from", "2025-03-01"])
        .assert()
        .code(2);
}

fn history_body() -> String {
    serde_json::json!({"data": [{
        "id": 728, "status": "ACTIVE", "remaining": 2378,
        "activated_at": "2023-01-09T10:30:45+00:00", "expired_at": "2023-02-09T10:30:45+00:00",
        "finished_at": null,
        "package": {"id": "bonbon-30days-3gb-topup", "type": "topup", "price": 10, "net_price": 6,
            "amount": 3072, "day": 30, "is_unlimited": false, "title": "3 GB - 30 Days",
            "data": "3 GB", "short_info": null}
    }]})
    .to_string()
}

#[test]
fn package_history_is_cached_across_runs_for_15_minutes() {
    let api = MockApi::with_token("tok-history");
    let path = format!("/customer/v2/sims/{ICCID}/packages");
    let history = api.answer(GET, &path, 200, &[JSON], history_body());
    let json_history = ["-o", "json", "sims", "history", ICCID];
    let first = stdout(&run_ok(api.cli().args(json_history), "sims history"));
    let output = run_ok(api.cli().args(json_history), "sims history");
    assert_eq!(history.calls(), 1, "the second run sent no request");
    assert_eq!(stdout(&output), first, "the same answer");
    assert!(stderr(&output).contains("cached"), "{}", stderr(&output));
    let json: Value = serde_json::from_str(&first).expect("JSON");
    assert_eq!(json[0]["remaining_mb"], 2378);
    assert_eq!(json[0]["package"]["price"], "10.00");

    // --fresh asks the server.
    run_ok(
        api.cli().args(["sims", "history", ICCID, "--fresh"]),
        "--fresh",
    );
    assert_eq!(history.calls(), 2);

    // The files: the directory 0700, each file 0600.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let dir = api.home.path().join("tokens/history");
        let mode = |p: &std::path::Path| {
            std::fs::metadata(p).expect("exists").permissions().mode() & 0o777
        };
        assert_eq!(mode(&dir), 0o700);
        let files: Vec<_> = std::fs::read_dir(&dir)
            .expect("the cache directory")
            .map(|e| e.expect("an entry").path())
            .collect();
        assert_eq!(files.len(), 1, "{files:?}");
        assert_eq!(mode(&files[0]), 0o600);
    }
}

#[test]
fn a_rate_limited_history_says_when_to_retry() {
    let api = MockApi::with_token("tok-429");
    api.rate_limited(&format!("/customer/v2/sims/{ICCID}/packages"), "900");
    let before = chrono::Utc::now();
    let line = fails(api.cli(), &["sims", "history", ICCID], 6);
    let at = line
        .split("retry after ")
        .nth(1)
        .and_then(|rest| rest.get(..23))
        .and_then(|t| chrono::NaiveDateTime::parse_from_str(t, "%Y-%m-%d %H:%M:%S UTC").ok())
        .unwrap_or_else(|| panic!("a retry time in {line}"))
        .and_utc();
    assert!(at >= before + chrono::Duration::seconds(899), "{line}");
}

/// Writes the config file with `text`, in which `BASE` stands for the mock server's URL.
fn write_mock_config(api: &MockApi, text: &str, mode: u32) -> std::path::PathBuf {
    let text = text.replace("BASE", &api.server.base_url());
    write_config(api.home.path(), &text, mode)
}

fn write_config(home: &std::path::Path, text: &str, mode: u32) -> std::path::PathBuf {
    let path = home.join("config/pressone-esim/config.toml");
    std::fs::create_dir_all(path.parent().expect("a parent")).expect("a directory");
    std::fs::write(&path, text).expect("written");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).expect("chmod");
    }
    #[cfg(not(unix))]
    let _ = mode;
    path
}

#[test]
fn profiles_give_settings_with_flags_over_environment_over_profile() {
    let api = MockApi::with_token("tok-profile");
    let (home, server) = (&api.home, &api.server);
    let balance = api.balance();
    let profiles = format!(
        "[profiles.mock]\nbase_url = \"BASE\"\nclient_id = \"{CLIENT_ID}\"\nclient_secret = \"{SECRET}\"\n\n[profiles.broken]\nbase_url = \"http://127.0.0.1:9\"\nclient_id = \"other\"\n"
    );
    write_mock_config(&api, &profiles, 0o600);
    run_ok(
        cli(home.path()).args([
            "--profile",
            "mock",
            "--no-token-cache",
            "-o",
            "json",
            "balance",
        ]),
        "--profile mock balance",
    );
    assert_eq!(balance.calls(), 1);

    // The environment beats the profile, and a flag beats the environment.
    run_ok(
        cli(home.path())
            .env("PRESSONE_PROFILE", "broken")
            .env("PRESSONE_BASE_URL", server.base_url())
            .env("PRESSONE_CLIENT_SECRET", SECRET)
            .args(["--client-id", CLIENT_ID, "--no-token-cache", "balance"]),
        "env over profile",
    );
    assert_eq!(balance.calls(), 2);

    // config show: each value with its source, the secret redacted.
    let output = run_ok(
        cli(home.path())
            .env("PRESSONE_PROFILE", "mock")
            .env("PRESSONE_CLIENT_ID", "from-env")
            .args(["-o", "json", "config", "show"]),
        "config show",
    );
    assert!(!stdout(&output).contains(SECRET));
    let shown: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let get = |name: &str| {
        shown
            .as_array()
            .and_then(|a| a.iter().find(|s| s["name"] == name))
            .cloned()
            .unwrap_or_else(|| panic!("{name} in {shown}"))
    };
    assert_eq!(get("client_id")["value"], "from-env");
    assert_eq!(get("client_id")["source"], "env");
    assert_eq!(get("base_url")["source"], "profile");
    assert_eq!(get("client_secret")["value"], "[redacted]");
    assert_eq!(get("profile")["value"], "mock");
    let text = stdout(
        &cli(home.path())
            .args(["--profile", "mock", "--client-id", "f", "config", "show"])
            .output()
            .expect("runs"),
    );
    assert!(
        text.contains("[redacted]") && !text.contains(SECRET),
        "{text}"
    );
    assert!(
        text.lines()
            .any(|l| l.trim_start().starts_with("client_id") && l.ends_with("flag")),
        "{text}"
    );

    // An unknown profile is a usage error.
    let line = fails(cli(home.path()), &["--profile", "nope", "balance"], 2);
    assert!(line.contains("no profile \"nope\""), "{line}");
}

#[cfg(unix)]
#[test]
fn a_config_file_with_a_secret_readable_by_others_is_refused() {
    let api = MockApi::start();
    let home = api.home.path();
    let any = api.catch_all();
    let with_secret = format!(
        "[profiles.default]\nbase_url = \"BASE\"\nclient_id = \"id\"\nclient_secret = \"{SECRET}\"\n"
    );
    write_mock_config(&api, &with_secret, 0o644);
    let line = fails(cli(home), &["balance"], 2);
    assert!(
        line.contains("readable by others") && line.contains("chmod 600"),
        "{line}"
    );
    assert!(!line.contains(SECRET));
    assert_eq!(any.calls(), 0, "nothing was sent");
    // Without a secret in it, the same mode is fine (and the default profile is used).
    write_mock_config(&api, "[profiles.default]\nbase_url = \"BASE\"\n", 0o644);
    let line = fails(cli(home), &["balance"], 2);
    assert!(line.contains("no client id"), "{line}");
}

#[test]
fn completions_man_page_and_help_examples() {
    let home = tempfile::tempdir().expect("a temp dir");
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let output = cli(home.path())
            .args(["completions", shell])
            .output()
            .expect("runs");
        assert_success(&output, &["completions", shell]);
        let text = stdout(&output);
        assert!(
            text.contains("pressone-esim") && text.contains("install-link"),
            "{shell}"
        );
    }
    let output = cli(home.path()).arg("man").output().expect("runs");
    assert_success(&output, &["man"]);
    let man = stdout(&output);
    assert!(
        man.starts_with(".ie") || man.contains(".TH pressone-esim"),
        "{man}"
    );

    for args in [
        &["--help"][..],
        &["balance", "--help"],
        &["orders", "create", "--help"],
        &["orders", "find", "--help"],
        &["sims", "history", "--help"],
        &["config", "show", "--help"],
        &["numbers", "claim", "--help"],
    ] {
        let output = cli(home.path()).args(args).output().expect("runs");
        let text = stdout(&output);
        assert!(text.contains("\nExamples:\n"), "{args:?}:\n{text}");
        assert_eq!(
            text.matches("Global options:").count(),
            1,
            "{args:?}:\n{text}"
        );
    }
    let help = stdout(&cli(home.path()).arg("--help").output().expect("runs"));
    assert!(help.contains("9 a write"), "{help}");
}

#[test]
fn verbose_logs_each_request_with_status_and_latency() {
    let sb = TestSandbox::start(53);
    let output = sb.cli().args(["-vv", "balance"]).output().expect("runs");
    assert_success(&output, &["-vv balance"]);
    let err = stderr(&output);
    assert!(
        err.contains("get_balance") && err.contains("status=200") && err.contains("latency_ms="),
        "{err}"
    );
    assert!(!err.contains(SECRET));
}

#[test]
fn limit_stops_fetching_pages_once_enough_items_are_printed() {
    let sb = TestSandbox::start(54);
    for i in 0..4 {
        sb.json(&[
            "orders",
            "create",
            "--package",
            PACKAGE,
            "--description",
            &format!("l-{i}"),
        ]);
    }
    let pages = |args: &[&str]| {
        let before = total_requests(&sb);
        let (json, _) = sb.json(args);
        (
            json.as_array().map_or(0, Vec::len),
            total_requests(&sb) - before,
        )
    };
    assert_eq!(
        pages(&["orders", "list", "--page-size", "1"]),
        (4, 4),
        "one request per page"
    );
    let (items, requests) = pages(&["orders", "list", "--page-size", "1", "--limit", "2"]);
    assert_eq!(items, 2);
    assert_eq!(requests, 2, "no page fetched after the second item");
    let (items, _) = pages(&["orders", "list", "--limit", "3"]);
    assert_eq!(items, 3);
    let (items, _) = pages(&["sims", "list", "--limit", "1"]);
    assert_eq!(items, 1);
    let (items, _) = pages(&["packages", "list", "--limit", "2"]);
    assert_eq!(items, 2);
    let (items, _) = pages(&["devices", "--limit", "3"]);
    assert_eq!(items, 3);
    let (items, requests) = pages(&["numbers", "available", "--page-size", "5", "--limit", "6"]);
    assert_eq!((items, requests), (6, 2));
}
