//! The raw client's tests, one test binary: the wire fixtures and the spec's examples decoded
//! into the generated types (`fixtures`), and every operation over real loopback HTTP
//! (`wire`).

mod fixtures;
mod wire;
