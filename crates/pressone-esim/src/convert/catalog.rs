//! Catalogue conversions: packages, top-up packages, operators, countries, devices.

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

fn prices(p: Option<w::Prices>) -> Prices {
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
fn package(p: &mut w::Package) -> Result<Package> {
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
fn image(i: w::Image) -> Option<Image> {
    Some(Image {
        url: non_empty(i.url)?,
        width: i.width,
        height: i.height,
    })
}

pub(super) fn apn_type(s: Option<String>) -> Option<ApnType> {
    non_empty(s).map(|s| ApnType::from(s.as_str()))
}

fn operator(mut o: w::Operator) -> Result<Operator> {
    let title = required(text(&o.title), "operator title", &o)?.to_owned();
    let kind = OperatorKind::from(required(text(&o.type_), "operator type", &o)?);
    let plan_type = PlanType::from(required(text(&o.plan_type), "operator plan_type", &o)?);
    let mut packages = std::mem::take(&mut o.packages);
    let coverages = o
        .coverages
        .unwrap_or_default()
        .into_iter()
        .map(|c| {
            let networks = c
                .networks
                .into_iter()
                .map(|n| match non_empty(n.name.clone()) {
                    Some(name) => Ok((name, n.types)),
                    None => Err(missing("network name", &n)),
                })
                .collect::<Result<_>>()?;
            Ok(Coverage {
                country_code: non_empty(c.code),
                name: non_empty(c.name),
                networks,
            })
        })
        .collect::<Result<_>>()?;
    let countries = o.countries.unwrap_or_default();
    Ok(Operator {
        id: o.id,
        title,
        kind,
        plan_type,
        // The vendor's own catalogue example omits both flags on some operators (fixture
        // `airalo.get-packages.200.json`, api.md §5.4): absent reads as "not roaming" and
        // "not rechargeable", the meaning the API gives to an operator that does not say.
        is_roaming: o.is_roaming.unwrap_or(false),
        rechargeable: o.rechargeability.unwrap_or(false),
        esim_type: non_empty(o.esim_type),
        apn_type: apn_type(o.apn_type),
        apn_value: non_empty(o.apn_value),
        activation_policy: non_empty(o.activation_policy),
        install_window_days: o.install_window_days,
        topup_grace_window_days: o.topup_grace_window_days,
        countries: countries
            .iter()
            .filter_map(|c| non_empty(c.country_code.clone()))
            .collect(),
        country_details: countries
            .into_iter()
            .map(|c| OperatorCountry {
                country_code: non_empty(c.country_code),
                title: non_empty(c.title),
                image: c.image.and_then(image),
            })
            .collect(),
        is_prepaid: o.is_prepaid,
        is_kyc_verify: o.is_kyc_verify,
        warning: non_empty(o.warning),
        other_info: non_empty(o.other_info),
        image: o.image.and_then(image),
        style: non_empty(o.style),
        gradient_start: non_empty(o.gradient_start),
        gradient_end: non_empty(o.gradient_end),
        apn_by_os: o.apn.map(super::esim::apn_by_os),
        coverages,
        info: o.info.unwrap_or_default(),
        packages: packages.iter_mut().map(package).collect::<Result<_>>()?,
    })
}

fn catalog_entry(c: w::Country) -> Result<CatalogEntry> {
    let slug = required(text(&c.slug), "country slug", &c)?.to_owned();
    let title = required(text(&c.title), "country title", &c)?.to_owned();
    Ok(CatalogEntry {
        slug,
        country_code: non_empty(c.country_code),
        title,
        image_url: c.image.clone().and_then(|i| non_empty(i.url)),
        image: c.image.and_then(image),
        min_price: c.min_price.map(|p| prices(Some(p))),
        operators: c
            .operators
            .into_iter()
            .map(operator)
            .collect::<Result<_>>()?,
    })
}

/// Catalogue entries of one page, in order: page 1 sends an array, later pages an object
/// keyed by the entries' positions (`"0"`, `"1"`, … `"10"`), which are sorted numerically.
pub(crate) fn catalog(list: crate::raw::wire::PackageCountryList) -> Result<Vec<CatalogEntry>> {
    match list {
        crate::raw::wire::PackageCountryList::Array(items) => {
            items.into_iter().map(catalog_entry).collect()
        }
        crate::raw::wire::PackageCountryList::Object(map) => {
            let mut keyed: Vec<(u64, String, w::Country)> = map
                .into_iter()
                .map(|(k, v)| (k.trim().parse().unwrap_or(u64::MAX), k, v))
                .collect();
            keyed.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(&b.1)));
            keyed
                .into_iter()
                .map(|(_, _, v)| catalog_entry(v))
                .collect()
        }
    }
}
