//! Neither the client secret nor the access token appears in any output, at any verbosity.

use httpmock::Method::GET;

use crate::support::{JSON, MockApi, SECRET, TestSandbox, stderr, stdout};

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
    // Each command, the exit code it must end with, and the operation its log must name:
    // the check for secrets below means something only if the commands ran and logged.
    for (args, code, operation) in [
        (&["-vv", "balance"][..], 0, "get_balance"),
        (&["-vv", "-o", "json", "sims", "get", &iccid], 0, "get_esim"),
        (&["-v", "orders", "list"], 0, "get_order_list"),
        (&["-vv", "sims", "install-link", &iccid], 0, "get_esim"),
        (
            &["-vv", "sims", "usage", "8900000000000000000"],
            5,
            "get_usage",
        ),
        (
            &["-vv", "--no-token-cache", "devices"],
            0,
            "request_access_token",
        ),
    ] {
        let output = sb.cli().args(args).output().expect("the CLI runs");
        assert_eq!(
            output.status.code(),
            Some(code),
            "{args:?}\n{}",
            stderr(&output)
        );
        let log = stderr(&output);
        assert!(
            log.contains(operation) && log.contains("status="),
            "{args:?} logged its calls:\n{log}"
        );
        if code == 0 {
            assert!(!stdout(&output).is_empty(), "{args:?} printed its result");
        }
        outputs.push((args.join(" "), output));
    }
    let token = sb.cached_token().expect("a cached token");
    assert!(token.len() >= 16, "a real token");
    for (what, output) in &outputs {
        assert_clean(output, &[SECRET, &token], what);
    }

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
    let token = "tok-Vb9-never-printed";
    let api = MockApi::with_token(token);
    api.balance();
    let unauthenticated = r#"{"data":[],"meta":{"message":"Unauthenticated."}}"#;
    let path = "/customer/v2/sims/8900000000000000000";
    api.answer(GET, path, 401, &[JSON], unauthenticated);
    for args in [
        &["-vv", "balance"][..],
        &["-vv", "-o", "json", "balance"],
        &["-vv", "sims", "get", "8900000000000000000"],
    ] {
        let output = api.cli().args(args).output().expect("the CLI runs");
        assert_clean(&output, &[SECRET, token], &args.join(" "));
    }
}
