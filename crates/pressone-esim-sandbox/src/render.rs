//! Wire shapes: turns state and catalogue into the JSON bodies of the API.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde_json::{Map, Value, json};

use crate::catalog::{self, Catalog, Operator, Package, PlanType};
use crate::config::{Pricing, SandboxConfig};
use crate::state::{Order, OrderKind, PkgEntry, PkgStatus, Sim, SimStatus, State, money2};

/// Rendering context: catalogue, configuration and the externally visible base URL.
pub(crate) struct Ctx<'a> {
    pub cat: &'a Catalog,
    pub config: &'a SandboxConfig,
    pub base: String,
}

/// A money amount as a JSON number: integral amounts as integers (`10`), others as the
/// shortest float that prints the exact decimal (`9.5`).
pub(crate) fn num(d: Decimal) -> Value {
    let d = d.normalize();
    if d.scale() == 0
        && let Ok(i) = i64::try_from(d)
    {
        return Value::from(i);
    }
    d.to_string()
        .parse::<f64>()
        .ok()
        .and_then(serde_json::Number::from_f64)
        .map(Value::Number)
        .unwrap_or(Value::Null)
}

pub(crate) fn ymd_hms(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M:%S").to_string()
}

pub(crate) fn iso(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S+00:00").to_string()
}

fn opt<T: Into<Value>>(v: Option<T>) -> Value {
    v.map(Into::into).unwrap_or(Value::Null)
}

fn is_discount(ctx: &Ctx<'_>) -> bool {
    matches!(ctx.config.pricing, Pricing::Discount(_))
}

pub(crate) fn pricing_json(ctx: &Ctx<'_>) -> Value {
    json!({
        "model": ctx.config.pricing.model(),
        "discount_percentage": ctx.config.pricing.percentage(),
    })
}

fn currency_map(usd: Decimal) -> Value {
    let mut m = Map::new();
    for (code, v) in catalog::convert(usd) {
        m.insert(code.to_string(), num(v));
    }
    Value::Object(m)
}

fn prices_json(ctx: &Ctx<'_>, price: Decimal, net: Decimal) -> Value {
    let mut m = Map::new();
    if !is_discount(ctx) {
        m.insert("net_price".into(), currency_map(net));
    }
    m.insert("recommended_retail_price".into(), currency_map(price));
    Value::Object(m)
}

fn image(ctx: &Ctx<'_>, slug: &str) -> Value {
    json!({"width": 132, "height": 99, "url": format!("{}/_sandbox/images/{}.svg", ctx.base, slug)})
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

fn installation_guides(ctx: &Ctx<'_>) -> Value {
    json!({"en": format!("{}/_sandbox/installation-guide", ctx.base)})
}

fn apn_json(op: &Operator) -> Value {
    json!({
        "ios": {"apn_type": op.apn_type, "apn_value": opt(op.apn_value.clone())},
        "android": {"apn_type": op.apn_type, "apn_value": opt(op.apn_value.clone())},
    })
}

// ------------------------------------------------------------------------- catalogue

pub(crate) fn package_json(ctx: &Ctx<'_>, p: &Package) -> Value {
    let op = &ctx.cat.operators[p.operator];
    let mut m = Map::new();
    m.insert("id".into(), p.id.clone().into());
    m.insert("type".into(), p.kind.as_str().into());
    m.insert("price".into(), num(p.price));
    if !is_discount(ctx) {
        m.insert("net_price".into(), num(p.net_price));
    }
    m.insert("amount".into(), p.amount_mb.into());
    m.insert("day".into(), p.day.into());
    m.insert("is_unlimited".into(), p.unlimited.into());
    m.insert("title".into(), p.title.clone().into());
    m.insert("data".into(), p.data.clone().into());
    m.insert("short_info".into(), opt(p.short_info.clone()));
    m.insert(
        "qr_installation".into(),
        qrcode_installation(ctx, op).into(),
    );
    m.insert(
        "manual_installation".into(),
        manual_installation(ctx, op).into(),
    );
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
    let countries: Vec<Value> = op
        .countries
        .iter()
        .map(|&c| {
            let country = &ctx.cat.countries[c];
            json!({
                "country_code": country.code,
                "title": country.name,
                "image": image(ctx, &country.code.to_ascii_lowercase()),
            })
        })
        .collect();
    let coverages: Vec<Value> = op
        .countries
        .iter()
        .map(|&c| {
            let country = &ctx.cat.countries[c];
            json!({
                "name": country.code,
                "code": country.code,
                "networks": [{"name": op.network, "types": ["4G", "5G"]}],
            })
        })
        .collect();
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
    if !is_discount(ctx) {
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

pub(crate) fn topup_package_json(ctx: &Ctx<'_>, p: &Package) -> Value {
    json!({
        "id": p.id,
        "type": p.kind.as_str(),
        "price": num(p.price),
        "amount": p.amount_mb,
        "day": p.day,
        "is_unlimited": p.unlimited,
        "title": p.title,
        "data": p.data,
        "short_info": opt(p.short_info.clone()),
        "voice": p.voice.unwrap_or(0),
        "text": p.text.unwrap_or(0),
        "net_price": if is_discount(ctx) { Value::Null } else { num(p.net_price) },
        "prices": prices_json(ctx, p.price, p.net_price),
    })
}

// ------------------------------------------------------------------------- eSIMs

pub(crate) fn lpa_string(ctx: &Ctx<'_>, sim: &Sim) -> String {
    format!("LPA:1${}${}", ctx.config.smdp_address, sim.matching_id)
}

fn qrcode_url(ctx: &Ctx<'_>, sim: &Sim) -> String {
    format!(
        "{}/_sandbox/qr/{}.svg?expires={}&id={}&signature={}",
        ctx.base, sim.iccid, sim.qr_expires, sim.id, sim.qr_signature
    )
}

pub(crate) fn apple_url(ctx: &Ctx<'_>, sim: &Sim) -> String {
    format!(
        "https://esimsetup.apple.com/esim_qrcode_provisioning?carddata={}",
        lpa_string(ctx, sim)
    )
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum SimShape {
    /// Submit order `sims[]`.
    Submit,
    /// Order list `sims[]` (no `direct_apple_installation_url`).
    OrderList,
    /// Get order `sims[]` (adds `voucher_code`).
    OrderGet,
    /// Get eSIM / eSIMs list (adds `order`, `recycled`, `simable`, …).
    Esim,
}

pub(crate) fn sim_json(ctx: &Ctx<'_>, state: &State, sim: &Sim, shape: SimShape) -> Value {
    let op = &ctx.cat.operators[sim.operator];
    let mut m = Map::new();
    m.insert("id".into(), sim.id.into());
    m.insert("created_at".into(), ymd_hms(sim.created_at).into());
    m.insert("iccid".into(), sim.iccid.clone().into());
    m.insert("lpa".into(), ctx.config.smdp_address.clone().into());
    m.insert("imsis".into(), Value::Null);
    m.insert("matching_id".into(), sim.matching_id.clone().into());
    m.insert("qrcode".into(), lpa_string(ctx, sim).into());
    m.insert("qrcode_url".into(), qrcode_url(ctx, sim).into());
    if shape != SimShape::OrderList {
        m.insert(
            "direct_apple_installation_url".into(),
            apple_url(ctx, sim).into(),
        );
    }
    if matches!(shape, SimShape::OrderGet | SimShape::Esim) {
        m.insert("voucher_code".into(), Value::Null);
    }
    m.insert("airalo_code".into(), Value::Null);
    m.insert("apn_type".into(), op.apn_type.into());
    m.insert("apn_value".into(), opt(op.apn_value.clone()));
    m.insert("is_roaming".into(), op.is_roaming.into());
    m.insert("confirmation_code".into(), Value::Null);
    if op.plan_type == PlanType::VoiceText {
        m.insert("apn".into(), apn_json(op));
        m.insert("msisdn".into(), opt(sim.msisdn.clone()));
    }
    if shape == SimShape::Esim {
        m.insert("order".into(), Value::Null);
        m.insert("brand_settings_name".into(), opt(sim.brand.clone()));
        m.insert("recycled".into(), sim.recycled_at.is_some().into());
        m.insert("recycled_at".into(), opt(sim.recycled_at.map(ymd_hms)));
        let order = state
            .order_idx(&sim.order_id.to_string())
            .map(|i| &state.orders[i]);
        let simable = order
            .map(|o| simable_json(ctx, state, o, sim))
            .unwrap_or(Value::Null);
        m.insert("simable".into(), simable);
    }
    Value::Object(m)
}

pub(crate) fn user_json(state: &State) -> Value {
    json!({
        "id": 1,
        "created_at": ymd_hms(state.created_at),
        "name": "Sandbox Partner",
        "email": "partner@pressone-sandbox.test",
        "mobile": null,
        "address": null,
        "state": null,
        "city": null,
        "postal_code": null,
        "country_id": null,
        "company": "Sandbox Partner Ltd",
    })
}

fn status_json() -> Value {
    json!({"name": "Completed", "slug": "completed"})
}

/// The common fields of an order as shown in lists, `simable` and Get order.
fn order_common(ctx: &Ctx<'_>, o: &Order) -> Map<String, Value> {
    let p = &ctx.cat.packages[o.package];
    let op = &ctx.cat.operators[p.operator];
    let (manual, qr) = match o.kind {
        OrderKind::Sim => (manual_installation(ctx, op), qrcode_installation(ctx, op)),
        OrderKind::Topup => (String::new(), String::new()),
    };
    let mut m = Map::new();
    m.insert("id".into(), o.id.into());
    m.insert("created_at".into(), ymd_hms(o.created_at).into());
    m.insert("code".into(), o.code.clone().into());
    m.insert("description".into(), opt(o.description.clone()));
    m.insert("type".into(), order_type(o).into());
    m.insert("package_id".into(), p.id.clone().into());
    m.insert("quantity".into(), o.quantity.into());
    m.insert("package".into(), format!("{}-{}", op.title, p.title).into());
    m.insert("esim_type".into(), "Prepaid".into());
    m.insert("validity".into(), p.day.to_string().into());
    m.insert("price".into(), money2(o.price).into());
    m.insert("data".into(), p.data.clone().into());
    m.insert("currency".into(), "USD".into());
    m.insert("manual_installation".into(), manual.into());
    m.insert("qrcode_installation".into(), qr.into());
    m.insert("installation_guides".into(), installation_guides(ctx));
    m
}

fn order_type(o: &Order) -> &'static str {
    match o.kind {
        OrderKind::Sim => "sim",
        OrderKind::Topup => "topup",
    }
}

fn simable_json(ctx: &Ctx<'_>, state: &State, o: &Order, sim: &Sim) -> Value {
    let mut m = order_common(ctx, o);
    m.insert("status".into(), status_json());
    m.insert("user".into(), user_json(state));
    m.insert(
        "sharing".into(),
        json!({
            "link": format!("{}/_sandbox/esims-cloud/{}", ctx.base, sim.sharing_slug),
            "access_code": sim.sharing_code,
        }),
    );
    Value::Object(m)
}

#[derive(Clone, Copy, Default)]
pub(crate) struct Includes {
    pub sims: bool,
    pub user: bool,
    pub status: bool,
}

impl Includes {
    pub fn parse(raw: Option<&str>) -> Includes {
        let mut inc = Includes::default();
        for part in raw.unwrap_or("").split(',').map(str::trim) {
            match part {
                "sims" => inc.sims = true,
                "user" => inc.user = true,
                "status" => inc.status = true,
                _ => {}
            }
        }
        inc
    }
}

/// An order in Get order list / Get order shape.
pub(crate) fn order_json(
    ctx: &Ctx<'_>,
    state: &State,
    o: &Order,
    inc: Includes,
    single: bool,
) -> Value {
    let mut m = order_common(ctx, o);
    if inc.sims {
        let shape = if single {
            SimShape::OrderGet
        } else {
            SimShape::OrderList
        };
        let sims: Vec<Value> = o
            .sims
            .iter()
            .map(|&i| sim_json(ctx, state, &state.sims[i], shape))
            .collect();
        m.insert("sims".into(), Value::Array(sims));
    }
    if inc.user {
        m.insert("user".into(), user_json(state));
    }
    if inc.status {
        m.insert("status".into(), status_json());
    }
    Value::Object(m)
}

fn discount_fields(m: &mut Map<String, Value>, o: &Order) {
    match o.pricing {
        Pricing::Net => {
            m.insert("pricing_model".into(), "net_pricing".into());
        }
        Pricing::Discount(_) => {
            let q = Decimal::from(o.quantity);
            let unit_paid = o.charged / q;
            m.insert("pricing_model".into(), "discount_pricing".into());
            m.insert("discount_percentage".into(), o.pricing.percentage().into());
            m.insert("discount_amount".into(), num(o.price * q - o.charged));
            m.insert("unit_paid_price".into(), num(unit_paid.round_dp(2)));
            m.insert("total_amount_paid".into(), num(o.charged));
        }
    }
}

/// Submit order 200 `data`.
pub(crate) fn submitted_order_json(ctx: &Ctx<'_>, state: &State, o: &Order) -> Value {
    let p = &ctx.cat.packages[o.package];
    let op = &ctx.cat.operators[p.operator];
    let mut m = Map::new();
    m.insert("id".into(), o.id.into());
    m.insert("code".into(), o.code.clone().into());
    m.insert("currency".into(), "USD".into());
    m.insert("package_id".into(), p.id.clone().into());
    m.insert("quantity".into(), o.quantity.to_string().into());
    m.insert("type".into(), "sim".into());
    m.insert("description".into(), opt(o.description.clone()));
    m.insert("esim_type".into(), "Prepaid".into());
    m.insert("validity".into(), p.day.into());
    m.insert("package".into(), format!("{}-{}", op.title, p.title).into());
    m.insert("data".into(), p.data.clone().into());
    m.insert("price".into(), num(o.price));
    discount_fields(&mut m, o);
    m.insert("created_at".into(), ymd_hms(o.created_at).into());
    m.insert(
        "manual_installation".into(),
        manual_installation(ctx, op).into(),
    );
    m.insert(
        "qrcode_installation".into(),
        qrcode_installation(ctx, op).into(),
    );
    m.insert("installation_guides".into(), installation_guides(ctx));
    m.insert("text".into(), opt(p.text));
    m.insert("voice".into(), opt(p.voice));
    m.insert(
        "net_price".into(),
        if matches!(o.pricing, Pricing::Discount(_)) {
            Value::Null
        } else {
            num(o.net_price)
        },
    );
    m.insert("brand_settings_name".into(), opt(o.brand.clone()));
    let sims: Vec<Value> = o
        .sims
        .iter()
        .map(|&i| sim_json(ctx, state, &state.sims[i], SimShape::Submit))
        .collect();
    m.insert("sims".into(), Value::Array(sims));
    Value::Object(m)
}

/// Submit top-up 200 `data`.
pub(crate) fn submitted_topup_json(ctx: &Ctx<'_>, o: &Order) -> Value {
    let p = &ctx.cat.packages[o.package];
    let op = &ctx.cat.operators[p.operator];
    let mut m = Map::new();
    m.insert("id".into(), o.id.into());
    m.insert("code".into(), o.code.clone().into());
    m.insert("package_id".into(), p.id.clone().into());
    m.insert("currency".into(), "USD".into());
    m.insert("quantity".into(), 1.into());
    m.insert("type".into(), "topup".into());
    m.insert("description".into(), opt(o.description.clone()));
    m.insert("esim_type".into(), "Prepaid".into());
    m.insert("validity".into(), p.day.into());
    m.insert("package".into(), format!("{}-{}", op.title, p.title).into());
    m.insert("data".into(), p.data.clone().into());
    m.insert("price".into(), num(o.price));
    discount_fields(&mut m, o);
    m.insert("text".into(), opt(p.text));
    m.insert("voice".into(), opt(p.voice));
    m.insert(
        "net_price".into(),
        if matches!(o.pricing, Pricing::Discount(_)) {
            Value::Null
        } else {
            num(o.net_price)
        },
    );
    m.insert("created_at".into(), ymd_hms(o.created_at).into());
    m.insert(
        "manual_installation".into(),
        manual_installation(ctx, op).into(),
    );
    m.insert(
        "qrcode_installation".into(),
        qrcode_installation(ctx, op).into(),
    );
    m.insert("installation_guides".into(), installation_guides(ctx));
    Value::Object(m)
}

// ------------------------------------------------------------------------- usage & history

pub(crate) fn usage_json(ctx: &Ctx<'_>, sim: &Sim) -> Value {
    let status = sim.status();
    if status == SimStatus::Recycled {
        return json!({
            "remaining": 0, "total": 0, "expired_at": null, "is_unlimited": null,
            "status": "RECYCLED", "remaining_voice": 0, "remaining_text": 0,
            "total_voice": 0, "total_text": 0,
        });
    }
    let considered: Vec<&PkgEntry> = match status {
        SimStatus::Active => sim
            .packages
            .iter()
            .filter(|p| p.status == PkgStatus::Active)
            .collect(),
        SimStatus::NotActive => sim.packages.iter().collect(),
        _ => {
            // Finished/expired: report the last package (the one that ended last).
            let last = sim
                .packages
                .iter()
                .max_by_key(|p| (p.finished_at.or(p.expired_at), p.id));
            last.into_iter().collect()
        }
    };
    let unlimited = considered
        .iter()
        .any(|p| ctx.cat.packages[p.package].unlimited);
    let (mut total, mut remaining, mut tv, mut rv, mut tt, mut rt) =
        (0u64, 0u64, 0u64, 0u64, 0u64, 0u64);
    for p in &considered {
        let pkg = &ctx.cat.packages[p.package];
        total += pkg.amount_mb;
        remaining += p.remaining_mb;
        tv += u64::from(pkg.voice.unwrap_or(0));
        rv += u64::from(p.remaining_voice);
        tt += u64::from(pkg.text.unwrap_or(0));
        rt += u64::from(p.remaining_text);
    }
    if unlimited {
        total = 0;
        remaining = 0;
    }
    let expired_at = considered.iter().filter_map(|p| p.expired_at).max();
    json!({
        "remaining": remaining,
        "total": total,
        "expired_at": opt(expired_at.map(ymd_hms)),
        "is_unlimited": unlimited,
        "status": status.as_str(),
        "remaining_voice": rv,
        "remaining_text": rt,
        "total_voice": tv,
        "total_text": tt,
    })
}

pub(crate) fn history_json(ctx: &Ctx<'_>, sim: &Sim) -> Value {
    let mut entries: Vec<&PkgEntry> = sim.packages.iter().collect();
    entries.sort_by_key(|p| std::cmp::Reverse(p.id));
    let data: Vec<Value> = entries
        .iter()
        .map(|e| {
            let p = &ctx.cat.packages[e.package];
            json!({
                "id": e.id,
                "status": e.status.as_str(),
                "remaining": e.remaining_mb,
                "activated_at": opt(e.activated_at.map(iso)),
                "expired_at": opt(e.expired_at.map(iso)),
                "finished_at": opt(e.finished_at.map(iso)),
                "package": {
                    "id": p.id,
                    "type": p.kind.as_str(),
                    "price": num(p.price),
                    "net_price": if is_discount(ctx) { Value::Null } else { num(p.net_price) },
                    "amount": p.amount_mb,
                    "day": p.day,
                    "is_unlimited": p.unlimited,
                    "title": p.title,
                    "data": p.data,
                    "short_info": opt(p.short_info.clone()),
                },
            })
        })
        .collect();
    json!({"pricing": pricing_json(ctx), "data": data})
}

// ------------------------------------------------------------------------- instructions

const LANGUAGES: &[&str] = &[
    "ar", "zh", "cs", "nl", "en", "fr", "ka", "de", "el", "he", "hi", "it", "ja", "ko", "pl", "pt",
    "ru", "tl", "th", "tr", "uk", "zh-CN", "pt-BR", "es-419", "hy-AM", "zh-TW", "vls-BE", "pt-PT",
    "sr-CS", "es-ES", "sv-SE", "ur-PK", "fil", "sq", "az", "bg", "hr", "da", "et", "fi", "hun",
    "kmr", "ky", "lv", "lt", "mk", "ms", "nb", "ro", "sk", "uz", "vi",
];

/// The language code reported for an `Accept-Language` header (first supported tag, else EN).
pub(crate) fn instruction_language(header: Option<&str>) -> String {
    for tag in header.unwrap_or("").split(',') {
        let tag = tag.split(';').next().unwrap_or("").trim();
        if let Some(l) = LANGUAGES.iter().find(|l| l.eq_ignore_ascii_case(tag)) {
            return l.to_ascii_uppercase();
        }
        let primary = tag.split('-').next().unwrap_or("");
        if let Some(l) = LANGUAGES.iter().find(|l| l.eq_ignore_ascii_case(primary)) {
            return l.to_ascii_uppercase();
        }
    }
    "EN".to_string()
}

fn steps(items: &[&str]) -> Value {
    let mut m = Map::new();
    for (i, s) in items.iter().enumerate() {
        m.insert((i + 1).to_string(), Value::from(*s));
    }
    Value::Object(m)
}

pub(crate) fn instructions_json(ctx: &Ctx<'_>, sim: &Sim, language: &str) -> Value {
    let op = &ctx.cat.operators[sim.operator];
    let lpa = lpa_string(ctx, sim);
    let qr_url = qrcode_url(ctx, sim);
    let apn_value = opt(op.apn_value.clone());
    let ios = json!({
        "model": null,
        "version": "17,18,16,15,14",
        "installation_via_qr_code": {
            "steps": steps(&[
                "Go to Settings > Cellular/Mobile > Add Cellular/Mobile Plan.",
                "Scan the QR Code.",
                "Tap on 'Add Cellular Plan'.",
                "Label the eSIM.",
                "Choose your preferred default line for calls and messages.",
                "Choose the eSIM as your default line for Cellular Data.",
                "Your eSIM is installed; see the network setup below.",
            ]),
            "qr_code_data": lpa,
            "qr_code_url": qr_url,
            "direct_apple_installation_url": apple_url(ctx, sim),
        },
        "installation_manual": {
            "steps": steps(&[
                "Go to Settings > Cellular/Mobile > Add Cellular/Mobile Plan.",
                "Tap on 'Enter Details Manually'.",
                "Enter your SM-DP+ Address and Activation Code.",
                "Tap on 'Add Cellular Plan'.",
                "Label the eSIM.",
                "Choose the eSIM as your default line for Cellular Data.",
                "Your eSIM is installed; see the network setup below.",
            ]),
            "smdp_address_and_activation_code": ctx.config.smdp_address,
        },
        "network_setup": {
            "steps": steps(&[
                "Select your eSIM under 'Cellular Plans'.",
                "Ensure that 'Turn On This Line' is toggled on.",
                "Go to 'Network Selection' and select the supported network.",
                "Turn on Data Roaming.",
            ]),
            "apn_type": op.apn_type,
            "apn_value": apn_value,
            "is_roaming": op.is_roaming,
        },
    });
    let android = json!({
        "model": null,
        "version": null,
        "installation_via_qr_code": {
            "steps": steps(&[
                "Go to Settings > Connections > SIM Card Manager.",
                "Tap on 'Add Mobile Plan'.",
                "Tap on 'Scan Carrier QR Code' and tap on 'Add'.",
                "When the plan has been registered, tap 'Ok' to turn on the new mobile plan.",
                "Your eSIM is installed; see the network setup below.",
            ]),
            "qr_code_data": lpa,
            "qr_code_url": qr_url,
        },
        "installation_manual": {
            "steps": steps(&[
                "Go to Settings > Connections > SIM Card Manager.",
                "Tap on 'Add Mobile Plan'.",
                "Tap on 'Scan Carrier QR Code' and tap on 'Enter code instead'.",
                "Enter the Activation Code (SM-DP+ Address & Activation Code).",
                "When the plan has been registered, tap 'Ok' to turn on the new mobile plan.",
                "Your eSIM is installed; see the network setup below.",
            ]),
            "smdp_address_and_activation_code": ctx.config.smdp_address,
        },
        "network_setup": {
            "steps": steps(&[
                "In 'SIM Card Manager' select your eSIM.",
                "Ensure that your eSIM is turned on under 'Mobile Networks'.",
                "Enable Mobile Data.",
                "Turn on Data Roaming.",
                "Go to Settings > Connections > Mobile networks > Network Operators and select the supported network.",
            ]),
            "apn_type": op.apn_type,
            "apn_value": opt(op.apn_value.clone()),
            "is_roaming": op.is_roaming,
        },
    });
    json!({
        "data": {"instructions": {"language": language, "ios": [ios], "android": [android]}},
        "meta": {"message": "success"},
    })
}

// ------------------------------------------------------------------------- pagination

/// Laravel paginator links/meta for `total` items, `per_page` per page, current `page`.
pub(crate) fn paginate(
    path_url: &str,
    query: &[(String, String)],
    page: usize,
    per_page: usize,
    total: usize,
    count_on_page: usize,
) -> (Value, Map<String, Value>) {
    let last_page = total.div_ceil(per_page.max(1)).max(1);
    let url = |p: usize| {
        let mut pairs: Vec<(String, String)> =
            query.iter().filter(|(k, _)| k != "page").cloned().collect();
        pairs.push(("page".into(), p.to_string()));
        let qs = serde_urlencoded::to_string(&pairs).unwrap_or_default();
        format!("{path_url}?{qs}")
    };
    let links = json!({
        "first": url(1),
        "last": url(last_page),
        "prev": if page > 1 { Value::from(url(page - 1)) } else { Value::Null },
        "next": if page < last_page { Value::from(url(page + 1)) } else { Value::Null },
    });
    let from = (page - 1).saturating_mul(per_page).saturating_add(1);
    let mut meta = Map::new();
    meta.insert("message".into(), "success".into());
    meta.insert("current_page".into(), page.into());
    meta.insert(
        "from".into(),
        if count_on_page > 0 {
            Value::from(from)
        } else {
            Value::Null
        },
    );
    meta.insert("last_page".into(), last_page.into());
    meta.insert("path".into(), path_url.into());
    meta.insert("per_page".into(), per_page.to_string().into());
    meta.insert(
        "to".into(),
        if count_on_page > 0 {
            Value::from(from.saturating_add(count_on_page - 1))
        } else {
            Value::Null
        },
    );
    meta.insert("total".into(), total.into());
    (links, meta)
}
