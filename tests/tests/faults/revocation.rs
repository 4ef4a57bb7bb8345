use super::*;

// ---------------------------------------------------------------------------------------------
// Every token revoked while 500 calls are in flight
// ---------------------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn revoking_every_token_under_500_concurrent_calls_costs_one_refresh() {
    const CALLS: usize = 500;
    const ORDERS: usize = 50;
    let start_balance = Decimal::from(1_000_000);
    let sandbox = Sandbox::start(
        SandboxConfig::default()
            .seed(77)
            .initial_balance(start_balance),
    )
    .await
    .unwrap();
    // Every call goes through a proxy that can hold the requests until all have arrived.
    let proxy = GatedProxy::start(&sandbox.base_url()).await;
    let client = Client::builder()
        .base_url(&proxy.url)
        .credentials(sandbox.client_id(), sandbox.client_secret())
        .request_timeout(Duration::from_secs(60))
        .retry_policy(fast_retry())
        .build()
        .unwrap();
    client.authenticate().await.unwrap();
    let package = french_package(&client, true).await;
    let net = package.net_price.unwrap();
    assert_eq!(sandbox.request_count(Operation::RequestAccessToken), 1);

    // Hold every call at the proxy until all are in flight with the first token, revoke it,
    // then let them all through: each is refused by construction, not by timing.
    proxy.close();
    let tasks: Vec<_> = (0..CALLS)
        .map(|i| {
            let client = client.clone();
            let package_id = package.id.clone();
            tokio::spawn(async move {
                if i % (CALLS / ORDERS) == 0 {
                    client
                        .orders()
                        .create(package_id, 1)
                        .description(format!("revoke-{:03}", i / (CALLS / ORDERS)))
                        .await
                        .map(|o| Some(o.id))
                } else {
                    client.balance().await.map(|_| None)
                }
            })
        })
        .collect();
    proxy.wait_held(CALLS).await;
    assert_eq!(
        sandbox.request_count(Operation::GetBalance)
            + sandbox.request_count(Operation::SubmitOrder),
        0,
        "the proxy let a call through before the revocation"
    );
    sandbox.revoke_tokens();
    proxy.open();
    let results = join_all(tasks).await;

    let mut orders = Vec::new();
    for (i, result) in results.into_iter().enumerate() {
        match result.expect("no panic") {
            Ok(Some(id)) => orders.push(id),
            Ok(None) => {}
            Err(e) => panic!("call {i} failed after the revocation: {e:?}"),
        }
    }
    // Every call was refused once (401) and sent once more with the new token.
    let sent = sandbox.request_count(Operation::GetBalance)
        + sandbox.request_count(Operation::SubmitOrder);
    assert_eq!(
        sent,
        2 * CALLS as u64,
        "each call refused once, then sent once more"
    );
    assert_eq!(proxy.held(), CALLS);
    // One refresh for all the refusals: the first token and one more.
    assert_eq!(sandbox.request_count(Operation::RequestAccessToken), 2);
    // Each order refused (401, not executed) was sent once more: every order executed once.
    assert_eq!(orders.len(), ORDERS);
    assert_eq!(sandbox.order_count(), ORDERS);
    assert_eq!(
        sandbox.request_count(Operation::SubmitOrder),
        2 * ORDERS as u64
    );
    // Every order exactly once, with the id its caller was given.
    let mut executed: Vec<i64> = (0..ORDERS)
        .flat_map(|i| {
            let found = sandbox.orders_with_description(&format!("revoke-{i:03}"));
            assert_eq!(found.len(), 1, "revoke-{i:03}: {found:?}");
            found.into_iter().map(|(id, _)| id as i64)
        })
        .collect();
    executed.sort_unstable();
    orders.sort_unstable();
    assert_eq!(executed, orders);
    assert_eq!(
        sandbox.balance(),
        start_balance - net * Decimal::from(ORDERS as u64)
    );
    sandbox.shutdown().await;
}
