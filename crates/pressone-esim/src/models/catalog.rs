//! The account and the catalogue: balances, devices, packages, operators, catalogue entries.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::serde_money::{money, money_opt, networks};
use super::{ApnByOs, ApnType, DeviceOs, OperatorKind, PackageKind, PlanType, Prices};

/// One of the partner's account balances.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Balance {
    /// The account's name.
    pub name: Option<String>,
    /// The available amount.
    #[serde(with = "money")]
    pub amount: Decimal,
    /// Its currency (ISO 4217, `USD` in practice).
    pub currency: Option<String>,
}

impl Balance {
    /// A balance (for tests and caches: the SDK builds them from the API's answers).
    pub fn new(
        name: Option<String>,
        amount: rust_decimal::Decimal,
        currency: Option<String>,
    ) -> Self {
        Balance {
            name,
            amount,
            currency,
        }
    }
}

/// A device that supports eSIMs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
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

/// How much data a package or eSIM has.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
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
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
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
    #[serde(with = "money_opt")]
    pub price: Option<Decimal>,
    /// What the partner pays in USD (absent under discount pricing).
    #[serde(with = "money_opt")]
    pub net_price: Option<Decimal>,
    /// Prices in other currencies.
    pub prices: Prices,
    /// A short notice, e.g. "This eSIM doesn't come with a phone number."
    pub short_info: Option<String>,
    /// The fair-usage policy of an unlimited plan, when it has one.
    pub fair_usage_policy: Option<String>,
    /// Whether the unlimited plan is subject to throttling under a fair-usage policy
    /// (catalogue packages; `None` when not sent, and on top-up and history packages).
    pub is_fair_usage_policy: Option<bool>,
    /// QR installation instructions (HTML) of a catalogue package; `None` when not sent.
    pub qr_installation_html: Option<String>,
    /// Manual installation instructions (HTML) of a catalogue package; `None` when not sent.
    pub manual_installation_html: Option<String>,
}

/// An image hosted by the vendor (flags, operator logos).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Image {
    /// Its URL.
    pub url: String,
    /// Width in pixels, when sent.
    pub width: Option<i64>,
    /// Height in pixels, when sent.
    pub height: Option<i64>,
}

/// A country an operator covers, as the catalogue describes it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct OperatorCountry {
    /// ISO 3166-1 alpha-2 code, when sent.
    pub country_code: Option<String>,
    /// The country's name, when sent.
    pub title: Option<String>,
    /// Its flag, when sent.
    pub image: Option<Image>,
}

/// Network coverage in one country.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Coverage {
    /// The country code.
    pub country_code: Option<String>,
    /// The country's name.
    pub name: Option<String>,
    /// Networks and their technologies (`4G`, `5G`).
    #[serde(with = "networks")]
    pub networks: Vec<(String, Vec<String>)>,
}

/// An operator and its packages.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
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
    /// The covered countries with their names and flags, as sent (same order as
    /// [`countries`](Self::countries), also those without a code).
    pub country_details: Vec<OperatorCountry>,
    /// Whether its eSIMs are prepaid; `None` when not sent.
    pub is_prepaid: Option<bool>,
    /// Whether buying needs a KYC (identity) check; `None` when not sent.
    pub is_kyc_verify: Option<bool>,
    /// A warning to show buyers, when sent.
    pub warning: Option<String>,
    /// Further information text, when sent.
    pub other_info: Option<String>,
    /// The operator's image, when sent.
    pub image: Option<Image>,
    /// The vendor's display style hint, when sent.
    pub style: Option<String>,
    /// The vendor's display gradient start colour, when sent.
    pub gradient_start: Option<String>,
    /// The vendor's display gradient end colour, when sent.
    pub gradient_end: Option<String>,
    /// APN settings per operating system, when sent.
    pub apn_by_os: Option<ApnByOs>,
    /// Networks per country.
    pub coverages: Vec<Coverage>,
    /// Informational lines.
    pub info: Vec<String>,
    /// The packages.
    pub packages: Vec<Package>,
}

/// A catalogue entry: a country or region and its operators' packages.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CatalogEntry {
    /// e.g. `united-states`, `europe`, `world`.
    pub slug: String,
    /// The country code; `None` for regional and global entries.
    pub country_code: Option<String>,
    /// e.g. `United States`.
    pub title: String,
    /// A flag or region image.
    pub image_url: Option<String>,
    /// The image with its size, when sent (`image_url` is its URL).
    pub image: Option<Image>,
    /// The lowest package price of the entry per currency (`min_price`); `None` when not
    /// sent.
    pub min_price: Option<Prices>,
    /// The operators.
    pub operators: Vec<Operator>,
}

impl CatalogEntry {
    /// Every package of every operator.
    pub fn packages(&self) -> impl Iterator<Item = &Package> {
        self.operators.iter().flat_map(|o| o.packages.iter())
    }
}
