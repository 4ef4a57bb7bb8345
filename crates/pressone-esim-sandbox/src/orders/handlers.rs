//! Order endpoints: Submit order, Get order list, Get order, and Get balance.

use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderValue, Uri};
use axum::response::Response;
use serde_json::json;

use super::render::{Includes, order_json, submitted_order_json};
use super::{NewOrder, OrderEmail, OrderStatus};
use crate::body::Form;
use crate::catalogue::PackageKind;
use crate::web::{
    ApiError, Authed, AuthedForm, ListQuery, OrderRef, Query, api_error, contains_ci,
    description_field, includes, invalid, num, parse_int, success, validation_400,
};

/// The relations Get order list and Get order embed on `include`.
const ORDER_INCLUDES: [&str; 3] = ["sims", "user", "status"];

pub(crate) async fn get_balance(caller: Authed) -> Response {
    let amount = caller.lock().balance;
    // A partner without a balance account gets the empty array PressOne documents.
    let balances = if caller.app.config.balance_account {
        json!({
            "name": "balance",
            "availableBalance": {"amount": num(amount), "currency": "USD"},
        })
    } else {
        json!([])
    };
    let mut resp = success(json!({ "balances": balances }));
    // Documented as text/plain although the body is JSON.
    resp.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=UTF-8"),
    );
    resp
}

pub(crate) async fn submit_order(AuthedForm { caller, form }: AuthedForm) -> Response {
    let app = &caller.app;
    let ctx = caller.ctx();
    let mut st = caller.lock();
    let mut errors: Vec<(String, String)> = Vec::new();
    let quantity = match form.get("quantity") {
        None => {
            errors.push(invalid("quantity", "The quantity field is required."));
            None
        }
        Some(raw) => match parse_int(raw) {
            None => {
                errors.push(invalid("quantity", "The quantity must be an integer."));
                None
            }
            Some(n) if n < 1 => {
                errors.push(invalid("quantity", "The quantity must be at least 1."));
                None
            }
            Some(n) if n > 50 => {
                errors.push(invalid(
                    "quantity",
                    "The quantity may not be greater than 50.",
                ));
                None
            }
            Some(n) => u32::try_from(n).ok(),
        },
    };
    let package_id = form.get("package_id");
    match package_id {
        None => errors.push(invalid("package_id", "The package id field is required.")),
        Some(id) => {
            let ok = app
                .cat
                .package(id)
                .is_some_and(|(_, p)| p.kind == PackageKind::Sim);
            if !ok {
                errors.push(invalid("package_id", "The selected package is invalid."));
            }
        }
    }
    if let Some(t) = form.get("type")
        && t != "sim"
    {
        errors.push(invalid("type", "The selected type is invalid."));
    }
    let description = description_field(&form, &mut errors);
    let brand = form.get("brand_settings_name").map(str::to_string);
    if let Some(b) = &brand
        && !app.config.brands.is_empty()
        && !app.config.brands.iter().any(|x| x == b)
    {
        errors.push(invalid(
            "brand_settings_name",
            "Brand settings name doesn't exist.",
        ));
    }
    let email = email_fields(&form, &mut errors);
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
        package: package_id.to_string(),
        quantity,
        description,
        brand,
        email,
    };
    match st.submit_order(req, &app.cat, &app.config) {
        Ok(idx) => {
            let data = submitted_order_json(&ctx, &st, &st.orders[idx]);
            drop(st);
            success(data)
        }
        Err(e) => api_error(e),
    }
}

/// The e-mail sharing fields of Submit order. Laravel's array rules (`sharing_option.*`,
/// `copy_address.*`) apply whether or not `to_email` is present; `sharing_option` is required
/// with `to_email`. The fields are recorded on the order when `to_email` is given.
fn email_fields(form: &Form, errors: &mut Vec<(String, String)>) -> Option<OrderEmail> {
    let options = form.all_sent("sharing_option[]");
    for (i, o) in options.iter().enumerate() {
        if *o != "link" && *o != "pdf" {
            errors.push((
                format!("sharing_option.{i}"),
                format!("The selected sharing_option.{i} is invalid."),
            ));
        }
    }
    let copy_address = form.all_sent("copy_address[]");
    for (i, cc) in copy_address.iter().enumerate() {
        if !looks_like_email(cc) {
            errors.push((
                format!("copy_address.{i}"),
                format!("The copy_address.{i} must be a valid email address."),
            ));
        }
    }
    let to_email = form.sent("to_email")?;
    if !looks_like_email(to_email) {
        errors.push(invalid(
            "to_email",
            "The to email must be a valid email address.",
        ));
    }
    if options.is_empty() {
        errors.push(invalid(
            "sharing_option",
            "The sharing option field is required when to email is present.",
        ));
    }
    Some(OrderEmail {
        to_email: to_email.to_string(),
        sharing_option: options.iter().map(|o| o.to_string()).collect(),
        copy_address: copy_address.iter().map(|c| c.to_string()).collect(),
    })
}

fn looks_like_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty() && domain.contains('.') && !domain.starts_with('.') && !s.contains(' ')
}

/// Get order list. PressOne documents its validation errors under HTTP 400 (Airalo: 422).
pub(crate) async fn get_order_list(caller: Authed, uri: Uri) -> Response {
    let list = match ListQuery::parse(&uri) {
        Ok(l) => l,
        Err(e) => return validation_400(e),
    };
    let q = &list.q;
    // An enum filter sent empty is not one of its values (the spec's enum has no "").
    if let Some(s) = q.raw("filter[order_status]")
        && OrderStatus::from_slug(s.trim()).is_none()
    {
        return validation_400(ApiError::field(
            "filter.order_status",
            "The selected filter.order status is invalid.",
        ));
    }
    if let Err(e) = includes(q, &ORDER_INCLUDES) {
        return validation_400(e);
    }
    let inc = Includes::parse(q.get("include"));
    let code = q.get("filter[code]");
    let status = q.get("filter[order_status]");
    let iccid = q.get("filter[iccid]");
    let description = q.get("filter[description]");
    let ctx = caller.ctx();
    let st = caller.lock();
    let selected: Vec<usize> = (0..st.orders.len())
        .rev()
        .filter(|&i| {
            let o = &st.orders[i];
            list.created_on(o.created_at)
                && code.is_none_or(|c| contains_ci(&o.code(), c))
                && status.is_none_or(|s| s == o.status.slug())
                && description.is_none_or(|d| {
                    o.placed
                        .description
                        .as_deref()
                        .is_some_and(|x| contains_ci(x, d))
                })
                && iccid.is_none_or(|needle| {
                    o.sims().iter().any(|&s| st.sims[s].iccid.contains(needle))
                        || o.topup_iccid().is_some_and(|t| t.contains(needle))
                })
        })
        .collect();
    let path = format!("{}/customer/v2/orders", caller.base);
    list.respond(&path, selected, |i| {
        order_json(&ctx, &st, &st.orders[i], inc, false)
    })
}

pub(crate) async fn get_order(order: OrderRef, uri: Uri) -> Response {
    let ctx = order.caller.ctx();
    let st = order.caller.lock();
    let q = Query::from_uri(&uri);
    if let Err(e) = includes(&q, &ORDER_INCLUDES) {
        return api_error(e);
    }
    let inc = Includes::parse(q.get("include"));
    let data = order_json(&ctx, &st, &st.orders[order.idx], inc, true);
    drop(st);
    success(data)
}
