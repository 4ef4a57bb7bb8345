//! `demo`: a purchase and a top-up, step by step, against the embedded sandbox (always: the
//! configured base URL is ignored, so the demo never spends real credit).

use futures::TryStreamExt;
use pressone_esim::{Client, Decimal, FlatPackage, PackageKind, PlanType, money_string as money};
use serde::Serialize;

use crate::cli::{DemoArgs, GlobalArgs};
use crate::commands::{install_link, write_qr};
use crate::connect::{sandbox_client, start_embedded_sandbox};
use crate::error::CliError;
use crate::output::{Printer, write_stdout};
use crate::table::{QrFileView, data_text};

/// The country whose packages the demo buys.
const DEMO_COUNTRY: &str = "US";
/// Data the simulated traveller uses before the top-up, in MB.
const DEMO_USAGE_MB: u64 = 100;

/// One step of the demo.
#[derive(Debug, Serialize)]
pub struct StepView {
    /// `purchase`, `top-up` or `qr`.
    pub journey: &'static str,
    /// The step's number, from 1.
    pub step: usize,
    /// A short name.
    pub name: &'static str,
    /// What happened.
    pub detail: String,
}

/// The demo's JSON output.
#[derive(Debug, Serialize)]
pub struct DemoView {
    /// Every step.
    pub steps: Vec<StepView>,
    /// The eSIM bought.
    pub iccid: String,
    /// The eSIM order's id.
    pub order_id: i64,
    /// The top-up order's id.
    pub topup_order_id: i64,
    /// The QR file written.
    pub qr: QrFileView,
}

/// Prints steps as they happen (tables mode) or keeps them for the JSON document.
struct Steps {
    out: Printer,
    journey: &'static str,
    steps: Vec<StepView>,
}

impl Steps {
    fn journey(&mut self, journey: &'static str, title: &str) -> Result<(), CliError> {
        self.journey = journey;
        if self.out.is_json() {
            return Ok(());
        }
        let gap = if self.steps.is_empty() { "" } else { "\n" };
        write_stdout(&format!("{gap}{title}\n"))
    }

    fn done(&mut self, name: &'static str, detail: String) -> Result<(), CliError> {
        let step = self.steps.len() + 1;
        if !self.out.is_json() {
            write_stdout(&format!("{step:>3}. {name:<13} {detail}\n"))?;
        }
        self.steps.push(StepView {
            journey: self.journey,
            step,
            name,
            detail,
        });
        Ok(())
    }

    /// Names the step that failed in the error.
    fn fail(&self, name: &'static str) -> impl Fn(pressone_esim::Error) -> CliError + '_ {
        move |e| {
            CliError::InStep(
                format!("step {} ({name})", self.steps.len() + 1),
                Box::new(e.into()),
            )
        }
    }
}

fn first_balance(balances: &[pressone_esim::Balance]) -> (Decimal, String) {
    balances.first().map_or_else(
        || (Decimal::ZERO, "USD".to_string()),
        |b| (b.amount, b.currency.clone().unwrap_or_else(|| "USD".into())),
    )
}

/// Runs the demo.
pub async fn run(args: DemoArgs, global: &GlobalArgs, out: Printer) -> Result<(), CliError> {
    let sandbox = start_embedded_sandbox(args.seed).await?;
    let ignored = if global
        .base_url
        .as_deref()
        .is_some_and(|u| !u.trim().is_empty())
    {
        "; the configured base URL is ignored"
    } else {
        ""
    };
    eprintln!(
        "demo: using the embedded sandbox at {} (simulated data, nothing is charged{ignored})",
        sandbox.base_url()
    );
    let client = sandbox_client(&sandbox, global.timeout)?;
    let mut s = Steps {
        out,
        journey: "purchase",
        steps: Vec::new(),
    };
    let result = journeys(&client, &sandbox, &args, &mut s).await;
    let console_url = sandbox.console_url();
    sandbox.shutdown().await;
    eprintln!(
        "demo: the sandbox console showed this run at {console_url} (it stopped with the demo; \
         `pressone-esim sandbox` serves one that stays up)"
    );
    let (iccid, order_id, topup_order_id, qr) = result?;
    if out.is_json() {
        out.json(&DemoView {
            steps: s.steps,
            iccid,
            order_id,
            topup_order_id,
            qr,
        })?;
    }
    Ok(())
}

type Outcome = (String, i64, i64, QrFileView);

async fn journeys(
    client: &Client,
    sandbox: &pressone_esim_sandbox::SandboxHandle,
    args: &DemoArgs,
    s: &mut Steps,
) -> Result<Outcome, CliError> {
    s.journey("purchase", "Purchase journey")?;

    client.authenticate().await.map_err(s.fail("token"))?;
    s.done(
        "token",
        format!(
            "signed in as {} (the access token stays in memory)",
            sandbox.client_id()
        ),
    )?;

    let balances = client.balance().await.map_err(s.fail("balance"))?;
    let (before, currency) = first_balance(&balances);
    s.done("balance", format!("{} {currency} available", money(before)))?;

    let offers: Vec<FlatPackage> = client
        .packages()
        .list()
        .country(DEMO_COUNTRY)
        .flat()
        .try_collect()
        .await
        .map_err(s.fail("packages"))?;
    let picked = offers
        .iter()
        .find(|p| {
            p.kind == PackageKind::Sim
                && p.rechargeable
                && p.plan_type == PlanType::Data
                && !p.unlimited
        })
        .or_else(|| offers.iter().find(|p| p.kind == PackageKind::Sim))
        .ok_or_else(|| CliError::other("step 3 (packages): the sandbox offers no package"))?;
    s.done(
        "packages",
        format!(
            "{} packages for {}; picked {} ({}, {}) at {} USD",
            offers.len(),
            picked.country,
            picked.id,
            picked.title,
            picked.operator,
            price_text(picked.net("USD").or(picked.recommended_retail("USD")))
        ),
    )?;

    let order = client
        .orders()
        .create(&picked.id, 1)
        .description("pressone-esim demo")
        .await
        .map_err(s.fail("order"))?;
    let esim = order
        .esims
        .first()
        .ok_or_else(|| CliError::other("step 4 (order): the order has no eSIM"))?;
    let iccid = esim.iccid.clone();
    s.done(
        "order",
        format!(
            "order {} ({}): 1 × {} → eSIM {iccid}",
            order.id,
            order.code.as_deref().unwrap_or("-"),
            order.package_id
        ),
    )?;

    let esim = client.sims().get(&iccid).await.map_err(s.fail("esim"))?;
    let links = install_link(&esim)?;
    s.done(
        "esim",
        format!(
            "SM-DP+ {} with activation code {}",
            links.smdp_address, links.activation_code
        ),
    )?;

    let instructions = client
        .sims()
        .instructions(&iccid)
        .language("en")
        .await
        .map_err(s.fail("instructions"))?;
    let ios_steps = instructions.ios.first().map_or(0, |i| i.qr_steps.len());
    let android_steps = instructions.android.first().map_or(0, |i| i.qr_steps.len());
    s.done(
        "instructions",
        format!(
            "{} iOS and {} Android guides ({ios_steps} and {android_steps} QR steps)",
            instructions.ios.len(),
            instructions.android.len()
        ),
    )?;

    let usage = client.sims().usage(&iccid).await.map_err(s.fail("usage"))?;
    s.done("usage", format!("{}, {}", usage.status, data_text(&usage)))?;

    let balances = client.balance().await.map_err(s.fail("balance"))?;
    let (after, _) = first_balance(&balances);
    s.done(
        "balance",
        format!(
            "{} {currency} available ({} spent)",
            money(after),
            money(before - after)
        ),
    )?;

    s.journey("top-up", "Top-up journey")?;

    sandbox
        .activate(&iccid)
        .map_err(|e| CliError::other(format!("step {} (install): {e}", s.steps.len() + 1)))?;
    if let Err(e) = sandbox.consume(&iccid, DEMO_USAGE_MB, 0, 0) {
        tracing::debug!(error = %e, "the simulated usage was not recorded");
    }
    // The API caches usage figures for 20 minutes: the traveller browses that long first.
    sandbox.advance_clock(std::time::Duration::from_secs(20 * 60));
    let usage = client
        .sims()
        .usage(&iccid)
        .await
        .map_err(s.fail("install"))?;
    s.done(
        "install",
        format!(
            "the traveller installs the eSIM and browses (simulated): {}, {}",
            usage.status,
            data_text(&usage)
        ),
    )?;

    let topups = client
        .sims()
        .topups(&iccid)
        .await
        .map_err(s.fail("top-ups"))?;
    let topup = topups
        .first()
        .ok_or_else(|| CliError::other("step 11 (top-ups): no top-up is offered"))?;
    s.done(
        "top-ups",
        format!(
            "{} top-up packages; picked {} ({}) at {} USD",
            topups.len(),
            topup.id,
            topup.title,
            price_text(topup.net_price.or(topup.price))
        ),
    )?;

    let topup_order = client
        .topups()
        .create(&iccid, &topup.id)
        .description("pressone-esim demo top-up")
        .await
        .map_err(s.fail("top-up"))?;
    s.done(
        "top-up",
        format!(
            "order {} ({}): {} added to eSIM {iccid}",
            topup_order.id,
            topup_order.code.as_deref().unwrap_or("-"),
            topup_order.package_id
        ),
    )?;

    let history = client
        .sims()
        .history(&iccid)
        .await
        .map_err(s.fail("history"))?;
    let packages: Vec<String> = history
        .iter()
        .map(|h| {
            format!(
                "{} {}",
                h.package.as_ref().map_or("?", |p| p.id.as_str()),
                h.status
            )
        })
        .collect();
    s.done(
        "history",
        format!("{} packages: {}", history.len(), packages.join(", ")),
    )?;

    let orders: Vec<_> = client
        .orders()
        .list()
        .stream()
        .try_collect()
        .await
        .map_err(s.fail("orders"))?;
    let listed: Vec<String> = orders
        .iter()
        .map(|o| format!("{} {}", o.code.as_deref().unwrap_or("-"), o.kind))
        .collect();
    s.done(
        "orders",
        format!("{} orders: {}", orders.len(), listed.join(", ")),
    )?;

    s.journey("qr", "Install")?;
    let (qr, terminal) = write_qr(&esim, &args.out)?;
    s.done(
        "qr",
        format!(
            "wrote the eSIM's QR code to {} ({}, {} bytes)",
            qr.path,
            args.out.format.name(),
            qr.bytes
        ),
    )?;
    if !s.out.is_json() {
        write_stdout(&format!(
            "\n{terminal}\nScan it with the phone's camera, or open on the phone:\n  iOS 17.4+: {}\n  Android:   {}\n",
            links.apple, links.android
        ))?;
    }
    Ok((iccid, order.id, topup_order.id, qr))
}

/// What the partner pays in USD (the net price, else the price), `?` when the API sent
/// neither.
fn price_text(usd: Option<Decimal>) -> String {
    usd.map_or_else(|| "?".to_string(), money)
}
