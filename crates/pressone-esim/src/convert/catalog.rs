//! Catalogue conversions: packages, top-up packages, devices (operators and entries are
//! converted as a page is decoded, in `catalog_page`).

use rust_decimal::Decimal;
use serde::Serialize;

use super::{missing, money, non_empty, required, text};
use crate::error::Result;
use crate::models::*;
use crate::raw::types as w;
use crate::raw::wire::CurrencyCode;

pub(crate) fn device(d: w::Device) -> Result<Device> {
    let os = required(text(&d.os), "device os", &d)?;
    let os = DeviceOs::from(os);
    let brand = required(text(&d.brand), "device brand", &d)?.to_owned();
    let name = required(text(&d.name), "device name", &d)?.to_owned();
    Ok(Device {
        os,
        brand,
        name,
        model: non_empty(d.model),
    })
}

pub(super) fn prices(p: Option<w::Prices>) -> Prices {
    // No `prices` object means no per-currency prices: empty lists, no amount made up.
    let Some(p) = p else {
        return Prices::default();
    };
    // The raw maps are sorted by code without repeats already. `Money` is a `Decimal` newtype,
    // so each list is converted in place: no allocation, no copy of the codes.
    let list = |m: Option<crate::raw::wire::PriceMap>| -> Vec<(CurrencyCode, Decimal)> {
        m.unwrap_or_default()
            .into_iter()
            .map(|(code, amount)| (code, amount.0))
            .collect()
    };
    Prices::from_sorted(list(p.net_price), list(p.recommended_retail_price))
}

/// The fields every kind of package has, borrowed from its raw form; what the response must
/// carry is checked here once for packages, top-ups and history packages.
struct Fields<'a> {
    id: &'a Option<String>,
    kind: &'a Option<String>,
    title: &'a Option<String>,
    data: &'a Option<String>,
    day: Option<i64>,
    amount: Option<i64>,
    is_unlimited: Option<bool>,
    price: Option<crate::raw::wire::Money>,
}

/// The [`Fields`] of a raw package, top-up or history package (same field names in each).
macro_rules! fields {
    ($p:ident) => {
        Fields {
            id: &$p.id,
            kind: &$p.type_,
            title: &$p.title,
            data: &$p.data,
            day: $p.day,
            amount: $p.amount,
            is_unlimited: $p.is_unlimited,
            price: $p.price,
        }
    };
}

/// The [`Extras`] of a raw package or top-up (no fair usage policy; a package adds its own),
/// taken out of it (`$p` is a `&mut` or a `mut` binding).
macro_rules! extras {
    ($p:ident) => {
        Extras {
            voice_minutes: $p.voice,
            sms: $p.text,
            net_price: $p.net_price,
            prices: prices($p.prices.take()),
            short_info: $p.short_info.take(),
            fair_usage_policy: None,
            is_fair_usage_policy: None,
            qr_installation: None,
            manual_installation: None,
        }
    };
}

/// The checked fields of a package beside its texts.
struct Checked {
    kind: PackageKind,
    validity_days: i64,
    data: DataAllowance,
    price: Decimal,
}

/// A package's texts, taken out of its raw form once [`check`] has found them present and not
/// blank (no copy of the strings).
struct Texts {
    id: String,
    title: String,
    data_label: String,
}

/// The [`Texts`] of a raw package, top-up or history package that [`check`] passed, taken
/// out of it (`$p` is a `&mut` or a `mut` binding).
macro_rules! texts {
    ($p:ident) => {
        match ($p.id.take(), $p.title.take(), $p.data.take()) {
            (Some(id), Some(title), Some(data_label)) => Texts {
                id,
                title,
                data_label,
            },
            // Not reached: `check` refused a package without them.
            _ => return Err(missing("package id, title or data", &())),
        }
    };
}

/// What the kinds of packages carry beside the checked fields.
struct Extras {
    voice_minutes: Option<i64>,
    sms: Option<i64>,
    net_price: Option<crate::raw::wire::Money>,
    prices: Prices,
    short_info: Option<String>,
    fair_usage_policy: Option<String>,
    is_fair_usage_policy: Option<bool>,
    qr_installation: Option<String>,
    manual_installation: Option<String>,
}

impl Checked {
    fn package(self, t: Texts, e: Extras) -> Package {
        Package {
            data: self.data,
            id: t.id,
            kind: self.kind,
            title: t.title,
            data_label: t.data_label,
            validity_days: self.validity_days,
            voice_minutes: e.voice_minutes,
            sms: e.sms,
            price: Some(self.price),
            net_price: money(e.net_price),
            prices: e.prices,
            short_info: non_empty(e.short_info),
            fair_usage_policy: non_empty(e.fair_usage_policy),
            is_fair_usage_policy: e.is_fair_usage_policy,
            qr_installation_html: non_empty(e.qr_installation),
            manual_installation_html: non_empty(e.manual_installation),
        }
    }
}

fn check(f: Fields<'_>, raw: &impl Serialize) -> Result<Checked> {
    required(text(f.id), "package id", raw)?;
    let kind = PackageKind::from(required(text(f.kind), "package type", raw)?);
    required(text(f.title), "package title", raw)?;
    let data_label = required(text(f.data), "package data", raw)?;
    let validity_days = required(f.day, "package day", raw)?;
    let price = required(money(f.price), "package price", raw)?;
    // `is_unlimited` may be absent; the `data` label "Unlimited" says so too [A]. A limited
    // package must state its amount: none is made up.
    let unlimited =
        f.is_unlimited == Some(true) || data_label.trim().eq_ignore_ascii_case("unlimited");
    let data = if unlimited {
        DataAllowance::Unlimited
    } else {
        DataAllowance::Limited {
            mb: required(f.amount, "package amount", raw)?,
        }
    };
    Ok(Checked {
        kind,
        validity_days,
        data,
        price,
    })
}

/// A catalogue package, its values taken out of the raw one in place: a raw package is
/// about 350 bytes, and moving each one out of its list into the conversion cost more than
/// the conversion itself.
pub(super) fn package(p: &mut w::Package) -> Result<Package> {
    let c = check(fields!(p), &*p)?;
    Ok(c.package(
        texts!(p),
        Extras {
            fair_usage_policy: p.fair_usage_policy.take(),
            is_fair_usage_policy: p.is_fair_usage_policy,
            qr_installation: p.qr_installation.take(),
            manual_installation: p.manual_installation.take(),
            ..extras!(p)
        },
    ))
}

pub(crate) fn topup(mut p: w::Topup) -> Result<Package> {
    let c = check(fields!(p), &p)?;
    Ok(c.package(texts!(p), extras!(p)))
}

pub(super) fn history_package(mut p: w::HistoryPackage) -> Result<Package> {
    let c = check(fields!(p), &p)?;
    Ok(c.package(
        texts!(p),
        Extras {
            voice_minutes: None,
            sms: None,
            net_price: p.net_price,
            prices: Prices::default(),
            short_info: p.short_info,
            fair_usage_policy: None,
            is_fair_usage_policy: None,
            qr_installation: None,
            manual_installation: None,
        },
    ))
}

/// An image; one without a URL is no image.
pub(super) fn image(i: w::Image) -> Option<Image> {
    Some(Image {
        url: non_empty(i.url)?,
        width: i.width,
        height: i.height,
    })
}

pub(super) fn apn_type(s: Option<String>) -> Option<ApnType> {
    non_empty(s).map(|s| ApnType::from(s.as_str()))
}
