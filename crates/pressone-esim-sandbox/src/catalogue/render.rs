//! Wire shapes of the catalogue: packages, operators, entries, top-up offers, prices.

use pressone_esim_raw::types;
use rust_decimal::Decimal;
use serde_json::{Map, Value, json};

use super::{Operator, Package, PlanType, convert};
use crate::web::{Ctx, num, opt};

pub(crate) fn pricing_json(ctx: &Ctx<'_>) -> Value {
    json!({
        "model": ctx.config.pricing.model(),
        "discount_percentage": ctx.config.pricing.percentage(),
    })
}

fn currency_map(usd: Decimal) -> Value {
    let mut m = Map::new();
    for (code, v) in convert(usd) {
        m.insert(code.to_string(), num(v));
    }
    Value::Object(m)
}

fn prices_json(ctx: &Ctx<'_>, price: Decimal, net: Decimal) -> Value {
    let mut m = Map::new();
    if !ctx.is_discount() {
        m.insert("net_price".into(), currency_map(net));
    }
    m.insert("recommended_retail_price".into(), currency_map(price));
    Value::Object(m)
}

fn image(ctx: &Ctx<'_>, slug: &str) -> Value {
    json!(types::Image {
        width: Some(132),
        height: Some(99),
        url: Some(format!("{}/_sandbox/images/{}.svg", ctx.base, slug)),
    })
}

fn coverage(ctx: &Ctx<'_>, op: &Operator) -> String {
    ctx.cat.coverage_names(op)
}

pub(crate) fn manual_installation(ctx: &Ctx<'_>, op: &Operator) -> String {
    format!(
        "<p><b>eSIM name:</b> {}</p><p><b>Coverage: </b>{}</p><p><b>To manually activate the eSIM on your eSIM capable device:</b></p><ol><li>Settings &gt; Cellular/Mobile &gt; Add Cellular/Mobile Plan.</li><li>Manually enter the SM-DP+ Address and activation code.</li><li>Confirm the eSIM plan details.</li><li>Label the eSIM.</li></ol><p><b>To access Data:</b></p><ol><li>Enable data roaming.</li><li>Select {} as the network.</li></ol>",
        op.title,
        coverage(ctx, op),
        op.network
    )
}

pub(crate) fn qrcode_installation(ctx: &Ctx<'_>, op: &Operator) -> String {
    format!(
        "<p><b>eSIM name:</b> {}</p><p><b>Coverage: </b>{}</p><p><b>To activate the eSIM by scanning the QR code on your eSIM capable device you need to print or display this QR code on other device:</b></p><ol><li>Settings &gt; Cellular/Mobile &gt; Add Cellular/Mobile Plan.</li><li>Scan the QR code.</li><li>Confirm the eSIM plan details.</li><li>Label the eSIM.</li></ol><p><b>To access Data:</b></p><ol><li>Enable data roaming.</li><li>Select {} as the network.</li></ol>",
        op.title,
        coverage(ctx, op),
        op.network
    )
}

/// An operator's `manual_installation` and QR installation texts (the QR one under `qr_key`:
/// the catalogue calls it `qr_installation`, orders `qrcode_installation`); both empty without
/// an operator (a top-up order).
pub(crate) fn installation_fields(
    m: &mut Map<String, Value>,
    ctx: &Ctx<'_>,
    op: Option<&Operator>,
    qr_key: &str,
) {
    let manual = op.map(|op| manual_installation(ctx, op));
    let qr = op.map(|op| qrcode_installation(ctx, op));
    m.insert(
        "manual_installation".into(),
        manual.unwrap_or_default().into(),
    );
    m.insert(qr_key.into(), qr.unwrap_or_default().into());
}

pub(crate) fn installation_guides(ctx: &Ctx<'_>) -> Value {
    json!({"en": format!("{}/_sandbox/installation-guide", ctx.base)})
}

pub(crate) fn apn_json(op: &Operator) -> Value {
    json!({
        "ios": {"apn_type": op.apn_type, "apn_value": opt(op.apn_value.clone())},
        "android": {"apn_type": op.apn_type, "apn_value": opt(op.apn_value.clone())},
    })
}

pub(crate) fn package_json(ctx: &Ctx<'_>, p: &Package) -> Value {
    let op = &ctx.cat.operators[p.operator];
    let mut m = package_summary(ctx, p);
    if ctx.is_discount() {
        // The catalogue leaves `net_price` out under discount pricing (elsewhere it is null).
        m.remove("net_price");
    }
    installation_fields(&mut m, ctx, Some(op), "qr_installation");
    m.insert(
        "is_fair_usage_policy".into(),
        p.fair_usage_policy.is_some().into(),
    );
    m.insert("fair_usage_policy".into(), opt(p.fair_usage_policy.clone()));
    m.insert("voice".into(), opt(p.voice));
    m.insert("text".into(), opt(p.text));
    m.insert("prices".into(), prices_json(ctx, p.price, p.net_price));
    Value::Object(m)
}

fn operator_json(ctx: &Ctx<'_>, op: &Operator, include_topups: bool) -> Value {
    let mut packages: Vec<Value> = op
        .packages
        .iter()
        .map(|&i| package_json(ctx, &ctx.cat.packages[i]))
        .collect();
    if include_topups {
        packages.extend(
            op.topups
                .iter()
                .map(|&i| package_json(ctx, &ctx.cat.packages[i])),
        );
    }
    let (countries, coverages): (Vec<Value>, Vec<Value>) = op
        .countries
        .iter()
        .map(|&c| {
            let country = &ctx.cat.countries[c];
            let listed = json!({
                "country_code": country.code,
                "title": country.name,
                "image": image(ctx, &country.code.to_ascii_lowercase()),
            });
            let coverage = json!({
                "name": country.code,
                "code": country.code,
                "networks": [{"name": op.network, "types": ["4G", "5G"]}],
            });
            (listed, coverage)
        })
        .unzip();
    let mut info = vec![
        Value::from("Data-only eSIM"),
        Value::from("Rechargeable online with top-up packages"),
    ];
    if op.plan_type == PlanType::VoiceText {
        info[0] = Value::from("Data, voice and SMS eSIM with a phone number");
    }
    json!({
        "id": op.id,
        "style": op.style,
        "gradient_start": op.gradient_start,
        "gradient_end": op.gradient_end,
        "type": if op.global { "global" } else { "local" },
        "is_prepaid": true,
        "title": op.title,
        "esim_type": "Prepaid",
        "warning": null,
        "apn_type": op.apn_type,
        "apn_value": opt(op.apn_value.clone()),
        "is_roaming": op.is_roaming,
        "info": info,
        "image": image(ctx, &op.slug),
        "plan_type": op.plan_type.as_str(),
        "activation_policy": "first-usage",
        "is_kyc_verify": false,
        "rechargeability": op.rechargeable,
        "other_info": null,
        "coverages": coverages,
        "install_window_days": 30,
        "topup_grace_window_days": 30,
        "apn": apn_json(op),
        "packages": packages,
        "countries": countries,
    })
}

pub(crate) fn entry_json(ctx: &Ctx<'_>, entry_idx: usize, include_topups: bool) -> Value {
    let entry = &ctx.cat.entries[entry_idx];
    let ops: Vec<&Operator> = entry
        .operators
        .iter()
        .map(|&o| &ctx.cat.operators[o])
        .collect();
    let sims = ops
        .iter()
        .flat_map(|op| op.packages.iter().map(|&i| &ctx.cat.packages[i]));
    let min_net = sims.clone().map(|p| p.net_price).min().unwrap_or_default();
    let min_rrp = sims.map(|p| p.price).min().unwrap_or_default();
    let mut min_price = Map::new();
    if !ctx.is_discount() {
        min_price.insert("net_price".into(), currency_map(min_net));
    }
    min_price.insert("recommended_retail_price".into(), currency_map(min_rrp));
    json!({
        "slug": entry.slug,
        "country_code": entry.country_code,
        "title": entry.title,
        "image": image(ctx, &entry.slug),
        "min_price": Value::Object(min_price),
        "operators": ops.iter().map(|op| operator_json(ctx, op, include_topups)).collect::<Vec<_>>(),
    })
}

/// The package fields top-up offers and the package history share (`net_price` is null under
/// discount pricing).
pub(crate) fn package_summary(ctx: &Ctx<'_>, p: &Package) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("id".into(), p.id.clone().into());
    m.insert("type".into(), p.kind.as_str().into());
    m.insert("price".into(), num(p.price));
    let net = if ctx.is_discount() {
        Value::Null
    } else {
        num(p.net_price)
    };
    m.insert("net_price".into(), net);
    m.insert("amount".into(), p.amount_mb.into());
    m.insert("day".into(), p.day.into());
    m.insert("is_unlimited".into(), p.unlimited.into());
    m.insert("title".into(), p.title.clone().into());
    m.insert("data".into(), p.data.clone().into());
    m.insert("short_info".into(), opt(p.short_info.clone()));
    m
}

pub(crate) fn topup_package_json(ctx: &Ctx<'_>, p: &Package) -> Value {
    let mut m = package_summary(ctx, p);
    m.insert("voice".into(), p.voice.unwrap_or(0).into());
    m.insert("text".into(), p.text.unwrap_or(0).into());
    m.insert("prices".into(), prices_json(ctx, p.price, p.net_price));
    Value::Object(m)
}
