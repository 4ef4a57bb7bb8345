//! Load: many clients against one sandbox for a bounded time, with faults injected at random
//! (503s and dropped connections processed *after* the request, so some orders exist although
//! their caller saw an error; 429s). Afterwards:
//!
//! * every error a client saw is of an injected kind (server error 503, rate limit, broken
//!   connection): nothing else went wrong;
//! * every order whose answer was lost is reconciled by its description: it exists once or not
//!   at all, never twice; every order answered exists once with the id its caller was given;
//! * the sandbox received each order exactly once (no re-send);
//! * the balance equals the start minus the net prices of the orders the sandbox accepted.

mod support;

use std::time::{Duration, Instant};

use futures::future::join_all;
use pressone_esim::{Client, Error, ErrorKind, RetryPolicy};
use pressone_esim_sandbox::{FaultConfig, Operation, Sandbox, SandboxConfig};
use rust_decimal::Decimal;

use support::french_package;

const CLIENTS: usize = 32;
/// How long the clients keep calling.
const RUN_FOR: Duration = Duration::from_secs(3);
/// At most this many calls per client (bounds the run on a fast machine).
const MAX_CALLS: usize = 120;

/// What one order call ended with.
struct OrderCall {
    description: String,
    answer: Result<i64, Error>,
}

/// What one client did.
#[derive(Default)]
struct Run {
    orders: Vec<OrderCall>,
    read_errors: Vec<Error>,
    reads_ok: usize,
}

/// Whether `err` is what an injected fault looks like: the injected 503, the injected 429, or
/// a connection the sandbox dropped after reading the request (it was sent, no answer came).
/// A refused connection, a timeout or any other transport failure is not injected.
fn injected(err: &Error) -> bool {
    match err.kind() {
        ErrorKind::Server => err.status() == Some(503),
        ErrorKind::RateLimited { .. } => err.status() == Some(429),
        ErrorKind::Transport => err.may_have_reached_server() && !err.got_response(),
        _ => false,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_clients_under_random_faults_keep_the_books_straight() {
    let start_balance = Decimal::from(1_000_000);
    let sandbox = Sandbox::start(
        SandboxConfig::default()
            .seed(2024)
            .initial_balance(start_balance)
            .token_rate_limit(None),
    )
    .await
    .unwrap();
    let build = || {
        Client::builder()
            .base_url(sandbox.base_url())
            .credentials(sandbox.client_id(), sandbox.client_secret())
            .request_timeout(Duration::from_secs(10))
            .retry_policy(
                RetryPolicy::default()
                    .initial_backoff(Duration::from_millis(5))
                    .max_backoff(Duration::from_millis(50)),
            )
            .build()
            .unwrap()
    };
    let package = french_package(&build(), true).await;
    let net = package.net_price.unwrap();

    // Faults on everything but the token request (a client without a token only waits).
    sandbox
        .set_faults(
            FaultConfig::none()
                .server_errors(0.10, 503)
                .drops(0.03)
                .rate_limits(0.05, Duration::ZERO)
                .after_processing(true)
                .only(
                    Operation::ALL
                        .into_iter()
                        .filter(|op| *op != Operation::RequestAccessToken),
                ),
        )
        .unwrap();
    let started = Instant::now();
    let runs = join_all((0..CLIENTS).map(|n| {
        let client = build();
        let package_id = package.id.clone();
        tokio::spawn(async move {
            let mut run = Run::default();
            let mut placed: Vec<i64> = Vec::new();
            for i in 0..MAX_CALLS {
                if started.elapsed() >= RUN_FOR {
                    break;
                }
                let read = match i % 4 {
                    0 => {
                        let description = format!("load-{n:02}-{i:03}");
                        let answer = client
                            .orders()
                            .create(&package_id, 1)
                            .description(description.clone())
                            .await
                            .map(|o| o.id);
                        if let Ok(id) = answer {
                            placed.push(id);
                        }
                        run.orders.push(OrderCall {
                            description,
                            answer,
                        });
                        continue;
                    }
                    1 => client.balance().await.map(drop),
                    2 => match placed.last() {
                        Some(id) => client.orders().get(id.to_string()).await.map(drop),
                        None => client.devices().await.map(drop),
                    },
                    _ => client.packages().list().limit(5).await.map(drop),
                };
                match read {
                    Ok(()) => run.reads_ok += 1,
                    Err(e) => run.read_errors.push(e),
                }
            }
            run
        })
    }))
    .await;
    let ran_for = started.elapsed();
    sandbox.clear_faults();
    let runs: Vec<Run> = runs
        .into_iter()
        .map(|r| r.expect("no client panicked"))
        .collect();
    assert!(ran_for < RUN_FOR + Duration::from_secs(15), "{ran_for:?}");

    // Only injected errors.
    let stats = sandbox.stats();
    let injected_faults: u64 = Operation::ALL
        .into_iter()
        .map(|op| stats.faults_injected(op))
        .sum();
    assert!(injected_faults > 0, "the run injected faults");
    let mut order_calls = 0;
    let mut answered = Vec::new();
    let mut ambiguous = Vec::new();
    for run in &runs {
        for err in &run.read_errors {
            assert!(injected(err), "a read failed for another reason: {err:?}");
        }
        for call in &run.orders {
            order_calls += 1;
            match &call.answer {
                Ok(id) => answered.push((call.description.clone(), *id)),
                Err(err) => {
                    assert!(injected(err), "an order failed for another reason: {err:?}");
                    ambiguous.push((call.description.clone(), err.clone()));
                }
            }
        }
    }
    // Every error a client saw used up at least one injected fault.
    let errors = runs
        .iter()
        .map(|r| r.read_errors.len() + r.orders.iter().filter(|c| c.answer.is_err()).count())
        .sum::<usize>() as u64;
    assert!(
        errors <= injected_faults,
        "{errors} errors but only {injected_faults} faults injected"
    );
    let reads_ok: usize = runs.iter().map(|r| r.reads_ok).sum();
    assert!(reads_ok > 0 && !answered.is_empty(), "the run did work");

    // Each order call reached the sandbox exactly once.
    assert_eq!(
        sandbox.request_count(Operation::SubmitOrder),
        order_calls as u64,
        "an order was sent twice (or never)"
    );

    // Reconcile by description, faults off.
    let client = build();
    let reconcile = |description: String| {
        let client = client.clone();
        async move {
            let found = client
                .orders()
                .find_by_description(&description)
                .await
                .unwrap();
            (description, found)
        }
    };
    let mut accepted = 0usize;
    let mut charged = Decimal::ZERO;
    for (description, found) in join_all(answered.iter().map(|(d, _)| reconcile(d.clone()))).await {
        let id = answered.iter().find(|(d, _)| *d == description).unwrap().1;
        assert_eq!(found.len(), 1, "{description}: {} orders", found.len());
        assert_eq!(found[0].id, id, "{description}: another order");
        accepted += 1;
        charged += found[0].net_price.unwrap_or(net) * Decimal::from(found[0].quantity);
    }
    let mut lost_answers = 0;
    for (description, found) in join_all(ambiguous.iter().map(|(d, _)| reconcile(d.clone()))).await
    {
        let err = &ambiguous.iter().find(|(d, _)| *d == description).unwrap().1;
        assert!(
            found.len() <= 1,
            "{description}: duplicated: {}",
            found.len()
        );
        if let Some(order) = found.first() {
            // Only an error that may have reached the server can hide an order.
            assert!(err.may_have_reached_server(), "{description}: {err:?}");
            assert!(
                !matches!(err.kind(), ErrorKind::RateLimited { .. }),
                "a 429 is not acted on"
            );
            lost_answers += 1;
            accepted += 1;
            charged += order.net_price.unwrap_or(net) * Decimal::from(order.quantity);
        }
    }
    assert_eq!(sandbox.order_count(), accepted, "no lost, no extra orders");
    assert_eq!(
        sandbox.balance(),
        start_balance - charged,
        "balance = start − net prices of the accepted orders"
    );
    eprintln!(
        "load: {CLIENTS} clients for {ran_for:?}: {order_calls} order calls ({} answered, {} errors, {lost_answers} accepted without an answer), {reads_ok} reads ok, {} read errors, {injected_faults} faults injected",
        answered.len(),
        ambiguous.len(),
        runs.iter().map(|r| r.read_errors.len()).sum::<usize>(),
    );
    sandbox.shutdown().await;
}
