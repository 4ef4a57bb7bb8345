//! Decodes every wire fixture (`tests/fixtures/*.json` at the workspace root) and every example
//! embedded in `openapi/pressone-esim.yaml` into the generated type of its operation and status.
//!
//! Fixtures are named `airalo.<endpoint>.<status>[-<variant>].json`, `<endpoint>` being the
//! operation ID in kebab case. A success body decodes into the operation's response type, an
//! error body (401/404/422/429) into `types::ApiError`.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Debug;
use std::path::Path;
use std::str::FromStr;

/// The generated types, plus the hand-written ones that replace spec components.
mod types {
    pub use pressone_esim_raw::types::*;
    pub use pressone_esim_raw::wire::SubmitOrderRequest;
}
use pressone_esim_raw::OperationId;
use pressone_esim_raw::OperationId as O;
use pressone_esim_raw::wire::{IntOrString, Money};
use rust_decimal::Decimal;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

/// The repo copy of the fixtures, read by every test here.
const FIXTURES_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures");
/// The reference pack the fixtures were copied from (`<workspace>/../shared/reference/examples`).
const REFERENCE_DIR: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/reference/examples"
);
/// The spec the client is generated from.
const SPEC_PATH: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../openapi/pressone-esim.yaml"
);

/// Declares [`Shape`], one variant per generated type a body can decode into, named like the type.
macro_rules! shapes {
    ($($ty:ident),* $(,)?) => {
        /// A generated type that a request or response body decodes into.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        #[allow(clippy::enum_variant_names)]
        enum Shape {
            $($ty),*
        }

        impl Shape {
            /// Name of the type, which is also the name of its spec component.
            fn name(self) -> &'static str {
                match self {
                    $(Shape::$ty => stringify!($ty)),*
                }
            }

            /// Decodes `value` into the type and serializes it back.
            fn roundtrip(self, value: &Value) -> Result<Value, String> {
                match self {
                    $(Shape::$ty => roundtrip::<types::$ty>(value)),*
                }
            }
        }
    };
}

shapes!(
    // Responses of the data API.
    TokenResponse,
    BalanceResponse,
    DevicesResponse,
    PackagesResponse,
    SubmitOrderResponse,
    OrderListResponse,
    OrderResponse,
    EsimResponse,
    EsimListResponse,
    InstructionsResponse,
    UsageResponse,
    TopupsResponse,
    SubmitTopupResponse,
    PackageHistoryResponse,
    ApiError,
    // Responses of the voice API.
    AvailableNumberPage,
    VoiceUser,
    VoiceUserPage,
    VoiceError,
    // Request bodies.
    TokenRequest,
    SubmitOrderRequest,
    SubmitTopupRequest,
    ClaimNumberRequest,
    RenewNumberRequest,
);

fn roundtrip<T: DeserializeOwned + Serialize>(value: &Value) -> Result<Value, String> {
    let decoded: T = serde_json::from_value(value.clone()).map_err(|e| e.to_string())?;
    serde_json::to_value(&decoded).map_err(|e| format!("re-serializing failed: {e}"))
}

/// One operation of the spec: its ID, its request body type, its success (2xx) and error body
/// types.
struct Operation {
    id: OperationId,
    request: Option<Shape>,
    success: Shape,
    error: Shape,
}

const fn op(id: OperationId, request: Option<Shape>, success: Shape, error: Shape) -> Operation {
    Operation {
        id,
        request,
        success,
        error,
    }
}

/// The body types of each operation of the spec.
const OPERATIONS: &[Operation] = &[
    op(
        O::RequestAccessToken,
        Some(Shape::TokenRequest),
        Shape::TokenResponse,
        Shape::ApiError,
    ),
    op(O::GetBalance, None, Shape::BalanceResponse, Shape::ApiError),
    op(
        O::GetCompatibleDevicesLite,
        None,
        Shape::DevicesResponse,
        Shape::ApiError,
    ),
    op(
        O::GetPackages,
        None,
        Shape::PackagesResponse,
        Shape::ApiError,
    ),
    op(
        O::SubmitOrder,
        Some(Shape::SubmitOrderRequest),
        Shape::SubmitOrderResponse,
        Shape::ApiError,
    ),
    op(
        O::GetOrderList,
        None,
        Shape::OrderListResponse,
        Shape::ApiError,
    ),
    op(O::GetOrder, None, Shape::OrderResponse, Shape::ApiError),
    op(
        O::GetEsimsList,
        None,
        Shape::EsimListResponse,
        Shape::ApiError,
    ),
    op(O::GetEsim, None, Shape::EsimResponse, Shape::ApiError),
    op(
        O::GetInstallationInstructions,
        None,
        Shape::InstructionsResponse,
        Shape::ApiError,
    ),
    op(O::GetUsage, None, Shape::UsageResponse, Shape::ApiError),
    op(O::GetTopups, None, Shape::TopupsResponse, Shape::ApiError),
    op(
        O::SubmitTopup,
        Some(Shape::SubmitTopupRequest),
        Shape::SubmitTopupResponse,
        Shape::ApiError,
    ),
    op(
        O::GetEsimPackageHistory,
        None,
        Shape::PackageHistoryResponse,
        Shape::ApiError,
    ),
    op(
        O::ListAvailableNumbers,
        None,
        Shape::AvailableNumberPage,
        Shape::VoiceError,
    ),
    op(
        O::ClaimNumber,
        Some(Shape::ClaimNumberRequest),
        Shape::VoiceUser,
        Shape::VoiceError,
    ),
    op(
        O::RenewNumber,
        Some(Shape::RenewNumberRequest),
        Shape::VoiceUser,
        Shape::VoiceError,
    ),
    op(O::ListUsers, None, Shape::VoiceUserPage, Shape::VoiceError),
];

fn operation(id: &str) -> Option<&'static Operation> {
    OPERATIONS.iter().find(|o| o.id.as_str() == id)
}

/// The type a body of `status` of operation `id` decodes into: 2xx the success type, anything
/// else (declared or not, e.g. 429) the error type.
fn shape_for(id: &str, status: u16) -> Shape {
    let op = operation(id).unwrap_or_else(|| panic!("unknown operation {id}"));
    if (200..300).contains(&status) {
        op.success
    } else {
        op.error
    }
}

/// The operation a fixture's `<endpoint>` belongs to.
fn operation_of_endpoint(endpoint: &str) -> String {
    match endpoint {
        // Airalo's future-orders business error: the same body Submit order returns for an
        // invalid or out-of-stock package (the spec lists it under submit_order 422).
        "future-orders" => "submit_order".to_string(),
        other => other.replace('-', "_"),
    }
}

/// Every fixture file and the type it decodes into.
const FIXTURES: &[(&str, Shape)] = &[
    (
        "airalo.future-orders.422-invalid-package.json",
        Shape::ApiError,
    ),
    (
        "airalo.get-compatible-devices-lite.200.json",
        Shape::DevicesResponse,
    ),
    (
        "airalo.get-esim-package-history.200-apidog-2024-12.json",
        Shape::PackageHistoryResponse,
    ),
    (
        "airalo.get-esim-package-history.200-discount-pricing.json",
        Shape::PackageHistoryResponse,
    ),
    (
        "airalo.get-esim-package-history.200.json",
        Shape::PackageHistoryResponse,
    ),
    (
        "airalo.get-esim-package-history.404-invalid-iccid.json",
        Shape::ApiError,
    ),
    (
        "airalo.get-esim-package-history.429-rate-limit.json",
        Shape::ApiError,
    ),
    ("airalo.get-esim.200.json", Shape::EsimResponse),
    ("airalo.get-esims-list.200.json", Shape::EsimListResponse),
    ("airalo.get-esims-list.422.json", Shape::ApiError),
    (
        "airalo.get-installation-instructions.200.json",
        Shape::InstructionsResponse,
    ),
    ("airalo.get-order-list.200.json", Shape::OrderListResponse),
    ("airalo.get-order-list.422.json", Shape::ApiError),
    (
        "airalo.get-packages.200-discount-pricing.json",
        Shape::PackagesResponse,
    ),
    ("airalo.get-packages.200.json", Shape::PackagesResponse),
    (
        "airalo.get-topups.200-apidog-2024-12.json",
        Shape::TopupsResponse,
    ),
    (
        "airalo.get-topups.200-discount-pricing.json",
        Shape::TopupsResponse,
    ),
    (
        "airalo.get-topups.200-no-topups-available.json",
        Shape::TopupsResponse,
    ),
    ("airalo.get-topups.200.json", Shape::TopupsResponse),
    ("airalo.get-topups.404-invalid-iccid.json", Shape::ApiError),
    ("airalo.get-topups.422-recycled-sim.json", Shape::ApiError),
    (
        "airalo.get-usage.200-recycled-sim.json",
        Shape::UsageResponse,
    ),
    ("airalo.get-usage.200.json", Shape::UsageResponse),
    ("airalo.get-usage.404-invalid-iccid.json", Shape::ApiError),
    ("airalo.get-usage.429-rate-limit.json", Shape::ApiError),
    ("airalo.request-access-token.200.json", Shape::TokenResponse),
    (
        "airalo.request-access-token.401-client-authentication-failed.json",
        Shape::ApiError,
    ),
    (
        "airalo.request-access-token.422-invalid-client-id.json",
        Shape::ApiError,
    ),
    (
        "airalo.submit-order.200-discount-pricing.json",
        Shape::SubmitOrderResponse,
    ),
    (
        "airalo.submit-order.200-voice-data-package.json",
        Shape::SubmitOrderResponse,
    ),
    ("airalo.submit-order.200.json", Shape::SubmitOrderResponse),
    (
        "airalo.submit-order.422-brand-does-not-exist.json",
        Shape::ApiError,
    ),
    (
        "airalo.submit-order.422-sim-quantity-not-available.json",
        Shape::ApiError,
    ),
    ("airalo.submit-order.422.json", Shape::ApiError),
    (
        "airalo.submit-topup.200-apidog-2025-01.json",
        Shape::SubmitTopupResponse,
    ),
    (
        "airalo.submit-topup.200-discount-pricing.json",
        Shape::SubmitTopupResponse,
    ),
    ("airalo.submit-topup.200.json", Shape::SubmitTopupResponse),
    (
        "airalo.submit-topup.422-invalid-package-id.json",
        Shape::ApiError,
    ),
    (
        "airalo.submit-topup.422-purchase-limit-exceeded.json",
        Shape::ApiError,
    ),
    ("airalo.submit-topup.422-recycled-sim.json", Shape::ApiError),
    (
        "airalo.submit-topup.422-required-fields-missing.json",
        Shape::ApiError,
    ),
];

/// Splits `airalo.<endpoint>.<status>[-<variant>].json` into endpoint and status.
fn parse_name(name: &str) -> Result<(&str, u16), String> {
    let stem = name
        .strip_suffix(".json")
        .ok_or_else(|| format!("{name}: not a .json file"))?;
    let mut parts = stem.splitn(3, '.');
    let (Some(_vendor), Some(endpoint), Some(rest)) = (parts.next(), parts.next(), parts.next())
    else {
        return Err(format!(
            "{name}: not named <vendor>.<endpoint>.<status>[-<variant>].json"
        ));
    };
    let status = rest.split('-').next().unwrap_or_default();
    let status = status
        .parse()
        .map_err(|_| format!("{name}: status `{status}` is not a number"))?;
    Ok((endpoint, status))
}

fn fixture_text(name: &str) -> String {
    let path = Path::new(FIXTURES_DIR).join(name);
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{name}: cannot read {}: {e}", path.display()))
}

fn fixture(name: &str) -> Value {
    serde_json::from_str(&fixture_text(name)).unwrap_or_else(|e| panic!("{name}: not JSON: {e}"))
}

/// Decodes fixture `name` into `T`, naming the file on failure.
fn decode<T: DeserializeOwned>(name: &str) -> T {
    decode_value(name, fixture(name))
}

fn decode_value<T: DeserializeOwned>(what: &str, value: Value) -> T {
    serde_json::from_value(value).unwrap_or_else(|e| {
        panic!(
            "{what}: does not decode as {}: {e}",
            std::any::type_name::<T>()
        )
    })
}

/// Names of the `*.json` files of a folder.
fn json_files(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|entry| {
            entry
                .expect("directory entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|name| name.ends_with(".json"))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Fixture table
// ---------------------------------------------------------------------------------------------

#[test]
fn every_fixture_decodes_into_the_type_of_its_operation_and_status() {
    let mut failures = Vec::new();
    for &(name, shape) in FIXTURES {
        let text = fixture_text(name);
        let value: Value = match serde_json::from_str(&text) {
            Ok(v) => v,
            Err(e) => {
                failures.push(format!("{name}: not JSON: {e}"));
                continue;
            }
        };
        if let Err(e) = shape.roundtrip(&value) {
            failures.push(format!(
                "{name}: does not decode as types::{}: {e}",
                shape.name()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} fixture(s) failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn fixture_table_follows_the_file_names() {
    for &(name, shape) in FIXTURES {
        let (endpoint, status) = parse_name(name).unwrap_or_else(|e| panic!("{e}"));
        let op = operation_of_endpoint(endpoint);
        assert!(
            operation(&op).is_some(),
            "{name}: endpoint `{endpoint}` is no operation of the spec"
        );
        assert_eq!(
            shape,
            shape_for(&op, status),
            "{name}: table says {}, operation {op} status {status} says otherwise",
            shape.name()
        );
    }
}

#[test]
fn fixture_table_covers_the_folder_exactly() {
    let on_disk = json_files(Path::new(FIXTURES_DIR));
    let in_table: BTreeSet<String> = FIXTURES.iter().map(|(name, _)| name.to_string()).collect();
    assert_eq!(
        in_table.len(),
        FIXTURES.len(),
        "the fixture table lists a file twice"
    );
    let skipped: Vec<_> = on_disk.difference(&in_table).collect();
    let missing: Vec<_> = in_table.difference(&on_disk).collect();
    assert!(
        skipped.is_empty(),
        "fixture files not in the table (would be silently skipped): {skipped:?}"
    );
    assert!(
        missing.is_empty(),
        "table entries without a file in {FIXTURES_DIR}: {missing:?}"
    );
    assert_eq!(on_disk.len(), 41, "the reference pack has 41 examples");

    // Nothing else but the README sits beside them.
    for entry in std::fs::read_dir(FIXTURES_DIR).expect("fixtures folder") {
        let name = entry
            .expect("directory entry")
            .file_name()
            .to_string_lossy()
            .into_owned();
        assert!(
            name.ends_with(".json") || name == "README.md",
            "unexpected file in tests/fixtures: {name}"
        );
    }
}

#[test]
fn repo_copy_matches_the_reference_pack_byte_for_byte() {
    let reference = Path::new(REFERENCE_DIR);
    if !reference.is_dir() {
        println!(
            "note: {REFERENCE_DIR} not found; skipping the comparison of tests/fixtures with the reference pack"
        );
        return;
    }
    let theirs = json_files(reference);
    let ours = json_files(Path::new(FIXTURES_DIR));
    assert_eq!(
        ours, theirs,
        "tests/fixtures and the reference pack hold different files"
    );
    for name in &ours {
        let a = std::fs::read(Path::new(FIXTURES_DIR).join(name)).expect("fixture");
        let b = std::fs::read(reference.join(name)).expect("reference example");
        assert!(
            a == b,
            "{name}: tests/fixtures copy differs from {REFERENCE_DIR}/{name}"
        );
    }
}

/// Keys of `original` (with a non-empty value) that are absent from `reserialized`.
fn dropped_keys(original: &Value, reserialized: &Value, path: &str, out: &mut Vec<String>) {
    match (original, reserialized) {
        (Value::Object(a), Value::Object(b)) => {
            for (key, value) in a {
                let child = format!("{path}.{key}");
                let empty = match value {
                    Value::Null => true,
                    Value::Array(v) => v.is_empty(),
                    Value::Object(m) => m.is_empty(),
                    _ => false,
                };
                match b.get(key) {
                    Some(other) => dropped_keys(value, other, &child, out),
                    None if empty => {}
                    None => out.push(child),
                }
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                dropped_keys(x, y, &format!("{path}[{i}]"), out);
            }
        }
        _ => {}
    }
}

#[test]
fn dropped_keys_finds_missing_non_empty_keys_only() {
    let original = json!({"a": 1, "b": null, "c": [], "d": {"e": "x", "f": {}}, "g": [{"h": 2}]});
    let back = json!({"a": 1, "d": {}, "g": [{}]});
    let mut dropped = Vec::new();
    dropped_keys(&original, &back, "$", &mut dropped);
    assert_eq!(dropped, ["$.d.e", "$.g[0].h"]);
}

#[test]
fn generated_types_keep_every_field_of_the_fixtures() {
    // Unknown fields are tolerated on decode; this checks that the spec still models every field
    // the wire examples carry, so nothing is lost silently.
    let mut failures = Vec::new();
    for &(name, shape) in FIXTURES {
        let original = fixture(name);
        let back = shape
            .roundtrip(&original)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let mut dropped = Vec::new();
        dropped_keys(&original, &back, "$", &mut dropped);
        if !dropped.is_empty() {
            failures.push(format!("{name}: {}", dropped.join(", ")));
        }
    }
    assert!(
        failures.is_empty(),
        "fields dropped by the generated types:\n{}",
        failures.join("\n")
    );
}

// ---------------------------------------------------------------------------------------------
// Wire quirks
// ---------------------------------------------------------------------------------------------

fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).expect("decimal literal")
}

#[test]
fn quantity_as_string_and_as_integer_both_decode_to_one() {
    let order: types::SubmitOrderResponse = decode("airalo.submit-order.200.json");
    assert_eq!(
        fixture("airalo.submit-order.200.json")["data"]["quantity"],
        json!("1")
    );
    assert_eq!(order.data.quantity, Some(IntOrString(1)));

    let list: types::OrderListResponse = decode("airalo.get-order-list.200.json");
    assert_eq!(
        fixture("airalo.get-order-list.200.json")["data"][0]["quantity"],
        json!(1)
    );
    assert_eq!(list.data[0].quantity.map(IntOrString::value), Some(1));

    // `validity` has the same quirk the other way round.
    assert_eq!(order.data.validity, Some(IntOrString(7)));
    assert_eq!(list.data[0].validity, Some(IntOrString(7)));
    // And `per_page` is a string in the paginator.
    let packages: types::PackagesResponse = decode("airalo.get-packages.200.json");
    assert_eq!(packages.meta.and_then(|m| m.per_page), Some(IntOrString(2)));
}

#[test]
fn price_string_decodes_to_exactly_nine_fifty() {
    let list: types::OrderListResponse = decode("airalo.get-order-list.200.json");
    assert_eq!(
        fixture("airalo.get-order-list.200.json")["data"][0]["price"],
        json!("9.50")
    );
    let price = list.data[0].price.expect("price").value();
    assert_eq!(price, dec("9.50"));
    assert_eq!(price.to_string(), "9.50", "the scale of the string is kept");

    // The same amount sent as a float by Submit order.
    let order: types::SubmitOrderResponse = decode("airalo.submit-order.200.json");
    assert_eq!(order.data.price, Some(Money(dec("9.5"))));
}

#[test]
fn float_amount_stays_exactly_0_558() {
    let packages: types::PackagesResponse = decode("airalo.get-packages.200.json");
    let pressone_esim_raw::wire::PackageCountryList::Array(countries) = &packages.data else {
        panic!("page 1 must decode as an array");
    };
    let min = countries[0].min_price.as_ref().expect("min_price");
    let net = min.net_price.as_ref().expect("net_price");
    let kwd = net.get("KWD").expect("KWD").value();
    assert_eq!(kwd, dec("0.558"));
    assert_eq!(kwd.to_string(), "0.558");
    assert_eq!(net.get("VND").expect("VND").value(), dec("47401"));
    assert_eq!(net.get("CAD").expect("CAD").value(), dec("2.5"));
}

#[test]
fn packages_page_one_decodes_as_an_array() {
    let packages: types::PackagesResponse = decode("airalo.get-packages.200.json");
    let pressone_esim_raw::wire::PackageCountryList::Array(countries) = &packages.data else {
        panic!(
            "expected PackageCountryList::Array, got {:?}",
            packages.data
        );
    };
    let slugs: Vec<_> = countries
        .iter()
        .map(|c| c.slug.as_deref().unwrap_or_default())
        .collect();
    assert_eq!(slugs, ["united-states", "france"]);
    let package = &countries[0].operators[0].packages[0];
    assert_eq!(package.id.as_deref(), Some("change-in-7days-1gb"));
    assert_eq!(package.net_price, Some(Money(dec("1.8"))));
}

#[test]
fn packages_page_two_with_index_keys_decodes_as_an_object() {
    let mut page = fixture("airalo.get-packages.200.json");
    let Value::Array(entries) = page["data"].take() else {
        panic!("fixture data must be an array");
    };
    // Page 2 with limit=2: Laravel keeps the collection keys of the whole catalogue.
    let keyed: serde_json::Map<String, Value> = entries
        .iter()
        .enumerate()
        .map(|(i, entry)| ((i + 2).to_string(), entry.clone()))
        .collect();
    page["data"] = Value::Object(keyed);
    page["meta"]["current_page"] = json!(2);

    let page1: types::PackagesResponse = decode("airalo.get-packages.200.json");
    let page2: types::PackagesResponse =
        decode_value("page 2 built from airalo.get-packages.200.json", page);
    let pressone_esim_raw::wire::PackageCountryList::Object(by_key) = &page2.data else {
        panic!("expected PackageCountryList::Object, got {:?}", page2.data);
    };
    let pressone_esim_raw::wire::PackageCountryList::Array(list) = &page1.data else {
        unreachable!()
    };
    assert_eq!(by_key.keys().collect::<Vec<_>>(), ["2", "3"]);
    assert_eq!(by_key.values().cloned().collect::<Vec<_>>(), *list);
}

#[test]
fn spec_page_two_example_decodes_as_an_object() {
    let (examples, _) = spec_examples();
    let page2 = examples
        .iter()
        .find(|e| e.place.starts_with("get_packages 200") && e.name.contains("page-2"))
        .expect("the spec carries a page-2 example of get_packages");
    let decoded: types::PackagesResponse = decode_value(&page2.place, page2.value.clone());
    let pressone_esim_raw::wire::PackageCountryList::Object(by_key) = &decoded.data else {
        panic!(
            "{}: expected PackageCountryList::Object, got {:?}",
            page2.place, decoded.data
        );
    };
    assert!(!by_key.is_empty());
    assert!(
        by_key.keys().all(|k| k.parse::<u64>().is_ok()),
        "keys are catalogue indexes"
    );
}

#[test]
fn nulls_decode_as_none() {
    let packages: types::PackagesResponse = decode("airalo.get-packages.200.json");
    let links = packages.links.expect("links");
    assert_eq!(links.prev, None, "prev is null on page 1");
    assert!(links.next.is_some());
    let pressone_esim_raw::wire::PackageCountryList::Array(countries) = packages.data else {
        unreachable!()
    };
    let package = &countries[0].operators[0].packages[0];
    assert_eq!(
        (package.voice, package.text),
        (None, None),
        "voice/text are null for data-only packages"
    );

    let list: types::OrderListResponse = decode("airalo.get-order-list.200.json");
    let sim = &list.data[0].sims[0];
    assert_eq!(sim.imsis, None);
    assert_eq!(sim.airalo_code, None);
    assert_eq!(sim.apn_value, None);
    assert_eq!(sim.confirmation_code, None);

    // Every fixture with a null somewhere still decodes (covered by the table); count them so a
    // fixture edit that removes all nulls is noticed.
    let with_nulls = FIXTURES
        .iter()
        .filter(|(name, _)| fixture_text(name).contains("null"))
        .count();
    assert!(with_nulls >= 10, "only {with_nulls} fixtures carry nulls");
}

#[test]
fn unknown_fields_are_tolerated() {
    let name = "airalo.get-packages.200.json";
    let plain: types::PackagesResponse = decode(name);
    let mut extended = fixture(name);
    extended["brand_new_top_level"] = json!({"nested": [1, 2, 3]});
    extended["meta"]["request_id"] = json!("abc-123");
    extended["data"][0]["brand_new_country_field"] = json!(true);
    extended["data"][0]["operators"][0]["brand_new_operator_field"] = json!(null);
    extended["data"][0]["operators"][0]["packages"][0]["brand_new_package_field"] = json!(4.25);
    let decoded: types::PackagesResponse = decode_value("get-packages with extra fields", extended);
    assert_eq!(decoded, plain, "extra fields change nothing");

    let name = "airalo.submit-order.200.json";
    let plain: types::SubmitOrderResponse = decode(name);
    let mut extended = fixture(name);
    extended["data"]["brand_new_order_field"] = json!("x");
    extended["data"]["sims"][0]["brand_new_sim_field"] = json!({"a": 1});
    let decoded: types::SubmitOrderResponse =
        decode_value("submit-order with extra fields", extended);
    assert_eq!(decoded, plain);

    // Error bodies keep unknown keys (`additionalProperties: {}`).
    let mut error = fixture("airalo.submit-order.422.json");
    error["trace_id"] = json!("t-1");
    let decoded: types::ApiError = decode_value("submit-order 422 with extra field", error);
    assert_eq!(decoded.extra.get("trace_id"), Some(&json!("t-1")));
}

#[test]
fn error_fixtures_decode_into_their_parts() {
    let business: types::ApiError = decode("airalo.future-orders.422-invalid-package.json");
    assert_eq!(business.code, Some(json!(34)));
    assert!(
        business
            .reason
            .as_deref()
            .unwrap_or_default()
            .contains("out of stock")
    );

    let validation: types::ApiError = decode("airalo.get-order-list.422.json");
    assert_eq!(
        validation.data.as_ref().and_then(|d| d.get("limit")),
        Some(&json!("The limit must be an integer."))
    );
    assert_eq!(
        validation.meta,
        Some(json!({"message": "the parameter is invalid"}))
    );

    let not_found: types::ApiError = decode("airalo.get-topups.404-invalid-iccid.json");
    assert_eq!(not_found.data, Some(json!([])));

    let rate_limited: types::ApiError = decode("airalo.get-usage.429-rate-limit.json");
    assert_eq!(rate_limited.message.as_deref(), Some("Too Many Attempts."));

    let auth: types::ApiError =
        decode("airalo.request-access-token.401-client-authentication-failed.json");
    assert_eq!(
        auth.meta,
        Some(json!({"message": "Client authentication failed"}))
    );
}

#[test]
fn success_fixtures_carry_their_key_values() {
    let token: types::TokenResponse = decode("airalo.request-access-token.200.json");
    assert_eq!(token.data.access_token, "<access token>");
    assert_eq!(token.data.expires_in, Some(31_622_400));

    let devices: types::DevicesResponse = decode("airalo.get-compatible-devices-lite.200.json");
    assert!(devices.data.len() > 90, "{} devices", devices.data.len());

    let none: types::TopupsResponse = decode("airalo.get-topups.200-no-topups-available.json");
    assert!(none.data.is_empty());

    let usage: types::UsageResponse = decode("airalo.get-usage.200.json");
    assert_eq!(
        (usage.data.remaining, usage.data.total),
        (Some(767), Some(2048))
    );
    assert_eq!(usage.data.status.as_deref(), Some("ACTIVE"));

    let esim: types::EsimResponse = decode("airalo.get-esim.200.json");
    assert_eq!(
        esim.data.simable.and_then(|o| o.price),
        Some(Money(dec("9.50")))
    );
}

// ---------------------------------------------------------------------------------------------
// Spec examples
// ---------------------------------------------------------------------------------------------

fn spec() -> Value {
    let text = std::fs::read_to_string(SPEC_PATH)
        .unwrap_or_else(|e| panic!("cannot read {SPEC_PATH}: {e}"));
    serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{SPEC_PATH}: not YAML: {e}"))
}

/// One example found in the spec.
struct SpecExample {
    /// Where it is, for messages: `get_usage 200 airalo.get-usage.200`.
    place: String,
    /// Its name (`airalo.get-usage.200`, `illustrative`).
    name: String,
    shape: Shape,
    value: Value,
}

const METHODS: &[&str] = &["get", "put", "post", "delete", "patch", "head", "options"];

/// `#/components/schemas/Name` → `Name`.
fn schema_ref(content: &Value) -> Option<&str> {
    content["schema"]["$ref"]
        .as_str()
        .and_then(|r| r.strip_prefix("#/components/schemas/"))
}

/// Every example of the spec with the type it must decode into; panics when a schema `$ref`
/// disagrees with the operation table (the table would then test the wrong type).
fn spec_examples() -> (Vec<SpecExample>, BTreeSet<String>) {
    let spec = spec();
    let mut examples = Vec::new();
    let mut seen_operations = BTreeSet::new();
    let paths = spec["paths"].as_object().expect("paths");
    for (path, item) in paths {
        for &method in METHODS {
            let Some(operation_value) = item.get(method) else {
                continue;
            };
            let id = operation_value["operationId"]
                .as_str()
                .unwrap_or_else(|| panic!("{method} {path}: no operationId"));
            let op = operation(id).unwrap_or_else(|| {
                panic!("operation {id} ({method} {path}) is not in the test table")
            });
            seen_operations.insert(id.to_string());

            if let Some(content) = operation_value["requestBody"]["content"].as_object() {
                let request = op
                    .request
                    .unwrap_or_else(|| panic!("{id}: has a request body, the table says none"));
                for (media, body) in content {
                    assert_eq!(
                        schema_ref(body),
                        Some(request.name()),
                        "{id} request {media}: schema"
                    );
                    for (name, example) in body["examples"].as_object().into_iter().flatten() {
                        examples.push(SpecExample {
                            place: format!("{id} request {media} {name}"),
                            name: name.clone(),
                            shape: request,
                            value: example["value"].clone(),
                        });
                    }
                }
            } else {
                assert!(
                    op.request.is_none(),
                    "{id}: the table expects a request body"
                );
            }

            let responses = operation_value["responses"]
                .as_object()
                .unwrap_or_else(|| panic!("{id}: no responses"));
            for (status, response) in responses {
                let code: u16 = status.parse().unwrap_or_else(|_| {
                    panic!("{id}: response `{status}` is not an explicit status")
                });
                let shape = shape_for(id, code);
                for (media, body) in response["content"].as_object().into_iter().flatten() {
                    assert_eq!(
                        schema_ref(body),
                        Some(shape.name()),
                        "{id} {status} {media}: schema"
                    );
                    for (name, example) in body["examples"].as_object().into_iter().flatten() {
                        assert!(
                            example.get("value").is_some(),
                            "{id} {status} {name}: example without value"
                        );
                        examples.push(SpecExample {
                            place: format!("{id} {status} {media} {name}"),
                            name: name.clone(),
                            shape,
                            value: example["value"].clone(),
                        });
                    }
                }
            }

            for (name, example) in operation_value["x-undeclared-examples"]
                .as_object()
                .into_iter()
                .flatten()
            {
                let code = example["status"]
                    .as_u64()
                    .unwrap_or_else(|| panic!("{id} x-undeclared-examples {name}: no status"));
                let code = u16::try_from(code).expect("status fits u16");
                assert!(
                    !responses.contains_key(&code.to_string()),
                    "{id}: {code} is declared yet listed as undeclared"
                );
                examples.push(SpecExample {
                    place: format!("{id} undeclared {code} {name}"),
                    name: name.clone(),
                    shape: shape_for(id, code),
                    value: example["value"].clone(),
                });
            }
        }
    }
    (examples, seen_operations)
}

#[test]
fn every_spec_example_decodes_into_the_type_of_its_operation_and_status() {
    let (examples, seen) = spec_examples();
    let all: BTreeSet<String> = OPERATIONS.iter().map(|o| o.id.to_string()).collect();
    assert_eq!(seen, all, "the spec's operations and the test table differ");
    let table: BTreeSet<String> = OperationId::ALL.iter().map(|o| o.to_string()).collect();
    assert_eq!(
        all, table,
        "the test table and the generated OperationId differ"
    );

    let mut failures = Vec::new();
    for example in &examples {
        if let Err(e) = example.shape.roundtrip(&example.value) {
            failures.push(format!(
                "{}: does not decode as types::{}: {e}",
                example.place,
                example.shape.name()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} spec example(s) failed:\n{}",
        failures.len(),
        failures.join("\n")
    );

    // Every operation carries at least one success example.
    for op in OPERATIONS {
        assert!(
            examples
                .iter()
                .any(|e| e.place.starts_with(&format!("{} 2", op.id))),
            "{}: no success example in the spec",
            op.id
        );
    }
    assert!(
        examples.len() >= 41 + 10,
        "only {} examples found in the spec",
        examples.len()
    );
    println!("{} spec examples decoded", examples.len());
}

#[test]
fn spec_examples_named_after_fixtures_equal_the_fixtures() {
    let (examples, _) = spec_examples();
    let mut by_name: BTreeMap<&str, Vec<&SpecExample>> = BTreeMap::new();
    for example in &examples {
        if example.name.starts_with("airalo.") {
            by_name
                .entry(example.name.as_str())
                .or_default()
                .push(example);
        }
    }
    let mut failures = Vec::new();
    for (name, found) in &by_name {
        let file = format!("{name}.json");
        if !FIXTURES.iter().any(|(f, _)| *f == file) {
            failures.push(format!("{}: no fixture {file}", found[0].place));
            continue;
        }
        let expected = fixture(&file);
        for example in found {
            if example.value != expected {
                failures.push(format!(
                    "{}: value differs from tests/fixtures/{file}",
                    example.place
                ));
            }
        }
    }
    for (file, _) in FIXTURES {
        let name = file.trim_end_matches(".json");
        if !by_name.contains_key(name) {
            failures.push(format!(
                "{file}: not embedded in the spec as example `{name}`"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "spec examples and fixtures disagree:\n{}",
        failures.join("\n")
    );
}
