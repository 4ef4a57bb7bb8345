//! Property tests of every response decoder of the client (`pressone_esim::decode::response`,
//! the path the client's answers take): arbitrary bytes, arbitrary JSON trees, and mutations
//! of the reference fixtures never panic, and whatever fails is the right error kind with a
//! one-line message. The coverage-guided fuzz targets in `fuzz/` run the same decoders for
//! much longer; this is the short run of the normal test suite.

use std::sync::OnceLock;

use pressone_esim::ErrorKind;
use pressone_esim::decode::{OPERATIONS, response};
use pressone_esim_testkit::{FIXTURES_DIR, fixture_json};
use proptest::prelude::*;
use serde_json::Value;

/// Statuses the decoders see: successes, every documented error, and some undocumented ones.
const STATUSES: [u16; 16] = [
    200, 201, 204, 400, 401, 403, 404, 405, 409, 413, 422, 429, 500, 502, 503, 504,
];

/// Field names of the wire shapes, so that generated trees hit the decoders' fields.
const KEYS: [&str; 48] = [
    "data",
    "meta",
    "links",
    "message",
    "id",
    "code",
    "reason",
    "detail",
    "price",
    "net_price",
    "amount",
    "currency",
    "validity",
    "day",
    "remaining",
    "total",
    "is_unlimited",
    "status",
    "packages",
    "operators",
    "countries",
    "sims",
    "iccid",
    "lpa",
    "matching_id",
    "qrcode",
    "qrcode_url",
    "apn",
    "apn_type",
    "created_at",
    "expired_at",
    "results",
    "count",
    "next",
    "previous",
    "access_token",
    "expires_in",
    "balances",
    "available_balance",
    "quantity",
    "type",
    "title",
    "description",
    "per_page",
    "current_page",
    "last_page",
    "package_id",
    "topup",
];

/// Strings that the conversions parse (money, dates, statuses, limits) or choke on.
const TEXTS: [&str; 16] = [
    "",
    " ",
    "0",
    "-1",
    "9.50",
    "1e400",
    "79228162514264337593543950336",
    "NaN",
    "unlimited",
    "2025-01-02 03:04:05",
    "2025-13-45T99:99:99Z",
    "ACTIVE",
    "LPA:1$lpa.airalo.com$TEST",
    "\u{0}\u{1b}[31m\n\r",
    "é€😀",
    "null",
];

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        proptest::sample::select(&TEXTS[..]).prop_map(|s| Value::String(s.to_string())),
        "\\PC{0,16}".prop_map(Value::String),
    ]
}

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => proptest::sample::select(&KEYS[..]).prop_map(str::to_string),
        1 => "[a-z_0-9]{0,8}",
    ]
}

/// JSON trees up to 5 levels deep.
fn json() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(5, 96, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((key(), inner), 0..8)
                .prop_map(|fields| Value::Object(fields.into_iter().collect())),
        ]
    })
}

/// Decodes and checks what must hold for any input.
fn check(operation: &str, status: u16, body: &[u8]) -> Result<(), TestCaseError> {
    match response(operation, status, body) {
        Ok(value) => {
            prop_assert!((200..300).contains(&status), "{operation} {status} decoded");
            let _ = format!("{value:?}");
        }
        Err(err) => {
            let shown = err.to_string();
            prop_assert!(!shown.contains(['\n', '\r']), "not one line: {shown:?}");
            let _ = format!("{err:?}");
            let kind = err.kind();
            let expected = match status {
                200..=299 => matches!(kind, ErrorKind::Decode { .. }),
                401 => kind == &ErrorKind::Authentication,
                403 => matches!(kind, ErrorKind::Forbidden { .. }),
                404 => kind == &ErrorKind::NotFound,
                429 => matches!(kind, ErrorKind::RateLimited { .. }),
                400 | 422 => matches!(
                    kind,
                    ErrorKind::Validation { .. } | ErrorKind::Business { .. }
                ),
                500..=599 => kind == &ErrorKind::Server,
                _ => kind == &ErrorKind::UnexpectedStatus,
            };
            prop_assert!(expected, "{operation} {status}: {err:?}");
            prop_assert!(err.may_have_reached_server() && err.got_response());
        }
    }
    Ok(())
}

/// The reference fixtures as `(operation, status, body)`.
fn fixtures() -> &'static [(&'static str, u16, Value)] {
    static FIXTURES: OnceLock<Vec<(&'static str, u16, Value)>> = OnceLock::new();
    FIXTURES.get_or_init(|| {
        let operation = |name: &str| -> &'static str {
            match name {
                "request-access-token" => "request_access_token",
                "get-compatible-devices-lite" => "get_compatible_devices_lite",
                "get-packages" => "get_packages",
                "submit-order" | "future-orders" => "submit_order",
                "get-esim" => "get_esim",
                "get-installation-instructions" => "get_installation_instructions",
                "get-usage" => "get_usage",
                "get-topups" => "get_topups",
                "submit-topup" => "submit_topup",
                "get-order-list" => "get_order_list",
                "get-esims-list" => "get_esims_list",
                "get-esim-package-history" => "get_esim_package_history",
                other => panic!("a fixture of an unknown operation: {other}"),
            }
        };
        let mut out = Vec::new();
        for entry in std::fs::read_dir(FIXTURES_DIR).expect("fixtures") {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            if !name.ends_with(".json") {
                continue;
            }
            // airalo.<operation>.<status>[-variant].json
            let mut parts = name.splitn(3, '.');
            let (_, op, rest) = (parts.next(), parts.next().unwrap(), parts.next().unwrap());
            let status: u16 = rest[..3].parse().expect("status");
            let body: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap())
                .expect("fixture JSON");
            out.push((operation(op), status, body));
        }
        out.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
        assert!(out.len() >= 40, "{} fixtures", out.len());
        out
    })
}

#[test]
fn every_fixture_decodes_as_its_operation() {
    for (operation, status, body) in fixtures() {
        let bytes = serde_json::to_vec(body).unwrap();
        let result = response(operation, *status, &bytes);
        assert_eq!(
            result.is_ok(),
            (200..300).contains(status),
            "{operation} {status}: {result:?}"
        );
    }
}

/// Replaces, removes or retypes the value at a path chosen by `choices` (an index per level).
fn mutate(node: &mut Value, choices: &[usize], how: u8, replacement: Value) {
    if let Some((choice, rest)) = choices.split_first() {
        let remove = rest.is_empty() && how.is_multiple_of(4);
        match node {
            Value::Object(map) if !map.is_empty() => {
                let key = map.keys().nth(choice % map.len()).unwrap().clone();
                if remove {
                    map.remove(&key);
                } else {
                    mutate(map.get_mut(&key).unwrap(), rest, how, replacement);
                }
                return;
            }
            Value::Array(items) if !items.is_empty() => {
                let index = choice % items.len();
                if remove {
                    items.remove(index);
                } else {
                    mutate(&mut items[index], rest, how, replacement);
                }
                return;
            }
            _ => {}
        }
    }
    let retyped = match &*node {
        // Same value, other JSON type: numbers as strings and strings as numbers.
        Value::Number(n) => Value::String(n.to_string()),
        Value::String(s) => s
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map_or(Value::Null, Value::Number),
        Value::Array(items) => items.first().cloned().unwrap_or(Value::Null),
        other => Value::Array(vec![other.clone()]),
    };
    *node = if how % 4 == 1 { retyped } else { replacement };
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(
        operation in proptest::sample::select(&OPERATIONS[..]),
        status in proptest::sample::select(&STATUSES[..]),
        body in prop::collection::vec(any::<u8>(), 0..256),
    ) {
        check(operation, status, &body)?;
    }

    #[test]
    fn arbitrary_json_never_panics(
        operation in proptest::sample::select(&OPERATIONS[..]),
        status in proptest::sample::select(&STATUSES[..]),
        value in json(),
        envelope in any::<bool>(),
    ) {
        // Bare, and inside the data API's envelope (most decoders need `data`).
        let value = if envelope {
            serde_json::json!({"data": value, "meta": {"message": "success"}})
        } else {
            value
        };
        check(operation, status, &serde_json::to_vec(&value).unwrap())?;
    }

    #[test]
    fn mutated_fixtures_never_panic(
        fixture in any::<prop::sample::Index>(),
        mutations in prop::collection::vec(
            (prop::collection::vec(any::<usize>(), 1..6), any::<u8>(), leaf()),
            1..4,
        ),
        also_as in proptest::sample::select(&OPERATIONS[..]),
    ) {
        let (operation, status, body) = fixture.get(fixtures());
        let mut body = body.clone();
        for (path, how, replacement) in mutations {
            mutate(&mut body, &path, how, replacement);
        }
        let bytes = serde_json::to_vec(&body).unwrap();
        check(operation, *status, &bytes)?;
        // Another operation's answer where this one's was expected.
        check(also_as, 200, &bytes)?;
    }

    #[test]
    fn truncated_fixtures_never_panic(
        fixture in any::<prop::sample::Index>(),
        cut in any::<prop::sample::Index>(),
    ) {
        let (operation, status, body) = fixture.get(fixtures());
        let bytes = serde_json::to_vec(body).unwrap();
        let cut = cut.index(bytes.len());
        check(operation, *status, &bytes[..cut])?;
        check(operation, 200, &bytes[..cut])?;
    }
}

/// How a value the decoders must never invent is written, and how the decoded value shows it.
#[derive(Clone, Copy, Debug)]
enum Kind {
    /// An integer; shown as is.
    Int,
    /// An amount of money with one decimal; shown as is.
    Money,
    /// A string; shown quoted.
    Text,
    /// A status no enum variant names; shown as `Other("…")`.
    Status,
}

/// A value an answer must carry: the operation, its body, the JSON pointer of the object that
/// holds the field, the field, its kind, and how the decoded value's `Debug` shows it (`{}`).
struct Required {
    operation: &'static str,
    body: fn() -> Value,
    parent: &'static str,
    field: &'static str,
    kind: Kind,
    shown: &'static str,
}

fn limited_usage() -> Value {
    let mut body = fixture_json("airalo.get-usage.200.json");
    body["data"]["is_unlimited"] = Value::Bool(false);
    body
}

const REQUIRED: [Required; 16] = [
    Required {
        operation: "submit_order",
        body: || fixture_json("airalo.submit-order.200.json"),
        parent: "/data",
        field: "id",
        kind: Kind::Int,
        shown: "id: {}",
    },
    Required {
        operation: "submit_order",
        body: || fixture_json("airalo.submit-order.200.json"),
        parent: "/data",
        field: "quantity",
        kind: Kind::Int,
        shown: "quantity: {}",
    },
    Required {
        operation: "submit_order",
        body: || fixture_json("airalo.submit-order.200.json"),
        parent: "/data",
        field: "price",
        kind: Kind::Money,
        shown: "price: Some({})",
    },
    Required {
        operation: "submit_order",
        body: || fixture_json("airalo.submit-order.200.json"),
        parent: "/data",
        field: "package_id",
        kind: Kind::Text,
        shown: "package_id: {}",
    },
    Required {
        operation: "submit_order",
        body: || fixture_json("airalo.submit-order.200.json"),
        parent: "/data/sims/0",
        field: "iccid",
        kind: Kind::Text,
        shown: "iccid: {}",
    },
    Required {
        operation: "submit_topup",
        body: || fixture_json("airalo.submit-topup.200.json"),
        parent: "/data",
        field: "id",
        kind: Kind::Int,
        shown: "id: {}",
    },
    Required {
        operation: "submit_topup",
        body: || fixture_json("airalo.submit-topup.200.json"),
        parent: "/data",
        field: "price",
        kind: Kind::Money,
        shown: "price: Some({})",
    },
    Required {
        operation: "get_order_list",
        body: || fixture_json("airalo.get-order-list.200.json"),
        parent: "/data/0",
        field: "quantity",
        kind: Kind::Int,
        shown: "quantity: {}",
    },
    Required {
        operation: "get_esim",
        body: || fixture_json("airalo.get-esim.200.json"),
        parent: "/data",
        field: "iccid",
        kind: Kind::Text,
        shown: "iccid: {}",
    },
    Required {
        operation: "get_usage",
        body: limited_usage,
        parent: "/data",
        field: "status",
        kind: Kind::Status,
        shown: "status: {}",
    },
    Required {
        operation: "get_usage",
        body: limited_usage,
        parent: "/data",
        field: "remaining",
        kind: Kind::Int,
        shown: "remaining: {}",
    },
    Required {
        operation: "get_topups",
        body: || fixture_json("airalo.get-topups.200.json"),
        parent: "/data/0",
        field: "id",
        kind: Kind::Text,
        shown: "id: {}",
    },
    Required {
        operation: "get_topups",
        body: || fixture_json("airalo.get-topups.200.json"),
        parent: "/data/0",
        field: "price",
        kind: Kind::Money,
        shown: "price: Some({})",
    },
    Required {
        operation: "get_esim_package_history",
        body: || fixture_json("airalo.get-esim-package-history.200.json"),
        parent: "/data/0",
        field: "status",
        kind: Kind::Status,
        shown: "status: {}",
    },
    Required {
        operation: "get_packages",
        body: || fixture_json("airalo.get-packages.200.json"),
        parent: "/data/0/operators/0/packages/0",
        field: "price",
        kind: Kind::Money,
        shown: "price: Some({})",
    },
    Required {
        operation: "get_balance",
        body: || serde_json::json!({"data": {"balances": {"name": "main", "availableBalance": {"amount": 1, "currency": "USD"}}}, "meta": {"message": "success"}}),
        parent: "/data/balances/availableBalance",
        field: "amount",
        kind: Kind::Money,
        shown: "amount: {}",
    },
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    /// A value the answer must carry is decoded exactly as sent, and an answer without it (no
    /// field, `null`, blank text) is a `Decode` error: never a value the SDK made up.
    #[test]
    fn required_values_are_decoded_as_sent_never_invented(
        case in any::<prop::sample::Index>(),
        presence in 0u8..4,
        n in 1i64..1_000_000_000,
        tenth in 1u8..10,
    ) {
        let required = case.get(&REQUIRED[..]);
        let mut body = (required.body)();
        let parent = body
            .pointer_mut(required.parent)
            .and_then(Value::as_object_mut)
            .expect("the parent object is in the body");
        let (value, shown) = match required.kind {
            Kind::Int => (Value::from(n), n.to_string()),
            Kind::Money => {
                let text = format!("{n}.{tenth}");
                (serde_json::from_str(&text).unwrap(), text)
            }
            Kind::Text => (Value::String(format!("V{n}")), format!("\"V{n}\"")),
            Kind::Status => (Value::String(format!("S{n}")), format!("Other(\"S{n}\")")),
        };
        match presence {
            0 => { parent.remove(required.field); }
            1 => { parent.insert(required.field.into(), Value::Null); }
            2 if matches!(required.kind, Kind::Text | Kind::Status) => {
                parent.insert(required.field.into(), Value::String(" ".into()));
            }
            _ => { parent.insert(required.field.into(), value); }
        }
        let sent = presence == 3 || (presence == 2 && !matches!(required.kind, Kind::Text | Kind::Status));
        let result = response(required.operation, 200, &serde_json::to_vec(&body).unwrap());
        let what = format!("{} {}{}", required.operation, required.parent, required.field);
        match result {
            Ok(decoded) => {
                prop_assert!(sent, "{what} absent ({presence}) but decoded: {decoded:?}");
                let expected = required.shown.replace("{}", &shown);
                let decoded = format!("{decoded:?}");
                prop_assert!(decoded.contains(&expected), "{what}: {expected} not in {decoded}");
            }
            Err(err) => {
                prop_assert!(!sent, "{what} sent but refused: {err:?}");
                prop_assert!(matches!(err.kind(), ErrorKind::Decode { .. }), "{what}: {err:?}");
            }
        }
    }
}
