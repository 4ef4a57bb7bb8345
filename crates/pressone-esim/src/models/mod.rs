//! Domain types: what the API means, with the wire's quirks (numbers as strings, `null`s,
//! index-keyed lists, zero allowances on unlimited plans) already resolved.
//!
//! Every conversion from the raw wire types lives in `convert/`.
//!
//! Every documented response field is here, except these, left out on purpose:
//! - the order user's `country_id`: its shape is not documented (id or code) and every
//!   example sends `null`;
//! - an eSIM's `order` key (a raw, undocumented duplicate of `simable`, `null` in every
//!   example): the order is [`Esim::order`], read from `simable`;
//! - the pages' `links`/`meta` details beyond [`Page`]'s numbers (`from`, `to`, `path`,
//!   `per_page`): they only restate the page's position;
//! - `meta.message` of successful answers (`success`, sometimes misspelt): no meaning.
//!
//! Every model serializes (and deserializes back) with serde in one stable shape: snake_case
//! field names as declared here, money as exact strings with at least two decimals (`"9.50"`),
//! times in RFC 3339 (UTC), enums as their wire strings (unknown values as sent), absent values
//! as `null`. Response types are `#[non_exhaustive]`: new fields are not breaking changes.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

mod catalog;
mod esim;
mod prices;
mod serde_money;
mod voice;

pub use catalog::*;
pub use esim::*;
pub use prices::{Price, Prices};
pub use serde_money::money_string;
pub use voice::*;

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

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let value = String::deserialize(d)?;
                Ok(Self::from(value.as_str()))
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

/// One page of a list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
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
    /// The pricing the server sent with the page (package lists; absent in older answers
    /// and on lists without it).
    pub pricing: Option<ListPricing>,
}

/// The pricing model a list answer was priced under (`pricing {model, discount_percentage}`
/// on the wire: package, top-up and package-history lists). Absent in older answers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ListPricing {
    /// The model, e.g. net or discount pricing; `None` when not sent.
    pub model: Option<PricingModel>,
    /// The partner's discount in percent; `None` when not sent.
    pub discount_percentage: Option<f64>,
}

/// A whole (unpaged) list answer with the pricing the server sent with it, from
/// [`ListTopups::listing`](crate::ListTopups::listing) and
/// [`GetPackageHistory::listing`](crate::GetPackageHistory::listing). Reads like a slice of
/// its items.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Listing<T> {
    /// The items.
    pub items: Vec<T>,
    /// The pricing the server sent with them; `None` when it did not (older answers).
    pub pricing: Option<ListPricing>,
}

impl<T> std::ops::Deref for Listing<T> {
    type Target = [T];

    fn deref(&self) -> &[T] {
        &self.items
    }
}

impl<T> IntoIterator for Listing<T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;

    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}
