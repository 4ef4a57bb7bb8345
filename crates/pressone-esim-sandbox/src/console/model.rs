//! What the page shows, copied out of the sandbox state under its lock (rendering, QR codes
//! included, happens after the lock is released).

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde_json::Value;

use super::requests::{NextFault, RequestRecord};
use crate::esims::render::{lpa_string, usage_json};
use crate::esims::{PkgEntry, Sim};
use crate::orders::{Order, OrderKind};
use crate::web::{App, Ctx};

pub(super) struct View {
    pub now: DateTime<Utc>,
    pub clock_offset_secs: u64,
    pub balance: Decimal,
    pub active_tokens: usize,
    pub faults_configured: bool,
    /// Every order (eSIM or top-up), newest first; each one spent credit.
    pub orders: Vec<OrderView>,
    /// Newest first.
    pub esims: Vec<EsimView>,
    /// Newest first.
    pub requests: Vec<RequestRecord>,
    pub armed: Option<NextFault>,
}

pub(super) struct OrderView {
    pub id: u64,
    pub code: String,
    pub at: DateTime<Utc>,
    pub topup: bool,
    pub package_id: String,
    pub package_title: String,
    pub quantity: u32,
    pub description: Option<String>,
    pub unit_price: Decimal,
    pub net_price: Decimal,
    pub charged: Decimal,
    /// The eSIMs the order created, or the eSIM a top-up loaded.
    pub iccids: Vec<String>,
}

pub(super) struct EsimView {
    pub iccid: String,
    pub status: &'static str,
    pub created_at: DateTime<Utc>,
    pub order_id: u64,
    pub package_title: String,
    pub msisdn: Option<String>,
    pub lpa: String,
    pub sharing_link: String,
    pub sharing_code: String,
    pub usage: UsageView,
    /// Newest first.
    pub history: Vec<PackageView>,
}

/// Usage as Get usage reports it (the same computation).
pub(super) struct UsageView {
    pub total_mb: u64,
    pub remaining_mb: u64,
    pub unlimited: bool,
    pub expired_at: Option<String>,
    pub total_voice: u64,
    pub remaining_voice: u64,
    pub total_text: u64,
    pub remaining_text: u64,
}

pub(super) struct PackageView {
    pub id: u64,
    pub package_id: String,
    pub title: String,
    pub status: &'static str,
    pub remaining_mb: u64,
    pub activated_at: Option<DateTime<Utc>>,
    pub expired_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
}

impl View {
    /// Total credit spent by the orders shown.
    pub fn spent(&self) -> Decimal {
        self.orders.iter().map(|o| o.charged).sum()
    }
}

/// Brings every eSIM to the current time and copies what the page shows.
pub(super) fn gather(app: &App, base: &str) -> View {
    let ctx = app.ctx(base.to_string());
    let requests = app.console.requests();
    let armed = app.console.armed();
    let mut st = app.lock();
    st.tick_all(&app.cat, &app.config);
    let now = st.now();
    let orders = st
        .orders
        .iter()
        .rev()
        .map(|o| order_view(&ctx, o, &st.sims))
        .collect();
    let esims = st
        .sims
        .iter()
        .rev()
        .map(|s| esim_view(&ctx, s, base))
        .collect();
    View {
        now,
        clock_offset_secs: st.clock.offset().as_secs(),
        balance: st.balance,
        active_tokens: st.tokens.values().filter(|e| **e > now).count(),
        faults_configured: st.faults.is_active(),
        orders,
        esims,
        requests,
        armed,
    }
}

fn order_view(ctx: &Ctx<'_>, o: &Order, sims: &[Sim]) -> OrderView {
    let p = &ctx.cat.packages[o.package];
    let iccids = match o.kind {
        OrderKind::Sim => o
            .sims
            .iter()
            .filter_map(|&i| sims.get(i))
            .map(|s| s.iccid.clone())
            .collect(),
        OrderKind::Topup => o.topup_iccid.iter().cloned().collect(),
    };
    OrderView {
        id: o.id,
        code: o.code.clone(),
        at: o.created_at,
        topup: o.kind == OrderKind::Topup,
        package_id: p.id.clone(),
        package_title: p.title.clone(),
        quantity: o.quantity,
        description: o.description.clone(),
        unit_price: o.price,
        net_price: o.net_price,
        charged: o.charged,
        iccids,
    }
}

fn esim_view(ctx: &Ctx<'_>, s: &Sim, base: &str) -> EsimView {
    let first = s.packages.first().map(|e| &ctx.cat.packages[e.package]);
    let mut history: Vec<PackageView> = s.packages.iter().map(|e| package_view(ctx, e)).collect();
    history.sort_by_key(|p| std::cmp::Reverse(p.id));
    EsimView {
        iccid: s.iccid.clone(),
        status: s.status().as_str(),
        created_at: s.created_at,
        order_id: s.order_id,
        package_title: first.map(|p| p.title.clone()).unwrap_or_default(),
        msisdn: s.msisdn.clone(),
        lpa: lpa_string(ctx, s),
        sharing_link: format!("{base}/_sandbox/esims-cloud/{}", s.sharing_slug),
        sharing_code: s.sharing_code.clone(),
        usage: usage_view(&usage_json(ctx, s)),
        history,
    }
}

fn package_view(ctx: &Ctx<'_>, e: &PkgEntry) -> PackageView {
    let p = &ctx.cat.packages[e.package];
    PackageView {
        id: e.id,
        package_id: p.id.clone(),
        title: p.title.clone(),
        status: e.status.as_str(),
        remaining_mb: e.remaining_mb,
        activated_at: e.activated_at,
        expired_at: e.expired_at,
        finished_at: e.finished_at,
    }
}

fn usage_view(u: &Value) -> UsageView {
    let n = |k: &str| u.get(k).and_then(Value::as_u64).unwrap_or(0);
    UsageView {
        total_mb: n("total"),
        remaining_mb: n("remaining"),
        unlimited: u.get("is_unlimited").and_then(Value::as_bool) == Some(true),
        expired_at: u
            .get("expired_at")
            .and_then(Value::as_str)
            .map(str::to_string),
        total_voice: n("total_voice"),
        remaining_voice: n("remaining_voice"),
        total_text: n("total_text"),
        remaining_text: n("remaining_text"),
    }
}
