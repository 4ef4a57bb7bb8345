//! Error answers of any operation: the first byte picks the operation, the second the status,
//! the rest is the body (JSON of the data or voice API's shapes, an HTML page, anything).
#![no_main]

use libfuzzer_sys::fuzz_target;
use pressone_esim::decode::OPERATIONS;

#[path = "common.rs"]
mod common;

const STATUSES: [u16; 20] = [
    400, 401, 403, 404, 405, 408, 409, 413, 418, 422, 429, 500, 502, 503, 504, 301, 304, 199, 201,
    204,
];

fuzz_target!(|data: &[u8]| {
    let [op, status, body @ ..] = data else {
        return;
    };
    let operation = OPERATIONS[*op as usize % OPERATIONS.len()];
    let status = STATUSES[*status as usize % STATUSES.len()];
    common::check(operation, status, body);
});
