//! The documented user journeys, end to end: the ergonomic client against an in-process
//! sandbox over loopback HTTP, checking the sandbox's state after each step.

use std::time::Duration;

use futures::TryStreamExt;
use pressone_esim::{
    BusinessCode, CatalogEntry, Client, DataAllowance, ErrorKind, EsimStatus, Operator, Package,
    PackageKind, RetryPolicy, SubscriptionStatus, VoiceUser,
};
use pressone_esim_sandbox::{Sandbox, SandboxConfig, SandboxHandle};
use rust_decimal::Decimal;

async fn start(seed: u64) -> (SandboxHandle, Client) {
    let sandbox = Sandbox::start(SandboxConfig::default().seed(seed).usage_cache(None))
        .await
        .expect("sandbox starts");
    let client = Client::builder()
        .base_url(sandbox.base_url())
        .voice_base_url(sandbox.voice_base_url())
        .credentials(sandbox.client_id(), sandbox.client_secret())
        .retry_policy(RetryPolicy::default().initial_backoff(Duration::from_millis(10)))
        .build()
        .expect("client builds");
    (sandbox, client)
}

/// The first package of one country's catalogue (all pages) that `wanted` accepts with its
/// operator; `what` names it when there is none.
async fn package_of(
    client: &Client,
    country: &str,
    what: &str,
    wanted: impl Fn(&Operator, &Package) -> bool,
) -> Package {
    let entries: Vec<CatalogEntry> = client
        .packages()
        .list()
        .country(country)
        .stream()
        .try_collect()
        .await
        .expect("packages");
    entries
        .iter()
        .flat_map(|e| e.operators.iter())
        .flat_map(|o| o.packages.iter().map(move |p| (o, p)))
        .find(|(o, p)| wanted(o, p))
        .map(|(_, p)| p.clone())
        .unwrap_or_else(|| panic!("{country}: no {what}"))
}

/// The first number the voice API offers to claim.
async fn first_available_number(client: &Client) -> String {
    let numbers = client
        .voice()
        .available_numbers()
        .send()
        .await
        .expect("numbers");
    numbers.items.first().expect("a number").number.clone()
}

/// How [`users_by`] filters the voice users.
enum UserFilter<'a> {
    Email(&'a str),
    Mobile(&'a str),
}

/// The voice users that match, all pages.
async fn users_by(client: &Client, filter: UserFilter<'_>) -> Vec<VoiceUser> {
    let request = client.voice().users();
    let request = match filter {
        UserFilter::Email(email) => request.email(email),
        UserFilter::Mobile(mobile) => request.mobile(mobile),
    };
    request.stream().try_collect().await.expect("users")
}

#[tokio::test]
async fn purchase_journey() {
    let (sandbox, client) = start(1).await;

    // Balance before.
    let before = client.balance().await.expect("balance");
    assert_eq!(before.len(), 1);
    assert_eq!(before[0].amount, sandbox.balance());

    // Packages: a local package of one country.
    let package = package_of(
        &client,
        "FR",
        "limited sim package with a net price",
        |_, p| {
            p.kind == PackageKind::Sim
                && p.net_price.is_some()
                && matches!(p.data, DataAllowance::Limited { .. })
        },
    )
    .await;
    let net = package.net_price.expect("net price");

    // Order two eSIMs.
    let order = client
        .orders()
        .create(&package.id, 2)
        .description("journey-purchase-1")
        .await
        .expect("order");
    assert_eq!(order.quantity, 2);
    assert_eq!(order.package_id, package.id);
    assert_eq!(order.esims.len(), 2);
    assert_eq!(sandbox.order_count(), 1);
    assert_eq!(sandbox.balance(), before[0].amount - net * Decimal::from(2));

    // Install: the eSIM, its activation code, links and instructions.
    let esim = &order.esims[0];
    let code = esim.activation_code().expect("activation code");
    assert_eq!(Some(code.smdp_address()), esim.smdp_address.as_deref());
    let links = esim.install_links().expect("links");
    assert!(
        links
            .apple
            .starts_with("https://esimsetup.apple.com/esim_qrcode_provisioning?carddata=LPA:1$")
    );
    let fetched = client.sims().get(&esim.iccid).await.expect("get esim");
    assert_eq!(fetched.iccid, esim.iccid);
    assert_eq!(fetched.lpa, esim.lpa);
    let instructions = client
        .sims()
        .instructions(&esim.iccid)
        .await
        .expect("instructions");
    assert!(!instructions.ios.is_empty() && !instructions.android.is_empty());
    let qr_data = instructions.ios[0]
        .activation_code()
        .expect("qr data")
        .expect("valid code");
    assert_eq!(qr_data.as_str(), code.as_str());

    // Usage: not active until installed; then it progresses.
    let usage = client.sims().usage(&esim.iccid).await.expect("usage");
    assert_eq!(usage.status, EsimStatus::NotActive);
    sandbox.activate(&esim.iccid).expect("activate");
    sandbox.consume(&esim.iccid, 100, 0, 0).expect("consume");
    let usage = client.sims().usage(&esim.iccid).await.expect("usage");
    assert_eq!(usage.status, EsimStatus::Active);
    let data = usage.data_mb.expect("a limited package reports its data");
    assert_eq!(data.total - data.remaining, 100);

    // Balance after.
    let after = client.balance().await.expect("balance");
    assert_eq!(after[0].amount, sandbox.balance());
    sandbox.shutdown().await;
}

#[tokio::test]
async fn topup_journey() {
    let (sandbox, client) = start(2).await;
    let package = package_of(&client, "DE", "rechargeable package", |o, p| {
        o.rechargeable && p.kind == PackageKind::Sim
    })
    .await;
    let order = client.orders().create(&package.id, 1).await.expect("order");
    let iccid = order.esims[0].iccid.clone();

    // No top-ups before the eSIM is active.
    let err = client
        .topups()
        .create(&iccid, "anything")
        .await
        .expect_err("inactive esim");
    assert!(
        matches!(
            err.kind(),
            ErrorKind::Business { .. } | ErrorKind::Validation { .. }
        ),
        "{err}"
    );

    sandbox.activate(&iccid).expect("activate");
    let offers = client.sims().topups(&iccid).await.expect("top-up list");
    assert!(!offers.is_empty(), "an active eSIM has top-ups");
    let offer = &offers[0];
    assert_eq!(offer.kind, PackageKind::Topup);
    let balance_before = sandbox.balance();
    let topup = client
        .topups()
        .create(&iccid, &offer.id)
        .description("journey-topup-1")
        .await
        .expect("top-up");
    assert_eq!(topup.kind, PackageKind::Topup);
    assert_eq!(sandbox.topup_count(), 1);
    assert_eq!(
        sandbox.balance(),
        balance_before - offer.net_price.expect("net price")
    );

    // Package history: the original package and the top-up; cached for the next call.
    let history = client.sims().history(&iccid).await.expect("history");
    assert_eq!(history.len(), 2);
    let again = client.sims().history(&iccid).await.expect("cached history");
    assert_eq!(history, again);

    // Order list: both orders, the top-up found by its description.
    let orders: Vec<_> = client
        .orders()
        .list()
        .limit(1)
        .stream()
        .try_collect()
        .await
        .expect("orders");
    assert_eq!(orders.len(), 2);
    let found = client
        .orders()
        .find_by_description("journey-topup-1")
        .await
        .expect("reconcile");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].id, topup.id);

    // A recycled eSIM cannot be topped up (code 73).
    sandbox.recycle(&iccid).expect("recycle");
    let err = client
        .topups()
        .create(&iccid, &offer.id)
        .await
        .expect_err("recycled");
    assert_eq!(err.business_code(), Some(BusinessCode::Recycled), "{err}");
    sandbox.shutdown().await;
}

#[tokio::test]
async fn insufficient_credit_is_code_11_and_changes_nothing() {
    let (sandbox, client) = start(3).await;
    sandbox.set_balance(Decimal::ZERO);
    let package = package_of(&client, "US", "package", |_, _| true).await;
    let err = client
        .orders()
        .create(&package.id, 1)
        .await
        .expect_err("no credit");
    assert_eq!(
        err.business_code(),
        Some(BusinessCode::InsufficientCredit),
        "{err}"
    );
    assert_eq!(sandbox.order_count(), 0);
    assert_eq!(sandbox.balance(), Decimal::ZERO);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn concurrent_orders_keep_the_balance_consistent() {
    let (sandbox, client) = start(4).await;
    let package = package_of(&client, "IT", "package with a net price", |_, p| {
        p.net_price.is_some()
    })
    .await;
    let net = package.net_price.expect("net price");
    let start_balance = sandbox.balance();
    let tasks: Vec<_> = (0..40)
        .map(|i| {
            let client = client.clone();
            let id = package.id.clone();
            tokio::spawn(async move {
                client
                    .orders()
                    .create(id, 1)
                    .description(format!("concurrent-{i}"))
                    .await
            })
        })
        .collect();
    let mut ok = 0u32;
    for task in tasks {
        if task.await.expect("task").is_ok() {
            ok += 1;
        }
    }
    assert_eq!(ok, 40, "no fault is injected: every order succeeds");
    assert_eq!(sandbox.order_count(), 40);
    assert_eq!(sandbox.balance(), start_balance - net * Decimal::from(ok));
    sandbox.shutdown().await;
}

#[tokio::test]
async fn voice_numbers_claim_renew_and_list() {
    let (sandbox, client) = start(5).await;
    let available_before = sandbox.snapshot().available_numbers;
    let number = first_available_number(&client).await;

    // Claim: a trial of the configured length (7 days), on a mobile that is not the number.
    let user = client
        .voice()
        .claim(&number, "ada@example.com")
        .first_name("Ada")
        .await
        .expect("claim");
    assert_eq!(user.number.as_deref(), Some(number.as_str()));
    let mobile = user
        .mobile
        .clone()
        .expect("the sandbox sends the user's mobile");
    assert_ne!(
        mobile, number,
        "the user's mobile is not the claimed number"
    );
    let trial = user.subscription.clone().expect("subscription");
    assert_eq!(trial.status, Some(SubscriptionStatus::Trial));
    assert_eq!(trial.is_trial, Some(true));
    let (trial_start, trial_end) = (
        trial.start_date.expect("start"),
        trial.end_date.expect("end"),
    );
    assert_eq!((trial_end - trial_start).num_days(), 7);
    let state = sandbox.snapshot();
    assert_eq!(state.voice_users, 1);
    assert_eq!(state.available_numbers, available_before - 1);

    // Renew: the trial becomes a paid period of 30 days, in the SDK's answer and in the sandbox.
    let renewed = client
        .voice()
        .renew("ada@example.com")
        .await
        .expect("renew");
    assert_eq!(renewed.email.as_deref(), Some("ada@example.com"));
    assert_eq!(renewed.number.as_deref(), Some(number.as_str()));
    let paid = renewed.subscription.clone().expect("subscription");
    assert_eq!(paid.status, Some(SubscriptionStatus::Active));
    assert_eq!(paid.is_trial, Some(false));
    let paid_end = paid.end_date.expect("end");
    assert_eq!((paid_end - paid.start_date.expect("start")).num_days(), 30);
    assert!(paid_end > trial_end, "renewing moves the end date");
    let in_sandbox = sandbox.voice_users();
    assert_eq!(in_sandbox.len(), 1);
    assert_eq!(in_sandbox[0].status, "active");
    // The wire carries whole seconds.
    assert_eq!(in_sandbox[0].end.timestamp(), paid_end.timestamp());
    assert_eq!(in_sandbox[0].number, number);

    // Listing by e-mail and by mobile finds the user; the claimed number is not a mobile.
    let by_email = users_by(&client, UserFilter::Email("ada@example.com")).await;
    assert_eq!(by_email.len(), 1);
    let by_mobile = users_by(&client, UserFilter::Mobile(&mobile)).await;
    assert_eq!(by_mobile.len(), 1);
    assert_eq!(by_mobile[0].number.as_deref(), Some(number.as_str()));
    let by_number = users_by(&client, UserFilter::Mobile(&number)).await;
    assert!(by_number.is_empty(), "{by_number:?}");
    sandbox.shutdown().await;
}

#[tokio::test]
async fn voice_renew_is_refused_for_an_unknown_email_and_a_cancelled_subscription() {
    let (sandbox, client) = start(6).await;
    let number = first_available_number(&client).await;

    let unknown = client
        .voice()
        .renew("ghost@example.com")
        .await
        .expect_err("nobody claimed with this e-mail");
    assert_eq!(unknown.kind(), &ErrorKind::NotFound);
    assert_eq!(unknown.status(), Some(404));
    assert_eq!(sandbox.snapshot().voice_users, 0);

    client
        .voice()
        .claim(&number, "ada@example.com")
        .await
        .expect("claim");
    sandbox
        .cancel_voice_subscription("ada@example.com")
        .expect("the user exists");
    let before = sandbox.voice_users();
    assert_eq!(before[0].status, "cancelled");
    let refused = client
        .voice()
        .renew("ada@example.com")
        .await
        .expect_err("a cancelled subscription is not renewed");
    assert!(
        matches!(refused.kind(), ErrorKind::Forbidden { code: None }),
        "{refused:?}"
    );
    assert_eq!(refused.status(), Some(403));
    assert!(
        refused.message().is_some_and(|m| m.contains("cancelled")),
        "{refused:?}"
    );
    // Nothing changed on the server.
    let after = sandbox.voice_users();
    assert_eq!(after[0].status, "cancelled");
    assert_eq!(after[0].end, before[0].end);
    let listed = users_by(&client, UserFilter::Email("ada@example.com")).await;
    let sub = listed[0].subscription.clone().expect("subscription");
    assert_eq!(sub.status, Some(SubscriptionStatus::Cancelled));
    sandbox.shutdown().await;
}
