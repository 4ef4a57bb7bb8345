//! The success-body decoders of the data API (token included): the first byte picks the
//! operation, the rest is the body answered with 200.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use pressone_esim::Api;

#[path = "common.rs"]
mod common;

/// `request_access_token` and the data-eSIM operations, in the spec's order.
static DATA: LazyLock<Vec<&'static str>> = LazyLock::new(|| common::operations(Api::Data));

fuzz_target!(|data: &[u8]| {
    let Some((&selector, body)) = data.split_first() else {
        return;
    };
    common::check(DATA[selector as usize % DATA.len()], 200, body);
});
