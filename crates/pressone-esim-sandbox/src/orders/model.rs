//! Orders and the balance they spend: the business rules of Submit order.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;

use crate::catalogue::{Catalog, Package, PackageKind, PlanType, TestBehaviour};
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

/// What an order was for, as Submit order received it (`P` is the package id) and as the order
/// keeps it (`P` is the index into `Catalog::packages`). A top-up is one of its package.
#[derive(Clone)]
pub(crate) struct Placed<P = usize> {
    pub package: P,
    pub quantity: u32,
    pub description: Option<String>,
    pub brand: Option<String>,
    pub email: Option<OrderEmail>,
}

/// A Submit order request, its package named by id.
pub(crate) type NewOrder = Placed<String>;

/// What an order made.
#[derive(Clone)]
pub(crate) enum Made {
    /// The eSIMs of an eSIM order (indexes into `State::sims`).
    Sims(Vec<usize>),
    /// The eSIM a top-up loaded (its ICCID).
    Topup(String),
}

/// What an order cost.
#[derive(Clone, Copy)]
pub(crate) struct Charge {
    /// Unit retail price (USD).
    pub price: Decimal,
    /// Unit net price (USD).
    pub net_price: Decimal,
    pub pricing: Pricing,
    /// Total charged to the balance.
    pub charged: Decimal,
}

#[derive(Clone)]
pub(crate) struct Order {
    pub id: u64,
    pub created_at: DateTime<Utc>,
    pub placed: Placed,
    pub made: Made,
    pub charge: Charge,
    pub status: OrderStatus,
}

impl Order {
    pub(crate) fn kind(&self) -> OrderKind {
        match self.made {
            Made::Sims(_) => OrderKind::Sim,
            Made::Topup(_) => OrderKind::Topup,
        }
    }

    /// The order's code: its day and id, e.g. `20250101-001001`.
    pub(crate) fn code(&self) -> String {
        format!("{}-{:06}", self.created_at.format("%Y%m%d"), self.id)
    }

    /// The eSIMs an eSIM order created (none for a top-up).
    pub(crate) fn sims(&self) -> &[usize] {
        match &self.made {
            Made::Sims(sims) => sims,
            Made::Topup(_) => &[],
        }
    }

    /// The eSIM a top-up loaded.
    pub(crate) fn topup_iccid(&self) -> Option<&str> {
        match &self.made {
            Made::Sims(_) => None,
            Made::Topup(iccid) => Some(iccid),
        }
    }
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
    /// Charges `quantity` of `pkg` to the balance at the configured pricing (an error, and no
    /// charge, when the balance does not cover it).
    pub(crate) fn charge(
        &mut self,
        pkg: &Package,
        quantity: u32,
        config: &SandboxConfig,
    ) -> Result<Charge, ApiError> {
        let unit = match config.pricing {
            Pricing::Net => pkg.net_price,
            Pricing::Discount(_) => {
                let pct = Decimal::from(config.pricing.percentage());
                (pkg.price * (Decimal::ONE_HUNDRED - pct) / Decimal::ONE_HUNDRED)
                    .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
            }
        };
        let total = unit * Decimal::from(quantity);
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
        Ok(Charge {
            price: pkg.price,
            net_price: pkg.net_price,
            pricing: config.pricing,
            charged: total,
        })
    }

    /// The id the next order gets.
    pub(crate) fn next_order_id(&self) -> u64 {
        FIRST_ORDER_ID + self.orders.len() as u64
    }

    /// Records a completed order made at `created_at`; returns its index.
    pub(crate) fn record_order(
        &mut self,
        created_at: DateTime<Utc>,
        placed: Placed,
        made: Made,
        charge: Charge,
    ) -> usize {
        self.orders.push(Order {
            id: self.next_order_id(),
            created_at,
            placed,
            made,
            charge,
            status: OrderStatus::Completed,
        });
        self.orders.len() - 1
    }

    pub fn submit_order(
        &mut self,
        req: NewOrder,
        cat: &Catalog,
        config: &SandboxConfig,
    ) -> Result<usize, ApiError> {
        let (pkg_idx, pkg) = cat
            .package(&req.package)
            .filter(|(_, p)| p.kind == PackageKind::Sim)
            .ok_or_else(|| ApiError::field("package_id", "The selected package is invalid."))?;
        if let Some((code, reason)) = forced_error(pkg.test, req.quantity) {
            return Err(ApiError::Business { code, reason });
        }
        let charge = self.charge(pkg, req.quantity, config)?;

        let now = self.now();
        let order_id = self.next_order_id();
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
        let placed = Placed {
            package: pkg_idx,
            quantity: req.quantity,
            description: req.description,
            brand: req.brand,
            email: req.email,
        };
        Ok(self.record_order(now, placed, Made::Sims(sim_idxs), charge))
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
        let credit = refunded(status, o.charge.charged) - refunded(o.status, o.charge.charged);
        self.balance += credit;
        self.orders[idx].status = status;
    }

    pub fn order_idx(&self, id: &str) -> Option<usize> {
        let id: u64 = id.parse().ok()?;
        let idx = usize::try_from(id.checked_sub(FIRST_ORDER_ID)?).ok()?;
        (idx < self.orders.len()).then_some(idx)
    }
}
