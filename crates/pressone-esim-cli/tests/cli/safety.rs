//! Money safety: no silent sandbox, exit 9 for writes that may have been carried out, a
//! reference on every order and `orders find` to look it up.

use httpmock::Method::POST;
use serde_json::Value;

use crate::errors::fails;
use crate::support::{
    CLIENT_ID, DroppingServer, MockApi, SECRET, TestSandbox, assert_may_have_ordered, cli,
    closed_port_cli, create_order, stderr, stdout, total_requests,
};

const PACKAGE: &str = "change-7days-1gb";

fn is_generated_reference(text: &str) -> bool {
    let Some(rest) = text.strip_prefix("cli-") else {
        return false;
    };
    let (time, random) = rest.split_once('-').unwrap_or_default();
    chrono::NaiveDateTime::parse_from_str(time, "%Y%m%dT%H%M%SZ").is_ok()
        && random.len() == 6
        && random.chars().all(|c| c.is_ascii_hexdigit())
}

#[test]
fn credentials_without_a_base_url_exit_2_and_send_nothing() {
    // The voice API's URL is the one place a request could still go: a mock that counts.
    let api = MockApi::start();
    let (home, server) = (&api.home, &api.server);
    let any = api.catch_all();
    for (vars, args) in [
        (
            &[
                ("PRESSONE_CLIENT_ID", CLIENT_ID),
                ("PRESSONE_CLIENT_SECRET", SECRET),
            ][..],
            &["orders", "create", "--package", PACKAGE][..],
        ),
        (&[("PRESSONE_CLIENT_SECRET", SECRET)], &["balance"]),
        (
            &[("PRESSONE_CLIENT_ID", CLIENT_ID)],
            &["-o", "json", "users", "list"],
        ),
    ] {
        let mut cmd = cli(home.path());
        cmd.env("PRESSONE_VOICE_BASE_URL", server.base_url());
        for (k, v) in vars {
            cmd.env(k, v);
        }
        let line = fails(cmd, args, 2);
        assert!(
            line.contains("but no base URL: nothing was sent")
                && line.contains("PRESSONE_BASE_URL")
                && line.contains("--sandbox"),
            "{line}"
        );
        assert!(!line.contains(SECRET), "{line}");
    }
    // A client id given as a flag is named as such.
    let line = fails(cli(home.path()), &["--client-id", "x", "balance"], 2);
    assert!(line.contains("a client id (--client-id)"), "{line}");
    assert_eq!(any.calls(), 0, "nothing was sent anywhere");
}

#[test]
fn sandbox_flag_wins_over_credentials_and_marks_the_output() {
    let home = tempfile::tempdir().expect("a temp dir");
    let output = cli(home.path())
        .env("PRESSONE_CLIENT_ID", CLIENT_ID)
        .env("PRESSONE_CLIENT_SECRET", SECRET)
        .args([
            "--sandbox",
            "-o",
            "json",
            "orders",
            "create",
            "--package",
            PACKAGE,
        ])
        .output()
        .expect("the CLI runs");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let order: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(order["sandbox"], true);
    assert_eq!(order["package_id"], PACKAGE);
    assert!(stderr(&output).contains("--sandbox: using the embedded sandbox"));

    // PRESSONE_SANDBOX=1 too; lists stay plain arrays; errors carry the flag.
    let output = cli(home.path())
        .env("PRESSONE_SANDBOX", "1")
        .args(["-o", "json", "orders", "get", "999999"])
        .output()
        .expect("the CLI runs");
    assert_eq!(output.status.code(), Some(5));
    let doc: Value = serde_json::from_slice(&output.stdout).expect("an error document");
    assert_eq!(doc["sandbox"], true);
    assert_eq!(doc["error"]["exit_code"], 5);
    assert!(stderr(&output).contains("embedded sandbox"));

    // Without credentials and base URL: the sandbox, marked the same way.
    let output = cli(home.path())
        .args(["-o", "json", "orders", "create", "--package", PACKAGE])
        .output()
        .expect("the CLI runs");
    let order: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(order["sandbox"], true);

    // It conflicts with a base URL.
    let mut cmd = cli(home.path());
    cmd.env("PRESSONE_BASE_URL", "https://api.example.com");
    let line = fails(cmd, &["--sandbox", "balance"], 2);
    assert!(
        line.contains("--sandbox conflicts with the base URL"),
        "{line}"
    );
}

#[test]
fn a_real_api_answer_is_not_marked_as_sandbox() {
    let sb = TestSandbox::start(41);
    let (order, _) = sb.json(&["orders", "create", "--package", PACKAGE]);
    assert_eq!(order.get("sandbox"), None);
}

#[test]
fn an_order_processed_then_dropped_exits_9_and_names_its_reference() {
    let home = tempfile::tempdir().expect("a temp dir");
    let server = DroppingServer::start();
    let args = create_order(&[], PACKAGE, "shop-1042");
    let line = fails(server.cli(home.path()), &args, 9);
    assert!(line.starts_with("error: network error"), "{line}");
    assert_may_have_ordered(&line, "shop-1042", "shop-1042");
    let recorded = server.recorded();
    assert_eq!(recorded.len(), 1, "sent once, never again: {recorded:?}");
    assert_eq!(
        (recorded[0].method.as_str(), recorded[0].path.as_str()),
        ("POST", "/customer/v2/orders")
    );
    assert!(
        recorded[0].body.contains("description=shop-1042"),
        "{recorded:?}"
    );

    // Without --description: the generated reference is the one sent, and printed.
    let output = server
        .cli(home.path())
        .args(["-o", "json", "orders", "create", "--package", PACKAGE])
        .output()
        .expect("the CLI runs");
    assert_eq!(output.status.code(), Some(9));
    let doc: Value = serde_json::from_slice(&output.stdout).expect("an error document");
    let error = &doc["error"];
    assert_eq!(error["may_have_been_carried_out"], true);
    let reference = error["reference"].as_str().expect("a reference");
    assert!(is_generated_reference(reference), "{reference}");
    assert_eq!(
        error["check_with"],
        format!("pressone-esim orders find --description {reference}")
    );
    assert!(stderr(&output).contains(reference));
    let recorded = server.recorded();
    assert_eq!(recorded.len(), 2);
    assert!(
        recorded[1]
            .body
            .contains(&format!("description={reference}"))
    );
}

#[test]
fn top_ups_claims_and_renewals_that_may_have_been_carried_out_exit_9() {
    let home = tempfile::tempdir().expect("a temp dir");
    let server = DroppingServer::start();
    for (args, check) in [
        (
            &[
                "topups",
                "create",
                "--iccid",
                "8923410369565070438",
                "--package",
                "x-topup",
                "--description",
                "refill-7",
            ][..],
            "`pressone-esim orders find --description refill-7`",
        ),
        (
            &[
                "numbers",
                "claim",
                "--number",
                "+2342011111270",
                "--email",
                "ada@example.com",
            ],
            "`pressone-esim users list --email ada@example.com`",
        ),
        (
            &["numbers", "renew", "--email", "ada@example.com"],
            "`pressone-esim users list --email ada@example.com`",
        ),
    ] {
        let line = fails(server.cli(home.path()), args, 9);
        assert!(
            line.contains("may have been carried out") && line.contains(check),
            "{line}"
        );
    }
    assert_eq!(server.recorded().len(), 3, "each write sent once");
}

#[test]
fn a_5xx_on_an_order_exits_9_but_a_refused_connection_exits_7() {
    let api = MockApi::with_token("tok-503");
    let orders = api.answer(POST, "/customer/v2/orders", 503, &[], "overloaded");
    let line = fails(api.cli(), &create_order(&[], PACKAGE, "s-1"), 9);
    assert!(line.starts_with("error: server error (HTTP 503)"), "{line}");
    assert_eq!(orders.calls(), 1);

    // Nothing listens: the order never left, so it cannot exist.
    let args = create_order(&["--no-token-cache"], PACKAGE, "s-2");
    let line = fails(closed_port_cli(api.home.path()), &args, 7);
    assert!(
        line.contains("(reference s-2)") && !line.contains("may have been"),
        "{line}"
    );
}

#[test]
fn every_order_has_a_reference_and_find_matches_it_exactly_newest_first() {
    let sb = TestSandbox::start(42);
    let output = sb
        .cli()
        .args(["-o", "json", "orders", "create", "--package", PACKAGE])
        .output()
        .expect("the CLI runs");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let order: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let reference = order["description"].as_str().expect("a description");
    assert!(is_generated_reference(reference), "{reference}");
    assert!(stderr(&output).contains(reference), "printed on stderr too");
    assert_eq!(sb.handle.orders_with_description(reference).len(), 1);

    // Exact matches only (the API filters by substring), every page, newest first.
    for description in ["shop-1", "shop-10", "shop-1"] {
        sb.json(&create_order(&[], PACKAGE, description));
    }
    let before = total_requests(&sb);
    let (found, _) = sb.json(&["orders", "find", "--description", "shop-1"]);
    let found = found.as_array().expect("an array");
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found.iter().all(|o| o["description"] == "shop-1"));
    assert!(
        found[0]["id"].as_i64() > found[1]["id"].as_i64(),
        "newest first"
    );
    assert!(total_requests(&sb) > before, "the server was asked");
    let (none, _) = sb.json(&["orders", "find", "--description", "shop"]);
    assert_eq!(none, Value::Array(vec![]));
    let table = sb.ok(&["orders", "find", "--description", "shop-10"]);
    assert!(table.contains("shop-10"), "{table}");
    let text = stdout(
        &sb.cli()
            .args(["orders", "find", "--description", "nope"])
            .output()
            .expect("runs"),
    );
    assert_eq!(text, "No order has this description.\n");
}
