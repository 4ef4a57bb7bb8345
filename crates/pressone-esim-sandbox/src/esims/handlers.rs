//! eSIM endpoints: Get eSIMs list, Get eSIM, instructions, usage, package history.

use axum::http::header::ACCEPT_LANGUAGE;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;

use super::instructions::{instruction_language, instructions_json};
use serde_json::Value;

use super::render::{SimShape, history_json, sim_json, usage_json};
use crate::orders::render::{Includes, order_json};
use crate::state::State;
use crate::web::{
    Authed, Ctx, EsimRef, ListQuery, Query, api_error, includes, json_response, success_with,
    with_headers,
};

/// The relations Get eSIM and Get eSIMs list embed on `include` (`share`: the sharing link is
/// always in `simable`).
const ESIM_INCLUDES: [&str; 4] = ["order", "order.status", "order.user", "share"];

/// An eSIM in Get eSIM / eSIMs list shape, with `order` filled when `include` asks for it.
fn esim_json(ctx: &Ctx<'_>, st: &State, idx: usize, q: &Query) -> Value {
    let sim = &st.sims[idx];
    let mut data = sim_json(ctx, st, sim, SimShape::Esim);
    let wanted: Vec<&str> = q
        .get("include")
        .unwrap_or("")
        .split(',')
        .map(str::trim)
        .collect();
    if wanted.iter().any(|w| w.starts_with("order"))
        && let Some(o) = st.order_idx(&sim.order_id.to_string())
    {
        let inc = Includes {
            sims: false,
            user: wanted.contains(&"order.user"),
            status: wanted.contains(&"order.status"),
        };
        data["order"] = order_json(ctx, st, &st.orders[o], inc, true);
    }
    data
}

pub(crate) async fn get_esims_list(caller: Authed, uri: Uri) -> Response {
    let list = match ListQuery::parse(&uri) {
        Ok(l) => l,
        Err(e) => return api_error(e),
    };
    if let Err(e) = includes(&list.q, &ESIM_INCLUDES) {
        return api_error(e);
    }
    let app = &caller.app;
    let ctx = caller.ctx();
    let mut st = caller.lock();
    st.tick_all(&app.cat, &app.config);
    let iccid = list.q.get("filter[iccid]");
    let selected: Vec<usize> = (0..st.sims.len())
        .rev()
        .filter(|&i| {
            let s = &st.sims[i];
            list.created_on(s.created_at) && iccid.is_none_or(|needle| s.iccid.contains(needle))
        })
        .collect();
    let path = format!("{}/customer/v2/sims", caller.base);
    list.respond(&path, selected, |i| esim_json(&ctx, &st, i, &list.q))
}

pub(crate) async fn get_esim(sim: EsimRef, uri: Uri) -> Response {
    let q = Query::from_uri(&uri);
    if let Err(e) = includes(&q, &ESIM_INCLUDES) {
        return api_error(e);
    }
    let ctx = sim.caller.ctx();
    let st = sim.caller.lock();
    let idx = sim.idx;
    let data = esim_json(&ctx, &st, idx, &q);
    drop(st);
    // Sic: the published example says "succes".
    success_with(data, "succes")
}

pub(crate) async fn get_installation_instructions(sim: EsimRef, headers: HeaderMap) -> Response {
    let ctx = sim.caller.ctx();
    let st = sim.caller.lock();
    let idx = sim.idx;
    let language = instruction_language(headers.get(ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()));
    let body = instructions_json(&ctx, &st.sims[idx], &language);
    drop(st);
    json_response(StatusCode::OK, &body)
}

fn rate_headers(resp: Response, limit: u32, remaining: u32) -> Response {
    with_headers(
        resp,
        &[
            ("x-ratelimit-limit", limit.to_string()),
            ("x-ratelimit-remaining", remaining.to_string()),
        ],
    )
}

pub(crate) async fn get_usage(sim: EsimRef) -> Response {
    let ctx = sim.caller.ctx();
    let mut st = sim.caller.lock();
    let idx = sim.idx;
    let key = st.sims[idx].iccid.clone();
    let info = match st.hit(
        "usage",
        &key,
        sim.caller.app.config.usage_per_minute_limit,
        std::time::Duration::from_secs(60),
    ) {
        Ok(i) => i,
        Err(e) => return api_error(e),
    };
    // The API caches usage figures (20 minutes by default): within that time the same answer.
    let now = st.now();
    let ttl = sim.caller.app.config.usage_cache;
    let cached = st
        .usage_cache
        .get(&key)
        .filter(|(at, _)| ttl.is_some_and(|ttl| now < crate::state::add_std(*at, ttl)));
    let data = match cached {
        Some((_, data)) => data.clone(),
        None => {
            let data = usage_json(&ctx, &st.sims[idx]);
            if ttl.is_some() {
                st.usage_cache.insert(key, (now, data.clone()));
            }
            data
        }
    };
    drop(st);
    rate_headers(success_with(data, "api.succes"), info.limit, info.remaining)
}

pub(crate) async fn get_esim_package_history(sim: EsimRef) -> Response {
    let ctx = sim.caller.ctx();
    let mut st = sim.caller.lock();
    let idx = sim.idx;
    let key = st.sims[idx].iccid.clone();
    let info = match st.hit("history", &key, 1, sim.caller.app.config.history_interval) {
        Ok(i) => i,
        Err(e) => return api_error(e),
    };
    let body = history_json(&ctx, &st.sims[idx]);
    drop(st);
    rate_headers(
        json_response(StatusCode::OK, &body),
        info.limit,
        info.remaining,
    )
}
