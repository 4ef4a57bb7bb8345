//! eSIM endpoints: Get eSIMs list, Get eSIM, instructions, usage, package history.

use axum::http::header::ACCEPT_LANGUAGE;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;

use super::instructions::{instruction_language, instructions_json};
use super::render::{SimShape, history_json, sim_json, usage_json};
use crate::web::{
    Authed, EsimRef, ListQuery, api_error, json_response, success_with, with_headers,
};

pub(crate) async fn get_esims_list(caller: Authed, uri: Uri) -> Response {
    let list = match ListQuery::parse(&uri) {
        Ok(l) => l,
        Err(e) => return api_error(e),
    };
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
    list.respond(&path, selected, |i| {
        sim_json(&ctx, &st, &st.sims[i], SimShape::Esim)
    })
}

pub(crate) async fn get_esim(sim: EsimRef) -> Response {
    let ctx = sim.caller.ctx();
    let st = sim.caller.lock();
    let idx = sim.idx;
    let data = sim_json(&ctx, &st, &st.sims[idx], SimShape::Esim);
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
    let data = usage_json(&ctx, &st.sims[idx]);
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
