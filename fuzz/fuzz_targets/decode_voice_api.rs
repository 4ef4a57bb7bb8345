//! The success-body decoders of the (provisional, DRF-style) voice API: the first byte picks
//! the operation, the rest is the body answered with 200 (or 201 for claims).
#![no_main]

use libfuzzer_sys::fuzz_target;
use pressone_esim::Api;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    common::check_success(Api::Voice, data, |selector| {
        let status = if selector & 0x80 != 0 { 201 } else { 200 };
        ((selector & 0x7f) as usize, status)
    });
});
