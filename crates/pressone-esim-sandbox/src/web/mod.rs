//! The HTTP layer shared by every area: the application state, the router (built from the
//! [`Operation`] table), extractors, query parsing and response helpers.

mod extract;
mod query;
mod respond;
mod wire;

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use axum::Router;
use axum::http::{Method, Uri};
use axum::response::Response;
use axum::routing::{MethodRouter, get, post};

pub(crate) use extract::{Authed, AuthedForm, EsimRef, OrderRef, base_url};
pub(crate) use query::{
    ListQuery, Query, contains_ci, description_field, includes, page_slice, paginate, paging,
    parse_int, read_form,
};
pub(crate) use respond::{
    ApiError, api_error, detail, invalid, json_response, meta_message, success, success_with,
    too_many, validation_400, with_headers,
};
pub(crate) use wire::{Ctx, iso, money2, num, opt, ymd_hms};

use crate::catalogue::Catalog;
use crate::config::SandboxConfig;
use crate::operation::{Operation, Served};
use crate::state::State;
use crate::{auth, catalogue, console, control, esims, orders, topups, voice};

/// State shared by all handlers. All mutable state sits behind the one mutex; handlers never
/// hold it across an `.await`.
pub(crate) struct Shared {
    state: Mutex<State>,
    pub cat: Catalog,
    pub config: SandboxConfig,
    /// The console's CSRF token, request log and armed fault.
    pub console: crate::console::Console,
}

impl Shared {
    pub fn new(config: SandboxConfig) -> Shared {
        Shared {
            state: Mutex::new(State::new(&config)),
            cat: Catalog::build(),
            config,
            console: crate::console::Console::new(),
        }
    }

    /// Locks the state; a poisoned lock (impossible without a panic) is recovered.
    pub fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub fn ctx(&self, base: String) -> Ctx<'_> {
        Ctx {
            cat: &self.cat,
            config: &self.config,
            base,
        }
    }
}

pub(crate) type App = Arc<Shared>;

/// The handler of each operation: the one place an [`Operation`] meets its area's code.
fn handler(op: Operation) -> MethodRouter<App> {
    match op {
        Operation::RequestAccessToken => post(auth::request_access_token),
        Operation::GetBalance => get(orders::get_balance),
        Operation::GetCompatibleDevicesLite => get(catalogue::get_compatible_devices_lite),
        Operation::GetPackages => get(catalogue::get_packages),
        Operation::SubmitOrder => post(orders::submit_order),
        Operation::GetOrderList => get(orders::get_order_list),
        Operation::GetOrder => get(orders::get_order),
        Operation::SubmitTopup => post(topups::submit_topup),
        Operation::GetEsimsList => get(esims::get_esims_list),
        Operation::GetEsim => get(esims::get_esim),
        Operation::GetInstallationInstructions => get(esims::get_installation_instructions),
        Operation::GetUsage => get(esims::get_usage),
        Operation::GetTopups => get(topups::get_topups),
        Operation::GetEsimPackageHistory => get(esims::get_esim_package_history),
        Operation::ListAvailableNumbers => get(voice::list_available_numbers),
        Operation::ClaimNumber => post(voice::claim_number),
        Operation::RenewNumber => post(voice::renew_number),
        Operation::ListUsers => get(voice::list_users),
    }
}

/// Builds the router with every operation of the table (plus the aliases
/// [`Operation::classify`] knows), the fault layer, the control routes and the 404/405
/// fallbacks.
pub(crate) fn build_router(app: App) -> Router {
    let mut api = Router::new();
    for op in Operation::ALL {
        api = api.route(op.path(), handler(op));
        if op.is_voice() {
            api = api.route(op.path().trim_end_matches('/'), handler(op));
        }
    }
    // The typo of the published usage example, answered like the real path.
    let api = api
        .route(
            "/cusomter/v2/sims/{iccid}/usage",
            handler(Operation::GetUsage),
        )
        .method_not_allowed_fallback(method_not_allowed)
        .layer(axum::middleware::from_fn_with_state(
            app.clone(),
            crate::faults::fault_layer,
        ));
    api.merge(control::routes())
        .merge(console::routes())
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        // Outermost: the console's request log sees every API request, faulted or not.
        .layer(axum::middleware::from_fn_with_state(
            app.clone(),
            console::record_layer,
        ))
        .with_state(app)
}

fn is_voice_path(path: &str) -> bool {
    path.starts_with("/api/")
}

async fn not_found(uri: Uri) -> Response {
    if is_voice_path(uri.path()) {
        detail(axum::http::StatusCode::NOT_FOUND, "Not found.")
    } else {
        api_error(ApiError::NotFound)
    }
}

async fn method_not_allowed(method: Method, uri: Uri) -> Response {
    let status = axum::http::StatusCode::METHOD_NOT_ALLOWED;
    if is_voice_path(uri.path()) {
        detail(status, &format!("Method \"{method}\" not allowed."))
    } else {
        meta_message(
            status,
            &format!("The {method} method is not supported for this route."),
        )
    }
}
