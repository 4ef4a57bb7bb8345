//! The `include` parameter of the order and eSIM reads: relations the server embeds in the
//! answer, as typed options.

/// A relation the order reads ([`ListOrders`](crate::ListOrders),
/// [`GetOrder`](crate::GetOrder)) can embed. The SDK always asks for the ones it reads
/// ([`Sims`](Self::Sims), [`Status`](Self::Status), and [`User`](Self::User) on Get order);
/// add others with `.include(..)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum OrderInclude {
    /// The order's eSIMs (`sims`).
    Sims,
    /// The partner's user who placed it (`user`, read into [`Order::user`](crate::Order::user)).
    User,
    /// The order's status (`status`).
    Status,
}

impl OrderInclude {
    /// The name the API takes.
    pub fn as_str(self) -> &'static str {
        match self {
            OrderInclude::Sims => "sims",
            OrderInclude::User => "user",
            OrderInclude::Status => "status",
        }
    }
}

/// A relation the eSIM reads ([`ListEsims`](crate::ListEsims), [`GetEsim`](crate::GetEsim))
/// can embed. The SDK always asks for [`Order`](Self::Order) and
/// [`OrderStatus`](Self::OrderStatus); add others with `.include(..)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum EsimInclude {
    /// The eSIM's order (`order`, read into [`Esim::order`](crate::Esim::order)).
    Order,
    /// The order's status (`order.status`).
    OrderStatus,
    /// The partner's user who placed the order (`order.user`, read into
    /// [`Order::user`](crate::Order::user)).
    OrderUser,
    /// The eSIMs Cloud sharing details (`share`, read into
    /// [`Esim::sharing`](crate::Esim::sharing)).
    Share,
}

impl EsimInclude {
    /// The name the API takes.
    pub fn as_str(self) -> &'static str {
        match self {
            EsimInclude::Order => "order",
            EsimInclude::OrderStatus => "order.status",
            EsimInclude::OrderUser => "order.user",
            EsimInclude::Share => "share",
        }
    }
}

/// A relation of an `include` parameter, by its name on the wire.
pub(crate) trait Relation: Copy + PartialEq {
    fn name(self) -> &'static str;
}

impl Relation for OrderInclude {
    fn name(self) -> &'static str {
        self.as_str()
    }
}

impl Relation for EsimInclude {
    fn name(self) -> &'static str {
        self.as_str()
    }
}

/// The `include` value: `defaults` then `extra`, each relation once, comma-separated.
pub(crate) fn value<T: Relation>(defaults: &[T], extra: &[T]) -> String {
    let mut seen: Vec<T> = Vec::with_capacity(defaults.len() + extra.len());
    for r in defaults.iter().chain(extra) {
        if !seen.contains(r) {
            seen.push(*r);
        }
    }
    seen.into_iter().map(T::name).collect::<Vec<_>>().join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_first_each_once() {
        assert_eq!(
            value(
                &[EsimInclude::Order, EsimInclude::OrderStatus],
                &[
                    EsimInclude::Share,
                    EsimInclude::Order,
                    EsimInclude::OrderUser
                ]
            ),
            "order,order.status,share,order.user"
        );
    }
}
