//! Wire shapes of eSIMs: the eSIM object, usage, package history.

use serde::Serialize;
use serde_json::{Map, Value, json};

use super::{PkgEntry, PkgStatus, Sim, SimStatus};
use crate::catalogue::PlanType;
use crate::catalogue::render::{apn_json, package_summary, pricing_json};
use crate::orders::render::simable_json;
use crate::state::State;
use crate::web::{Ctx, iso, opt, ymd_hms};

// ------------------------------------------------------------------------- eSIMs

pub(crate) fn lpa_string(ctx: &Ctx<'_>, sim: &Sim) -> String {
    format!("LPA:1${}${}", ctx.config.smdp_address, sim.matching_id)
}

pub(crate) fn qrcode_url(ctx: &Ctx<'_>, sim: &Sim) -> String {
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

// ------------------------------------------------------------------------- usage & history

/// Usage of one eSIM: the `data` of Get usage (a `None` is a JSON null there), and what the
/// console shows.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct Usage {
    /// Data in MB (0 for unlimited packages, as the API reports them).
    pub remaining: u64,
    pub total: u64,
    pub expired_at: Option<String>,
    /// Unknown (null) on recycled eSIMs.
    pub is_unlimited: Option<bool>,
    pub status: &'static str,
    pub remaining_voice: u64,
    pub remaining_text: u64,
    pub total_voice: u64,
    pub total_text: u64,
}

/// Get usage's `data`.
pub(crate) fn usage_json(ctx: &Ctx<'_>, sim: &Sim) -> Value {
    json!(usage(ctx, sim))
}

pub(crate) fn usage(ctx: &Ctx<'_>, sim: &Sim) -> Usage {
    let status = sim.status();
    let considered: Vec<&PkgEntry> = match status {
        // A recycled eSIM reports nothing: zeros, and null for what is not known.
        SimStatus::Recycled => Vec::new(),
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
    let mut u = Usage {
        remaining: 0,
        total: 0,
        expired_at: considered
            .iter()
            .filter_map(|p| p.expired_at)
            .max()
            .map(ymd_hms),
        is_unlimited: (status != SimStatus::Recycled).then_some(unlimited),
        status: status.as_str(),
        remaining_voice: 0,
        remaining_text: 0,
        total_voice: 0,
        total_text: 0,
    };
    for p in &considered {
        let pkg = &ctx.cat.packages[p.package];
        if !unlimited {
            u.total += pkg.amount_mb;
            u.remaining += p.remaining_mb;
        }
        u.total_voice += u64::from(pkg.voice.unwrap_or(0));
        u.remaining_voice += u64::from(p.remaining_voice);
        u.total_text += u64::from(pkg.text.unwrap_or(0));
        u.remaining_text += u64::from(p.remaining_text);
    }
    u
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
                "package": Value::Object(package_summary(ctx, p)),
            })
        })
        .collect();
    json!({"pricing": pricing_json(ctx), "data": data})
}
