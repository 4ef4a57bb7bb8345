//! `pressone-esim sandbox activate|consume|expire|recycle|clock|fault|order-status|state`
//! against a real sandbox over HTTP (the control endpoints), and their errors.

use crate::support::{TestSandbox, cli};

#[test]
fn the_esim_lifecycle_is_driven_from_the_command_line() {
    let sb = TestSandbox::start(18);
    let iccid = sb.order_esim("change-7days-1gb");

    let text = sb.ok(&["sandbox", "activate", &iccid]);
    assert!(text.contains(&format!("{iccid}: ACTIVE")), "{text}");
    let (usage, _) = sb.json(&["sandbox", "consume", &iccid, "--data-mb", "300"]);
    assert_eq!(usage["usage"]["status"], "ACTIVE");
    assert_eq!(usage["usage"]["remaining"], 1024 - 300);

    let (state, _) = sb.json(&["sandbox", "state"]);
    let before = state["now"].as_str().expect("now").to_string();
    let (state, _) = sb.json(&["sandbox", "clock", "advance", "15m"]);
    assert_eq!(state["clock_offset_secs"], 900);
    assert_ne!(state["now"], before.as_str());

    let (usage, _) = sb.json(&["sandbox", "expire", &iccid]);
    assert_eq!(usage["usage"]["status"], "EXPIRED");
    let (usage, _) = sb.json(&["sandbox", "recycle", &iccid]);
    assert_eq!(usage["usage"]["status"], "RECYCLED");
    assert_eq!(sb.handle.iccids(), vec![iccid]);
}

#[test]
fn faults_and_order_statuses_are_set_from_the_command_line() {
    let sb = TestSandbox::start(18);
    let (faults, _) = sb.json(&[
        "sandbox",
        "fault",
        "set",
        "--error-rate",
        "1",
        "--error-status",
        "503",
        "--only",
        "get_balance",
    ]);
    assert_eq!(faults["error_status"], 503);
    assert_eq!(sb.handle.faults().error_rate, 1.0);
    let balance = sb.cli().args(["balance"]).output().expect("the CLI runs");
    assert!(
        !balance.status.success(),
        "the injected 503 reaches the CLI"
    );
    sb.ok(&["sandbox", "fault", "clear"]);
    let (faults, _) = sb.json(&["sandbox", "fault", "show"]);
    assert_eq!(faults["error_rate"], 0.0);
    sb.ok(&["balance"]);

    let (order, _) = sb.json(&["orders", "create", "--package", "change-7days-1gb"]);
    let id = order["id"].to_string();
    let before = sb.handle.balance();
    let text = sb.ok(&["sandbox", "order-status", &id, "refunded"]);
    assert!(text.contains(&format!("order {id}: refunded")), "{text}");
    assert!(sb.handle.balance() > before, "a refund credits the balance");
}

#[test]
fn control_errors_are_clear_and_fail() {
    let sb = TestSandbox::start(18);
    let out = sb
        .cli()
        .args(["sandbox", "activate", "8900000000000000000"])
        .output()
        .expect("the CLI runs");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("unknown iccid"), "{err}");

    let out = sb
        .cli()
        .args(["sandbox", "clock", "advance", "soon"])
        .output()
        .expect("the CLI runs");
    assert_eq!(out.status.code(), Some(2), "a usage error");

    // Nothing listens on port 9 of loopback.
    let home = tempfile::tempdir().expect("a temp dir");
    let out = cli(home.path())
        .args(["sandbox", "state", "--url", "http://127.0.0.1:9"])
        .output()
        .expect("the CLI runs");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no sandbox answers at http://127.0.0.1:9"),
        "{err}"
    );
}
