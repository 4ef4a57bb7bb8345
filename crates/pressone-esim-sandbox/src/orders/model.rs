//! Orders and the balance they spend: the business rules of Submit order.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;

use crate::catalogue::{Catalog, PackageKind, PlanType, TestBehaviour};
use crate::config::{Pricing, SandboxConfig};
use crate::esims::Sim;
use crate::state::{FIRST_ORDER_ID, FIRST_SIM_ID, State, add_secs};
use crate::web::{ApiError, money2};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum OrderKind {
    Sim,
    Topup,
}

/// The status of an order (`status.slug` on the wire).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum OrderStatus {
    Completed,
    Failed,
    PartiallyRefunded,
    Refunded,
}

impl OrderStatus {
    pub(crate) const ALL: [OrderStatus; 4] = [
        OrderStatus::Completed,
        OrderStatus::Failed,
        OrderStatus::PartiallyRefunded,
        OrderStatus::Refunded,
    ];

    pub(crate) fn slug(self) -> &'static str {
        match self {
            OrderStatus::Completed => "completed",
            OrderStatus::Failed => "failed",
            OrderStatus::PartiallyRefunded => "partially_refunded",
            OrderStatus::Refunded => "refunded",
        }
    }

    pub(crate) fn name(self) -> &'static str {
        match self {
            OrderStatus::Completed => "Completed",
            OrderStatus::Failed => "Failed",
            OrderStatus::PartiallyRefunded => "Partially refunded",
            OrderStatus::Refunded => "Refunded",
        }
    }

    pub(crate) fn from_slug(slug: &str) -> Option<OrderStatus> {
        Self::ALL.into_iter().find(|s| s.slug() == slug)
    }
}

/// The e-mail sharing fields of Submit order, as received (the API sends the e-mail; the
/// sandbox only records it).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub(crate) struct OrderEmail {
    pub to_email: String,
    pub sharing_option: Vec<String>,
    pub copy_address: Vec<String>,
}

#[derive(Clone)]
pub(crate) struct Order {
    pub id: u64,
    pub code: String,
    pub created_at: DateTime<Utc>,
    pub kind: OrderKind,
    pub package: usize,
    pub quantity: u32,
    pub description: Option<String>,
    pub brand: Option<String>,
    pub sims: Vec<usize>,
    pub topup_iccid: Option<String>,
    /// Unit retail price (USD).
    pub price: Decimal,
    /// Unit net price (USD).
    pub net_price: Decimal,
    pub pricing: Pricing,
    /// Total charged to the balance.
    pub charged: Decimal,
    pub status: OrderStatus,
    pub email: Option<OrderEmail>,
}

pub(crate) struct NewOrder {
    pub package_id: String,
    pub quantity: u32,
    pub description: Option<String>,
    pub brand: Option<String>,
    pub email: Option<OrderEmail>,
}

/// The business error an Airalo test package forces on an order of `quantity`, if any.
fn forced_error(test: TestBehaviour, quantity: u32) -> Option<(u32, String)> {
    let (code, reason) = match test {
        TestBehaviour::InsufficientBalance => (
            11,
            "Insufficient PressOne Credit: test package forces this error.",
        ),
        TestBehaviour::Maintenance => (
            13,
            "The requested operator is currently undergoing maintenance. Please try again later.",
        ),
        TestBehaviour::NotEnoughStock => {
            let reason = format!(
                "Insufficient stock of eSIMs remaining: {quantity} requested, 0 available. Please try your request again later."
            );
            return Some((33, reason));
        }
        TestBehaviour::OutOfStock => (
            34,
            "The requested eSIM package is invalid or it is currently out of stock. Please try again later.",
        ),
        TestBehaviour::BadRequest => (43, "Bad request: test package forces this error."),
        TestBehaviour::UnexpectedError => (
            53,
            "An unexpected error occurred: test package forces this error.",
        ),
        TestBehaviour::Normal | TestBehaviour::DisabledTopup => return None,
    };
    Some((code, reason.to_string()))
}

impl State {
    pub(crate) fn unit_charge(pricing: Pricing, price: Decimal, net: Decimal) -> Decimal {
        match pricing {
            Pricing::Net => net,
            Pricing::Discount(_) => {
                let pct = Decimal::from(pricing.percentage());
                (price * (Decimal::ONE_HUNDRED - pct) / Decimal::ONE_HUNDRED)
                    .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
            }
        }
    }

    pub(crate) fn charge(&mut self, total: Decimal) -> Result<(), ApiError> {
        if self.balance - total < Decimal::ZERO {
            return Err(ApiError::Business {
                code: 11,
                reason: format!(
                    "Insufficient PressOne Credit: the order costs {} USD but the available balance is {} USD.",
                    money2(total),
                    money2(self.balance)
                ),
            });
        }
        self.balance -= total;
        Ok(())
    }

    pub fn submit_order(
        &mut self,
        req: NewOrder,
        cat: &Catalog,
        config: &SandboxConfig,
    ) -> Result<usize, ApiError> {
        let (pkg_idx, pkg) = cat
            .package(&req.package_id)
            .filter(|(_, p)| p.kind == PackageKind::Sim)
            .ok_or_else(|| ApiError::field("package_id", "The selected package is invalid."))?;
        if let Some((code, reason)) = forced_error(pkg.test, req.quantity) {
            return Err(ApiError::Business { code, reason });
        }
        let unit = Self::unit_charge(config.pricing, pkg.price, pkg.net_price);
        let total = unit * Decimal::from(req.quantity);
        self.charge(total)?;

        let now = self.now();
        let order_id = FIRST_ORDER_ID + self.orders.len() as u64;
        let op = &cat.operators[pkg.operator];
        let mut sim_idxs = Vec::new();
        for _ in 0..req.quantity {
            let iccid = self.new_iccid();
            let matching_id = format!(
                "{}-{}-{}-{}",
                self.alnum_upper(5),
                self.alnum_upper(5),
                self.alnum_upper(5),
                self.alnum_upper(5)
            );
            let msisdn = (op.plan_type == PlanType::VoiceText)
                .then(|| format!("88319060{}", self.digits(7)));
            let qr_signature = self.hex(64);
            let sharing_code = self.digits(4);
            let sharing_slug = self.alnum(10).to_ascii_lowercase();
            let entry = self.new_entry(pkg_idx, cat);
            let sim = Sim {
                id: FIRST_SIM_ID + self.sims.len() as u64,
                iccid: iccid.clone(),
                matching_id,
                created_at: now,
                order_id,
                operator: pkg.operator,
                msisdn,
                brand: req.brand.clone(),
                recycled_at: None,
                activated_at: None,
                packages: vec![entry],
                last_tick: now,
                carry: 0,
                qr_expires: add_secs(now, 365 * 86_400).timestamp(),
                qr_signature,
                sharing_code,
                sharing_slug,
                topups_disabled: pkg.test == TestBehaviour::DisabledTopup,
                topup_count: 0,
            };
            self.sim_index.insert(iccid, self.sims.len());
            sim_idxs.push(self.sims.len());
            self.sims.push(sim);
        }
        let code = format!("{}-{:06}", now.format("%Y%m%d"), order_id);
        self.orders.push(Order {
            id: order_id,
            code,
            created_at: now,
            kind: OrderKind::Sim,
            package: pkg_idx,
            quantity: req.quantity,
            description: req.description,
            brand: req.brand,
            sims: sim_idxs,
            topup_iccid: None,
            price: pkg.price,
            net_price: pkg.net_price,
            pricing: config.pricing,
            charged: total,
            status: OrderStatus::Completed,
            email: req.email,
        });
        Ok(self.orders.len() - 1)
    }

    /// Moves an order to `status` after the fact (control endpoint). A refund gives the charge
    /// back to the balance; a partial refund half of it (rounded down to the cent); a failed
    /// order gives back what is left of its charge.
    pub fn set_order_status(&mut self, idx: usize, status: OrderStatus) {
        let o = &self.orders[idx];
        let refunded = |s: OrderStatus, charged: Decimal| match s {
            OrderStatus::Completed => Decimal::ZERO,
            OrderStatus::PartiallyRefunded => (charged / Decimal::TWO)
                .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::ToZero),
            OrderStatus::Failed | OrderStatus::Refunded => charged,
        };
        let credit = refunded(status, o.charged) - refunded(o.status, o.charged);
        self.balance += credit;
        self.orders[idx].status = status;
    }

    pub fn order_idx(&self, id: &str) -> Option<usize> {
        let id: u64 = id.parse().ok()?;
        let idx = usize::try_from(id.checked_sub(FIRST_ORDER_ID)?).ok()?;
        (idx < self.orders.len()).then_some(idx)
    }
}
