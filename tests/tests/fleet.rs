//! Fleet mode (issue 17): real processes (`src/bin/fleet_worker.rs`) sharing one token and the
//! package histories through a real `redis-server`, against the in-process sandbox.
//!
//! Each test starts its own `redis-server` on a free loopback port with its own temporary
//! directory and no persistence, and stops it by its PID. A machine without `redis-server`
//! fails these tests (`.ci/run` installs it).

mod fleet_support;
mod support;

use std::process::{Output, Stdio};
use std::time::Duration;

use fleet_support::{Redis, free_port, pem};
use futures::future::join_all;
use pressone_esim::{Client, RedisTokenStore, Token, TokenKey, TokenStore};
use pressone_esim_sandbox::{Operation, Sandbox, SandboxConfig, SandboxHandle};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

/// A worker process of the fleet, configured for `sandbox` and sharing through `redis_url`.
fn worker(sandbox: &SandboxHandle, redis_url: &str, mode: &str) -> tokio::process::Command {
    let mut cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_fleet_worker"));
    cmd.args([redis_url, mode])
        .env("PRESSONE_BASE_URL", sandbox.base_url())
        .env("PRESSONE_CLIENT_ID", sandbox.client_id())
        .env("PRESSONE_CLIENT_SECRET", sandbox.client_secret())
        .env_remove("PRESSONE_VOICE_BASE_URL")
        .env_remove("RUST_LOG")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    cmd
}

/// Runs `count` workers at once; asserts that each printed `expect` and exited 0.
async fn run_workers(
    sandbox: &SandboxHandle,
    redis_url: &str,
    count: usize,
    mode: &str,
    expect: &str,
) -> Vec<Output> {
    let outputs = join_all((0..count).map(|_| worker(sandbox, redis_url, mode).output())).await;
    outputs
        .into_iter()
        .map(|out| {
            let out = out.expect("the worker runs");
            assert_success(&out, expect);
            out
        })
        .collect()
}

fn assert_success(out: &Output, expect: &str) {
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.contains(expect),
        "worker failed ({}): stdout {stdout}\nstderr {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Every text a worker wrote, for the secret checks.
fn all_text(outputs: &[Output]) -> String {
    outputs
        .iter()
        .map(|o| {
            format!(
                "{}{}",
                String::from_utf8_lossy(&o.stdout),
                String::from_utf8_lossy(&o.stderr)
            )
        })
        .collect()
}

fn token_requests(sandbox: &SandboxHandle) -> u64 {
    sandbox.request_count(Operation::RequestAccessToken)
}

/// The token key of the workers' credentials on `sandbox`.
fn fleet_key(sandbox: &SandboxHandle) -> TokenKey {
    let base_url = Client::builder()
        .base_url(sandbox.base_url())
        .credentials(sandbox.client_id(), sandbox.client_secret())
        .build()
        .unwrap()
        .base_url()
        .to_string();
    TokenKey::new(base_url, sandbox.client_id(), sandbox.client_secret())
}

/// A sandbox without its token-endpoint rate limit (3 a minute, on by default): with Redis
/// killed, each worker fetches its own token, which is the point under test; the fleet's own
/// token budget is tested apart.
async fn sandbox(seed: u64) -> SandboxHandle {
    Sandbox::start(SandboxConfig::default().seed(seed).token_rate_limit(None))
        .await
        .expect("sandbox starts")
}

/// A Redis server and a sandbox (with this seed) for a fleet of workers.
async fn fleet(seed: u64) -> (Redis, SandboxHandle) {
    (Redis::start(), sandbox(seed).await)
}

/// Starts `count` workers in `mode`, waits until each printed `line` (and is waiting on its
/// stdin), and returns them with their stdout.
async fn spawn_waiting(
    sandbox: &SandboxHandle,
    redis_url: &str,
    count: usize,
    mode: &str,
    line: &str,
) -> Vec<(
    tokio::process::Child,
    BufReader<tokio::process::ChildStdout>,
)> {
    let mut workers = Vec::new();
    for _ in 0..count {
        let mut child = worker(sandbox, redis_url, mode)
            .stdin(Stdio::piped())
            .spawn()
            .expect("the worker starts");
        let stdout = BufReader::new(child.stdout.take().unwrap());
        workers.push((child, stdout));
    }
    for (_, stdout) in &mut workers {
        let mut got = String::new();
        stdout.read_line(&mut got).await.unwrap();
        assert_eq!(got.trim(), line);
    }
    workers
}

/// Sends every worker its go line, waits for them, asserts each printed `expect`.
async fn release(
    workers: Vec<(
        tokio::process::Child,
        BufReader<tokio::process::ChildStdout>,
    )>,
    expect: &str,
) -> Vec<Output> {
    let mut outputs = Vec::new();
    let mut waiting = Vec::new();
    for (mut child, stdout) in workers {
        let mut stdin = child.stdin.take().unwrap();
        stdin.write_all(b"go\n").await.unwrap();
        waiting.push((child, stdout));
    }
    for (child, mut stdout) in waiting {
        let mut out = child.wait_with_output().await.unwrap();
        let mut rest = Vec::new();
        tokio::io::AsyncReadExt::read_to_end(&mut stdout, &mut rest)
            .await
            .unwrap();
        out.stdout = rest;
        assert_success(&out, expect);
        outputs.push(out);
    }
    outputs
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn eight_processes_of_64_calls_with_an_empty_redis_fetch_one_token() {
    let (redis, sandbox) = fleet(17).await;
    // A slow token endpoint: every worker asks for a token before the first one has it.
    support::delay(
        &sandbox,
        Operation::RequestAccessToken,
        Duration::from_millis(300),
    );
    let workers = spawn_waiting(&sandbox, &redis.url(), 8, "gated:64", "waiting").await;
    let outputs = release(workers, "ok 64").await;
    assert_eq!(token_requests(&sandbox), 1, "one token for the whole fleet");
    assert_eq!(sandbox.request_count(Operation::GetBalance), 8 * 64);

    // The key carries base URL, client id and fingerprint, never the secret.
    let keys = redis.cli(&["--scan"]);
    let token_keys: Vec<&str> = keys
        .lines()
        .filter(|k| k.starts_with("pressone-esim:token:"))
        .collect();
    assert_eq!(token_keys.len(), 1, "{keys}");
    assert_eq!(
        redis
            .cli(&["GET", &format!("pressone-esim:budget:{}", token_keys[0])])
            .trim(),
        "1",
        "the fleet's token requests are counted"
    );
    assert!(!keys.contains(sandbox.client_secret()), "{keys}");
    assert!(token_keys[0].starts_with("pressone-esim:token:http://127.0.0.1:"));
    let ttl: i64 = redis.cli(&["PTTL", token_keys[0]]).trim().parse().unwrap();
    assert!(ttl > 0, "the token key expires");

    // The token itself is in no log line, output, Debug or error of the SDK.
    let stored: serde_json::Value =
        serde_json::from_str(redis.cli(&["GET", token_keys[0]]).trim()).unwrap();
    let token = stored["access_token"].as_str().unwrap().to_string();
    assert!(token.starts_with("sbx."));
    let text = all_text(&outputs);
    assert!(text.contains("pressone_esim"), "the workers logged");
    assert!(!text.contains(&token), "a worker logged the token");
    assert!(!text.contains(sandbox.client_secret()));

    let store = RedisTokenStore::new(&redis.url()).unwrap();
    let key = fleet_key(&sandbox);
    let loaded: Token = store.load(&key).await.expect("the fleet's token is found");
    assert_eq!(loaded.secret(), token);
    for debug in [format!("{store:?}"), format!("{loaded:?}")] {
        assert!(!debug.contains(&token), "{debug}");
    }
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_killed_mid_run_stops_no_call_and_the_fleet_converges_when_it_is_back() {
    let redis = Redis::start();
    let url = redis.url();
    let sandbox = sandbox(18).await;

    // Four workers make their first calls and wait.
    let paused = spawn_waiting(&sandbox, &url, 4, "pause:32", "ready").await;
    assert_eq!(token_requests(&sandbox), 1);

    // Redis dies, and the server forgets every token: the running workers must fetch anew
    // without Redis, and new workers start without it.
    let port = redis.kill();
    sandbox.revoke_tokens();
    let newcomers = run_workers(&sandbox, &url, 2, "calls:16", "ok 16").await;
    let outputs = release(paused, "ok 64").await;
    let during = token_requests(&sandbox);
    assert!(during >= 2, "tokens were fetched without Redis");
    let text = all_text(&outputs) + &all_text(&newcomers);
    assert!(
        text.contains("WARN"),
        "Redis trouble is a warning in the logs: {text}"
    );

    // Redis is back (empty): new workers share one token again.
    let _redis = Redis::start_on(port);
    run_workers(&sandbox, &url, 6, "calls:32", "ok 32").await;
    assert_eq!(
        token_requests(&sandbox),
        during + 1,
        "one token once Redis is back"
    );
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_asking_one_esims_history_cause_one_request() {
    let (redis, sandbox) = fleet(19).await;
    let client = Client::builder()
        .base_url(sandbox.base_url())
        .credentials(sandbox.client_id(), sandbox.client_secret())
        .build()
        .unwrap();
    let packages: Vec<_> =
        futures::TryStreamExt::try_collect(client.packages().list().country("DE").stream())
            .await
            .expect("packages");
    let package = packages
        .iter()
        .flat_map(|e| e.operators.iter())
        .flat_map(|o| o.packages.iter())
        .next()
        .expect("a package")
        .id
        .clone();
    let order = client.orders().create(&package, 1).await.expect("order");
    let iccid = order.esims[0].iccid.clone();

    let mode = format!("history:{iccid}");
    run_workers(&sandbox, &redis.url(), 1, &mode, "ok ").await;
    run_workers(&sandbox, &redis.url(), 1, &mode, "ok ").await;
    assert_eq!(
        sandbox.request_count(Operation::GetEsimPackageHistory),
        1,
        "the second process answered from the shared cache"
    );
    let keys = redis.cli(&["--scan"]);
    assert!(keys.contains(&format!("|{iccid}")), "{keys}");
    let ttl: i64 = redis
        .cli(&[
            "PTTL",
            keys.lines().find(|k| k.contains("history:")).unwrap(),
        ])
        .trim()
        .parse()
        .unwrap();
    assert!(
        ttl > 0 && ttl <= 15 * 60 * 1000,
        "kept 15 minutes at most: {ttl}"
    );
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_auth_works_through_the_url_and_a_wrong_password_stops_no_call() {
    let password = "redis-pass-Kp3x";
    let redis = Redis::start_with(free_port(), Some(password), &[]);
    let sandbox = sandbox(20).await;
    let mut outputs = run_workers(&sandbox, &redis.url(), 1, "calls:8", "ok 8").await;
    outputs.extend(run_workers(&sandbox, &redis.url(), 1, "calls:8", "ok 8").await);
    assert_eq!(
        token_requests(&sandbox),
        1,
        "the second worker used the stored token"
    );
    assert!(redis.cli(&["--scan"]).contains("pressone-esim:token:"));

    let wrong = format!("redis://:wrong-{password}@127.0.0.1:{}/", redis.port);
    outputs.extend(run_workers(&sandbox, &wrong, 1, "calls:8", "ok 8").await);
    assert_eq!(
        token_requests(&sandbox),
        2,
        "without Redis: a token of its own"
    );
    let text = all_text(&outputs);
    assert!(text.contains("WARN"), "{text}");
    assert!(
        !text.contains(password),
        "the Redis password leaked: {text}"
    );
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lease_held_by_a_dead_process_delays_the_fetch_boundedly_and_stays_its_owners() {
    let (redis, sandbox) = fleet(21).await;
    // A process took the fetch lease and died without a token: the worker waits (bounded) and
    // then fetches itself; it never deletes a lease that is not its own.
    run_workers(&sandbox, &redis.url(), 1, "calls:1", "ok 1").await;
    let keys = redis.cli(&["--scan"]);
    let token_key = keys
        .lines()
        .find(|k| k.starts_with("pressone-esim:token:"))
        .unwrap()
        .to_string();
    redis.cli(&["DEL", &token_key]);
    let lease_key = format!("pressone-esim:lease:{token_key}");
    redis.cli(&["SET", &lease_key, "a-dead-process", "PX", "600000"]);

    let outputs = run_workers(&sandbox, &redis.url(), 1, "calls:4", "ok 4").await;
    assert_eq!(token_requests(&sandbox), 2);
    assert!(
        all_text(&outputs).contains("fetching one here"),
        "the wait ended in a warning"
    );
    assert_eq!(redis.cli(&["GET", &lease_key]).trim(), "a-dead-process");
    assert!(
        redis.cli(&["EXISTS", &token_key]).trim() == "1",
        "its token is shared"
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_lease_is_exclusive_and_released_only_by_its_owner() {
    let redis = Redis::start();
    let store = RedisTokenStore::new(&redis.url())
        .unwrap()
        .with_prefix("lease-test:");
    let key = TokenKey::new("https://api.example.com/", "id", "secret");
    let lease_key = format!("lease-test:lease:{}", store.token_key(&key));

    let short = store
        .try_lease(&key, Duration::from_millis(100))
        .await
        .expect("the first lease is granted");
    assert!(
        store
            .try_lease(&key, Duration::from_secs(60))
            .await
            .is_none()
    );
    // The short lease runs out (Redis expires it); another holder takes the key.
    while redis.cli(&["EXISTS", &lease_key]).trim() == "1" {
        tokio::task::yield_now().await;
    }
    let long = store
        .try_lease(&key, Duration::from_secs(60))
        .await
        .expect("granted once the first ran out");
    store.release(&key, short).await;
    assert_eq!(
        redis.cli(&["GET", &lease_key]).trim(),
        long.owner(),
        "a late release does not free another holder's lease"
    );
    store.release(&key, long).await;
    assert_eq!(redis.cli(&["EXISTS", &lease_key]).trim(), "0");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_spent_token_budget_sends_no_token_request_and_says_when_to_retry() {
    let (redis, sandbox) = fleet(22).await;
    let store = RedisTokenStore::new(&redis.url()).unwrap();
    let budget_key = format!(
        "pressone-esim:budget:{}",
        store.token_key(&fleet_key(&sandbox))
    );
    // Other processes of the fleet sent 3 token requests this minute.
    redis.cli(&["SET", &budget_key, "3", "PX", "60000"]);
    let out = worker(&sandbox, &redis.url(), "calls:4")
        .output()
        .await
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(!out.status.success(), "{stdout}");
    assert!(stdout.contains("rate limited"), "{stdout}");
    assert_eq!(token_requests(&sandbox), 0, "over budget: nothing sent");
    assert_eq!(sandbox.request_count(Operation::GetBalance), 0);

    // A new window: the budget allows requests again.
    redis.cli(&["DEL", &budget_key]);
    run_workers(&sandbox, &redis.url(), 1, "calls:4", "ok 4").await;
    assert_eq!(token_requests(&sandbox), 1);
    assert_eq!(redis.cli(&["GET", &budget_key]).trim(), "1");
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rediss_urls_use_verified_tls() {
    let dir = tempfile::tempdir().unwrap();
    let generated = rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_string()]).unwrap();
    let cert = dir.path().join("redis.crt");
    let key = dir.path().join("redis.key");
    std::fs::write(&cert, pem("CERTIFICATE", generated.cert.der())).unwrap();
    std::fs::write(
        &key,
        pem("PRIVATE KEY", &generated.signing_key.serialize_der()),
    )
    .unwrap();
    let (cert, key) = (cert.to_str().unwrap(), key.to_str().unwrap());
    let tls_port = free_port().to_string();
    let redis = Redis::start_with(
        free_port(),
        None,
        &[
            "--tls-port",
            &tls_port,
            "--tls-cert-file",
            cert,
            "--tls-key-file",
            key,
            "--tls-ca-cert-file",
            cert,
            "--tls-auth-clients",
            "no",
        ],
    );
    let sandbox = sandbox(23).await;
    let url = format!("rediss://127.0.0.1:{tls_port}/");
    for _ in 0..2 {
        let out = worker(&sandbox, &url, "calls:4")
            .env("SSL_CERT_FILE", cert)
            .output()
            .await
            .unwrap();
        assert_success(&out, "ok 4");
        assert!(
            !String::from_utf8_lossy(&out.stderr).contains("WARN"),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert_eq!(token_requests(&sandbox), 1, "shared over TLS");
    assert!(redis.cli(&["--scan"]).contains("pressone-esim:token:"));

    // A certificate the worker does not trust: Redis is not used (a warning), calls go on.
    let out = worker(&sandbox, &url, "calls:4")
        .env("SSL_CERT_FILE", dir.path().join("none.pem"))
        .output()
        .await
        .unwrap();
    assert_success(&out, "ok 4");
    assert!(String::from_utf8_lossy(&out.stderr).contains("WARN"));
    assert_eq!(
        token_requests(&sandbox),
        2,
        "an untrusted Redis is not used"
    );
    sandbox.shutdown().await;
}
