//! Catalogue endpoints: Get packages, Compatible devices.

use axum::http::{StatusCode, Uri};
use axum::response::Response;
use serde_json::{Map, Value, json};

use super::render::{entry_json, pricing_json};
use crate::web::{
    ApiError, Authed, Query, api_error, includes, json_response, page_slice, paginate, paging,
    success,
};

const DEVICES: &[(&str, &str, &str)] = &[
    ("ios", "Apple", "iPhone XR"),
    ("ios", "Apple", "iPhone XS"),
    ("ios", "Apple", "iPhone 11"),
    ("ios", "Apple", "iPhone 12"),
    ("ios", "Apple", "iPhone 13"),
    ("ios", "Apple", "iPhone 14"),
    ("ios", "Apple", "iPhone 15"),
    ("ios", "Apple", "iPhone 15 Pro"),
    ("ios", "Apple", "iPhone 16"),
    ("ios", "Apple", "iPhone SE (2022)"),
    ("ios", "Apple", "iPad Pro 11-inch (4th generation)"),
    ("android", "Google", "Pixel 4"),
    ("android", "Google", "Pixel 6"),
    ("android", "Google", "Pixel 7"),
    ("android", "Google", "Pixel 8"),
    ("android", "Google", "Pixel 9"),
    ("android", "Samsung", "Galaxy S21"),
    ("android", "Samsung", "Galaxy S22"),
    ("android", "Samsung", "Galaxy S23"),
    ("android", "Samsung", "Galaxy S24"),
    ("android", "Samsung", "Galaxy Z Flip5"),
    ("android", "Samsung", "Galaxy Z Fold5"),
    ("android", "Motorola", "motorola razr 40"),
    ("android", "Oppo", "Find X5 Pro"),
    ("android", "Xiaomi", "Xiaomi 13 Pro"),
    ("android", "Huawei", "P40 Pro"),
    ("android", "Sony", "Xperia 1 V"),
    ("android", "OnePlus", "OnePlus 11"),
];

pub(crate) async fn get_compatible_devices_lite(_caller: Authed) -> Response {
    let data: Vec<Value> = DEVICES
        .iter()
        .map(|(os, brand, name)| json!({"os": os, "brand": brand, "name": name}))
        .collect();
    success(Value::Array(data))
}

pub(crate) async fn get_packages(caller: Authed, uri: Uri) -> Response {
    let app = &caller.app;
    let q = Query::from_uri(&uri);
    let (limit, page) = match paging(&q) {
        Ok(p) => p,
        Err(e) => return api_error(e),
    };
    let kind = q.get("filter[type]");
    // An enum filter sent empty is not one of its values (the spec's enum has no "").
    if let Some(k) = q.raw("filter[type]").map(str::trim)
        && k != "local"
        && k != "global"
    {
        return api_error(ApiError::field(
            "filter.type",
            "The selected filter.type is invalid.",
        ));
    }
    // `include` is an enum here (`topup`): sent empty, it is not its value.
    if q.raw("include").is_some_and(|v| v.trim().is_empty()) {
        return api_error(ApiError::field(
            "include",
            "The selected include is invalid.",
        ));
    }
    if let Err(e) = includes(&q, &["topup"]) {
        return api_error(e);
    }
    let country = q.get("filter[country]").map(str::to_ascii_uppercase);
    let include_topups = q
        .get("include")
        .is_some_and(|v| v.split(',').any(|p| p.trim() == "topup"));
    let cat = &app.cat;
    let selected: Vec<usize> = (0..cat.entries.len())
        .filter(|&i| {
            let e = &cat.entries[i];
            let type_ok = match kind {
                Some("local") => !e.global,
                Some("global") => e.global,
                _ => true,
            };
            let country_ok = match &country {
                None => true,
                Some(cc) if !e.global => e.country_code == *cc,
                Some(cc) => {
                    // A global entry matches a country only when global packages were asked for.
                    kind == Some("global")
                        && e.operators.iter().any(|&o| {
                            cat.operators[o]
                                .countries
                                .iter()
                                .any(|&c| cat.countries[c].code == cc)
                        })
                }
            };
            type_ok && country_ok
        })
        .collect();
    let total = selected.len();
    let per_page = limit.unwrap_or(total.max(1));
    let items = page_slice(selected, page, per_page);
    let base = &caller.base;
    let ctx = caller.ctx();
    let count = items.len();
    let data = if page >= 2 && !items.is_empty() {
        // Laravel keeps the collection keys: page >= 2 becomes an object keyed by index.
        let mut m = Map::new();
        for (idx, entry) in items {
            m.insert(idx.to_string(), entry_json(&ctx, entry, include_topups));
        }
        Value::Object(m)
    } else {
        Value::Array(
            items
                .into_iter()
                .map(|(_, e)| entry_json(&ctx, e, include_topups))
                .collect(),
        )
    };
    let path = format!("{base}/customer/v2/packages");
    let (links, meta) = paginate(&path, q.pairs(), page, per_page, total, count);
    json_response(
        StatusCode::OK,
        &json!({"pricing": pricing_json(&ctx), "data": data, "links": links, "meta": meta}),
    )
}
