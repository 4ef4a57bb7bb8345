//! Hand-written wire types that replace spec components progenitor cannot model exactly.
//!
//! The API sends money as integers (`10`), floats (`22.5`) or numeric strings (`"9.50"`), and
//! some counters as integers or numeric strings (`"1"`, `"7"`). `cargo xtask gen` replaces the
//! spec's `Money` and `IntOrString` components with these types, whose `Deserialize` impls
//! accept every form and keep the value exact.
//!
//! Also the catalogue's compact shapes ([`PriceMap`], [`PackageCountryList`]) and the Submit
//! order form ([`SubmitOrderRequest`]), which the generated code cannot produce.

mod catalogue;
mod code;
mod numbers;
mod order;

pub use catalogue::{PackageCountryList, PriceMap, array_or_keyed, with_scratch};
pub use code::CurrencyCode;
pub use numbers::{IntOrString, Money};
pub use order::{SharingOption, SubmitOrderRequest, SubmitOrderType};

/// A visitor for a value read from a JSON string's text: `.0` says what is expected, `.1`
/// makes the value (it cannot fail).
struct TextVisitor<F>(&'static str, F);

impl<T, F: FnOnce(&str) -> T> serde::de::Visitor<'_> for TextVisitor<F> {
    type Value = T;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<T, E> {
        Ok((self.1)(v))
    }
}

#[cfg(test)]
mod tests {
    use super::numbers::StackText;
    use super::*;

    fn money(json: &str) -> Result<Money, serde_json::Error> {
        serde_json::from_str(json)
    }

    #[test]
    fn money_accepts_every_wire_form_exactly() {
        assert_eq!(money("10").unwrap().to_string(), "10");
        assert_eq!(money("22.5").unwrap().to_string(), "22.5");
        assert_eq!(money("\"9.50\"").unwrap().to_string(), "9.50");
        assert_eq!(money("0.558").unwrap().to_string(), "0.558");
        assert_eq!(money("47401").unwrap().to_string(), "47401");
        assert_eq!(money("-3.1").unwrap().to_string(), "-3.1");
    }

    #[test]
    fn money_reads_floats_of_every_size() {
        assert_eq!(money("1e-7").unwrap().to_string(), "0.0000001");
        assert_eq!(
            money("123456789012.25").unwrap().to_string(),
            "123456789012.25"
        );
        // Longer than the stack buffer: the allocating path gives the same answer.
        assert!(
            money("1e60")
                .unwrap_err()
                .to_string()
                .contains("out of range")
        );
        assert!(
            money("1e40")
                .unwrap_err()
                .to_string()
                .contains("out of range")
        );
        assert_eq!(money("1e20").unwrap().to_string(), "100000000000000000000");
    }

    #[test]
    fn stack_text_refuses_to_overflow() {
        use std::fmt::Write;
        let mut text = StackText::<4>::new();
        assert!(text.write_str("abcd").is_ok());
        assert!(text.write_str("e").is_err());
        assert_eq!(text.as_str(), "abcd");
    }

    #[test]
    fn price_map_is_sorted_and_keeps_the_last_repeated_code() {
        let map: PriceMap =
            serde_json::from_str(r#"{"USD": 4, "EUR": "3.44", "GBP": 3, "EUR": 3.5}"#).unwrap();
        let codes: Vec<&str> = map.iter().map(|(c, _)| c).collect();
        assert_eq!(codes, ["EUR", "GBP", "USD"]);
        assert_eq!(map.get("EUR").unwrap().to_string(), "3.5");
        assert_eq!(map.get("USD").unwrap().to_string(), "4");
        assert_eq!(map.get("usd"), None);
        assert_eq!(map.len(), 3);
        assert_eq!(
            serde_json::to_string(&map).unwrap(),
            r#"{"EUR":3.5,"GBP":3,"USD":4}"#
        );
        assert!(serde_json::from_str::<PriceMap>("{}").unwrap().is_empty());
        for bad in ["[]", "null", r#"{"USD": "x"}"#, "3"] {
            assert!(serde_json::from_str::<PriceMap>(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn package_country_list_takes_both_forms_and_refuses_others() {
        let list: PackageCountryList =
            serde_json::from_str(r#"[{"slug": "a"}, {"slug": "b"}]"#).unwrap();
        assert!(matches!(&list, PackageCountryList::Array(v) if v.len() == 2));
        let list: PackageCountryList =
            serde_json::from_str(r#"{"2": {"slug": "c"}, "3": {"slug": "d"}}"#).unwrap();
        assert!(
            matches!(&list, PackageCountryList::Object(m) if m.len() == 2 && m["3"].slug.as_deref() == Some("d"))
        );
        for bad in ["null", "3", r#""x""#, r#"[{"slug": 3}]"#, r#"{"1": []}"#] {
            assert!(
                serde_json::from_str::<PackageCountryList>(bad).is_err(),
                "{bad}"
            );
        }
        let round: PackageCountryList =
            serde_json::from_str(&serde_json::to_string(&list).unwrap()).unwrap();
        assert_eq!(round, list);
    }

    #[test]
    fn money_rejects_non_numbers() {
        for bad in ["\"abc\"", "\"\"", "true", "null", "[]", "{}"] {
            assert!(money(bad).is_err(), "{bad} must not decode");
        }
    }

    #[test]
    fn money_serializes_as_a_number() {
        assert_eq!(
            serde_json::to_string(&money("\"9.50\"").unwrap()).unwrap(),
            "9.5"
        );
        assert_eq!(serde_json::to_string(&money("10").unwrap()).unwrap(), "10");
    }

    #[test]
    fn int_or_string_accepts_both_forms() {
        let v: IntOrString = serde_json::from_str("\"7\"").unwrap();
        assert_eq!(v.value(), 7);
        let v: IntOrString = serde_json::from_str("7").unwrap();
        assert_eq!(v.value(), 7);
        let v: IntOrString = serde_json::from_str("7.0").unwrap();
        assert_eq!(v.value(), 7);
        for bad in ["\"7.5\"", "7.5", "\"x\"", "null", "18446744073709551615"] {
            assert!(serde_json::from_str::<IntOrString>(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn submit_order_form_repeats_list_keys() {
        let form = SubmitOrderRequest {
            description: Some("a & b".into()),
            to_email: Some("ada@example.com".into()),
            sharing_option: vec![SharingOption::Link, SharingOption::Pdf],
            copy_address: vec!["cc@example.com".into()],
            ..SubmitOrderRequest::new("pkg-1", std::num::NonZeroU64::new(2).unwrap())
        };
        let encoded = serde_urlencoded::to_string(&form).unwrap();
        assert_eq!(
            encoded,
            "quantity=2&package_id=pkg-1&type=sim&description=a+%26+b&to_email=ada%40example.com\
             &sharing_option%5B%5D=link&sharing_option%5B%5D=pdf&copy_address%5B%5D=cc%40example.com"
        );
    }
}
