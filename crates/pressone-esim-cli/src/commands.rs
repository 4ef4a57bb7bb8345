//! The API commands: each calls the SDK and prints its view of the result.

use std::io::IsTerminal;
use std::time::Duration;

use futures::{Stream, TryStreamExt};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use pressone_esim::install::qr::QrOptions;
use pressone_esim::{Client, Esim, OrderStatus, PackageType};

use crate::cli::{
    Command, NumbersCommand, OrderStatusArg, OrdersCommand, PackageTypeArg, PackagesCommand,
    PackagesListArgs, QrFormat, QrPath, SimsCommand, TopupsCommand, UsersCommand,
};
use crate::error::CliError;
use crate::output::Printer;
use crate::views::{
    BalanceView, DeviceView, EsimView, HistoryView, InstallLinkView, InstructionsView, NumberView,
    OrderView, PackageView, QrFileView, TopupView, UsageView, UserView,
};

/// Runs an API command (every command but `sandbox` and `demo`).
pub async fn run(client: &Client, command: Command, out: Printer) -> Result<(), CliError> {
    match command {
        Command::Balance => {
            let balances = client.balance().await?;
            let views: Vec<BalanceView> = balances.iter().map(BalanceView::from).collect();
            out.list(&views, "No balance (the partner has no account).")
        }
        Command::Devices => {
            let devices = client.devices().await?;
            let views: Vec<DeviceView> = devices.iter().map(DeviceView::from).collect();
            out.list(&views, "No devices.")
        }
        Command::Packages(PackagesCommand::List(args)) => packages_list(client, args, out).await,
        Command::Orders(cmd) => orders(client, cmd, out).await,
        Command::Sims(cmd) => sims(client, cmd, out).await,
        Command::Topups(TopupsCommand::Create(args)) => {
            let mut request = client.topups().create(&args.iccid, &args.package);
            if let Some(d) = args.description {
                request = request.description(d);
            }
            let order = request.await?;
            out.item(&OrderView::from(&order))
        }
        Command::Numbers(cmd) => numbers(client, cmd, out).await,
        Command::Users(UsersCommand::List {
            mobile,
            email,
            page,
            limit,
        }) => {
            let mut request = client.voice().users();
            if let Some(m) = mobile {
                request = request.mobile(m);
            }
            if let Some(e) = email {
                request = request.email(e);
            }
            if let Some(l) = limit {
                request = request.page_size(l);
            }
            let users = match page {
                Some(p) => request.page(p).await?.items,
                None => collect(request.stream(), "users").await?,
            };
            let views: Vec<UserView> = users.iter().map(UserView::from).collect();
            out.list(&views, "No users.")
        }
        Command::Sandbox(_) | Command::Demo(_) => Err(CliError::other(
            "internal: sandbox and demo are not API commands",
        )),
    }
}

/// A spinner on stderr while pages are fetched, only when stderr is a terminal.
fn progress(what: &'static str) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template("{spinner} fetching {msg}: {pos} so far") {
        bar.set_style(style);
    }
    bar.set_message(what);
    bar.enable_steady_tick(Duration::from_millis(120));
    bar
}

/// Collects every item of a paginated stream, with a progress spinner.
async fn collect<T, S>(stream: S, what: &'static str) -> Result<Vec<T>, CliError>
where
    S: Stream<Item = pressone_esim::Result<T>>,
{
    let bar = progress(what);
    let mut items = Vec::new();
    futures::pin_mut!(stream);
    let result = loop {
        match stream.try_next().await {
            Ok(Some(item)) => {
                items.push(item);
                bar.inc(1);
            }
            Ok(None) => break Ok(items),
            Err(e) => break Err(CliError::from(e)),
        }
    };
    bar.finish_and_clear();
    result
}

async fn packages_list(
    client: &Client,
    args: PackagesListArgs,
    out: Printer,
) -> Result<(), CliError> {
    let mut request = client.packages().list();
    if let Some(t) = args.package_type {
        request = request.package_type(match t {
            PackageTypeArg::Local => PackageType::Local,
            PackageTypeArg::Global => PackageType::Global,
        });
    }
    if let Some(c) = args.country {
        request = request.country(c);
    }
    if args.include_topups {
        request = request.include_topups(true);
    }
    if let Some(l) = args.limit {
        request = request.limit(l);
    }
    let entries = match args.page {
        Some(p) => request.page(p).await?.items,
        None => collect(request.stream(), "catalogue entries").await?,
    };
    let views = PackageView::from_entries(&entries);
    out.list(&views, "No packages.")
}

async fn orders(client: &Client, cmd: OrdersCommand, out: Printer) -> Result<(), CliError> {
    match cmd {
        OrdersCommand::Create(args) => {
            let mut request = client.orders().create(&args.package, args.quantity);
            if let Some(d) = args.description {
                request = request.description(d);
            }
            let order = request.await?;
            out.item(&OrderView::from(&order))
        }
        OrdersCommand::List(args) => {
            let mut request = client.orders().list();
            if let Some(s) = args.status {
                request = request.status(match s {
                    OrderStatusArg::Completed => OrderStatus::Completed,
                    OrderStatusArg::Failed => OrderStatus::Failed,
                    OrderStatusArg::PartiallyRefunded => OrderStatus::PartiallyRefunded,
                    OrderStatusArg::Refunded => OrderStatus::Refunded,
                });
            }
            if let Some(i) = args.iccid {
                request = request.iccid(i);
            }
            if let Some(d) = args.description {
                request = request.description(d);
            }
            if let Some(c) = args.code {
                request = request.code(c);
            }
            if let Some(l) = args.limit {
                request = request.limit(l);
            }
            let orders = match args.page {
                Some(p) => request.page(p).await?.items,
                None => collect(request.stream(), "orders").await?,
            };
            let views: Vec<OrderView> = orders.iter().map(OrderView::from).collect();
            out.list(&views, "No orders.")
        }
        OrdersCommand::Get { id } => {
            let order = client.orders().get(id).await?;
            out.item(&OrderView::from(&order))
        }
    }
}

async fn sims(client: &Client, cmd: SimsCommand, out: Printer) -> Result<(), CliError> {
    match cmd {
        SimsCommand::List(args) => {
            let mut request = client.sims().list();
            if let Some(i) = args.iccid {
                request = request.iccid(i);
            }
            if let Some(l) = args.limit {
                request = request.limit(l);
            }
            let esims = match args.page {
                Some(p) => request.page(p).await?.items,
                None => collect(request.stream(), "eSIMs").await?,
            };
            let views: Vec<EsimView> = esims.iter().map(EsimView::from).collect();
            out.list(&views, "No eSIMs.")
        }
        SimsCommand::Get(arg) => {
            let esim = client.sims().get(arg.iccid).await?;
            out.item(&EsimView::from(&esim))
        }
        SimsCommand::Usage(arg) => {
            let usage = client.sims().usage(&arg.iccid).await?;
            out.item(&UsageView::new(&arg.iccid, &usage))
        }
        SimsCommand::Instructions { iccid, language } => {
            let mut request = client.sims().instructions(&iccid);
            if let Some(l) = language {
                request = request.language(l);
            }
            let instructions = request.await?;
            let view = InstructionsView::new(&iccid, &instructions);
            out.item_or_text(&view, &view.text())
        }
        SimsCommand::Topups(arg) => {
            let topups = client.sims().topups(arg.iccid).await?;
            let views: Vec<TopupView> = topups.iter().map(TopupView::from).collect();
            out.list(&views, "No top-ups available for this eSIM.")
        }
        SimsCommand::History(arg) => {
            let history = client.sims().history(arg.iccid).await?;
            let views: Vec<HistoryView> = history.iter().map(HistoryView::from).collect();
            out.list(&views, "No packages.")
        }
        SimsCommand::Qr {
            iccid,
            out: file,
            show,
        } => {
            let esim = client.sims().get(&iccid).await?;
            let (view, terminal) = write_qr(&esim, &file)?;
            let mut text = format!(
                "Wrote the QR code of eSIM {} to {} ({}, {} bytes)\n",
                view.iccid,
                view.path,
                file.format.name(),
                view.bytes
            );
            if show {
                text.push_str(&terminal);
            }
            out.item_or_text(&view, &text)
        }
        SimsCommand::InstallLink(arg) => {
            let esim = client.sims().get(&arg.iccid).await?;
            let view = install_link(&esim)?;
            out.item_or_text(&view, &view.text())
        }
    }
}

/// The install links and manual-entry parts of an eSIM.
pub fn install_link(esim: &Esim) -> Result<InstallLinkView, CliError> {
    let no_code = |e: pressone_esim::install::ActivationCodeError| {
        CliError::other(format!(
            "eSIM {} has no valid activation code: {e}",
            esim.iccid
        ))
    };
    let code = esim.activation_code().map_err(no_code)?;
    let links = esim.install_links().map_err(no_code)?;
    let manual = esim.manual_installation().map_err(no_code)?;
    Ok(InstallLinkView {
        iccid: esim.iccid.clone(),
        lpa: code.as_str().to_string(),
        apple: links.apple,
        android: links.android,
        smdp_address: manual.smdp_address,
        activation_code: manual.activation_code,
        confirmation_code: manual.confirmation_code,
    })
}

/// Writes the eSIM's QR code to the file; returns what was written and the terminal drawing.
pub fn write_qr(esim: &Esim, file: &QrPath) -> Result<(QrFileView, String), CliError> {
    let qr = esim
        .qr(&QrOptions::default())
        .map_err(|e| CliError::other(format!("eSIM {}: {e}", esim.iccid)))?;
    let bytes = match file.format {
        QrFormat::Png => qr
            .to_png()
            .map_err(|e| CliError::other(format!("the QR code could not be drawn: {e}")))?,
        QrFormat::Svg => qr.to_svg().into_bytes(),
    };
    std::fs::write(&file.path, &bytes)
        .map_err(|e| CliError::other(format!("could not write {}: {e}", file.path.display())))?;
    let view = QrFileView {
        iccid: esim.iccid.clone(),
        path: file.path.display().to_string(),
        format: file.format.name().to_ascii_lowercase(),
        bytes: bytes.len(),
    };
    Ok((view, qr.to_terminal()))
}

async fn numbers(client: &Client, cmd: NumbersCommand, out: Printer) -> Result<(), CliError> {
    match cmd {
        NumbersCommand::Available {
            country,
            page,
            limit,
        } => {
            let mut request = client.voice().available_numbers();
            if let Some(c) = country {
                request = request.country(c);
            }
            if let Some(l) = limit {
                request = request.page_size(l);
            }
            let numbers = match page {
                Some(p) => request.page(p).await?.items,
                None => collect(request.stream(), "numbers").await?,
            };
            let views: Vec<NumberView> = numbers.iter().map(NumberView::from).collect();
            out.list(&views, "No numbers available.")
        }
        NumbersCommand::Claim {
            number,
            email,
            first_name,
            last_name,
        } => {
            let mut request = client.voice().claim(number, email);
            if let Some(f) = first_name {
                request = request.first_name(f);
            }
            if let Some(l) = last_name {
                request = request.last_name(l);
            }
            let user = request.await?;
            out.item(&UserView::from(&user))
        }
        NumbersCommand::Renew { email } => {
            let user = client.voice().renew(email).await?;
            out.item(&UserView::from(&user))
        }
    }
}
