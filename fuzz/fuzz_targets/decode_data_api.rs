//! The success-body decoders of the data API (token included): the first byte picks the
//! operation, the rest is the body answered with 200.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pressone_esim::decode::OPERATIONS;

#[path = "common.rs"]
mod common;

/// `request_access_token` and the 13 data-eSIM operations (the voice ones follow them).
const DATA: usize = 14;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, body)) = data.split_first() else {
        return;
    };
    common::check(OPERATIONS[selector as usize % DATA], 200, body);
});
