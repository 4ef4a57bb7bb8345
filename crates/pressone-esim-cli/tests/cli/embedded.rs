//! Without a base URL: the embedded sandbox; and the demo, which always uses it.

use crate::support::{cli, stderr, stdout};

#[test]
fn without_a_base_url_the_embedded_sandbox_answers() {
    let home = tempfile::tempdir().expect("a temp dir");
    let output = cli(home.path())
        .args(["-o", "json", "balance"])
        .output()
        .expect("the CLI runs");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(json[0]["amount"], "1000.00");
    let err = stderr(&output);
    assert_eq!(err.lines().count(), 1, "one line on stderr:\n{err}");
    assert!(
        err.contains("embedded sandbox at http://127.0.0.1:"),
        "{err}"
    );
    // No token cache file for the embedded sandbox.
    assert!(!home.path().join("cache/pressone-esim/tokens.json").exists());

    // An empty PRESSONE_BASE_URL counts as none.
    let output = cli(home.path())
        .env("PRESSONE_BASE_URL", "")
        .args(["packages", "list", "--country", "FR"])
        .output()
        .expect("the CLI runs");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(stdout(&output).contains("France"));
}

#[test]
fn demo_runs_end_to_end_and_writes_a_png() {
    let home = tempfile::tempdir().expect("a temp dir");
    // The demo ignores a configured base URL (here a port where nothing listens).
    let output = cli(home.path())
        .env("PRESSONE_BASE_URL", "http://127.0.0.1:9")
        .env("PRESSONE_CLIENT_ID", "id")
        .env("PRESSONE_CLIENT_SECRET", "secret")
        .arg("demo")
        .output()
        .expect("the demo runs");
    let out = stdout(&output);
    assert_eq!(output.status.code(), Some(0), "{out}\n{}", stderr(&output));
    for step in [
        "token",
        "balance",
        "packages",
        "order",
        "esim",
        "instructions",
        "usage",
        "install",
        "top-ups",
        "top-up",
        "history",
        "orders",
        "qr",
    ] {
        assert!(
            out.lines()
                .any(|l| l.split_whitespace().nth(1) == Some(step)),
            "step {step} missing:\n{out}"
        );
    }
    assert!(out.contains("Purchase journey") && out.contains("Top-up journey"));
    assert!(
        out.lines()
            .any(|l| l.contains(" install ") && l.contains("(simulated): ACTIVE")),
        "{out}"
    );
    assert!(out.contains('█'), "the QR code is drawn in the terminal");
    assert!(out.contains("https://esimsetup.apple.com/"));
    let err = stderr(&output);
    assert_eq!(err.lines().count(), 2, "{err}");
    assert!(
        err.contains("embedded sandbox") && err.contains("ignored"),
        "{err}"
    );
    // It ends with the sandbox console's URL.
    let last = err.lines().last().unwrap_or_default();
    assert!(
        last.contains("console")
            && last.contains("http://127.0.0.1:")
            && last.contains("/_sandbox/console"),
        "{err}"
    );
    let png = std::fs::read(home.path().join("pressone-esim-demo-qr.png")).expect("the QR file");
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
}

#[test]
fn demo_as_json_with_an_svg() {
    let home = tempfile::tempdir().expect("a temp dir");
    let output = cli(home.path())
        .args(["demo", "-o", "json", "--out", "qr.svg", "--seed", "9"])
        .output()
        .expect("the demo runs");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let json: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("one JSON document");
    let steps = json["steps"].as_array().expect("steps");
    assert_eq!(steps.len(), 14);
    assert_eq!(steps[0]["journey"], "purchase");
    assert_eq!(steps[13]["name"], "qr");
    assert_eq!(json["qr"]["format"], "svg");
    let svg = std::fs::read_to_string(home.path().join("qr.svg")).expect("the SVG");
    assert!(svg.contains("<svg"));
}
