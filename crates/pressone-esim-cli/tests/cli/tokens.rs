//! The token cache: one token request for several runs, none of the secret on disk.

use httpmock::Method::GET;
use httpmock::MockServer;

use crate::support::{MockApi, SECRET, balance_body, mock_token, run_ok};

fn balance_mock(server: &MockServer) -> httpmock::Mock<'_> {
    server.mock(|when, then| {
        when.method(GET)
            .path("/customer/v2/balance")
            .header("authorization", "Bearer tok-cached-1");
        then.status(200)
            .header("content-type", "text/plain")
            .body(balance_body());
    })
}

/// Runs `test` against a mock API that answers a token (`tok-cached-1`) and the balance,
/// with the two mocks (token, balance) to count their calls.
fn with_balance_api(test: impl FnOnce(&MockApi, [&httpmock::Mock<'_>; 2])) {
    let api = MockApi::start();
    let token = mock_token(&api.server, "tok-cached-1");
    let balance = balance_mock(&api.server);
    test(&api, [&token, &balance]);
}

/// Asserts that each of `runs` runs asked for a token and the balance once, and that no token
/// was written to the cache file.
fn assert_a_token_per_run(api: &MockApi, [token, balance]: [&httpmock::Mock<'_>; 2], runs: usize) {
    assert_eq!(token.calls(), runs, "a token request per run");
    assert_eq!(balance.calls(), runs);
    assert!(!api.home.path().join("tokens/tokens.json").exists());
}

#[test]
fn the_token_is_cached_across_runs() {
    with_balance_api(|api, [token, balance]| {
        for _ in 0..2 {
            let output = run_ok(api.cli().args(["-o", "json", "balance"]), "balance");
            let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
            assert_eq!(json[0]["amount"], "1250.50");
        }
        assert_eq!(token.calls(), 1, "one token request for two runs");
        assert_eq!(balance.calls(), 2);

        let file = api.home.path().join("tokens/tokens.json");
        let text = std::fs::read_to_string(&file).expect("the cache file");
        assert!(text.contains("tok-cached-1"));
        assert!(
            text.contains(&api.server.base_url()),
            "keyed by base URL: {text}"
        );
        assert!(
            text.contains(crate::support::CLIENT_ID),
            "keyed by client id"
        );
        assert!(!text.contains(SECRET), "the secret is never stored");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&file)
                .expect("metadata")
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
            let dir = std::fs::metadata(file.parent().expect("a dir")).expect("metadata");
            assert_eq!(
                dir.permissions().mode() & 0o077,
                0,
                "the directory is private"
            );
        }
    });
}

#[test]
fn no_token_cache_fetches_a_token_per_run() {
    with_balance_api(|api, [token, balance]| {
        for _ in 0..2 {
            run_ok(api.cli().args(["--no-token-cache", "balance"]), "balance");
        }
        // The same through the environment variable.
        run_ok(
            api.cli().env("PRESSONE_NO_TOKEN_CACHE", "1").arg("balance"),
            "balance",
        );
        assert_a_token_per_run(api, [token, balance], 3);
    });
}

#[test]
fn the_default_cache_is_in_the_user_cache_dir() {
    with_balance_api(|api, [token, _]| {
        for _ in 0..2 {
            run_ok(
                api.cli().env_remove("PRESSONE_CACHE_DIR").arg("balance"),
                "balance",
            );
        }
        assert_eq!(token.calls(), 1);
        // `mock_cli` sets XDG_CACHE_HOME to <home>/cache.
        assert!(
            api.home
                .path()
                .join("cache/pressone-esim/tokens.json")
                .exists()
        );
    });
}

#[test]
fn token_store_memory_and_an_unreachable_redis_fetch_per_run_and_go_on() {
    with_balance_api(|api, [token, balance]| {
        run_ok(
            api.cli().args(["--token-store", "memory", "balance"]),
            "balance",
        );
        // Redis down (nothing listens on port 1): a warning, and the call goes on.
        let output = run_ok(
            api.cli()
                .env(
                    "PRESSONE_TOKEN_STORE",
                    "redis://:redis-pass-Xy7@127.0.0.1:1/",
                )
                .arg("balance"),
            "balance",
        );
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("Redis"), "a warning: {stderr}");
        assert!(!stderr.contains("redis-pass-Xy7"), "{stderr}");
        assert_a_token_per_run(api, [token, balance], 2);
    });
}

#[test]
fn an_unknown_token_store_is_a_usage_error_that_does_not_echo_it() {
    let api = MockApi::start();
    let output = api
        .cli()
        .args(["--token-store", "memcached://:pw-Qq1@host", "balance"])
        .output()
        .expect("the CLI runs");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("--token-store"), "{stderr}");
    assert!(!stderr.contains("pw-Qq1"), "{stderr}");
}
