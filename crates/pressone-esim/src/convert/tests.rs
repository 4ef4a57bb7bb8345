//! Unit tests of the conversions: formats, ordering, and values that are never made up.

use chrono::{NaiveDateTime, TimeZone, Utc};

use super::time::vendor_timestamp;
use super::usage::{WireUsage, usage};
use super::*;
use crate::raw::wire::{IntOrString, Money};
#[test]
fn timestamps_in_every_vendor_format() {
    let t = timestamp(Some("2023-02-27 14:09:55".into())).unwrap();
    assert_eq!(t.to_rfc3339(), "2023-02-27T14:09:55+00:00");
    let t = timestamp(Some("2023-01-09T10:30:45+02:00".into())).unwrap();
    assert_eq!(t.to_rfc3339(), "2023-01-09T08:30:45+00:00");
    assert!(timestamp(Some("2024-06-01".into())).is_some());
    assert!(timestamp(Some("".into())).is_none());
    assert!(timestamp(Some("yesterday".into())).is_none());
}

#[test]
fn the_fast_vendor_parser_agrees_with_chrono() {
    let chrono_parse = |s: &str| {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S")
            .ok()
            .map(|t| Utc.from_utc_datetime(&t))
    };
    for s in [
        "2023-02-27 14:09:55",
        "0000-01-01 00:00:00",
        "2024-02-29 23:59:59",
        "2023-02-29 10:00:00",
        "2023-13-01 10:00:00",
        "2023-01-01 24:00:00",
        "2023-01-01 23:59:60",
        "2023-01-01 23:5a:00",
        "2023-01-01T23:59:00",
        "2023-1-01 23:59:00",
        "+2023-01-01 23:59:0",
    ] {
        if let Some(fast) = vendor_timestamp(s) {
            assert_eq!(Some(fast), chrono_parse(s), "{s}");
        }
        // The public entry point answers as chrono alone did, fast path or not.
        let expected = chrono_parse(s).or_else(|| {
            NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S")
                .ok()
                .map(|t| Utc.from_utc_datetime(&t))
        });
        assert_eq!(timestamp(Some(s.to_string())), expected, "{s}");
    }
    assert!(vendor_timestamp("2023-02-27 14:09:55").is_some());
    assert!(vendor_timestamp("2023-01-01 23:59:60").is_none());
    assert!(timestamp(Some("2023-01-01 23:59:60".into())).is_some());
}

#[test]
fn index_keyed_pages_keep_numeric_order() {
    let mut map = serde_json::Map::new();
    for i in [10, 2, 11, 3] {
        map.insert(
            i.to_string(),
            serde_json::json!({"slug": format!("c{i}"), "title": format!("Country {i}")}),
        );
    }
    let body = serde_json::json!({ "data": map }).to_string();
    let slugs: Vec<_> = serde_json::from_str::<CatalogPage>(&body)
        .unwrap()
        .into_page(1)
        .unwrap()
        .items
        .into_iter()
        .map(|c| c.slug)
        .collect();
    assert_eq!(slugs, ["c2", "c3", "c10", "c11"]);
}

#[test]
fn unlimited_usage_hides_meaningless_zeros() {
    let u = usage(WireUsage {
        is_unlimited: Some(true),
        remaining: Some(0),
        total: Some(0),
        status: Some("ACTIVE".into()),
        ..voice_and_text()
    })
    .unwrap();
    assert_eq!(u.data_mb, None);
    assert_eq!(u.status, EsimStatus::Active);
    let u = usage(WireUsage {
        status: Some("SOMETHING_NEW".into()),
        remaining: Some(10),
        total: Some(20),
        ..voice_and_text()
    })
    .unwrap();
    assert_eq!(u.status, EsimStatus::Other("SOMETHING_NEW".into()));
    assert_eq!(u.remaining_mb(), Some(10));
}

fn voice_and_text() -> WireUsage<'static> {
    WireUsage {
        remaining_voice: Some(0),
        total_voice: Some(0),
        remaining_text: Some(0),
        total_text: Some(0),
        ..Default::default()
    }
}

/// The message and excerpt of a conversion's `Decode` error.
fn decode_error<T: std::fmt::Debug>(result: Result<T>) -> (String, String) {
    let err = result.unwrap_err();
    let ErrorKind::Decode { excerpt } = err.kind() else {
        panic!("not a Decode error: {err:?}");
    };
    (err.to_string(), excerpt.clone())
}

fn full_order() -> w::Order {
    w::Order {
        id: Some(9666),
        quantity: Some(IntOrString(2)),
        package_id: Some("kallur-digital-7days-1gb".into()),
        type_: Some("sim".into()),
        price: Some(Money(Decimal::new(950, 2))),
        code: Some("20230227-009666".into()),
        ..Default::default()
    }
}

#[test]
fn an_order_keeps_the_values_sent() {
    let o = order(full_order()).unwrap();
    assert_eq!((o.id, o.quantity), (9666, 2));
    assert_eq!(o.package_id, "kallur-digital-7days-1gb");
    assert_eq!(o.price, Some(Decimal::new(950, 2)));
}

#[test]
fn an_order_without_an_id_quantity_package_type_or_price_is_a_decode_error() {
    type Remove = fn(&mut w::Order);
    let cases: [(&str, Remove); 5] = [
        ("order id", |o| o.id = None),
        ("order quantity", |o| o.quantity = None),
        ("order package_id", |o| o.package_id = Some(" ".into())),
        ("order type", |o| o.type_ = None),
        ("order price", |o| o.price = None),
    ];
    for (what, remove) in cases {
        let mut raw = full_order();
        remove(&mut raw);
        let (message, excerpt) = decode_error(order(raw));
        assert!(message.contains(&format!("has no {what}")), "{message}");
        // The excerpt is the object as received: the code it did carry is quoted.
        assert!(excerpt.contains("20230227-009666"), "{what}: {excerpt}");
    }
}

#[test]
fn an_esim_without_an_iccid_is_a_decode_error() {
    let (message, _) = decode_error(esim(w::Esim::default()));
    assert!(message.contains("has no ICCID"), "{message}");
    let mut o = full_order();
    o.sims = vec![w::Sim::default()];
    let (message, _) = decode_error(order(o));
    assert!(message.contains("has no ICCID"), "{message}");
}

#[test]
fn a_balance_without_an_amount_is_a_decode_error() {
    let response = |balances| w::BalanceResponse {
        data: w::BalanceData { balances },
        meta: None,
    };
    let no_amount = w::Balance {
        name: Some("main".into()),
        available_balance: Some(w::AvailableBalance {
            amount: None,
            currency: Some("USD".into()),
        }),
    };
    let (message, excerpt) = decode_error(balances(response(Some(w::Balances::Balance(
        no_amount.clone(),
    )))));
    assert!(message.contains("has no balance amount"), "{message}");
    assert!(excerpt.contains("USD"), "{excerpt}");
    let no_available = w::Balance {
        available_balance: None,
        ..no_amount
    };
    decode_error(balances(response(Some(w::Balances::Array(vec![
        no_available,
    ])))));
    decode_error(balances(response(None)));
    assert_eq!(
        balances(response(Some(w::Balances::Array(Vec::new())))).unwrap(),
        Vec::new()
    );
}

#[test]
fn usage_and_history_without_a_status_are_decode_errors() {
    let (message, _) = decode_error(usage(voice_and_text()));
    assert!(message.contains("has no usage status"), "{message}");
    let limited = WireUsage {
        status: Some("ACTIVE".into()),
        ..voice_and_text()
    };
    let (message, _) = decode_error(usage(limited));
    assert!(message.contains("has no usage remaining"), "{message}");
    let (message, _) = decode_error(history_entry(w::PackageHistoryEntry::default()));
    assert!(message.contains("status"), "{message}");
}

#[test]
fn a_package_without_an_id_price_or_amount_is_a_decode_error() {
    let full = || w::Topup {
        id: Some("t-1".into()),
        type_: Some("topup".into()),
        title: Some("1 GB".into()),
        data: Some("1 GB".into()),
        day: Some(7),
        amount: Some(1024),
        price: Some(Money(Decimal::new(5, 0))),
        ..Default::default()
    };
    let p = topup(full()).unwrap();
    assert_eq!(p.data, DataAllowance::Limited { mb: 1024 });
    for what in ["id", "price", "amount", "day", "type"] {
        let mut raw = full();
        match what {
            "id" => raw.id = None,
            "price" => raw.price = None,
            "amount" => raw.amount = None,
            "day" => raw.day = None,
            _ => raw.type_ = None,
        }
        let (message, _) = decode_error(topup(raw));
        assert!(message.contains(&format!("package {what}")), "{message}");
    }
    // Unlimited packages need no amount (theirs reads 0 and means nothing).
    let unlimited = w::Topup {
        amount: None,
        data: Some("Unlimited".into()),
        ..full()
    };
    assert_eq!(topup(unlimited).unwrap().data, DataAllowance::Unlimited);
}

#[test]
fn blank_agrees_with_trimming() {
    for s in [
        "",
        " ",
        "\t\n",
        "\u{a0}",
        "\u{2003}",
        "\u{2003}x",
        "x",
        " x",
        "é",
        "-",
        "USD",
    ] {
        assert_eq!(super::blank(s), s.trim().is_empty(), "{s:?}");
    }
}
