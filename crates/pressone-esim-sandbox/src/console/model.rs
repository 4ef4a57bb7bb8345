//! What the page shows, copied out of the sandbox state under its lock (rendering, QR codes
//! included, happens after the lock is released).

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;

use super::requests::{NextFault, RequestRecord};
use crate::control::Snapshot;
use crate::esims::render::{Usage, lpa_string, usage};
use crate::esims::{PkgEntry, Sim};
use crate::orders::{Made, Order};
use crate::web::{App, Ctx};

pub(super) struct View {
    /// The figures `GET /_sandbox/state` reports (balance, clock, tokens, faults).
    pub snapshot: Snapshot,
    /// Every order (eSIM or top-up), newest first; each one spent credit.
    pub orders: Vec<OrderView>,
    /// Newest first.
    pub esims: Vec<EsimView>,
    /// Newest first.
    pub requests: Vec<RequestRecord>,
    pub armed: Option<NextFault>,
}

/// An order as recorded, with its package's names and the ICCIDs it touched.
pub(super) struct OrderView {
    pub order: Order,
    pub package_id: String,
    pub package_title: String,
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
    /// The same figures Get usage reports.
    pub usage: Usage,
    /// Newest first.
    pub history: Vec<PackageView>,
}

/// A package entry as recorded, with its package's names.
pub(super) struct PackageView {
    pub entry: PkgEntry,
    pub package_id: String,
    pub title: String,
}

impl View {
    /// Total credit spent by the orders shown.
    pub fn spent(&self) -> Decimal {
        self.orders.iter().map(|o| o.order.charge.charged).sum()
    }
}

/// Brings every eSIM to the current time and copies what the page shows.
pub(super) fn gather(app: &App, base: &str) -> View {
    let ctx = app.ctx(base.to_string());
    let requests = app.console.requests();
    let armed = app.console.armed();
    let mut st = app.lock();
    st.tick_all(&app.cat, &app.config);
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
        snapshot: st.snapshot(),
        orders,
        esims,
        requests,
        armed,
    }
}

fn order_view(ctx: &Ctx<'_>, o: &Order, sims: &[Sim]) -> OrderView {
    let p = &ctx.cat.packages[o.placed.package];
    let iccids = match &o.made {
        Made::Sims(made) => made
            .iter()
            .filter_map(|&i| sims.get(i))
            .map(|s| s.iccid.clone())
            .collect(),
        Made::Topup(iccid) => vec![iccid.clone()],
    };
    OrderView {
        order: o.clone(),
        package_id: p.id.clone(),
        package_title: p.title.clone(),
        iccids,
    }
}

fn esim_view(ctx: &Ctx<'_>, s: &Sim, base: &str) -> EsimView {
    let first = s.packages.first().map(|e| &ctx.cat.packages[e.package]);
    let mut history: Vec<PackageView> = s.packages.iter().map(|e| package_view(ctx, e)).collect();
    history.sort_by_key(|p| std::cmp::Reverse(p.entry.id));
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
        usage: usage(ctx, s),
        history,
    }
}

fn package_view(ctx: &Ctx<'_>, e: &PkgEntry) -> PackageView {
    let p = &ctx.cat.packages[e.package];
    PackageView {
        entry: e.clone(),
        package_id: p.id.clone(),
        title: p.title.clone(),
    }
}
