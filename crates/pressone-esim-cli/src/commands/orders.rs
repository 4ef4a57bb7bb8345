//! Orders and top-ups: every write carries a reference (its description) so that a failure
//! that may have reached the server can be checked with `orders find`.

use std::hash::{BuildHasher, Hasher};

use pressone_esim::{Client, Order, OrderStatus, SharingOption};

use crate::cli::{OrderStatusArg, OrdersCommand, OrdersCreateArgs, SharingArg, TopupsCreateArgs};
use crate::commands::list_filtered;
use crate::error::{CliError, Reference};
use crate::output::{Printer, prefix};

/// A unique reference for a write: `cli-<UTC time>-<6 random hex digits>`.
pub fn generated_reference() -> String {
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u32(std::process::id());
    if let Ok(since) = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH) {
        hasher.write_u128(since.as_nanos());
    }
    format!(
        "cli-{}-{:06x}",
        chrono::Utc::now().format("%Y%m%dT%H%M%SZ"),
        hasher.finish() & 0xff_ffff
    )
}

/// The given description, or a generated one announced on stderr.
fn reference(description: Option<String>, what: &str) -> String {
    match description
        .map(|d| d.trim().to_string())
        .filter(|d| !d.is_empty())
    {
        Some(d) => d,
        None => {
            let generated = generated_reference();
            eprintln!(
                "{} {what} reference (description): {generated} (find it with `pressone-esim orders find --description {generated}`)",
                prefix("note")
            );
            generated
        }
    }
}

pub async fn run(client: &Client, cmd: OrdersCommand, out: Printer) -> Result<(), CliError> {
    match cmd {
        OrdersCommand::Create(args) => create(client, args, out).await,
        OrdersCommand::CreateMany(args) => super::bulk::orders(client, args, out).await,
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
            if let Some(d) = args.description {
                request = request.description(d);
            }
            if let Some(c) = args.code {
                request = request.code(c);
            }
            let orders = list_filtered(request, args.iccid, args.created, args.list, "orders");
            out.list(&orders.await?, "No orders.")
        }
        OrdersCommand::Find { description } => {
            let mut orders = client.orders().find_by_description(&description).await?;
            newest_first(&mut orders);
            out.list(&orders, "No order has this description.")
        }
        OrdersCommand::Get { id } => {
            let order = client.orders().get(id).await?;
            out.item(&order)
        }
    }
}

/// Newest first: by creation time, then by id (the list's own order, made sure).
fn newest_first(orders: &mut [Order]) {
    orders.sort_by(|a, b| {
        b.created_at
            .cmp(&a.created_at)
            .then_with(|| b.id.cmp(&a.id))
    });
}

async fn create(client: &Client, args: OrdersCreateArgs, out: Printer) -> Result<(), CliError> {
    let reference = reference(args.description, "order");
    let mut request = client
        .orders()
        .create(&args.package, args.quantity)
        .description(reference.clone());
    if let Some(to) = args.email_to {
        let mut sharing: Vec<SharingOption> = args
            .sharing_option
            .iter()
            .map(|s| match s {
                SharingArg::Link => SharingOption::Link,
                SharingArg::Pdf => SharingOption::Pdf,
            })
            .collect();
        if sharing.is_empty() {
            sharing.push(SharingOption::Link);
        }
        sharing.dedup();
        request = request.email_to(to, &sharing);
        for cc in args.copy_to {
            request = request.copy_to(cc);
        }
    }
    if let Some(brand) = args.brand {
        request = request.brand_settings_name(brand);
    }
    let order = request.await.map_err(CliError::write(
        "the order",
        Reference::Description(reference),
    ))?;
    out.item(&order)
}

pub async fn topup(client: &Client, args: TopupsCreateArgs, out: Printer) -> Result<(), CliError> {
    let reference = reference(args.description, "top-up");
    let order = client
        .topups()
        .create(&args.iccid, &args.package)
        .description(reference.clone())
        .await
        .map_err(CliError::write(
            "the top-up",
            Reference::Description(reference),
        ))?;
    out.item(&order)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_references_are_unique_and_shaped() {
        let a = generated_reference();
        let b = generated_reference();
        assert_ne!(a, b);
        assert!(
            a.starts_with("cli-20") && a.len() == "cli-20261202T101500Z-7f3a9c".len(),
            "{a}"
        );
    }
}
