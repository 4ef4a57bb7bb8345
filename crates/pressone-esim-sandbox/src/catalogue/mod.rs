//! Catalogue area: the fixed package catalogue, its wire shapes and its endpoints
//! (`get_packages`, `get_compatible_devices_lite`).

mod build;
mod data;
mod handlers;
mod model;
pub(crate) mod render;

pub(crate) use handlers::{get_compatible_devices_lite, get_packages};
pub(crate) use model::*;
