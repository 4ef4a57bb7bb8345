//! Orders area: orders and the balance they spend, their wire shapes and endpoints
//! (`submit_order`, `get_order_list`, `get_order`, `get_balance`).

mod handlers;
mod model;
pub(crate) mod render;

pub(crate) use handlers::{get_balance, get_order, get_order_list, submit_order};
pub(crate) use model::*;
