//! The success-body decoders of the (provisional, DRF-style) voice API: the first byte picks
//! the operation, the rest is the body answered with 200 (or 201 for claims).
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use pressone_esim::Api;

#[path = "common.rs"]
mod common;

/// The voice operations, in the spec's order.
static VOICE: LazyLock<Vec<&'static str>> = LazyLock::new(|| common::operations(Api::Voice));

fuzz_target!(|data: &[u8]| {
    let Some((&selector, body)) = data.split_first() else {
        return;
    };
    let operation = VOICE[(selector & 0x7f) as usize % VOICE.len()];
    let status = if selector & 0x80 != 0 { 201 } else { 200 };
    common::check(operation, status, body);
});
