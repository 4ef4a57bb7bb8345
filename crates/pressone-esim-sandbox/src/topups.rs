//! Top-ups area: the rules of Submit top-up, its wire shape and the endpoints
//! (`get_topups`, `submit_topup`).

use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Value, json};

use crate::catalogue::render::{pricing_json, topup_package_json};
use crate::catalogue::{Catalog, PackageKind};
use crate::config::SandboxConfig;
use crate::esims::{PkgStatus, SimStatus, recycled};
use crate::orders::render::submitted_common;
use crate::orders::{Made, Order, Placed};
use crate::state::{State as Store, add_secs};
use crate::web::{
    ApiError, AuthedForm, Ctx, EsimRef, api_error, description_field, invalid, json_response,
    success,
};

impl Store {
    pub fn topup_precheck(&self, sim_idx: usize) -> Result<(), ApiError> {
        let sim = &self.sims[sim_idx];
        match sim.status() {
            SimStatus::Recycled => Err(recycled(&sim.iccid)),
            SimStatus::NotActive => Err(ApiError::Business {
                code: 43,
                reason: format!(
                    "Bad request. The eSIM with iccid {} is not active yet (status NOT_ACTIVE); top-ups are only available for activated eSIMs. Please check your input and try again.",
                    sim.iccid
                ),
            }),
            SimStatus::Active | SimStatus::Finished | SimStatus::Expired => Ok(()),
        }
    }

    pub fn submit_topup(
        &mut self,
        sim_idx: usize,
        package_id: &str,
        description: Option<String>,
        cat: &Catalog,
        config: &SandboxConfig,
    ) -> Result<usize, ApiError> {
        self.topup_precheck(sim_idx)?;
        let sim_op = self.sims[sim_idx].operator;
        let (pkg_idx, pkg) = cat
            .package(package_id)
            .filter(|(_, p)| p.kind == PackageKind::Topup && p.operator == sim_op)
            .ok_or_else(|| ApiError::field("package_id", "invalid topup package"))?;
        if self.sims[sim_idx].topups_disabled {
            return Err(ApiError::Business {
                code: 23,
                reason: "The requested top-up has been disabled by the operator. Test package test-disabled-top-up-7days-1gb forces this error.".into(),
            });
        }
        if self.sims[sim_idx].topup_count >= config.max_topups_per_esim {
            return Err(ApiError::field(
                "package_id",
                "validation.order_exceed_limit",
            ));
        }
        let charge = self.charge(pkg, 1, config)?;
        let now = self.now();
        let mut entry = self.new_entry(pkg_idx, cat);
        entry.status = PkgStatus::Active;
        entry.activated_at = Some(now);
        entry.expired_at = Some(add_secs(now, i64::from(pkg.day) * 86_400));
        let sim = &mut self.sims[sim_idx];
        if sim.activated_at.is_none() {
            sim.activated_at = Some(now);
        }
        if sim.status() != SimStatus::Active {
            sim.last_tick = now;
        }
        sim.packages.push(entry);
        sim.topup_count += 1;
        let iccid = sim.iccid.clone();
        let placed = Placed {
            package: pkg_idx,
            quantity: 1,
            description: Some(description.unwrap_or_else(|| format!("Topup ({iccid})"))),
            brand: None,
            email: None,
        };
        Ok(self.record_order(now, placed, Made::Topup(iccid), charge))
    }
}

/// Submit top-up 200 `data` (`quantity` is the number 1 there).
pub(crate) fn submitted_topup_json(ctx: &Ctx<'_>, o: &Order) -> Value {
    let mut m = submitted_common(ctx, o);
    m.insert("quantity".into(), 1.into());
    Value::Object(m)
}

pub(crate) async fn submit_topup(AuthedForm { caller, form }: AuthedForm) -> Response {
    let app = &caller.app;
    let ctx = caller.ctx();
    let mut st = caller.lock();
    let mut errors: Vec<(String, String)> = Vec::new();
    let iccid = form.get("iccid");
    let package_id = form.get("package_id");
    if iccid.is_none() {
        errors.push(invalid("iccid", "The iccid field is required."));
    }
    if package_id.is_none() {
        errors.push(invalid("package_id", "The package id field is required."));
    }
    let description = description_field(&form, &mut errors);
    if !errors.is_empty() {
        return api_error(ApiError::Validation(errors));
    }
    let (Some(iccid), Some(package_id)) = (iccid, package_id) else {
        return api_error(ApiError::field("iccid", "The iccid field is required."));
    };
    let sim_idx = match st.sim_ticked(iccid, &app.cat, &app.config) {
        Ok(i) => i,
        Err(_) => return api_error(ApiError::field("iccid", "The selected iccid is invalid.")),
    };
    match st.submit_topup(sim_idx, package_id, description, &app.cat, &app.config) {
        Ok(idx) => {
            let data = submitted_topup_json(&ctx, &st.orders[idx]);
            drop(st);
            success(data)
        }
        Err(e) => api_error(e),
    }
}

pub(crate) async fn get_topups(sim_ref: EsimRef) -> Response {
    let app = &sim_ref.caller.app;
    let ctx = sim_ref.caller.ctx();
    let st = sim_ref.caller.lock();
    let sim = &st.sims[sim_ref.idx];
    let data: Vec<Value> = match sim.status() {
        SimStatus::Recycled => return api_error(recycled(&sim.iccid)),
        // Top-ups exist only for activated eSIMs.
        SimStatus::NotActive => Vec::new(),
        _ => app.cat.operators[sim.operator]
            .topups
            .iter()
            .map(|&p| topup_package_json(&ctx, &app.cat.packages[p]))
            .collect(),
    };
    drop(st);
    json_response(
        StatusCode::OK,
        &json!({"pricing": pricing_json(&ctx), "data": data}),
    )
}
