//! Every conversion from the raw wire types to the domain types, in one place.
//!
//! Raw values are moved, not cloned, so a 5 MB catalogue is converted without copying its
//! strings.

use std::collections::BTreeMap;
use std::time::{Duration, SystemTime};

use chrono::{NaiveDate, NaiveDateTime, TimeZone, Utc};
use rust_decimal::Decimal;

use crate::error::{Error, ErrorKind, Reached, Result};
use crate::models::*;
use crate::raw::types as w;
use crate::token::Token;

/// Parses the vendor's `YYYY-MM-DD HH:MM:SS` (UTC), RFC 3339, or a bare date.
pub(crate) fn timestamp(s: Option<String>) -> Option<Timestamp> {
    let s = s?;
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    // The vendor's own format first, without chrono's format-string parser (which reads the
    // format text on every call and was most of a usage call's conversion time).
    if let Some(t) = vendor_timestamp(s) {
        return Some(t);
    }
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    for format in [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M:%S%.f",
    ] {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, format) {
            return Some(Utc.from_utc_datetime(&t));
        }
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|t| Utc.from_utc_datetime(&t))
}

/// Exactly `YYYY-MM-DD HH:MM:SS` (all digits, seconds below 60) as UTC; `None` for anything
/// else, which [`timestamp`] then gives to chrono's parsers. Accepts a subset of what
/// `%Y-%m-%d %H:%M:%S` accepts and yields the same instant for it (no RFC 3339 text has this
/// form: it lacks an offset).
fn vendor_timestamp(s: &str) -> Option<Timestamp> {
    let b = s.as_bytes();
    if b.len() != 19 || b[4] != b'-' || b[7] != b'-' || b[10] != b' ' || b[13] != b':' {
        return None;
    }
    if b[16] != b':' {
        return None;
    }
    let num = |range: std::ops::Range<usize>| -> Option<u32> {
        b[range].iter().try_fold(0u32, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    let year = i32::try_from(num(0..4)?).ok()?;
    let date = NaiveDate::from_ymd_opt(year, num(5..7)?, num(8..10)?)?;
    let time = date.and_hms_opt(num(11..13)?, num(14..16)?, num(17..19)?)?;
    Some(Utc.from_utc_datetime(&time))
}

fn money(m: Option<crate::raw::wire::Money>) -> Option<Decimal> {
    m.map(|m| m.0)
}

fn non_empty(s: Option<String>) -> Option<String> {
    s.filter(|s| !s.trim().is_empty())
}

fn missing(what: &str) -> Error {
    Error::new(
        ErrorKind::Decode {
            excerpt: format!("the response has no {what}"),
        },
        Reached::Yes,
    )
}

pub(crate) fn token(response: w::TokenResponse, obtained_at: SystemTime) -> Result<Token> {
    let data = response.data;
    if data.access_token.trim().is_empty() {
        return Err(
            missing("access token").with_operation(crate::raw::OperationId::RequestAccessToken)
        );
    }
    // A year by default, as the vendor issues them; the max-age policy refreshes sooner.
    let lifetime = data
        .expires_in
        .filter(|s| *s > 0)
        .map_or(Duration::from_secs(366 * 86_400), |s| {
            Duration::from_secs(s as u64)
        });
    let expires_at = obtained_at.checked_add(lifetime).unwrap_or(obtained_at);
    Ok(Token::new(data.access_token, obtained_at, expires_at))
}

pub(crate) fn balances(response: w::BalanceResponse) -> Vec<Balance> {
    let list = match response.data.balances {
        Some(w::Balances::Array(list)) => list,
        Some(w::Balances::Balance(one)) => vec![one],
        None => Vec::new(),
    };
    list.into_iter()
        .filter_map(|b| {
            let available = b.available_balance?;
            Some(Balance {
                name: non_empty(b.name),
                amount: money(available.amount).unwrap_or_default(),
                currency: non_empty(available.currency),
            })
        })
        .collect()
}

pub(crate) fn device(d: w::Device) -> Device {
    Device {
        os: DeviceOs::from(d.os.as_deref().unwrap_or_default()),
        brand: d.brand.unwrap_or_default(),
        name: d.name.unwrap_or_default(),
        model: non_empty(d.model),
    }
}

fn prices(p: Option<w::Prices>) -> Prices {
    let Some(p) = p else {
        return Prices::default();
    };
    // The raw maps are sorted by code without repeats already. `Money` is a `Decimal` newtype,
    // so each list is converted in place: no allocation, no copy of the codes.
    let list = |m: Option<crate::raw::wire::PriceMap>| -> Vec<(String, Decimal)> {
        m.unwrap_or_default()
            .into_iter()
            .map(|(code, amount)| (code, amount.0))
            .collect()
    };
    Prices::from_sorted(list(p.net_price), list(p.recommended_retail_price))
}

fn allowance(
    is_unlimited: Option<bool>,
    amount: Option<i64>,
    label: Option<&str>,
) -> DataAllowance {
    let unlimited =
        is_unlimited.unwrap_or(false) || label.is_some_and(|l| l.eq_ignore_ascii_case("unlimited"));
    if unlimited {
        DataAllowance::Unlimited
    } else {
        DataAllowance::Limited {
            mb: amount.unwrap_or(0),
        }
    }
}

pub(crate) fn package(p: w::Package) -> Package {
    Package {
        data: allowance(p.is_unlimited, p.amount, p.data.as_deref()),
        id: p.id.unwrap_or_default(),
        kind: PackageKind::from(p.type_.as_deref().unwrap_or("sim")),
        title: p.title.unwrap_or_default(),
        data_label: p.data.unwrap_or_default(),
        validity_days: p.day.unwrap_or(0),
        voice_minutes: p.voice,
        sms: p.text,
        price: money(p.price),
        net_price: money(p.net_price),
        prices: prices(p.prices),
        short_info: non_empty(p.short_info),
        fair_usage_policy: non_empty(p.fair_usage_policy),
    }
}

pub(crate) fn topup(p: w::Topup) -> Package {
    Package {
        data: allowance(p.is_unlimited, p.amount, p.data.as_deref()),
        id: p.id.unwrap_or_default(),
        kind: PackageKind::from(p.type_.as_deref().unwrap_or("topup")),
        title: p.title.unwrap_or_default(),
        data_label: p.data.unwrap_or_default(),
        validity_days: p.day.unwrap_or(0),
        voice_minutes: p.voice,
        sms: p.text,
        price: money(p.price),
        net_price: money(p.net_price),
        prices: prices(p.prices),
        short_info: non_empty(p.short_info),
        fair_usage_policy: None,
    }
}

fn history_package(p: w::HistoryPackage) -> Package {
    Package {
        data: allowance(p.is_unlimited, p.amount, p.data.as_deref()),
        id: p.id.unwrap_or_default(),
        kind: PackageKind::from(p.type_.as_deref().unwrap_or("sim")),
        title: p.title.unwrap_or_default(),
        data_label: p.data.unwrap_or_default(),
        validity_days: p.day.unwrap_or(0),
        voice_minutes: None,
        sms: None,
        price: money(p.price),
        net_price: money(p.net_price),
        prices: Prices::default(),
        short_info: non_empty(p.short_info),
        fair_usage_policy: None,
    }
}

fn apn_type(s: Option<String>) -> Option<ApnType> {
    non_empty(s).map(|s| ApnType::from(s.as_str()))
}

fn operator(o: w::Operator) -> Operator {
    Operator {
        id: o.id,
        title: o.title.unwrap_or_default(),
        kind: OperatorKind::from(o.type_.as_deref().unwrap_or_default()),
        plan_type: PlanType::from(o.plan_type.as_deref().unwrap_or("data")),
        is_roaming: o.is_roaming.unwrap_or(false),
        rechargeable: o.rechargeability.unwrap_or(false),
        esim_type: non_empty(o.esim_type),
        apn_type: apn_type(o.apn_type),
        apn_value: non_empty(o.apn_value),
        activation_policy: non_empty(o.activation_policy),
        install_window_days: o.install_window_days,
        topup_grace_window_days: o.topup_grace_window_days,
        countries: o
            .countries
            .unwrap_or_default()
            .into_iter()
            .filter_map(|c| non_empty(c.country_code))
            .collect(),
        coverages: o
            .coverages
            .unwrap_or_default()
            .into_iter()
            .map(|c| Coverage {
                country_code: non_empty(c.code),
                name: non_empty(c.name),
                networks: c
                    .networks
                    .into_iter()
                    .map(|n| (n.name.unwrap_or_default(), n.types))
                    .collect(),
            })
            .collect(),
        info: o.info.unwrap_or_default(),
        packages: o.packages.into_iter().map(package).collect(),
    }
}

fn catalog_entry(c: w::Country) -> CatalogEntry {
    CatalogEntry {
        slug: c.slug.unwrap_or_default(),
        country_code: non_empty(c.country_code),
        title: c.title.unwrap_or_default(),
        image_url: c.image.and_then(|i| non_empty(i.url)),
        operators: c.operators.into_iter().map(operator).collect(),
    }
}

/// Catalogue entries of one page, in order: page 1 sends an array, later pages an object
/// keyed by the entries' positions (`"0"`, `"1"`, … `"10"`), which are sorted numerically.
pub(crate) fn catalog(list: crate::raw::wire::PackageCountryList) -> Vec<CatalogEntry> {
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

/// An eSIM as an order lists it (no recycling state, no order).
fn order_sim(s: w::Sim) -> Esim {
    Esim {
        id: s.id,
        iccid: s.iccid.unwrap_or_default(),
        created_at: timestamp(s.created_at),
        smdp_address: non_empty(s.lpa),
        matching_id: non_empty(s.matching_id),
        lpa: non_empty(s.qrcode),
        qrcode_url: non_empty(s.qrcode_url),
        apple_install_url: non_empty(s.direct_apple_installation_url),
        confirmation_code: non_empty(s.confirmation_code),
        apn: ApnSettings {
            apn_type: apn_type(s.apn_type),
            apn_value: non_empty(s.apn_value),
        },
        is_roaming: s.is_roaming,
        msisdn: non_empty(s.msisdn),
        recycled: false,
        recycled_at: None,
        brand_settings_name: None,
        order: None,
    }
}

pub(crate) fn esim(e: w::Esim) -> Esim {
    Esim {
        id: e.id,
        iccid: e.iccid.unwrap_or_default(),
        created_at: timestamp(e.created_at),
        smdp_address: non_empty(e.lpa),
        matching_id: non_empty(e.matching_id),
        lpa: non_empty(e.qrcode),
        qrcode_url: non_empty(e.qrcode_url),
        apple_install_url: non_empty(e.direct_apple_installation_url),
        confirmation_code: non_empty(e.confirmation_code),
        apn: ApnSettings {
            apn_type: apn_type(e.apn_type),
            apn_value: non_empty(e.apn_value),
        },
        is_roaming: e.is_roaming,
        msisdn: non_empty(e.msisdn),
        recycled: e.recycled.unwrap_or(false),
        recycled_at: timestamp(e.recycled_at),
        brand_settings_name: non_empty(e.brand_settings_name),
        order: e.simable.map(|o| Box::new(order(o))),
    }
}

pub(crate) fn order(o: w::Order) -> Order {
    let discount = if o.discount_amount.is_some()
        || o.unit_paid_price.is_some()
        || o.total_amount_paid.is_some()
    {
        Some(DiscountPricing {
            discount_percentage: o.discount_percentage,
            discount_amount: money(o.discount_amount),
            unit_paid_price: money(o.unit_paid_price),
            total_amount_paid: money(o.total_amount_paid),
        })
    } else {
        None
    };
    let brand = non_empty(o.brand_settings_name);
    Order {
        id: o.id.unwrap_or_default(),
        code: non_empty(o.code),
        kind: PackageKind::from(o.type_.as_deref().unwrap_or("sim")),
        package_id: o.package_id.unwrap_or_default(),
        package_name: non_empty(o.package),
        quantity: o.quantity.map_or(1, |q| q.0),
        description: non_empty(o.description),
        esim_type: non_empty(o.esim_type),
        validity_days: o.validity.map(|v| v.0),
        data_label: non_empty(o.data),
        voice_minutes: o.voice,
        sms: o.text,
        price: money(o.price),
        net_price: money(o.net_price),
        currency: non_empty(o.currency),
        pricing_model: non_empty(o.pricing_model).map(|m| PricingModel::from(m.as_str())),
        discount,
        status: o
            .status
            .and_then(|s| non_empty(s.slug).or(non_empty(s.name)))
            .map(|s| OrderStatus::from(s.as_str())),
        created_at: timestamp(o.created_at),
        esims: o
            .sims
            .into_iter()
            .map(|s| {
                let mut e = order_sim(s);
                e.brand_settings_name = brand.clone();
                e
            })
            .collect(),
        manual_installation_html: non_empty(o.manual_installation),
        qr_installation_html: non_empty(o.qrcode_installation),
        installation_guides: o.installation_guides.map(|g| g.0).unwrap_or_default(),
        brand_settings_name: brand,
    }
}

fn steps(map: BTreeMap<String, String>) -> Vec<String> {
    let mut keyed: Vec<(u64, String, String)> = map
        .into_iter()
        .map(|(k, v)| (k.trim().parse().unwrap_or(u64::MAX), k, v))
        .collect();
    keyed.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(&b.1)));
    keyed.into_iter().map(|(_, _, v)| v).collect()
}

fn installation_steps(d: w::InstructionsDevice) -> InstallationSteps {
    let qr = d.installation_via_qr_code.unwrap_or_default();
    let manual = d.installation_manual.unwrap_or_default();
    let network = d.network_setup.unwrap_or_default();
    InstallationSteps {
        model: non_empty(d.model),
        version: non_empty(d.version),
        qr_steps: steps(qr.steps),
        qr_code_data: non_empty(qr.qr_code_data),
        qr_code_url: non_empty(qr.qr_code_url),
        apple_install_url: non_empty(qr.direct_apple_installation_url),
        manual_steps: steps(manual.steps),
        smdp_address_and_activation_code: non_empty(manual.smdp_address_and_activation_code),
        network_steps: steps(network.steps),
        apn: ApnSettings {
            apn_type: apn_type(network.apn_type),
            apn_value: non_empty(network.apn_value),
        },
        is_roaming: network.is_roaming,
    }
}

pub(crate) fn instructions(r: w::InstructionsResponse) -> Instructions {
    let Some(i) = r.data.instructions else {
        return Instructions::default();
    };
    Instructions {
        language: non_empty(i.language),
        ios: i.ios.into_iter().map(installation_steps).collect(),
        android: i.android.into_iter().map(installation_steps).collect(),
    }
}

pub(crate) fn usage(u: w::Usage) -> Usage {
    let is_unlimited = u.is_unlimited.unwrap_or(false);
    Usage {
        status: EsimStatus::from(u.status.as_deref().unwrap_or("UNKNOWN")),
        data_mb: (!is_unlimited).then(|| Remaining {
            remaining: u.remaining.unwrap_or(0),
            total: u.total.unwrap_or(0),
        }),
        is_unlimited,
        voice_minutes: Remaining {
            remaining: u.remaining_voice.unwrap_or(0),
            total: u.total_voice.unwrap_or(0),
        },
        sms: Remaining {
            remaining: u.remaining_text.unwrap_or(0),
            total: u.total_text.unwrap_or(0),
        },
        expires_at: timestamp(u.expired_at),
    }
}

pub(crate) fn history_entry(h: w::PackageHistoryEntry) -> PackageHistoryEntry {
    PackageHistoryEntry {
        id: h.id,
        status: EsimStatus::from(h.status.as_deref().unwrap_or("UNKNOWN")),
        remaining_mb: h.remaining,
        activated_at: timestamp(h.activated_at),
        expires_at: timestamp(h.expired_at),
        finished_at: timestamp(h.finished_at),
        package: h.package.map(history_package),
    }
}

pub(crate) fn available_number(n: w::AvailableNumber) -> Option<AvailableNumber> {
    Some(AvailableNumber {
        number: non_empty(n.number)?,
        country: non_empty(n.country),
    })
}

fn json_text(v: Option<serde_json::Value>) -> Option<String> {
    match v? {
        serde_json::Value::String(s) => non_empty(Some(s)),
        serde_json::Value::Number(n) => Some(n.to_string()),
        serde_json::Value::Object(o) => o.get("name").and_then(|n| n.as_str()).map(str::to_string),
        _ => None,
    }
}

pub(crate) fn voice_user(u: w::VoiceUser) -> VoiceUser {
    VoiceUser {
        id: json_text(u.id),
        email: non_empty(u.email),
        mobile: non_empty(u.mobile),
        first_name: non_empty(u.first_name),
        last_name: non_empty(u.last_name),
        number: non_empty(u.number),
        date_joined: timestamp(u.date_joined),
        subscription: u.subscription.map(|s| Subscription {
            plan: json_text(s.plan),
            status: non_empty(s.status).map(|s| SubscriptionStatus::from(s.as_str())),
            is_trial: s.is_trial,
            start_date: timestamp(s.start_date),
            end_date: timestamp(s.end_date),
        }),
    }
}

/// Page bookkeeping from Laravel's `links`/`meta`.
pub(crate) fn laravel_page<T>(
    items: Vec<T>,
    requested: u32,
    links: Option<w::Links>,
    meta: Option<w::PageMeta>,
) -> Page<T> {
    let current = meta
        .as_ref()
        .and_then(|m| m.current_page)
        .and_then(|p| u32::try_from(p).ok())
        .unwrap_or(requested);
    let last_page = meta
        .as_ref()
        .and_then(|m| m.last_page)
        .and_then(|p| u32::try_from(p).ok());
    let total = meta
        .as_ref()
        .and_then(|m| m.total)
        .and_then(|t| u64::try_from(t).ok());
    let next_link = links
        .as_ref()
        .and_then(|l| l.next.as_deref())
        .is_some_and(|n| !n.trim().is_empty());
    let has_more = !items.is_empty()
        && match last_page {
            Some(last) => current < last,
            None => next_link,
        };
    Page {
        items,
        page: current,
        last_page,
        total,
        has_more,
    }
}

/// Page bookkeeping from Django REST Framework's `{count, next, previous}`.
pub(crate) fn drf_page<T>(
    items: Vec<T>,
    requested: u32,
    count: Option<i64>,
    next: Option<String>,
) -> Page<T> {
    let has_more = !items.is_empty() && next.is_some_and(|n| !n.trim().is_empty());
    Page {
        items,
        page: requested,
        last_page: None,
        total: count.and_then(|c| u64::try_from(c).ok()),
        has_more,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_in_every_vendor_format() {
        let t = timestamp(Some("2023-02-27 14:09:55".into())).unwrap();
        assert_eq!(t.to_rfc3339(), "2023-02-27T14:09:55+00:00");
        let t = timestamp(Some("2023-01-09T10:30:45+02:00".into())).unwrap();
        assert_eq!(t.to_rfc3339(), "2023-01-09T08:30:45+00:00");
        assert!(timestamp(Some("2024-06-01".into())).is_some());
        assert!(timestamp(Some("".into())).is_none());
        assert!(timestamp(Some("yesterday".into())).is_none());
    }

    #[test]
    fn the_fast_vendor_parser_agrees_with_chrono() {
        let chrono_parse = |s: &str| {
            NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S")
                .ok()
                .map(|t| Utc.from_utc_datetime(&t))
        };
        for s in [
            "2023-02-27 14:09:55",
            "0000-01-01 00:00:00",
            "2024-02-29 23:59:59",
            "2023-02-29 10:00:00",
            "2023-13-01 10:00:00",
            "2023-01-01 24:00:00",
            "2023-01-01 23:59:60",
            "2023-01-01 23:5a:00",
            "2023-01-01T23:59:00",
            "2023-1-01 23:59:00",
            "+2023-01-01 23:59:0",
        ] {
            if let Some(fast) = vendor_timestamp(s) {
                assert_eq!(Some(fast), chrono_parse(s), "{s}");
            }
            // The public entry point answers as chrono alone did, fast path or not.
            let expected = chrono_parse(s).or_else(|| {
                NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S")
                    .ok()
                    .map(|t| Utc.from_utc_datetime(&t))
            });
            assert_eq!(timestamp(Some(s.to_string())), expected, "{s}");
        }
        assert!(vendor_timestamp("2023-02-27 14:09:55").is_some());
        assert!(vendor_timestamp("2023-01-01 23:59:60").is_none());
        assert!(timestamp(Some("2023-01-01 23:59:60".into())).is_some());
    }

    #[test]
    fn index_keyed_pages_keep_numeric_order() {
        let mut map = BTreeMap::new();
        for i in [10, 2, 11, 3] {
            map.insert(
                i.to_string(),
                w::Country {
                    slug: Some(format!("c{i}")),
                    ..Default::default()
                },
            );
        }
        let slugs: Vec<_> = catalog(crate::raw::wire::PackageCountryList::Object(map))
            .into_iter()
            .map(|c| c.slug)
            .collect();
        assert_eq!(slugs, ["c2", "c3", "c10", "c11"]);
    }

    #[test]
    fn unlimited_usage_hides_meaningless_zeros() {
        let u = usage(w::Usage {
            is_unlimited: Some(true),
            remaining: Some(0),
            total: Some(0),
            status: Some("ACTIVE".into()),
            ..Default::default()
        });
        assert_eq!(u.data_mb, None);
        assert_eq!(u.status, EsimStatus::Active);
        let u = usage(w::Usage {
            status: Some("SOMETHING_NEW".into()),
            remaining: Some(10),
            total: Some(20),
            ..Default::default()
        });
        assert_eq!(u.status, EsimStatus::Other("SOMETHING_NEW".into()));
        assert_eq!(u.remaining_mb(), Some(10));
    }
}
