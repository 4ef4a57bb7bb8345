//! Wire shapes of orders: submitted order, order list / Get order, the partner user.

use pressone_esim_raw::types;
use rust_decimal::Decimal;
use serde_json::{Map, Value, json};

use super::{Order, OrderKind};
use crate::catalogue::render::{installation_fields, installation_guides};
use crate::config::Pricing;
use crate::esims::Sim;
use crate::esims::render::{SimShape, sim_json};
use crate::state::State;
use crate::web::{Ctx, money2, num, opt, ymd_hms};

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

fn status_json(o: &Order) -> Value {
    json!(types::OrderStatus {
        name: Some(o.status.name().into()),
        slug: Some(o.status.slug().into()),
    })
}

/// The common fields of an order as shown in lists, `simable` and Get order.
fn order_common(ctx: &Ctx<'_>, o: &Order) -> Map<String, Value> {
    let p = &ctx.cat.packages[o.placed.package];
    let op = &ctx.cat.operators[p.operator];
    let mut m = Map::new();
    m.insert("id".into(), o.id.into());
    m.insert("created_at".into(), ymd_hms(o.created_at).into());
    m.insert("code".into(), o.code().into());
    m.insert("description".into(), opt(o.placed.description.clone()));
    m.insert("type".into(), order_type(o).into());
    m.insert("package_id".into(), p.id.clone().into());
    m.insert("quantity".into(), o.placed.quantity.into());
    m.insert("package".into(), format!("{}-{}", op.title, p.title).into());
    m.insert("esim_type".into(), "Prepaid".into());
    m.insert("validity".into(), p.day.to_string().into());
    m.insert("price".into(), money2(o.charge.price).into());
    m.insert("data".into(), p.data.clone().into());
    m.insert("currency".into(), "USD".into());
    let installed = (o.kind() == OrderKind::Sim).then_some(op);
    installation_fields(&mut m, ctx, installed, "qrcode_installation");
    m.insert("installation_guides".into(), installation_guides(ctx));
    m
}

pub(crate) fn order_type(o: &Order) -> &'static str {
    match o.kind() {
        OrderKind::Sim => "sim",
        OrderKind::Topup => "topup",
    }
}

pub(crate) fn simable_json(ctx: &Ctx<'_>, state: &State, o: &Order, sim: &Sim) -> Value {
    let mut m = order_common(ctx, o);
    m.insert("status".into(), status_json(o));
    m.insert("user".into(), user_json(state));
    m.insert(
        "sharing".into(),
        json!(types::Sharing {
            link: Some(format!(
                "{}/_sandbox/esims-cloud/{}",
                ctx.base, sim.sharing_slug
            )),
            access_code: Some(sim.sharing_code.clone()),
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
            .sims()
            .iter()
            .map(|&i| sim_json(ctx, state, &state.sims[i], shape))
            .collect();
        m.insert("sims".into(), Value::Array(sims));
    }
    if inc.user {
        m.insert("user".into(), user_json(state));
    }
    if inc.status {
        m.insert("status".into(), status_json(o));
    }
    Value::Object(m)
}

pub(crate) fn discount_fields(m: &mut Map<String, Value>, o: &Order) {
    match o.charge.pricing {
        Pricing::Net => {
            m.insert("pricing_model".into(), "net_pricing".into());
        }
        Pricing::Discount(_) => {
            let q = Decimal::from(o.placed.quantity);
            let unit_paid = o.charge.charged / q;
            m.insert("pricing_model".into(), "discount_pricing".into());
            m.insert(
                "discount_percentage".into(),
                o.charge.pricing.percentage().into(),
            );
            m.insert(
                "discount_amount".into(),
                num(o.charge.price * q - o.charge.charged),
            );
            m.insert("unit_paid_price".into(), num(unit_paid.round_dp(2)));
            m.insert("total_amount_paid".into(), num(o.charge.charged));
        }
    }
}

/// The `data` fields Submit order and Submit top-up answer alike.
pub(crate) fn submitted_common(ctx: &Ctx<'_>, o: &Order) -> Map<String, Value> {
    let p = &ctx.cat.packages[o.placed.package];
    let op = &ctx.cat.operators[p.operator];
    let mut m = Map::new();
    m.insert("id".into(), o.id.into());
    m.insert("code".into(), o.code().into());
    m.insert("currency".into(), "USD".into());
    m.insert("package_id".into(), p.id.clone().into());
    m.insert("type".into(), order_type(o).into());
    m.insert("description".into(), opt(o.placed.description.clone()));
    m.insert("esim_type".into(), "Prepaid".into());
    m.insert("validity".into(), p.day.into());
    m.insert("package".into(), format!("{}-{}", op.title, p.title).into());
    m.insert("data".into(), p.data.clone().into());
    m.insert("price".into(), num(o.charge.price));
    discount_fields(&mut m, o);
    m.insert("created_at".into(), ymd_hms(o.created_at).into());
    installation_fields(&mut m, ctx, Some(op), "qrcode_installation");
    m.insert("installation_guides".into(), installation_guides(ctx));
    m.insert("text".into(), opt(p.text));
    m.insert("voice".into(), opt(p.voice));
    m.insert(
        "net_price".into(),
        if matches!(o.charge.pricing, Pricing::Discount(_)) {
            Value::Null
        } else {
            num(o.charge.net_price)
        },
    );
    m
}

/// Submit order 200 `data` (`quantity` is a string there).
pub(crate) fn submitted_order_json(ctx: &Ctx<'_>, state: &State, o: &Order) -> Value {
    let mut m = submitted_common(ctx, o);
    m.insert("quantity".into(), o.placed.quantity.to_string().into());
    m.insert("brand_settings_name".into(), opt(o.placed.brand.clone()));
    let sims: Vec<Value> = o
        .sims()
        .iter()
        .map(|&i| sim_json(ctx, state, &state.sims[i], SimShape::Submit))
        .collect();
    m.insert("sims".into(), Value::Array(sims));
    Value::Object(m)
}
