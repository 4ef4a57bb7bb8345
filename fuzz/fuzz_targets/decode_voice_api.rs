//! The success-body decoders of the (provisional, DRF-style) voice API: the first byte picks
//! the operation, the rest is the body answered with 200 (or 201 for claims).
#![no_main]

use libfuzzer_sys::fuzz_target;
use pressone_esim::decode::OPERATIONS;

#[path = "common.rs"]
mod common;

const VOICE: std::ops::Range<usize> = 14..18;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, body)) = data.split_first() else {
        return;
    };
    let operation = OPERATIONS[VOICE.start + selector as usize % VOICE.len()];
    let status = if selector & 0x80 != 0 { 201 } else { 200 };
    common::check(operation, status, body);
});
