//! Neither the client secret nor the access token appears in any output, at any verbosity.

use httpmock::Method::GET;
use httpmock::MockServer;

use crate::support::{SECRET, TestSandbox, balance_body, mock_cli, mock_token, stderr, stdout};

fn assert_clean(output: &std::process::Output, secrets: &[&str], what: &str) {
    let all = format!("{}{}", stdout(output), stderr(output));
    for secret in secrets {
        assert!(
            !all.contains(secret),
            "{what}: output contains {secret:?}:\n{all}"
        );
    }
}

#[test]
fn no_secret_or_token_in_sandbox_runs() {
    let sb = TestSandbox::start(31);
    let iccid = sb.order_esim("change-7days-1gb");
    let mut outputs = Vec::new();
    for args in [
        &["-vv", "balance"][..],
        &["-vv", "-o", "json", "sims", "get", &iccid],
        &["-v", "orders", "list"],
        &["-vv", "sims", "install-link", &iccid],
        &["-vv", "sims", "usage", "8900000000000000000"],
        &["-vv", "--no-token-cache", "devices"],
    ] {
        let output = sb.cli().args(args).output().expect("the CLI runs");
        outputs.push((args.join(" "), output));
    }
    let token = sb.cached_token().expect("a cached token");
    assert!(token.len() >= 16, "a real token");
    for (what, output) in &outputs {
        assert_clean(output, &[SECRET, &token], what);
    }
    // -v logs something (so the check above means something).
    assert!(stderr(&outputs[0].1).contains("get_balance"));

    // A wrong secret is not echoed either (the cached token would still be used: the cache
    // is keyed by base URL and client id), nor a secret in --help.
    let mut cmd = sb.cli();
    cmd.env("PRESSONE_CLIENT_SECRET", "wrong-secret-Kp3");
    let output = cmd
        .args(["-vv", "--no-token-cache", "balance"])
        .output()
        .expect("the CLI runs");
    assert_eq!(output.status.code(), Some(3));
    assert_clean(&output, &["wrong-secret-Kp3", SECRET], "wrong secret");
    let output = sb.cli().arg("--help").output().expect("the CLI runs");
    assert!(stdout(&output).contains("PRESSONE_CLIENT_SECRET"));
    assert_clean(&output, &[SECRET], "--help");
}

#[test]
fn no_secret_or_token_with_a_mock_server() {
    let home = tempfile::tempdir().expect("a temp dir");
    let server = MockServer::start();
    let token = "tok-Vb9-never-printed";
    mock_token(&server, token);
    server.mock(|when, then| {
        when.method(GET).path("/customer/v2/balance");
        then.status(200)
            .header("content-type", "text/plain")
            .body(balance_body());
    });
    server.mock(|when, then| {
        when.method(GET)
            .path("/customer/v2/sims/8900000000000000000");
        then.status(401)
            .header("content-type", "application/json")
            .body(r#"{"data":[],"meta":{"message":"Unauthenticated."}}"#);
    });
    for args in [
        &["-vv", "balance"][..],
        &["-vv", "-o", "json", "balance"],
        &["-vv", "sims", "get", "8900000000000000000"],
    ] {
        let output = mock_cli(&server, home.path())
            .args(args)
            .output()
            .expect("the CLI runs");
        assert_clean(&output, &[SECRET, token], &args.join(" "));
    }
}
