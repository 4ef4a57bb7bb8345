//! The API commands: each calls the SDK and prints the models (JSON, csv/tsv) or their table
//! layouts.

mod bulk;
mod export;
mod orders;
mod sims;
mod watch;

use std::io::IsTerminal;
use std::time::Duration;

use futures::stream::BoxStream;
use futures::{Stream, TryStreamExt};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use pressone_esim::{
    Client, Esim, ListAvailableNumbers, ListEsims, ListOrders, ListUsers, NaiveDate, Order,
    PackageType, Page,
};

use crate::cli::{
    Command, CreatedArgs, ListArgs, NumbersCommand, PackageTypeArg, PackagesCommand,
    PackagesListArgs, TopupsCommand, UsersCommand,
};
use crate::connect::Connection;
use crate::error::{CliError, Reference};
use crate::output::Printer;
use crate::table::PackageRow;

pub use export::diff;
pub use sims::{install_link, write_qr};

/// Runs an API command (every command but `sandbox`, `demo`, `config`, `completions`, `man`).
pub async fn run(connection: &Connection, command: Command, out: Printer) -> Result<(), CliError> {
    let client = &connection.client;
    match command {
        Command::Balance => {
            let balances = client.balance().await?;
            out.list(&balances, "No balance (the partner has no account).")
        }
        Command::Devices { limit } => {
            let mut devices = client.devices().await?;
            truncate(&mut devices, limit);
            out.list(&devices, "No devices.")
        }
        Command::Packages(PackagesCommand::List(args)) => packages_list(client, args, out).await,
        Command::Packages(PackagesCommand::Export(args)) => export::export(client, args).await,
        Command::Orders(cmd) => orders::run(client, cmd, out).await,
        Command::Sims(cmd) => sims::run(connection, cmd, out).await,
        Command::Topups(TopupsCommand::Create(args)) => orders::topup(client, args, out).await,
        Command::Topups(TopupsCommand::CreateMany(args)) => bulk::topups(client, args, out).await,
        Command::Numbers(cmd) => numbers(client, cmd, out).await,
        Command::Users(UsersCommand::List {
            mobile,
            email,
            list,
        }) => {
            let mut request = client.voice().users();
            if let Some(m) = mobile {
                request = request.mobile(m);
            }
            if let Some(e) = email {
                request = request.email(e);
            }
            if let Some(l) = list.page_size {
                request = request.page_size(l);
            }
            let users = list_items(request, list, "users", ListUsers::page, ListUsers::stream);
            out.list(&users.await?, "No users.")
        }
        _ => Err(CliError::other("internal: not an API command")),
    }
}

/// Keeps the first `limit` items.
pub fn truncate<T>(items: &mut Vec<T>, limit: Option<u32>) {
    if let Some(limit) = limit {
        items.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    }
}

/// The items of a list command: with `--page`, that one page; else every page from the first
/// (with the progress spinner of [`collect`]) until `--limit` items are in; then at most
/// `--limit` of them. `page` sets the page of the request, `stream` streams its items.
pub async fn list_items<R, T, P, S>(
    request: R,
    list: ListArgs,
    what: &'static str,
    page: impl FnOnce(R, u32) -> P,
    stream: impl FnOnce(R) -> S,
) -> Result<Vec<T>, CliError>
where
    P: IntoFuture<Output = pressone_esim::Result<pressone_esim::Page<T>>>,
    S: Stream<Item = pressone_esim::Result<T>>,
{
    let mut items = match list.page {
        Some(p) => page(request, p).await?.items,
        None => collect(stream(request), what, list.limit).await?,
    };
    truncate(&mut items, list.limit);
    Ok(items)
}

/// The filters the order list and the eSIM list share, so that both commands apply them the
/// same way ([`list_filtered`]).
pub trait SharedListFilters: Sized {
    /// What the list holds.
    type Item;
    /// Only items of this ICCID (or part of one).
    fn with_iccid(self, iccid: String) -> Self;
    /// Only items created in this range of days.
    fn with_created(self, from: NaiveDate, to: NaiveDate) -> Self;
    /// Items per page asked of the server.
    fn with_page_size(self, size: u32) -> Self;
    /// One page of the list.
    fn one_page(self, page: u32) -> impl Future<Output = pressone_esim::Result<Page<Self::Item>>>;
    /// Every item of every page.
    fn every_item(self) -> BoxStream<'static, pressone_esim::Result<Self::Item>>;
}

macro_rules! shared_list_filters {
    ($($request:ty => $item:ty),*) => {$(
        impl SharedListFilters for $request {
            type Item = $item;
            fn with_iccid(self, iccid: String) -> Self {
                self.iccid(iccid)
            }
            fn with_created(self, from: NaiveDate, to: NaiveDate) -> Self {
                self.created_between(from, to)
            }
            fn with_page_size(self, size: u32) -> Self {
                self.limit(size)
            }
            fn one_page(self, page: u32) -> impl Future<Output = pressone_esim::Result<Page<$item>>> {
                self.page(page).send()
            }
            fn every_item(self) -> BoxStream<'static, pressone_esim::Result<$item>> {
                self.stream()
            }
        }
    )*};
}

shared_list_filters!(ListOrders => Order, ListEsims => Esim);

/// The items of the order or eSIM list `request`, with the filters both lists have (ICCID,
/// creation range, page size) applied, as [`list_items`] fetches them.
pub async fn list_filtered<R: SharedListFilters>(
    mut request: R,
    iccid: Option<String>,
    created: CreatedArgs,
    list: ListArgs,
    what: &'static str,
) -> Result<Vec<R::Item>, CliError> {
    if let Some(i) = iccid {
        request = request.with_iccid(i);
    }
    if let Some((from, to)) = created.range() {
        request = request.with_created(from, to);
    }
    if let Some(l) = list.page_size {
        request = request.with_page_size(l);
    }
    list_items(request, list, what, R::one_page, R::every_item).await
}

/// A spinner on stderr while pages are fetched, only when stderr is a terminal.
pub(crate) fn progress(what: &'static str) -> ProgressBar {
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

/// Collects the items of a paginated stream, with a progress spinner; stops (fetches no
/// further page) once `limit` items are in.
pub async fn collect<T, S>(
    stream: S,
    what: &'static str,
    limit: Option<u32>,
) -> Result<Vec<T>, CliError>
where
    S: Stream<Item = pressone_esim::Result<T>>,
{
    let limit = limit.map_or(usize::MAX, |l| usize::try_from(l).unwrap_or(usize::MAX));
    let bar = progress(what);
    let mut items = Vec::new();
    futures::pin_mut!(stream);
    let result = loop {
        if items.len() >= limit {
            break Ok(items);
        }
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
    if let Some(l) = args.language {
        request = request.language(l);
    }
    if let Some(l) = args.list.page_size {
        request = request.limit(l);
    }
    let limit = args
        .list
        .limit
        .map(|l| usize::try_from(l).unwrap_or(usize::MAX));
    let entries = match args.list.page {
        Some(p) => request.page(p).await?.items,
        None => {
            // Entries hold several packages: fetch entries until enough packages are in.
            let bar = progress("catalogue entries");
            let stream = request.stream();
            futures::pin_mut!(stream);
            let mut entries = Vec::new();
            let mut packages = 0;
            while limit.is_none_or(|l| packages < l) {
                match stream.try_next().await {
                    Ok(Some(entry)) => {
                        packages += entry.packages().count();
                        entries.push(entry);
                        bar.inc(1);
                    }
                    Ok(None) => break,
                    Err(e) => {
                        bar.finish_and_clear();
                        return Err(e.into());
                    }
                }
            }
            bar.finish_and_clear();
            entries
        }
    };
    let mut rows = PackageRow::from_entries(&entries);
    truncate(&mut rows, args.list.limit);
    out.list(&rows, "No packages.")
}

async fn numbers(client: &Client, cmd: NumbersCommand, out: Printer) -> Result<(), CliError> {
    match cmd {
        NumbersCommand::Available { country, list } => {
            let mut request = client.voice().available_numbers();
            if let Some(c) = country {
                request = request.country(c);
            }
            if let Some(l) = list.page_size {
                request = request.page_size(l);
            }
            let numbers = list_items(
                request,
                list,
                "numbers",
                ListAvailableNumbers::page,
                ListAvailableNumbers::stream,
            );
            out.list(&numbers.await?, "No numbers available.")
        }
        NumbersCommand::Claim {
            number,
            email,
            first_name,
            last_name,
        } => {
            let mut request = client.voice().claim(number, email.clone());
            if let Some(f) = first_name {
                request = request.first_name(f);
            }
            if let Some(l) = last_name {
                request = request.last_name(l);
            }
            let user = request
                .await
                .map_err(CliError::write("the claim", Reference::Email(email)))?;
            out.item(&user)
        }
        NumbersCommand::Renew { email } => {
            let user = client
                .voice()
                .renew(email.clone())
                .await
                .map_err(CliError::write("the renewal", Reference::Email(email)))?;
            out.item(&user)
        }
    }
}
