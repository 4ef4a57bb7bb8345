//! eSIMs and orders: installation data, orders, instructions, usage, package history.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::serde_money::money_opt;
use super::{ApnType, EsimStatus, OrderStatus, Package, PackageKind, PricingModel, Timestamp};

/// APN settings per platform.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ApnSettings {
    /// How the APN is set.
    pub apn_type: Option<ApnType>,
    /// The APN value when it must be entered.
    pub apn_value: Option<String>,
}

/// APN settings given per operating system (`apn {ios, android}` on the wire); sent for
/// voice and data packages, where the two platforms may differ.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ApnByOs {
    /// The settings on iOS, when sent.
    pub ios: Option<ApnSettings>,
    /// The settings on Android, when sent.
    pub android: Option<ApnSettings>,
}

/// The eSIMs Cloud sharing page of an order: one of the documented installation methods
/// (the end user opens the link and enters the access code). Sent when the order was shared
/// (`sharing` on the wire; with Get eSIM under `simable.sharing`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SharingPage {
    /// The page's address, e.g. `https://esims.cloud/<brand>/<id>`.
    pub link: String,
    /// The code that opens the page; `None` when the server did not send one.
    pub access_code: Option<String>,
}

/// The partner's user who placed an order (`user` on the wire; Get eSIM, eSIM and order
/// lists). Every field is `None` when the server sent `null`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct OrderUser {
    /// The user's id.
    pub id: Option<i64>,
    /// Their name.
    pub name: Option<String>,
    /// Their e-mail address.
    pub email: Option<String>,
    /// Their mobile number.
    pub mobile: Option<String>,
    /// Their company.
    pub company: Option<String>,
    /// Street address.
    pub address: Option<String>,
    /// City.
    pub city: Option<String>,
    /// State or region.
    pub state: Option<String>,
    /// Postal code.
    pub postal_code: Option<String>,
    /// When the user was created.
    pub created_at: Option<Timestamp>,
}

/// An eSIM: how to install it and what it belongs to.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Esim {
    /// The eSIM's internal id.
    pub id: Option<i64>,
    /// The ICCID: the eSIM's identifier for every later call.
    pub iccid: String,
    /// When it was created.
    pub created_at: Option<Timestamp>,
    /// The SM-DP+ address (`lpa` on the wire).
    pub smdp_address: Option<String>,
    /// The activation code (matching id) typed with the SM-DP+ address.
    pub matching_id: Option<String>,
    /// The LPA string, `LPA:1$<SM-DP+ address>$<activation code>`, what the QR code holds
    /// (`qrcode` on the wire).
    pub lpa: Option<String>,
    /// A hosted QR image (a signed link that expires).
    pub qrcode_url: Option<String>,
    /// The one-tap installation link for iOS 17.4 and later.
    pub apple_install_url: Option<String>,
    /// A confirmation code, for the rare plans that need one.
    pub confirmation_code: Option<String>,
    /// APN settings.
    pub apn: ApnSettings,
    /// APN settings per operating system, when the server sends them (voice and data
    /// packages); `None` otherwise.
    pub apn_by_os: Option<ApnByOs>,
    /// Whether data roaming must be on.
    pub is_roaming: Option<bool>,
    /// The eSIMs Cloud sharing page of its order, when the order was shared: an installation
    /// method of its own (see [`Esim::install_links`]).
    pub sharing: Option<SharingPage>,
    /// The voucher code the eSIM was bought with; `None` when not bought with a voucher.
    pub voucher_code: Option<String>,
    /// The vendor's own code for the eSIM; `None` when not sent (`null` in every example).
    pub airalo_code: Option<String>,
    /// The IMSIs of the eSIM exactly as sent (the API does not document their shape and
    /// sends `null` in every example); `None` for `null`.
    pub imsis: Option<serde_json::Value>,
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
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct DiscountPricing {
    /// The discount in percent.
    pub discount_percentage: Option<f64>,
    /// The discount amount.
    #[serde(with = "money_opt")]
    pub discount_amount: Option<Decimal>,
    /// What one unit cost.
    #[serde(with = "money_opt")]
    pub unit_paid_price: Option<Decimal>,
    /// What the order cost in all.
    #[serde(with = "money_opt")]
    pub total_amount_paid: Option<Decimal>,
}

/// An order of eSIMs or a top-up.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
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
    #[serde(with = "money_opt")]
    pub price: Option<Decimal>,
    /// What the partner paid per unit under net pricing.
    #[serde(with = "money_opt")]
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
    /// The eSIMs Cloud sharing page, when the order was shared.
    pub sharing: Option<SharingPage>,
    /// The partner's user who placed it, when the response includes it (`include=order.user`
    /// on eSIM reads).
    pub user: Option<OrderUser>,
}

/// Installation steps for one kind of device.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct InstallationSteps {
    /// The model these steps are for, if specific.
    pub model: Option<String>,
    /// OS versions, e.g. `14,15,13`.
    pub version: Option<String>,
    /// Steps to install by QR code, in order.
    pub qr_steps: Vec<String>,
    /// The LPA string to encode as QR.
    pub qr_code_data: Option<String>,
    /// A hosted QR image.
    pub qr_code_url: Option<String>,
    /// The one-tap installation link (iOS).
    pub apple_install_url: Option<String>,
    /// Steps to install by hand, in order.
    pub manual_steps: Vec<String>,
    /// What the API calls "the SM-DP+ address and activation code" to type; in practice it
    /// often holds the SM-DP+ address only (the activation code and the LPA string come from
    /// [`qr_code_data`](Self::qr_code_data), see `InstallationSteps::activation_code`).
    pub smdp_address_and_activation_code: Option<String>,
    /// Steps to set up the network, in order.
    pub network_steps: Vec<String>,
    /// APN settings.
    pub apn: ApnSettings,
    /// Whether data roaming must be on.
    pub is_roaming: Option<bool>,
}

/// Installation instructions for an eSIM.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Instructions {
    /// The language of the texts.
    pub language: Option<String>,
    /// For iOS devices.
    pub ios: Vec<InstallationSteps>,
    /// For Android devices.
    pub android: Vec<InstallationSteps>,
}

/// Remaining and total amounts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Remaining {
    /// What is left.
    pub remaining: i64,
    /// What the package(s) gave.
    pub total: i64,
}

/// An eSIM's usage.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
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
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
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
