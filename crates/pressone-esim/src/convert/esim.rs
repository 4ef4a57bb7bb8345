//! Order and eSIM conversions: orders, eSIMs, usage, package history, installation steps.

use std::collections::BTreeMap;

use super::catalog::{apn_type, history_package};
use super::time::timestamp;
use super::{money, non_empty, required, text};
use crate::error::Result;
use crate::models::*;
use crate::raw::types as w;

/// An eSIM as an order lists it (no recycling state, no order).
fn order_sim(s: w::Sim, brand: Option<String>, sharing: Option<SharingPage>) -> Result<Esim> {
    let iccid = required(text(&s.iccid), "ICCID", &s)?.to_owned();
    Ok(Esim {
        id: s.id,
        iccid,
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
        apn_by_os: s.apn.map(apn_by_os),
        is_roaming: s.is_roaming,
        sharing,
        voucher_code: non_empty(s.voucher_code),
        airalo_code: non_empty(s.airalo_code),
        imsis: s.imsis.filter(|v| !v.is_null()),
        msisdn: non_empty(s.msisdn),
        recycled: false,
        recycled_at: None,
        brand_settings_name: brand,
        order: None,
    })
}

pub(crate) fn esim(e: w::Esim) -> Result<Esim> {
    let iccid = required(text(&e.iccid), "ICCID", &e)?.to_owned();
    let order = match e.simable {
        Some(o) => Some(Box::new(order(o)?)),
        None => None,
    };
    let sharing = order.as_ref().and_then(|o| o.sharing.clone());
    Ok(Esim {
        id: e.id,
        iccid,
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
        apn_by_os: e.apn.map(apn_by_os),
        is_roaming: e.is_roaming,
        sharing,
        voucher_code: non_empty(e.voucher_code),
        airalo_code: non_empty(e.airalo_code),
        imsis: e.imsis.filter(|v| !v.is_null()),
        msisdn: non_empty(e.msisdn),
        // Only recycled eSIMs carry the flag (api.md §5.6: `recycled` appears with
        // `recycled_at`); an eSIM that does not say is one that was not recycled.
        recycled: e.recycled.unwrap_or(false),
        recycled_at: timestamp(e.recycled_at),
        brand_settings_name: non_empty(e.brand_settings_name),
        order,
    })
}

pub(crate) fn order(o: w::Order) -> Result<Order> {
    let id = required(o.id, "order id", &o)?;
    let quantity = required(o.quantity.map(|q| q.0), "order quantity", &o)?;
    let package_id = required(text(&o.package_id), "order package_id", &o)?.to_owned();
    let kind = PackageKind::from(required(text(&o.type_), "order type", &o)?);
    let price = required(money(o.price), "order price", &o)?;
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
    let sharing = o.sharing.and_then(sharing_page);
    Ok(Order {
        id,
        code: non_empty(o.code),
        kind,
        package_id,
        package_name: non_empty(o.package),
        quantity,
        description: non_empty(o.description),
        esim_type: non_empty(o.esim_type),
        validity_days: o.validity.map(|v| v.0),
        data_label: non_empty(o.data),
        voice_minutes: o.voice,
        sms: o.text,
        price: Some(price),
        net_price: money(o.net_price),
        currency: non_empty(o.currency),
        pricing_model: non_empty(o.pricing_model).map(|m| PricingModel::from(m.as_str())),
        discount,
        // Only order lists and Get order carry a status (api.md §5.11); absent stays absent.
        status: o
            .status
            .and_then(|s| non_empty(s.slug).or(non_empty(s.name)))
            .map(|s| OrderStatus::from(s.as_str())),
        created_at: timestamp(o.created_at),
        esims: o
            .sims
            .into_iter()
            .map(|s| order_sim(s, brand.clone(), sharing.clone()))
            .collect::<Result<_>>()?,
        manual_installation_html: non_empty(o.manual_installation),
        qr_installation_html: non_empty(o.qrcode_installation),
        installation_guides: o.installation_guides.map(|g| g.0).unwrap_or_default(),
        brand_settings_name: brand,
        sharing,
        user: o.user.map(order_user),
    })
}

/// The sharing page; a `sharing` object without a link is no page.
fn sharing_page(s: w::Sharing) -> Option<SharingPage> {
    Some(SharingPage {
        link: non_empty(s.link)?,
        access_code: non_empty(s.access_code),
    })
}

fn order_user(u: w::OrderUser) -> OrderUser {
    OrderUser {
        id: u.id,
        name: non_empty(u.name),
        email: non_empty(u.email),
        mobile: non_empty(u.mobile),
        company: non_empty(u.company),
        address: non_empty(u.address),
        city: non_empty(u.city),
        state: non_empty(u.state),
        postal_code: non_empty(u.postal_code),
        created_at: timestamp(u.created_at),
    }
}

pub(super) fn apn_settings(a: w::Apn) -> ApnSettings {
    ApnSettings {
        apn_type: apn_type(a.apn_type),
        apn_value: non_empty(a.apn_value),
    }
}

pub(super) fn apn_by_os(a: w::ApnPair) -> ApnByOs {
    ApnByOs {
        ios: a.ios.map(apn_settings),
        android: a.android.map(apn_settings),
    }
}

pub(super) fn steps(map: BTreeMap<String, String>) -> Vec<String> {
    let mut keyed: Vec<(u64, String, String)> = map
        .into_iter()
        .map(|(k, v)| (k.trim().parse().unwrap_or(u64::MAX), k, v))
        .collect();
    keyed.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(&b.1)));
    keyed.into_iter().map(|(_, _, v)| v).collect()
}

fn installation_steps(d: w::InstructionsDevice) -> InstallationSteps {
    // A section the response leaves out has no steps: empty lists, nothing made up.
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

pub(crate) fn instructions(r: w::InstructionsResponse) -> Result<Instructions> {
    let i = match r.data.instructions {
        Some(i) => i,
        None => return Err(super::missing("instructions", &r)),
    };
    Ok(Instructions {
        language: non_empty(i.language),
        ios: i.ios.into_iter().map(installation_steps).collect(),
        android: i.android.into_iter().map(installation_steps).collect(),
    })
}

pub(crate) fn history_entry(h: w::PackageHistoryEntry) -> Result<PackageHistoryEntry> {
    let status = EsimStatus::from(required(text(&h.status), "package history status", &h)?);
    Ok(PackageHistoryEntry {
        id: h.id,
        status,
        remaining_mb: h.remaining,
        activated_at: timestamp(h.activated_at),
        expires_at: timestamp(h.expired_at),
        finished_at: timestamp(h.finished_at),
        package: h.package.map(history_package).transpose()?,
    })
}
