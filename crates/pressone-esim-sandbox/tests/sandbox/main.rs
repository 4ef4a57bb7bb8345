//! Integration tests of the sandbox over real HTTP on 127.0.0.1, as one test binary (one link
//! instead of one per file).

#[path = "../common/mod.rs"]
mod common;

mod auth;
mod binary;
mod catalog;
mod conformance;
mod console;
mod control;
mod esims;
mod faults;
mod lifecycle;
mod operations;
mod order_lists;
mod orders;
mod robustness;
mod spec;
mod strictness;
mod support;
mod voice;
