//! The flat catalogue: one row per package, with its country or region and operator.

use futures::stream::BoxStream;
use futures::{StreamExt, TryStreamExt};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::models::{CatalogEntry, DataAllowance, OperatorKind, PackageKind, PlanType, Prices};

/// One package of the catalogue with its context, from
/// [`ListPackages::flat`](crate::ListPackages::flat).
///
/// `prices` holds the net and recommended retail price in every currency the API sent, the
/// USD amounts (`net_price`, `price` on the wire) included. Nothing is invented: a price the
/// API did not send is absent.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FlatPackage {
    /// The package id to order with.
    pub id: String,
    /// New eSIM or top-up.
    pub kind: PackageKind,
    /// e.g. `1 GB - 7 days`.
    pub title: String,
    /// The country code of local packages; `None` for regional and global ones.
    pub country_code: Option<String>,
    /// The country's or region's name, e.g. `United States`, `Europe`.
    pub country: String,
    /// The catalogue entry's slug, e.g. `united-states`.
    pub slug: String,
    /// The operator's name.
    pub operator: String,
    /// `local` (one country) or `global` (a region or the world).
    pub package_type: OperatorKind,
    /// Data only, or with voice and SMS.
    pub plan_type: PlanType,
    /// Megabytes of data; `None` when unlimited.
    pub data_mb: Option<i64>,
    /// Whether the data is unlimited.
    pub unlimited: bool,
    /// The allowance as the vendor words it.
    pub data_label: String,
    /// Validity in days.
    pub validity_days: i64,
    /// Voice minutes included.
    pub voice_minutes: Option<i64>,
    /// SMS included.
    pub sms: Option<i64>,
    /// Whether the operator's eSIMs can be topped up.
    pub rechargeable: bool,
    /// Net and recommended retail prices per currency.
    pub prices: Prices,
}

impl FlatPackage {
    /// Every package of a catalogue entry, in order.
    pub fn from_entry(entry: &CatalogEntry) -> Vec<FlatPackage> {
        let mut rows = Vec::new();
        for operator in &entry.operators {
            for package in &operator.packages {
                let (data_mb, unlimited) = match package.data {
                    DataAllowance::Unlimited => (None, true),
                    DataAllowance::Limited { mb } => (Some(mb), false),
                };
                rows.push(FlatPackage {
                    id: package.id.clone(),
                    kind: package.kind.clone(),
                    title: package.title.clone(),
                    country_code: entry.country_code.clone(),
                    country: entry.title.clone(),
                    slug: entry.slug.clone(),
                    operator: operator.title.clone(),
                    package_type: operator.kind.clone(),
                    plan_type: operator.plan_type.clone(),
                    data_mb,
                    unlimited,
                    data_label: package.data_label.clone(),
                    validity_days: package.validity_days,
                    voice_minutes: package.voice_minutes,
                    sms: package.sms,
                    rechargeable: operator.rechargeable,
                    prices: with_usd(&package.prices, package.net_price, package.price),
                });
            }
        }
        rows
    }

    /// The net price in `currency`, when the API sent one.
    pub fn net(&self, currency: &str) -> Option<Decimal> {
        self.prices.net(currency)
    }

    /// The recommended retail price in `currency`, when the API sent one.
    pub fn recommended_retail(&self, currency: &str) -> Option<Decimal> {
        self.prices.retail(currency)
    }
}

/// The prices plus the package's USD amounts when the price map lacks them.
fn with_usd(prices: &Prices, net: Option<Decimal>, retail: Option<Decimal>) -> Prices {
    let mut nets: Vec<(String, Decimal)> = prices
        .net_prices()
        .map(|(c, a)| (c.to_string(), a))
        .collect();
    let mut retails: Vec<(String, Decimal)> = prices
        .retail_prices()
        .map(|(c, a)| (c.to_string(), a))
        .collect();
    if let (Some(amount), None) = (net, prices.net("USD")) {
        nets.push(("USD".into(), amount));
    }
    if let (Some(amount), None) = (retail, prices.retail("USD")) {
        retails.push(("USD".into(), amount));
    }
    Prices::new(nets, retails)
}

/// The rows of a stream of catalogue entries.
pub(crate) fn flatten(
    entries: BoxStream<'static, Result<CatalogEntry>>,
) -> BoxStream<'static, Result<FlatPackage>> {
    entries
        .map_ok(|entry| futures::stream::iter(FlatPackage::from_entry(&entry).into_iter().map(Ok)))
        .try_flatten()
        .boxed()
}
