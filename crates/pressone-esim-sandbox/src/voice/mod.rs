//! Voice area (provisional, Django REST Framework style): numbers, users, endpoints
//! (`list_available_numbers`, `claim_number`, `renew_number`, `list_users`).

mod handlers;
mod model;
mod render;

pub(crate) use handlers::{claim_number, list_available_numbers, list_users, renew_number};
pub(crate) use model::*;
