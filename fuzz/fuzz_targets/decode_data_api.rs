//! The success-body decoders of the data API (token included): the first byte picks the
//! operation, the rest is the body answered with 200.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pressone_esim::Api;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    common::check_success(Api::Data, data, |selector| (selector as usize, 200));
});
