//! Every operation of the client over real loopback HTTP: the request on the wire (method,
//! path, bracketed query names, headers, form or JSON body), the decoding of every documented
//! answer with the wire fixtures, and the normalized errors (401 after one refresh, 403 code
//! 89, 404, 400/422 validation with per-field messages, 422 business codes, 429).

mod account;
mod errors;
mod esims;
mod fidelity;
mod orders;
mod packages;
mod raw_hatch;
mod topups;
mod voice;

use std::time::Duration;

use chrono::{NaiveDate, TimeZone, Utc};
use httpmock::prelude::*;
use httpmock::{Method, Mock};
use pressone_esim::{
    ApnType, Balance, BusinessCode, Client, DataAllowance, DeviceOs, ErrorKind, EsimStatus,
    OperatorKind, OrderStatus, PackageKind, PackageType, PlanType, PricingModel, Remaining,
    RetryPolicy, SharingOption, SubscriptionStatus,
};
use serde_json::{Value, json};

use crate::common::*;

const ORDERS: &str = "/customer/v2/orders";
const VOICE: &str = "/api/third-party/partner";

fn sim_path(suffix: &str) -> String {
    format!("/customer/v2/sims/{ICCID}{suffix}")
}

/// A calendar day.
fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a valid date")
}

fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, s).unwrap()
}
