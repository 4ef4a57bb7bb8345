use super::*;

// ---------------------------------------------------------------------------------------------
// Tenants
// ---------------------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_tenants_on_one_server_never_share_a_token() {
    let server = MockServer::start_async().await;
    let token_alpha =
        mount_token_for(&server, "alpha", "alpha-secret", token_body("tok-alpha")).await;
    let token_beta = mount_token_for(&server, "beta", "beta-secret", token_body("tok-beta")).await;
    let usage_alpha = mount_usage_for(&server, "tok-alpha").await;
    let usage_beta = mount_usage_for(&server, "tok-beta").await;
    let alpha = tenant(&server, "alpha", "alpha-secret");
    let beta = tenant(&server, "beta", "beta-secret");

    let mut tasks = Vec::new();
    for i in 0..20 {
        let c = if i % 2 == 0 {
            alpha.clone()
        } else {
            beta.clone()
        };
        tasks.push(tokio::spawn(async move { c.sims().usage(ICCID).await }));
    }
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    let counts = calls(&[&token_alpha, &token_beta, &usage_alpha, &usage_beta]).await;
    assert_eq!(counts, [1, 1, 10, 10]);
}

#[tokio::test]
async fn two_tenants_on_separate_servers_never_share_a_token() {
    let one = MockServer::start_async().await;
    let two = MockServer::start_async().await;
    let token_one = mount_token_for(&one, CLIENT_ID, CLIENT_SECRET, token_body("tok-one")).await;
    let token_two = mount_token_for(&two, CLIENT_ID, CLIENT_SECRET, token_body("tok-two")).await;
    let usage_one = mount_usage_for(&one, "tok-one").await;
    let usage_two = mount_usage_for(&two, "tok-two").await;
    let c1 = client(&one);
    let c2 = client(&two);
    for _ in 0..3 {
        c1.sims().usage(ICCID).await.unwrap();
        c2.sims().usage(ICCID).await.unwrap();
    }
    let counts = calls(&[&token_one, &token_two, &usage_one, &usage_two]).await;
    assert_eq!(counts, [1, 1, 3, 3]);
}

#[tokio::test]
async fn clients_built_separately_share_nothing_but_clones_share_the_token() {
    let server = MockServer::start_async().await;
    let token = mount_token(&server).await;
    let usage = mount_usage_for(&server, TOKEN).await;
    let first = client(&server);
    let clone = first.clone();
    first.sims().usage(ICCID).await.unwrap();
    clone.sims().usage(ICCID).await.unwrap();
    assert_eq!(token.calls_async().await, 1, "a clone shares the token");
    let second = client(&server);
    second.sims().usage(ICCID).await.unwrap();
    // A separately built client fetches its own.
    assert_eq!(calls(&[&token, &usage]).await, [2, 3]);
}

#[tokio::test]
async fn package_history_cache_is_per_client() {
    let server = MockServer::start_async().await;
    mount_token_for(&server, "alpha", "alpha-secret", token_body("tok-alpha")).await;
    mount_token_for(&server, "beta", "beta-secret", token_body("tok-beta")).await;
    let history = |bearer: &'static str| {
        let server = &server;
        async move {
            server
                .mock_async(|when, then| {
                    when.method(GET)
                        .path(format!("/customer/v2/sims/{ICCID}/packages"))
                        .header("authorization", format!("Bearer {bearer}"));
                    json(
                        then,
                        200,
                        fixture("airalo.get-esim-package-history.200.json"),
                    );
                })
                .await
        }
    };
    let history_alpha = history("tok-alpha").await;
    let history_beta = history("tok-beta").await;
    let alpha = tenant(&server, "alpha", "alpha-secret");
    let beta = tenant(&server, "beta", "beta-secret");
    alpha.sims().history(ICCID).await.unwrap();
    beta.sims().history(ICCID).await.unwrap();
    alpha.sims().history(ICCID).await.unwrap();
    beta.sims().history(ICCID).await.unwrap();
    let counts = calls(&[&history_alpha, &history_beta]).await;
    assert_eq!(counts, [1, 1], "not served from alpha's cache");
}

// ---------------------------------------------------------------------------------------------
// File token store
// ---------------------------------------------------------------------------------------------

const FILE_SECRET: &str = "s3cr3t-client-secret-for-the-file-store";
const FILE_TOKEN: &str = "tok-file-store-7c1d";

/// Mounts the token endpoint for the file store's credentials (answering [`FILE_TOKEN`]) and
/// the usage for that token: `(token, usage)`.
async fn mount_file_tenant(server: &MockServer) -> (httpmock::Mock<'_>, httpmock::Mock<'_>) {
    let token = mount_token_for(server, CLIENT_ID, FILE_SECRET, token_body(FILE_TOKEN)).await;
    (token, mount_usage_for(server, FILE_TOKEN).await)
}

fn file_client(server: &MockServer, path: &std::path::Path) -> Client {
    builder(server)
        .credentials(CLIENT_ID, FILE_SECRET)
        .token_store(Arc::new(FileTokenStore::new(path)))
        .build()
        .unwrap()
}

#[tokio::test]
async fn file_store_token_is_reused_by_a_new_client() {
    let server = MockServer::start_async().await;
    let (token, usage) = mount_file_tenant(&server).await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested").join("tokens.json");

    file_client(&server, &path).authenticate().await.unwrap();
    assert_eq!(token.calls_async().await, 1);

    // A new client (as in a new run of a CLI) with the same file: no token request.
    let second = file_client(&server, &path);
    second.sims().usage(ICCID).await.unwrap();
    assert_eq!(calls(&[&token, &usage]).await, [1, 1], "read from the file");

    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(FILE_TOKEN));
    assert!(
        !text.contains(FILE_SECRET),
        "the client secret is never stored"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    let leftovers: Vec<_> = std::fs::read_dir(path.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        // The lock file stays: it is how stores and processes take turns.
        .filter(|name| name != "tokens.json.lock")
        .collect();
    assert_eq!(leftovers.len(), 1, "no temporary file left: {leftovers:?}");
}

#[tokio::test]
async fn file_store_keeps_one_entry_per_client_id() {
    let server = MockServer::start_async().await;
    let token_a = mount_token_for(&server, "alpha", FILE_SECRET, token_body("tok-alpha")).await;
    let token_b = mount_token_for(&server, "beta", FILE_SECRET, token_body("tok-beta")).await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tokens.json");
    let with = |id: &str| {
        builder(&server)
            .credentials(id, FILE_SECRET)
            .token_store(Arc::new(FileTokenStore::new(&path)))
            .build()
            .unwrap()
    };
    with("alpha").authenticate().await.unwrap();
    with("beta").authenticate().await.unwrap();
    with("alpha").authenticate().await.unwrap();
    with("beta").authenticate().await.unwrap();
    assert_eq!(calls(&[&token_a, &token_b]).await, [1, 1]);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("tok-alpha") && text.contains("tok-beta"));
}

#[tokio::test]
async fn a_stored_token_the_server_refuses_is_replaced_in_the_file() {
    let server = MockServer::start_async().await;
    let refused = refuse_usage_for(&server, "stale-token").await;
    let (token, usage) = mount_file_tenant(&server).await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tokens.json");
    let now = SystemTime::now();
    FileTokenStore::new(&path).save(
        &TokenKey::new(server.base_url(), CLIENT_ID, FILE_SECRET),
        &Token::new("stale-token", now, now + Duration::from_secs(3600)),
    );

    file_client(&server, &path)
        .sims()
        .usage(ICCID)
        .await
        .unwrap();
    assert_eq!(calls(&[&refused, &token, &usage]).await, [1, 1, 1]);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(FILE_TOKEN) && !text.contains("stale-token"));
}

#[tokio::test]
async fn an_expired_stored_token_is_not_used() {
    let server = MockServer::start_async().await;
    let (token, usage) = mount_file_tenant(&server).await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tokens.json");
    let long_ago = SystemTime::now() - Duration::from_secs(2 * 86_400);
    FileTokenStore::new(&path).save(
        &TokenKey::new(server.base_url(), CLIENT_ID, FILE_SECRET),
        // Valid for a year according to the server, but older than the 24 h max age.
        &Token::new(
            "old-token",
            long_ago,
            long_ago + Duration::from_secs(366 * 86_400),
        ),
    );
    file_client(&server, &path)
        .sims()
        .usage(ICCID)
        .await
        .unwrap();
    let counts = calls(&[&token, &usage]).await;
    assert_eq!(counts, [1, 1], "the old one is not used");
}
