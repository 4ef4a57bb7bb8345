//! Domain types: what the API means, with the wire's quirks (numbers as strings, `null`s,
//! index-keyed lists, zero allowances on unlimited plans) already resolved.
//!
//! Every conversion from the raw wire types lives in `convert.rs`.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;

/// A point in time. The vendor sends `YYYY-MM-DD HH:MM:SS` without a zone (read as UTC) or
/// RFC 3339.
pub type Timestamp = DateTime<Utc>;

macro_rules! wire_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident { $($(#[$vmeta:meta])* $variant:ident => $wire:literal,)+ }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
            /// A value this SDK does not know yet, as the server sent it.
            Other(String),
        }

        impl $name {
            /// The value on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $wire,)+
                    Self::Other(other) => other,
                }
            }
        }

        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                $(if value.eq_ignore_ascii_case($wire) { return Self::$variant; })+
                Self::Other(value.to_string())
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

wire_enum! {
    /// What an eSIM's usage status says.
    pub enum EsimStatus {
        /// Installed or not, but not yet connected to a network.
        NotActive => "NOT_ACTIVE",
        /// In use.
        Active => "ACTIVE",
        /// The allowance is used up.
        Finished => "FINISHED",
        /// The validity period is over.
        Expired => "EXPIRED",
        /// The profile was recycled and can no longer be used or topped up.
        Recycled => "RECYCLED",
        /// The server does not know.
        Unknown => "UNKNOWN",
    }
}

wire_enum! {
    /// Whether a package or order is a new eSIM or a top-up.
    pub enum PackageKind {
        /// A new eSIM.
        Sim => "sim",
        /// A top-up of an existing eSIM.
        Topup => "topup",
    }
}

wire_enum! {
    /// What a plan includes.
    pub enum PlanType {
        /// Data only.
        Data => "data",
        /// Data with voice minutes and SMS.
        VoiceText => "voice-text",
    }
}

wire_enum! {
    /// Whether an operator's packages cover one country or a region / the world.
    pub enum OperatorKind {
        /// One country.
        Local => "local",
        /// A region or the whole world.
        Global => "global",
    }
}

wire_enum! {
    /// How the APN is set.
    pub enum ApnType {
        /// The device sets it.
        Automatic => "automatic",
        /// The user must enter the APN value.
        Manual => "manual",
    }
}

wire_enum! {
    /// The partner's pricing model.
    pub enum PricingModel {
        /// The partner pays `net_price`.
        NetPricing => "net_pricing",
        /// The partner pays the retail price minus a discount.
        DiscountPricing => "discount_pricing",
    }
}

wire_enum! {
    /// An order's status.
    pub enum OrderStatus {
        /// Completed.
        Completed => "completed",
        /// Failed.
        Failed => "failed",
        /// Partially refunded.
        PartiallyRefunded => "partially_refunded",
        /// Refunded.
        Refunded => "refunded",
    }
}

wire_enum! {
    /// A device's operating system.
    pub enum DeviceOs {
        /// Apple iOS.
        Ios => "ios",
        /// Android.
        Android => "android",
    }
}

wire_enum! {
    /// A voice subscription's status (provisional: the voice API is not published).
    pub enum SubscriptionStatus {
        /// Free trial.
        Trial => "trial",
        /// Paid and running.
        Active => "active",
        /// Over.
        Expired => "expired",
        /// Cancelled.
        Cancelled => "cancelled",
    }
}

/// One of the partner's account balances.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Balance {
    /// The account's name.
    pub name: Option<String>,
    /// The available amount.
    pub amount: Decimal,
    /// Its currency (ISO 4217, `USD` in practice).
    pub currency: Option<String>,
}

/// A device that supports eSIMs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Device {
    /// Its operating system.
    pub os: DeviceOs,
    /// The brand, e.g. `Apple`.
    pub brand: String,
    /// The model name, e.g. `iPhone 15`.
    pub name: String,
    /// The model code, when given.
    pub model: Option<String>,
}

/// A package's price in one currency, as [`Prices::iter`] and [`Prices::get`] give it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Price<'a> {
    /// The ISO 4217 currency code, e.g. `EUR`.
    pub currency: &'a str,
    /// What the partner pays (absent under discount pricing).
    pub net: Option<Decimal>,
    /// The suggested retail price.
    pub retail: Option<Decimal>,
}

/// Prices of a package in several currencies: what the partner pays (net) and the suggested
/// retail price, per ISO 4217 code.
///
/// Two compact lists sorted by code rather than maps, since a catalogue holds tens of
/// thousands of packages.
///
/// ```
/// use pressone_esim::{Decimal, Price, Prices};
///
/// let prices = Prices::new(
///     [("USD".to_string(), Decimal::new(18, 1))],
///     [("USD".to_string(), Decimal::new(4, 0)), ("EUR".to_string(), Decimal::new(344, 2))],
/// );
/// assert_eq!(prices.retail("EUR"), Some(Decimal::new(344, 2)));
/// assert_eq!(prices.net("EUR"), None);
/// assert_eq!(prices.currencies().collect::<Vec<_>>(), ["EUR", "USD"]);
/// let usd = prices.get("USD").unwrap();
/// assert_eq!((usd.net, usd.retail), (Some(Decimal::new(18, 1)), Some(Decimal::new(4, 0))));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Prices {
    net: Vec<(String, Decimal)>,
    retail: Vec<(String, Decimal)>,
}

fn find<'a>(list: &'a [(String, Decimal)], currency: &str) -> Option<&'a (String, Decimal)> {
    list.binary_search_by(|(code, _)| code.as_str().cmp(currency))
        .ok()
        .and_then(|i| list.get(i))
}

/// Sorts by code; a repeated code keeps the last amount given (the raw price map's rule).
fn sorted(list: impl IntoIterator<Item = (String, Decimal)>) -> Vec<(String, Decimal)> {
    use pressone_esim_raw::wire::{Money, PriceMap};
    list.into_iter()
        .map(|(code, amount)| (code, Money(amount)))
        .collect::<PriceMap>()
        .into_iter()
        .map(|(code, amount)| (code, amount.0))
        .collect()
}

impl Prices {
    /// Prices from net and retail amounts per currency code, in any order (a repeated code
    /// keeps the last amount).
    pub fn new(
        net: impl IntoIterator<Item = (String, Decimal)>,
        retail: impl IntoIterator<Item = (String, Decimal)>,
    ) -> Self {
        Prices {
            net: sorted(net),
            retail: sorted(retail),
        }
    }

    /// From lists already sorted by code without repeats (the conversion, from the raw
    /// client's sorted price maps).
    pub(crate) fn from_sorted(net: Vec<(String, Decimal)>, retail: Vec<(String, Decimal)>) -> Self {
        Prices { net, retail }
    }

    /// What the partner pays in `currency` (the code as the API sends it, e.g. `USD`).
    pub fn net(&self, currency: &str) -> Option<Decimal> {
        find(&self.net, currency).map(|(_, amount)| *amount)
    }

    /// The suggested retail price in `currency`.
    pub fn retail(&self, currency: &str) -> Option<Decimal> {
        find(&self.retail, currency).map(|(_, amount)| *amount)
    }

    /// Both prices in `currency`, if it has either (the returned code is the stored one).
    pub fn get(&self, currency: &str) -> Option<Price<'_>> {
        let net = find(&self.net, currency);
        let retail = find(&self.retail, currency);
        let code = net.or(retail)?.0.as_str();
        Some(Price {
            currency: code,
            net: net.map(|(_, amount)| *amount),
            retail: retail.map(|(_, amount)| *amount),
        })
    }

    /// Every currency with its prices, sorted by code.
    pub fn iter(&self) -> impl Iterator<Item = Price<'_>> {
        let mut net = self.net.iter().peekable();
        let mut retail = self.retail.iter().peekable();
        std::iter::from_fn(move || {
            use std::cmp::Ordering::{Equal, Greater, Less};
            let order = match (net.peek(), retail.peek()) {
                (Some(n), Some(r)) => n.0.cmp(&r.0),
                (Some(_), None) => Less,
                (None, Some(_)) => Greater,
                (None, None) => return None,
            };
            match order {
                Less => net.next().map(|(code, n)| Price {
                    currency: code,
                    net: Some(*n),
                    retail: None,
                }),
                Greater => retail.next().map(|(code, r)| Price {
                    currency: code,
                    net: None,
                    retail: Some(*r),
                }),
                Equal => {
                    let r = retail.next().map(|(_, r)| *r);
                    net.next().map(|(code, n)| Price {
                        currency: code,
                        net: Some(*n),
                        retail: r,
                    })
                }
            }
        })
    }

    /// The currency codes that have a price, sorted.
    pub fn currencies(&self) -> impl Iterator<Item = &str> {
        self.iter().map(|p| p.currency)
    }

    /// The net prices, sorted by code.
    pub fn net_prices(&self) -> impl ExactSizeIterator<Item = (&str, Decimal)> {
        self.net
            .iter()
            .map(|(code, amount)| (code.as_str(), *amount))
    }

    /// The retail prices, sorted by code.
    pub fn retail_prices(&self) -> impl ExactSizeIterator<Item = (&str, Decimal)> {
        self.retail
            .iter()
            .map(|(code, amount)| (code.as_str(), *amount))
    }

    /// Whether there is no price at all.
    pub fn is_empty(&self) -> bool {
        self.net.is_empty() && self.retail.is_empty()
    }
}

/// How much data a package or eSIM has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DataAllowance {
    /// Unlimited data (the wire's zero amounts are meaningless then and dropped).
    Unlimited,
    /// A fixed amount in megabytes.
    Limited {
        /// Megabytes.
        mb: i64,
    },
}

/// A package that can be ordered (or a top-up package).
#[derive(Clone, Debug, PartialEq)]
pub struct Package {
    /// The package id to order with, e.g. `kallur-digital-7days-1gb`.
    pub id: String,
    /// New eSIM or top-up.
    pub kind: PackageKind,
    /// Its title, e.g. `1 GB - 7 days`.
    pub title: String,
    /// The data allowance.
    pub data: DataAllowance,
    /// The allowance as the vendor words it, e.g. `1 GB` or `Unlimited`.
    pub data_label: String,
    /// Validity in days.
    pub validity_days: i64,
    /// Voice minutes included, if any.
    pub voice_minutes: Option<i64>,
    /// SMS included, if any.
    pub sms: Option<i64>,
    /// The suggested retail price in USD.
    pub price: Option<Decimal>,
    /// What the partner pays in USD (absent under discount pricing).
    pub net_price: Option<Decimal>,
    /// Prices in other currencies.
    pub prices: Prices,
    /// A short notice, e.g. "This eSIM doesn't come with a phone number."
    pub short_info: Option<String>,
    /// The fair-usage policy of an unlimited plan, when it has one.
    pub fair_usage_policy: Option<String>,
}

/// Network coverage in one country.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Coverage {
    /// The country code.
    pub country_code: Option<String>,
    /// The country's name.
    pub name: Option<String>,
    /// Networks and their technologies (`4G`, `5G`).
    pub networks: Vec<(String, Vec<String>)>,
}

/// An operator and its packages.
#[derive(Clone, Debug, PartialEq)]
pub struct Operator {
    /// Its id.
    pub id: Option<i64>,
    /// Its name.
    pub title: String,
    /// Local or global/regional.
    pub kind: OperatorKind,
    /// Data only or with voice and SMS.
    pub plan_type: PlanType,
    /// Whether data roaming must be on.
    pub is_roaming: bool,
    /// Whether its eSIMs can be topped up.
    pub rechargeable: bool,
    /// e.g. `Prepaid`.
    pub esim_type: Option<String>,
    /// How the APN is set.
    pub apn_type: Option<ApnType>,
    /// The APN to enter when it is manual.
    pub apn_value: Option<String>,
    /// When the eSIM activates (on installation or on first connection).
    pub activation_policy: Option<String>,
    /// Days from purchase within which the eSIM must be installed.
    pub install_window_days: Option<i64>,
    /// Days after expiry during which a top-up can still be bought.
    pub topup_grace_window_days: Option<i64>,
    /// Country codes covered.
    pub countries: Vec<String>,
    /// Networks per country.
    pub coverages: Vec<Coverage>,
    /// Informational lines.
    pub info: Vec<String>,
    /// The packages.
    pub packages: Vec<Package>,
}

/// A catalogue entry: a country or region and its operators' packages.
#[derive(Clone, Debug, PartialEq)]
pub struct CatalogEntry {
    /// e.g. `united-states`, `europe`, `world`.
    pub slug: String,
    /// The country code; `None` for regional and global entries.
    pub country_code: Option<String>,
    /// e.g. `United States`.
    pub title: String,
    /// A flag or region image.
    pub image_url: Option<String>,
    /// The operators.
    pub operators: Vec<Operator>,
}

impl CatalogEntry {
    /// Every package of every operator.
    pub fn packages(&self) -> impl Iterator<Item = &Package> {
        self.operators.iter().flat_map(|o| o.packages.iter())
    }
}

/// APN settings per platform.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ApnSettings {
    /// How the APN is set.
    pub apn_type: Option<ApnType>,
    /// The APN value when it must be entered.
    pub apn_value: Option<String>,
}

/// An eSIM: how to install it and what it belongs to.
#[derive(Clone, Debug, PartialEq)]
pub struct Esim {
    /// The eSIM's internal id.
    pub id: Option<i64>,
    /// The ICCID: the eSIM's identifier for every later call.
    pub iccid: String,
    /// When it was created.
    pub created_at: Option<Timestamp>,
    /// The SM-DP+ address (`lpa` on the wire).
    pub smdp_address: Option<String>,
    /// The activation code's matching id.
    pub matching_id: Option<String>,
    /// The full activation code, `LPA:1$<SM-DP+>$<matching id>` (`qrcode` on the wire).
    pub lpa: Option<String>,
    /// A hosted QR image (a signed link that expires).
    pub qrcode_url: Option<String>,
    /// The one-tap installation link for iOS 17.4 and later.
    pub apple_install_url: Option<String>,
    /// A confirmation code, for the rare plans that need one.
    pub confirmation_code: Option<String>,
    /// APN settings.
    pub apn: ApnSettings,
    /// Whether data roaming must be on.
    pub is_roaming: Option<bool>,
    /// The phone number of voice plans.
    pub msisdn: Option<String>,
    /// Whether the profile was recycled (no more use or top-ups).
    pub recycled: bool,
    /// When it was recycled.
    pub recycled_at: Option<Timestamp>,
    /// The brand used for sharing pages.
    pub brand_settings_name: Option<String>,
    /// The order it belongs to, when the response includes it.
    pub order: Option<Box<Order>>,
}

/// Prices paid under discount pricing.
#[derive(Clone, Debug, PartialEq)]
pub struct DiscountPricing {
    /// The discount in percent.
    pub discount_percentage: Option<f64>,
    /// The discount amount.
    pub discount_amount: Option<Decimal>,
    /// What one unit cost.
    pub unit_paid_price: Option<Decimal>,
    /// What the order cost in all.
    pub total_amount_paid: Option<Decimal>,
}

/// An order of eSIMs or a top-up.
#[derive(Clone, Debug, PartialEq)]
pub struct Order {
    /// Its id.
    pub id: i64,
    /// Its number, e.g. `20230227-009666`.
    pub code: Option<String>,
    /// New eSIMs or a top-up.
    pub kind: PackageKind,
    /// The package ordered.
    pub package_id: String,
    /// The package's name.
    pub package_name: Option<String>,
    /// How many eSIMs.
    pub quantity: i64,
    /// The partner's free text (your own order id, for reconciliation).
    pub description: Option<String>,
    /// e.g. `Prepaid`.
    pub esim_type: Option<String>,
    /// Validity in days.
    pub validity_days: Option<i64>,
    /// The allowance as the vendor words it.
    pub data_label: Option<String>,
    /// Voice minutes included.
    pub voice_minutes: Option<i64>,
    /// SMS included.
    pub sms: Option<i64>,
    /// The price.
    pub price: Option<Decimal>,
    /// What the partner paid per unit under net pricing.
    pub net_price: Option<Decimal>,
    /// The currency.
    pub currency: Option<String>,
    /// The pricing model.
    pub pricing_model: Option<PricingModel>,
    /// Discount details under discount pricing.
    pub discount: Option<DiscountPricing>,
    /// The order's status, when included.
    pub status: Option<OrderStatus>,
    /// When it was placed.
    pub created_at: Option<Timestamp>,
    /// The eSIMs (empty for top-ups and when not included).
    pub esims: Vec<Esim>,
    /// Manual installation instructions (HTML).
    pub manual_installation_html: Option<String>,
    /// QR installation instructions (HTML).
    pub qr_installation_html: Option<String>,
    /// Installation guide links per language.
    pub installation_guides: BTreeMap<String, String>,
    /// The brand used.
    pub brand_settings_name: Option<String>,
}

/// Installation steps for one kind of device.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct InstallationSteps {
    /// The model these steps are for, if specific.
    pub model: Option<String>,
    /// OS versions, e.g. `14,15,13`.
    pub version: Option<String>,
    /// Steps to install by QR code, in order.
    pub qr_steps: Vec<String>,
    /// The activation code to encode as QR.
    pub qr_code_data: Option<String>,
    /// A hosted QR image.
    pub qr_code_url: Option<String>,
    /// The one-tap installation link (iOS).
    pub apple_install_url: Option<String>,
    /// Steps to install by hand, in order.
    pub manual_steps: Vec<String>,
    /// The SM-DP+ address and activation code to type.
    pub smdp_address_and_activation_code: Option<String>,
    /// Steps to set up the network, in order.
    pub network_steps: Vec<String>,
    /// APN settings.
    pub apn: ApnSettings,
    /// Whether data roaming must be on.
    pub is_roaming: Option<bool>,
}

/// Installation instructions for an eSIM.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Instructions {
    /// The language of the texts.
    pub language: Option<String>,
    /// For iOS devices.
    pub ios: Vec<InstallationSteps>,
    /// For Android devices.
    pub android: Vec<InstallationSteps>,
}

/// Remaining and total amounts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Remaining {
    /// What is left.
    pub remaining: i64,
    /// What the package(s) gave.
    pub total: i64,
}

/// An eSIM's usage.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Usage {
    /// The status.
    pub status: EsimStatus,
    /// Data in megabytes; `None` for unlimited plans (whose numbers are meaningless).
    pub data_mb: Option<Remaining>,
    /// Whether the plan is unlimited.
    pub is_unlimited: bool,
    /// Voice minutes.
    pub voice_minutes: Remaining,
    /// SMS.
    pub sms: Remaining,
    /// When the package expires.
    pub expires_at: Option<Timestamp>,
}

impl Usage {
    /// Megabytes left, `None` for unlimited plans.
    pub fn remaining_mb(&self) -> Option<i64> {
        self.data_mb.map(|d| d.remaining)
    }
}

/// A package an eSIM had: the original one or a top-up.
#[derive(Clone, Debug, PartialEq)]
pub struct PackageHistoryEntry {
    /// The entry's id.
    pub id: Option<i64>,
    /// Its status.
    pub status: EsimStatus,
    /// Megabytes left.
    pub remaining_mb: Option<i64>,
    /// When it was activated.
    pub activated_at: Option<Timestamp>,
    /// When it expires or expired.
    pub expires_at: Option<Timestamp>,
    /// When it was used up.
    pub finished_at: Option<Timestamp>,
    /// The package.
    pub package: Option<Package>,
}

/// A phone number that can be claimed (provisional).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AvailableNumber {
    /// The number, E.164.
    pub number: String,
    /// Its country code.
    pub country: Option<String>,
}

/// A voice subscription (provisional).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Subscription {
    /// The plan's name.
    pub plan: Option<String>,
    /// Its status.
    pub status: Option<SubscriptionStatus>,
    /// Whether it is a free trial.
    pub is_trial: Option<bool>,
    /// When it started.
    pub start_date: Option<Timestamp>,
    /// When it ends.
    pub end_date: Option<Timestamp>,
}

/// A user who signed up to PressOne voice through the partner (provisional).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VoiceUser {
    /// The user's id.
    pub id: Option<String>,
    /// E-mail used when claiming the number.
    pub email: Option<String>,
    /// Mobile number.
    pub mobile: Option<String>,
    /// First name.
    pub first_name: Option<String>,
    /// Last name.
    pub last_name: Option<String>,
    /// The claimed number.
    pub number: Option<String>,
    /// When the user joined.
    pub date_joined: Option<Timestamp>,
    /// The current subscription.
    pub subscription: Option<Subscription>,
}

/// One page of a list.
#[derive(Clone, Debug, PartialEq)]
pub struct Page<T> {
    /// The items.
    pub items: Vec<T>,
    /// This page's number (1-based).
    pub page: u32,
    /// The last page's number, when the server says.
    pub last_page: Option<u32>,
    /// The total number of items, when the server says.
    pub total: Option<u64>,
    /// Whether another page follows.
    pub has_more: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn prices_merge_both_lists_by_currency() {
        let prices = Prices::new(
            [("USD".into(), d("1.8")), ("EUR".into(), d("1.55"))],
            [("GBP".into(), d("3")), ("USD".into(), d("4"))],
        );
        let all: Vec<_> = prices.iter().collect();
        assert_eq!(
            all,
            [
                Price {
                    currency: "EUR",
                    net: Some(d("1.55")),
                    retail: None
                },
                Price {
                    currency: "GBP",
                    net: None,
                    retail: Some(d("3"))
                },
                Price {
                    currency: "USD",
                    net: Some(d("1.8")),
                    retail: Some(d("4"))
                },
            ]
        );
        assert_eq!(
            prices.currencies().collect::<Vec<_>>(),
            ["EUR", "GBP", "USD"]
        );
        assert_eq!(prices.get("JPY"), None);
        // The code comes from the prices, so the argument may be a temporary.
        let gbp = prices.get(&String::from("GBP")).unwrap();
        assert_eq!(
            gbp,
            Price {
                currency: "GBP",
                net: None,
                retail: Some(d("3"))
            }
        );
        assert_eq!(prices.net_prices().len(), 2);
        assert!(!prices.is_empty());
        assert!(Prices::default().is_empty());
        assert_eq!(Prices::default().iter().count(), 0);
    }

    #[test]
    fn a_repeated_currency_keeps_the_last_amount() {
        let prices = Prices::new(
            [
                ("USD".into(), d("1")),
                ("EUR".into(), d("2")),
                ("USD".into(), d("3")),
            ],
            [],
        );
        assert_eq!(prices.net("USD"), Some(d("3")));
        assert_eq!(prices.net_prices().len(), 2);
    }
}
