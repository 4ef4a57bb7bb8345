//! eSIMs area: eSIM state and lifecycle, wire shapes and endpoints (`get_esims_list`,
//! `get_esim`, `get_installation_instructions`, `get_usage`, `get_esim_package_history`).

mod handlers;
mod instructions;
mod model;
pub(crate) mod render;

pub(crate) use handlers::{
    get_esim, get_esim_package_history, get_esims_list, get_installation_instructions, get_usage,
};
pub(crate) use model::*;
