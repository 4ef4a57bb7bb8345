//! The standalone `pressone-esim-sandbox` binary: its clap command line (`--help`, `--version`,
//! the config options) and a real process serving what its flags say.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use crate::common::credentials;
use serde_json::json;

fn sandbox_bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_pressone-esim-sandbox"))
}

/// Kills the child on drop, so a failed assertion leaves no server behind.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn help_and_version_come_from_clap_and_list_every_option() {
    let out = sandbox_bin().arg("--version").output().expect("runs");
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        format!("pressone-esim-sandbox {}", env!("CARGO_PKG_VERSION"))
    );
    let out = sandbox_bin().arg("--help").output().expect("runs");
    assert!(out.status.success());
    let help = String::from_utf8_lossy(&out.stdout);
    for flag in [
        "--addr",
        "--seed",
        "--client-id",
        "--client-secret",
        "--token-ttl",
        "--balance",
        "--no-balance-account",
        "--token-rate-limit",
        "--no-token-rate-limit",
        "--usage-cache",
        "--no-usage-cache",
        "--usage-per-minute-limit",
        "--history-interval",
        "--voice-numbers",
        "--pricing",
        "--brand",
        "--any-brand",
        "--smdp-address",
        "--start-time",
        "--frozen-clock",
        "--auto-activate-after",
        "--consumption-mb-per-hour",
        "--max-topups-per-esim",
        "--body-limit",
        "--trial-days",
        "--subscription-days",
        "--faults",
    ] {
        assert!(help.contains(flag), "{flag} missing from --help:\n{help}");
    }
    for bad in [
        &["--pricing", "cheap"][..],
        &["--usage-cache", "soon"],
        &["--faults", r#"{"error_rate": 2}"#],
        &["--token-rate-limit", "3", "--no-token-rate-limit"],
        &["--unknown"],
    ] {
        let out = sandbox_bin().args(bad).output().expect("runs");
        assert_eq!(out.status.code(), Some(2), "{bad:?}");
    }
}

#[tokio::test]
async fn the_binary_serves_what_its_flags_say() {
    let child = sandbox_bin()
        .args([
            "--addr",
            "127.0.0.1:0",
            "--client-id",
            "bin-id",
            "--client-secret",
            "bin-secret",
            "--no-balance-account",
            "--token-rate-limit",
            "1",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the binary starts");
    let mut running = Running(child);
    let stdout = running.0.stdout.take().expect("stdout");
    let first = tokio::task::spawn_blocking(move || {
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).map(|_| line)
    })
    .await
    .expect("reader")
    .expect("a first line");
    let base = first
        .trim()
        .strip_prefix("PressOne eSIM sandbox listening on ")
        .expect("the listening line")
        .to_string();

    let http = reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("client");
    let token = |secret: &'static str| {
        http.post(format!("{base}/customer/v2/token"))
            .form(&credentials("bin-id", secret))
            .send()
    };
    let r = token("bin-secret").await.expect("token");
    assert_eq!(r.status(), 200);
    let body: serde_json::Value = r.json().await.expect("json");
    let access = body["data"]["access_token"].as_str().expect("token");
    let r = token("bin-secret").await.expect("token");
    assert_eq!(r.status(), 429, "--token-rate-limit 1");

    let balance: serde_json::Value = http
        .get(format!("{base}/customer/v2/balance"))
        .bearer_auth(access)
        .send()
        .await
        .expect("balance")
        .json()
        .await
        .expect("json");
    assert_eq!(balance["data"]["balances"], json!([]));
}
