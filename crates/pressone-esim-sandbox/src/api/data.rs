//! Data / Data + Voice + SMS eSIM endpoints (`/customer/v2/...`).

use axum::body::Body;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::header::{ACCEPT_LANGUAGE, CONTENT_TYPE};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::Response;
use chrono::NaiveDate;
use serde_json::{Map, Value, json};

use super::{
    App, api_error, authorize, base_url, json_response, success, success_with, too_large,
    with_headers,
};
use crate::body::{BodyError, Form, parse_form, parse_query, read_body};
use crate::render::{self, Includes, SimShape};
use crate::state::{ApiError, NewOrder, SimStatus, recycled};

/// Decoded query string.
pub(crate) struct Query(Vec<(String, String)>);

impl Query {
    pub fn from_uri(uri: &Uri) -> Query {
        Query(parse_query(uri.query()))
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
    }

    pub fn pairs(&self) -> &[(String, String)] {
        &self.0
    }
}

fn parse_int(raw: &str) -> Option<i64> {
    let t = raw.trim();
    let digits = t.strip_prefix(['-', '+']).unwrap_or(t);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    t.parse::<i64>().ok()
}

/// Validates `limit` and `page` (Laravel `integer|min:1`).
fn paging(q: &Query) -> Result<(Option<usize>, usize), ApiError> {
    let mut errors = Vec::new();
    let mut limit = None;
    let mut page = 1usize;
    if let Some(raw) = q.get("limit") {
        match parse_int(raw) {
            None => errors.push((
                "limit".to_string(),
                "The limit must be an integer.".to_string(),
            )),
            Some(n) if n < 1 => errors.push((
                "limit".to_string(),
                "The limit must be at least 1.".to_string(),
            )),
            Some(n) => limit = Some(usize::try_from(n).unwrap_or(usize::MAX)),
        }
    }
    if let Some(raw) = q.get("page") {
        match parse_int(raw) {
            None => errors.push((
                "page".to_string(),
                "The page must be an integer.".to_string(),
            )),
            Some(n) if n < 1 => errors.push((
                "page".to_string(),
                "The page must be at least 1.".to_string(),
            )),
            Some(n) => page = usize::try_from(n).unwrap_or(usize::MAX),
        }
    }
    if errors.is_empty() {
        Ok((limit, page))
    } else {
        Err(ApiError::Validation(errors))
    }
}

/// Parses `filter[created_at]` = `Y-m-d - Y-m-d` (or a single `Y-m-d`).
fn date_range(raw: Option<&str>) -> Result<Option<(NaiveDate, NaiveDate)>, ApiError> {
    let Some(raw) = raw else { return Ok(None) };
    let bad = || {
        ApiError::field(
            "filter.created_at",
            "The filter.created at does not match the format Y-m-d - Y-m-d.",
        )
    };
    let parse = |s: &str| NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| bad());
    match raw.split_once(" - ") {
        Some((a, b)) => Ok(Some((parse(a)?, parse(b)?))),
        None => {
            let d = parse(raw)?;
            Ok(Some((d, d)))
        }
    }
}

fn contains_ci(haystack: &str, needle: &str) -> bool {
    haystack.to_lowercase().contains(&needle.to_lowercase())
}

/// Slices `items` for `page`/`per_page`; returns (page items with their global index).
fn page_slice<T>(items: Vec<T>, page: usize, per_page: usize) -> Vec<(usize, T)> {
    let start = (page - 1).saturating_mul(per_page);
    items
        .into_iter()
        .enumerate()
        .skip(start)
        .take(per_page)
        .collect()
}

async fn read_form(
    headers: &HeaderMap,
    body: Body,
    limit: usize,
) -> Result<Result<Form, String>, Response> {
    match read_body(body, limit).await {
        Ok(bytes) => Ok(parse_form(headers, bytes).await),
        Err(BodyError::TooLarge) => Err(too_large()),
        Err(BodyError::Unreadable) => Ok(Err("The request body could not be read.".to_string())),
    }
}

fn path_param(p: Result<Path<String>, PathRejection>) -> Result<String, Response> {
    p.map(|Path(v)| v)
        .map_err(|_| api_error(ApiError::NotFound))
}

// ------------------------------------------------------------------------- token & account

pub(crate) async fn token(State(app): State<App>, headers: HeaderMap, body: Body) -> Response {
    let form = match read_form(&headers, body, app.config.body_limit).await {
        Ok(Ok(f)) => f,
        Ok(Err(msg)) => return api_error(ApiError::field("body", msg)),
        Err(resp) => return resp,
    };
    let mut errors = Vec::new();
    let client_id = form.get("client_id");
    let client_secret = form.get("client_secret");
    let grant_type = form.get("grant_type");
    if client_id.is_none() {
        errors.push((
            "client_id".to_string(),
            "The client id field is required.".to_string(),
        ));
    }
    if client_secret.is_none() {
        errors.push((
            "client_secret".to_string(),
            "The client secret field is required.".to_string(),
        ));
    }
    match grant_type {
        None => errors.push((
            "grant_type".to_string(),
            "The grant type field is required.".to_string(),
        )),
        Some("client_credentials") => {}
        Some(_) => errors.push((
            "grant_type".to_string(),
            "The selected grant type is invalid.".to_string(),
        )),
    }
    if !errors.is_empty() {
        return api_error(ApiError::Validation(errors));
    }
    if client_id != Some(app.config.client_id.as_str()) {
        return api_error(ApiError::field(
            "client_id",
            "The selected client id is invalid.",
        ));
    }
    if client_secret != Some(app.config.client_secret.as_str()) {
        return super::meta_message(StatusCode::UNAUTHORIZED, "Client authentication failed");
    }
    let token = app.lock().issue_token(app.config.token_ttl);
    success(json!({
        "token_type": "Bearer",
        "expires_in": app.config.token_ttl.as_secs(),
        "access_token": token,
    }))
}

pub(crate) async fn balance(State(app): State<App>, headers: HeaderMap) -> Response {
    let amount = {
        let st = app.lock();
        if let Err(e) = authorize(&st, &headers) {
            return api_error(e);
        }
        st.balance
    };
    let mut resp = success(json!({
        "balances": {
            "name": "balance",
            "availableBalance": {"amount": render::num(amount), "currency": "USD"},
        }
    }));
    // Documented as text/plain although the body is JSON.
    resp.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=UTF-8"),
    );
    resp
}

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

pub(crate) async fn compatible_devices(State(app): State<App>, headers: HeaderMap) -> Response {
    if let Err(e) = authorize(&app.lock(), &headers) {
        return api_error(e);
    }
    let data: Vec<Value> = DEVICES
        .iter()
        .map(|(os, brand, name)| json!({"os": os, "brand": brand, "name": name}))
        .collect();
    success(Value::Array(data))
}

// ------------------------------------------------------------------------- packages

pub(crate) async fn packages(State(app): State<App>, headers: HeaderMap, uri: Uri) -> Response {
    if let Err(e) = authorize(&app.lock(), &headers) {
        return api_error(e);
    }
    let q = Query::from_uri(&uri);
    let (limit, page) = match paging(&q) {
        Ok(p) => p,
        Err(e) => return api_error(e),
    };
    let kind = q.get("filter[type]");
    if let Some(k) = kind
        && k != "local"
        && k != "global"
    {
        return api_error(ApiError::field(
            "filter.type",
            "The selected filter.type is invalid.",
        ));
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
    let base = base_url(&headers);
    let ctx = app.ctx(base.clone());
    let count = items.len();
    let data = if page >= 2 && !items.is_empty() {
        // Laravel keeps the collection keys: page >= 2 becomes an object keyed by index.
        let mut m = Map::new();
        for (idx, entry) in items {
            m.insert(
                idx.to_string(),
                render::entry_json(&ctx, entry, include_topups),
            );
        }
        Value::Object(m)
    } else {
        Value::Array(
            items
                .into_iter()
                .map(|(_, e)| render::entry_json(&ctx, e, include_topups))
                .collect(),
        )
    };
    let path = format!("{base}/customer/v2/packages");
    let (links, meta) = render::paginate(&path, q.pairs(), page, per_page, total, count);
    json_response(
        StatusCode::OK,
        &json!({"pricing": render::pricing_json(&ctx), "data": data, "links": links, "meta": meta}),
    )
}

// ------------------------------------------------------------------------- orders

pub(crate) async fn submit_order(
    State(app): State<App>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let form = match read_form(&headers, body, app.config.body_limit).await {
        Ok(f) => f,
        Err(resp) => return resp,
    };
    let base = base_url(&headers);
    let ctx = app.ctx(base);
    let mut st = app.lock();
    if let Err(e) = authorize(&st, &headers) {
        return api_error(e);
    }
    let form = match form {
        Ok(f) => f,
        Err(msg) => return api_error(ApiError::field("body", msg)),
    };
    let mut errors: Vec<(String, String)> = Vec::new();
    let quantity = match form.get("quantity") {
        None => {
            errors.push(("quantity".into(), "The quantity field is required.".into()));
            None
        }
        Some(raw) => match parse_int(raw) {
            None => {
                errors.push(("quantity".into(), "The quantity must be an integer.".into()));
                None
            }
            Some(n) if n < 1 => {
                errors.push(("quantity".into(), "The quantity must be at least 1.".into()));
                None
            }
            Some(n) if n > 50 => {
                errors.push((
                    "quantity".into(),
                    "The quantity may not be greater than 50.".into(),
                ));
                None
            }
            Some(n) => u32::try_from(n).ok(),
        },
    };
    let package_id = form.get("package_id");
    match package_id {
        None => errors.push((
            "package_id".into(),
            "The package id field is required.".into(),
        )),
        Some(id) => {
            let ok = app
                .cat
                .package(id)
                .is_some_and(|(_, p)| p.kind == crate::catalog::PackageKind::Sim);
            if !ok {
                errors.push((
                    "package_id".into(),
                    "The selected package is invalid.".into(),
                ));
            }
        }
    }
    if let Some(t) = form.get("type")
        && t != "sim"
    {
        errors.push(("type".into(), "The selected type is invalid.".into()));
    }
    let description = form.get("description").map(str::to_string);
    if description
        .as_ref()
        .is_some_and(|d| d.chars().count() > 255)
    {
        errors.push((
            "description".into(),
            "The description may not be greater than 255 characters.".into(),
        ));
    }
    let brand = form.get("brand_settings_name").map(str::to_string);
    if let Some(b) = &brand
        && !app.config.brands.is_empty()
        && !app.config.brands.iter().any(|x| x == b)
    {
        errors.push((
            "brand_settings_name".into(),
            "Brand settings name doesn't exist.".into(),
        ));
    }
    if let Some(email) = form.get("to_email") {
        if !looks_like_email(email) {
            errors.push((
                "to_email".into(),
                "The to email must be a valid email address.".into(),
            ));
        }
        let options = form.all("sharing_option[]");
        if options.is_empty() {
            errors.push((
                "sharing_option".into(),
                "The sharing option field is required when to email is present.".into(),
            ));
        }
        for (i, o) in options.iter().enumerate() {
            if *o != "link" && *o != "pdf" {
                errors.push((
                    format!("sharing_option.{i}"),
                    format!("The selected sharing_option.{i} is invalid."),
                ));
            }
        }
        for (i, cc) in form.all("copy_address[]").iter().enumerate() {
            if !looks_like_email(cc) {
                errors.push((
                    format!("copy_address.{i}"),
                    format!("The copy_address.{i} must be a valid email address."),
                ));
            }
        }
    }
    if !errors.is_empty() {
        return api_error(ApiError::Validation(errors));
    }
    let (Some(quantity), Some(package_id)) = (quantity, package_id) else {
        return api_error(ApiError::field(
            "package_id",
            "The selected package is invalid.",
        ));
    };
    let req = NewOrder {
        package_id: package_id.to_string(),
        quantity,
        description,
        brand,
    };
    match st.submit_order(req, &app.cat, &app.config) {
        Ok(idx) => {
            let data = render::submitted_order_json(&ctx, &st, &st.orders[idx]);
            drop(st);
            success(data)
        }
        Err(e) => api_error(e),
    }
}

fn looks_like_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty() && domain.contains('.') && !domain.starts_with('.') && !s.contains(' ')
}

pub(crate) async fn submit_topup(
    State(app): State<App>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let form = match read_form(&headers, body, app.config.body_limit).await {
        Ok(f) => f,
        Err(resp) => return resp,
    };
    let ctx = app.ctx(base_url(&headers));
    let mut st = app.lock();
    if let Err(e) = authorize(&st, &headers) {
        return api_error(e);
    }
    let form = match form {
        Ok(f) => f,
        Err(msg) => return api_error(ApiError::field("body", msg)),
    };
    let mut errors: Vec<(String, String)> = Vec::new();
    let iccid = form.get("iccid");
    let package_id = form.get("package_id");
    if iccid.is_none() {
        errors.push(("iccid".into(), "The iccid field is required.".into()));
    }
    if package_id.is_none() {
        errors.push((
            "package_id".into(),
            "The package id field is required.".into(),
        ));
    }
    let description = form.get("description").map(str::to_string);
    if description
        .as_ref()
        .is_some_and(|d| d.chars().count() > 255)
    {
        errors.push((
            "description".into(),
            "The description may not be greater than 255 characters.".into(),
        ));
    }
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
            let data = render::submitted_topup_json(&ctx, &st.orders[idx]);
            drop(st);
            success(data)
        }
        Err(e) => api_error(e),
    }
}

pub(crate) async fn list_orders(State(app): State<App>, headers: HeaderMap, uri: Uri) -> Response {
    let base = base_url(&headers);
    let ctx = app.ctx(base.clone());
    let st = app.lock();
    if let Err(e) = authorize(&st, &headers) {
        return api_error(e);
    }
    let q = Query::from_uri(&uri);
    let (limit, page) = match paging(&q) {
        Ok(p) => p,
        Err(e) => return api_error(e),
    };
    let range = match date_range(q.get("filter[created_at]")) {
        Ok(r) => r,
        Err(e) => return api_error(e),
    };
    if let Some(s) = q.get("filter[order_status]")
        && !["completed", "failed", "partially_refunded", "refunded"].contains(&s)
    {
        return api_error(ApiError::field(
            "filter.order_status",
            "The selected filter.order status is invalid.",
        ));
    }
    let inc = Includes::parse(q.get("include"));
    let code = q.get("filter[code]");
    let status = q.get("filter[order_status]");
    let iccid = q.get("filter[iccid]");
    let description = q.get("filter[description]");
    let selected: Vec<usize> = (0..st.orders.len())
        .rev()
        .filter(|&i| {
            let o = &st.orders[i];
            let day = o.created_at.date_naive();
            range.is_none_or(|(a, b)| day >= a && day <= b)
                && code.is_none_or(|c| contains_ci(&o.code, c))
                && status.is_none_or(|s| s == "completed")
                && description
                    .is_none_or(|d| o.description.as_deref().is_some_and(|x| contains_ci(x, d)))
                && iccid.is_none_or(|needle| {
                    o.sims.iter().any(|&s| st.sims[s].iccid.contains(needle))
                        || o.topup_iccid.as_deref().is_some_and(|t| t.contains(needle))
                })
        })
        .collect();
    let total = selected.len();
    let per_page = limit.unwrap_or(50);
    let items = page_slice(selected, page, per_page);
    let count = items.len();
    let data: Vec<Value> = items
        .into_iter()
        .map(|(_, i)| render::order_json(&ctx, &st, &st.orders[i], inc, false))
        .collect();
    drop(st);
    let (links, meta) = render::paginate(
        &format!("{base}/customer/v2/orders"),
        q.pairs(),
        page,
        per_page,
        total,
        count,
    );
    json_response(
        StatusCode::OK,
        &json!({"data": data, "links": links, "meta": meta}),
    )
}

pub(crate) async fn get_order(
    State(app): State<App>,
    headers: HeaderMap,
    uri: Uri,
    order_id: Result<Path<String>, PathRejection>,
) -> Response {
    let ctx = app.ctx(base_url(&headers));
    let st = app.lock();
    if let Err(e) = authorize(&st, &headers) {
        return api_error(e);
    }
    let order_id = match path_param(order_id) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let Some(idx) = st.order_idx(&order_id) else {
        return api_error(ApiError::NotFound);
    };
    let q = Query::from_uri(&uri);
    let inc = Includes::parse(q.get("include"));
    let data = render::order_json(&ctx, &st, &st.orders[idx], inc, true);
    drop(st);
    success(data)
}

// ------------------------------------------------------------------------- eSIMs

pub(crate) async fn list_sims(State(app): State<App>, headers: HeaderMap, uri: Uri) -> Response {
    let base = base_url(&headers);
    let ctx = app.ctx(base.clone());
    let mut st = app.lock();
    if let Err(e) = authorize(&st, &headers) {
        return api_error(e);
    }
    let q = Query::from_uri(&uri);
    let (limit, page) = match paging(&q) {
        Ok(p) => p,
        Err(e) => return api_error(e),
    };
    let range = match date_range(q.get("filter[created_at]")) {
        Ok(r) => r,
        Err(e) => return api_error(e),
    };
    st.tick_all(&app.cat, &app.config);
    let iccid = q.get("filter[iccid]");
    let selected: Vec<usize> = (0..st.sims.len())
        .rev()
        .filter(|&i| {
            let s = &st.sims[i];
            let day = s.created_at.date_naive();
            range.is_none_or(|(a, b)| day >= a && day <= b)
                && iccid.is_none_or(|needle| s.iccid.contains(needle))
        })
        .collect();
    let total = selected.len();
    let per_page = limit.unwrap_or(50);
    let items = page_slice(selected, page, per_page);
    let count = items.len();
    let data: Vec<Value> = items
        .into_iter()
        .map(|(_, i)| render::sim_json(&ctx, &st, &st.sims[i], SimShape::Esim))
        .collect();
    drop(st);
    let (links, meta) = render::paginate(
        &format!("{base}/customer/v2/sims"),
        q.pairs(),
        page,
        per_page,
        total,
        count,
    );
    json_response(
        StatusCode::OK,
        &json!({"data": data, "links": links, "meta": meta}),
    )
}

/// Common prologue of the `/sims/{iccid}/...` handlers: auth, 404, tick.
fn sim_prologue(
    app: &App,
    st: &mut crate::state::State,
    headers: &HeaderMap,
    iccid: Result<Path<String>, PathRejection>,
) -> Result<usize, Response> {
    authorize(st, headers).map_err(api_error)?;
    let iccid = path_param(iccid)?;
    st.sim_ticked(&iccid, &app.cat, &app.config)
        .map_err(api_error)
}

pub(crate) async fn get_sim(
    State(app): State<App>,
    headers: HeaderMap,
    iccid: Result<Path<String>, PathRejection>,
) -> Response {
    let ctx = app.ctx(base_url(&headers));
    let mut st = app.lock();
    let idx = match sim_prologue(&app, &mut st, &headers, iccid) {
        Ok(i) => i,
        Err(r) => return r,
    };
    let data = render::sim_json(&ctx, &st, &st.sims[idx], SimShape::Esim);
    drop(st);
    // Sic: the published example says "succes".
    success_with(data, "succes")
}

pub(crate) async fn instructions(
    State(app): State<App>,
    headers: HeaderMap,
    iccid: Result<Path<String>, PathRejection>,
) -> Response {
    let ctx = app.ctx(base_url(&headers));
    let mut st = app.lock();
    let idx = match sim_prologue(&app, &mut st, &headers, iccid) {
        Ok(i) => i,
        Err(r) => return r,
    };
    let language =
        render::instruction_language(headers.get(ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()));
    let body = render::instructions_json(&ctx, &st.sims[idx], &language);
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

pub(crate) async fn usage(
    State(app): State<App>,
    headers: HeaderMap,
    iccid: Result<Path<String>, PathRejection>,
) -> Response {
    let ctx = app.ctx(base_url(&headers));
    let mut st = app.lock();
    let idx = match sim_prologue(&app, &mut st, &headers, iccid) {
        Ok(i) => i,
        Err(r) => return r,
    };
    let key = st.sims[idx].iccid.clone();
    let info = match st.hit(
        "usage",
        &key,
        app.config.usage_per_minute_limit,
        std::time::Duration::from_secs(60),
    ) {
        Ok(i) => i,
        Err(e) => return api_error(e),
    };
    let data = render::usage_json(&ctx, &st.sims[idx]);
    drop(st);
    rate_headers(success_with(data, "api.succes"), info.limit, info.remaining)
}

pub(crate) async fn topups(
    State(app): State<App>,
    headers: HeaderMap,
    iccid: Result<Path<String>, PathRejection>,
) -> Response {
    let ctx = app.ctx(base_url(&headers));
    let mut st = app.lock();
    let idx = match sim_prologue(&app, &mut st, &headers, iccid) {
        Ok(i) => i,
        Err(r) => return r,
    };
    let sim = &st.sims[idx];
    let data: Vec<Value> = match sim.status() {
        SimStatus::Recycled => return api_error(recycled(&sim.iccid)),
        // Top-ups exist only for activated eSIMs.
        SimStatus::NotActive => Vec::new(),
        _ => app.cat.operators[sim.operator]
            .topups
            .iter()
            .map(|&p| render::topup_package_json(&ctx, &app.cat.packages[p]))
            .collect(),
    };
    drop(st);
    json_response(
        StatusCode::OK,
        &json!({"pricing": render::pricing_json(&ctx), "data": data}),
    )
}

pub(crate) async fn package_history(
    State(app): State<App>,
    headers: HeaderMap,
    iccid: Result<Path<String>, PathRejection>,
) -> Response {
    let ctx = app.ctx(base_url(&headers));
    let mut st = app.lock();
    let idx = match sim_prologue(&app, &mut st, &headers, iccid) {
        Ok(i) => i,
        Err(r) => return r,
    };
    let key = st.sims[idx].iccid.clone();
    let info = match st.hit("history", &key, 1, app.config.history_interval) {
        Ok(i) => i,
        Err(e) => return api_error(e),
    };
    let body = render::history_json(&ctx, &st.sims[idx]);
    drop(st);
    rate_headers(
        json_response(StatusCode::OK, &body),
        info.limit,
        info.remaining,
    )
}
