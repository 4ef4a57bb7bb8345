//! Exit codes and the one-line error message of each error kind.

use httpmock::Method::GET;
use predicates::prelude::*;

use crate::support::{
    JSON, MockApi, TestSandbox, assert_may_have_ordered, cli, closed_port_cli, create_order,
    stderr, stdout,
};

/// Runs the command, expects `code`, one error line on stderr (after any `note:` lines), and
/// on stdout nothing, or with `-o json` one error object with the same message and code;
/// returns the error line.
pub fn fails(mut cmd: assert_cmd::Command, args: &[&str], code: i32) -> String {
    let output = cmd.args(args).output().expect("the CLI runs");
    let err = stderr(&output);
    assert_eq!(
        output.status.code(),
        Some(code),
        "{args:?}\nstdout:\n{}\nstderr:\n{err}",
        stdout(&output)
    );
    let lines: Vec<&str> = err.lines().filter(|l| !l.starts_with("note: ")).collect();
    assert_eq!(lines.len(), 1, "{args:?}: one error line on stderr:\n{err}");
    assert!(lines[0].starts_with("error: "), "{err}");
    if args.windows(2).any(|w| w == ["-o", "json"]) {
        let doc: serde_json::Value =
            serde_json::from_slice(&output.stdout).expect("one JSON error document");
        assert_eq!(doc["error"]["exit_code"], code, "{doc}");
        assert_eq!(
            Some(lines[0].trim_start_matches("error: ")),
            doc["error"]["message"].as_str()
        );
    } else {
        assert_eq!(stdout(&output), "", "{args:?}: nothing on stdout");
    }
    lines[0].to_string()
}

#[test]
fn sandbox_errors_map_to_exit_codes() {
    let sb = TestSandbox::start(21);

    // 3: the secret is wrong.
    let mut cmd = sb.cli();
    cmd.env("PRESSONE_CLIENT_SECRET", "not-the-secret");
    let line = fails(cmd, &["--no-token-cache", "-o", "json", "balance"], 3);
    assert!(line.starts_with("error: authentication failed"), "{line}");

    // 4: invalid input (refused before sending).
    let line = fails(
        sb.cli(),
        &[
            "-o",
            "json",
            "orders",
            "create",
            "--package",
            "change-7days-1gb",
            "--quantity",
            "51",
        ],
        4,
    );
    assert!(
        line.starts_with(
            "error: rejected: invalid input: quantity: must be between 1 and 50, not 51 (reference cli-"
        ),
        "{line}"
    );

    // 4: a business code.
    let line = fails(
        sb.cli(),
        &[
            "orders",
            "create",
            "--package",
            "test-insufficient-balance-7days-1gb",
        ],
        4,
    );
    assert!(
        line.starts_with("error: rejected: code 11: Insufficient PressOne Credit"),
        "{line}"
    );

    // 4: the server's validation.
    let line = fails(
        sb.cli(),
        &["orders", "create", "--package", "no-such-package-7days-1gb"],
        4,
    );
    assert!(line.starts_with("error: rejected: "), "{line}");

    // 5: unknown ICCID, for each eSIM command.
    for args in [
        &["sims", "get", "8900000000000000000"][..],
        &["sims", "usage", "8900000000000000000"],
        &["-o", "json", "sims", "topups", "8900000000000000000"],
        &["orders", "get", "999999"],
    ] {
        let line = fails(sb.cli(), args, 5);
        assert!(line.starts_with("error: not found: "), "{line}");
    }
}

#[test]
fn topups_answered_200_with_the_not_found_body_exit_5() {
    let api = MockApi::with_token("tok-topups");
    // Airalo files the invalid-ICCID answer of the top-up list under HTTP 200.
    let not_found = r#"{"data": [], "meta": {"message": "messages.resource_not_found"}}"#;
    let path = "/customer/v2/sims/8900000000000000000/topups";
    api.answer(GET, path, 200, &[JSON], not_found);
    let args = ["-o", "json", "sims", "topups", "8900000000000000000"];
    let line = fails(api.cli(), &args, 5);
    assert!(line.starts_with("error: not found: "), "{line}");
}

/// `balance` against a server that answers it 429 with this `Retry-After`: exit 6 with a "rate
/// limited" line; the balance mock and that line.
fn balance_rate_limited<'a>(api: &'a MockApi, retry_after: &str) -> (httpmock::Mock<'a>, String) {
    let limited = api.rate_limited("/customer/v2/balance", retry_after);
    let line = fails(api.cli(), &["balance"], 6);
    assert!(line.starts_with("error: rate limited"), "{line}");
    (limited, line)
}

#[test]
fn rate_limited_after_retries_exits_6() {
    let api = MockApi::with_token("tok-429");
    // A short wait: the SDK retries it, every attempt of its policy, then gives up.
    let (limited, _) = balance_rate_limited(&api, "0");
    let attempts = pressone_esim::RetryPolicy::default().attempts();
    assert!(attempts > 1, "the default policy retries");
    assert_eq!(
        limited.calls(),
        usize::try_from(attempts).expect("a count"),
        "exit 6 only after every attempt of the retry policy"
    );
}

#[test]
fn a_rate_limit_longer_than_the_retry_budget_is_not_waited_for() {
    let api = MockApi::with_token("tok-429-long");
    let (limited, line) = balance_rate_limited(&api, "120");
    assert!(
        line.contains("120s") && line.contains("retry after "),
        "{line}"
    );
    assert_eq!(limited.calls(), 1);
}

#[test]
fn network_failure_exits_7() {
    let home = tempfile::tempdir().expect("a temp dir");
    let line = fails(
        closed_port_cli(home.path()),
        &["--no-token-cache", "balance"],
        7,
    );
    assert!(line.starts_with("error: network error"), "{line}");
}

#[test]
fn server_error_exits_7() {
    let api = MockApi::with_token("tok-5xx");
    let path = "/customer/v2/compatible-devices-lite";
    api.answer(GET, path, 503, &[], "down for maintenance");
    let line = fails(api.cli(), &["--timeout", "5", "devices"], 7);
    assert!(line.starts_with("error: server error (HTTP 503)"), "{line}");
}

#[test]
fn html_instead_of_json_exits_8() {
    let api = MockApi::with_token("tok-html");
    let html = "<!DOCTYPE html><html><body>Gateway login</body></html>";
    for path in [
        "/customer/v2/balance",
        "/customer/v2/compatible-devices-lite",
    ] {
        api.answer(GET, path, 200, &[("content-type", "text/html")], html);
    }
    for command in ["balance", "devices"] {
        let line = fails(api.cli(), &[command], 8);
        assert!(line.starts_with("error: unreadable response"), "{line}");
    }
}

#[test]
fn usage_errors_exit_2() {
    let home = tempfile::tempdir().expect("a temp dir");
    cli(home.path())
        .args(["balance", "--no-such-flag"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("--no-such-flag"));
    cli(home.path())
        .args(["orders", "list", "--status", "lost"])
        .assert()
        .code(2);
    cli(home.path())
        .args(["sims", "qr", "8900000000000000000", "--out", "code.jpg"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(".png or .svg"));
    cli(home.path()).assert().code(2);

    // A base URL without credentials, or an unusable one.
    let mut cmd = cli(home.path());
    cmd.env("PRESSONE_BASE_URL", "https://api.example.com");
    let line = fails(cmd, &["balance"], 2);
    assert!(line.contains("client id"), "{line}");
    let mut cmd = cli(home.path());
    cmd.env("PRESSONE_BASE_URL", "http://api.example.com")
        .env("PRESSONE_CLIENT_ID", "id")
        .env("PRESSONE_CLIENT_SECRET", "secret");
    let line = fails(cmd, &["balance"], 2);
    assert!(line.starts_with("error: invalid configuration"), "{line}");

    // Help and version are not errors.
    cli(home.path())
        .arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains("Exit codes"));
    cli(home.path()).arg("--version").assert().success();
}

#[test]
fn an_order_that_timed_out_exits_9_and_names_its_reference() {
    let api = MockApi::with_token("tok-slow");
    let orders = api.server.mock(|when, then| {
        when.method(httpmock::Method::POST)
            .path("/customer/v2/orders");
        then.status(200)
            .delay(std::time::Duration::from_secs(5))
            .body("{}");
    });
    let args = create_order(&["--timeout", "1"], "change-7days-1gb", "shop 1042");
    let line = fails(api.cli(), &args, 9);
    assert!(line.starts_with("error: timed out"), "{line}");
    assert_may_have_ordered(&line, "shop 1042", "'shop 1042'");
    // An order that may have reached the server is never sent twice.
    assert_eq!(orders.calls(), 1);
}
