//! Hand-written wire types that replace spec components progenitor cannot model exactly.
//!
//! The API sends money as integers (`10`), floats (`22.5`) or numeric strings (`"9.50"`), and
//! some counters as integers or numeric strings (`"1"`, `"7"`). `cargo xtask gen` replaces the
//! spec's `Money` and `IntOrString` components with these types, whose `Deserialize` impls
//! accept every form and keep the value exact.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An exact amount of money as the wire sends it: integer, float or numeric string.
///
/// Floats are read through their shortest round-trip representation, so the JSON text `0.558`
/// becomes exactly `0.558`, not the nearest binary fraction.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Money(pub Decimal);

impl Money {
    /// The exact decimal value.
    pub fn value(self) -> Decimal {
        self.0
    }
}

impl From<Decimal> for Money {
    fn from(value: Decimal) -> Self {
        Money(value)
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl FromStr for Money {
    type Err = rust_decimal::Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Decimal::from_str(s.trim()).map(Money)
    }
}

impl Serialize for Money {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // The wire form of a number: an integer when it is whole, else a float whose shortest
        // representation is the decimal's text (exact for every amount the API uses).
        if let (true, Ok(i)) = (self.0.fract().is_zero(), i64::try_from(self.0)) {
            return serializer.serialize_i64(i);
        }
        match f64::try_from(self.0) {
            Ok(f) => serializer.serialize_f64(f),
            Err(_) => serializer.serialize_str(&self.0.to_string()),
        }
    }
}

impl<'de> Deserialize<'de> for Money {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct MoneyVisitor;

        impl Visitor<'_> for MoneyVisitor {
            type Value = Money;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an amount of money as a number or a numeric string")
            }

            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Money, E> {
                Ok(Money(Decimal::from(v)))
            }

            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Money, E> {
                Ok(Money(Decimal::from(v)))
            }

            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Money, E> {
                if !v.is_finite() {
                    return Err(E::custom("an amount of money must be finite"));
                }
                // `Display` for f64 prints the shortest text that round-trips, with no exponent.
                // Every amount fits the stack buffer; only absurd magnitudes (which `Decimal`
                // rejects anyway) take the allocating path.
                let mut buffer = StackText::<48>::new();
                let parsed = if fmt::Write::write_fmt(&mut buffer, format_args!("{v}")).is_ok() {
                    Decimal::from_str(buffer.as_str())
                } else {
                    Decimal::from_str(&v.to_string())
                };
                parsed
                    .map(Money)
                    .map_err(|_| E::custom(format!("amount {v} is out of range")))
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Money, E> {
                Money::from_str(v).map_err(|_| E::invalid_value(de::Unexpected::Str(v), &self))
            }
        }

        deserializer.deserialize_any(MoneyVisitor)
    }
}

/// A fixed-size text buffer on the stack; writing past its end fails instead of allocating.
struct StackText<const N: usize> {
    bytes: [u8; N],
    len: usize,
}

impl<const N: usize> StackText<N> {
    fn new() -> Self {
        StackText {
            bytes: [0; N],
            len: 0,
        }
    }

    fn as_str(&self) -> &str {
        // Only whole `&str`s are ever copied in, so the prefix is valid UTF-8.
        std::str::from_utf8(&self.bytes[..self.len]).unwrap_or_default()
    }
}

impl<const N: usize> fmt::Write for StackText<N> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let end = self.len.checked_add(s.len()).ok_or(fmt::Error)?;
        let slot = self.bytes.get_mut(self.len..end).ok_or(fmt::Error)?;
        slot.copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

impl schemars::JsonSchema for Money {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Money".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "An amount of money: an integer, a float or a numeric string.",
            "anyOf": [
                {"type": "number"},
                {"type": "string", "pattern": "^-?[0-9]+(\\.[0-9]+)?$"}
            ]
        })
    }
}

/// An integer the wire sends either as a number or as a numeric string (`7` or `"7"`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct IntOrString(pub i64);

impl IntOrString {
    /// The integer value.
    pub fn value(self) -> i64 {
        self.0
    }
}

impl From<i64> for IntOrString {
    fn from(value: i64) -> Self {
        IntOrString(value)
    }
}

impl fmt::Display for IntOrString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl Serialize for IntOrString {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_i64(self.0)
    }
}

impl<'de> Deserialize<'de> for IntOrString {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct IntVisitor;

        impl Visitor<'_> for IntVisitor {
            type Value = IntOrString;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an integer or a string holding an integer")
            }

            fn visit_i64<E: de::Error>(self, v: i64) -> Result<IntOrString, E> {
                Ok(IntOrString(v))
            }

            fn visit_u64<E: de::Error>(self, v: u64) -> Result<IntOrString, E> {
                i64::try_from(v)
                    .map(IntOrString)
                    .map_err(|_| E::invalid_value(de::Unexpected::Unsigned(v), &self))
            }

            fn visit_f64<E: de::Error>(self, v: f64) -> Result<IntOrString, E> {
                // `7.0` is an integer; `7.5` is not.
                if v.fract() == 0.0 && v.abs() < 9.0e15 {
                    Ok(IntOrString(v as i64))
                } else {
                    Err(E::invalid_value(de::Unexpected::Float(v), &self))
                }
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<IntOrString, E> {
                v.trim()
                    .parse::<i64>()
                    .map(IntOrString)
                    .map_err(|_| E::invalid_value(de::Unexpected::Str(v), &self))
            }
        }

        deserializer.deserialize_any(IntVisitor)
    }
}

impl schemars::JsonSchema for IntOrString {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "IntOrString".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "An integer sent as a number or as a numeric string.",
            "anyOf": [
                {"type": "integer"},
                {"type": "string", "pattern": "^-?[0-9]+$"}
            ]
        })
    }
}

/// Amounts per currency code, as the wire sends them: `{"USD": 4, "EUR": 3.44}`.
///
/// Replaces the spec's `PriceMap` component (an object of [`Money`]). A catalogue carries two
/// of these per package, so the type is a compact list sorted by currency rather than a
/// `BTreeMap`, whose smallest node alone is about 450 bytes: 20,000 packages with three
/// currencies each took 18 MB as maps and take under 8 MB as lists. When a key repeats, the
/// last value wins, as in a map.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PriceMap(Vec<(String, Money)>);

impl PriceMap {
    /// An empty map.
    pub fn new() -> Self {
        PriceMap(Vec::new())
    }

    /// The amount in `currency`, if the map has one (codes compare exactly: `USD`).
    pub fn get(&self, currency: &str) -> Option<Money> {
        self.0
            .binary_search_by(|(code, _)| code.as_str().cmp(currency))
            .ok()
            .and_then(|i| self.0.get(i))
            .map(|(_, amount)| *amount)
    }

    /// The entries, sorted by currency code.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&str, Money)> {
        self.0.iter().map(|(code, amount)| (code.as_str(), *amount))
    }

    /// The number of currencies.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether the map has no currency.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Sorts by code, keeps the last of repeated codes and frees spare capacity.
    fn normalize(mut entries: Vec<(String, Money)>) -> Self {
        // Stable, so repeated codes keep their wire order; of those, the last one's amount
        // is swapped into the slot that `dedup_by` keeps.
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        entries.dedup_by(|later, kept| {
            let repeated = later.0 == kept.0;
            if repeated {
                std::mem::swap(later, kept);
            }
            repeated
        });
        entries.shrink_to_fit();
        PriceMap(entries)
    }
}

impl FromIterator<(String, Money)> for PriceMap {
    fn from_iter<I: IntoIterator<Item = (String, Money)>>(iter: I) -> Self {
        PriceMap::normalize(iter.into_iter().collect())
    }
}

impl IntoIterator for PriceMap {
    type Item = (String, Money);
    type IntoIter = std::vec::IntoIter<(String, Money)>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl Serialize for PriceMap {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter().map(|(code, amount)| (code, amount)))
    }
}

impl<'de> Deserialize<'de> for PriceMap {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct PriceMapVisitor;

        impl<'de> Visitor<'de> for PriceMapVisitor {
            type Value = PriceMap;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object of amounts keyed by currency code")
            }

            fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<PriceMap, A::Error> {
                // The hint is capped: it comes from the input.
                let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(0).min(32));
                while let Some(entry) = map.next_entry::<String, Money>()? {
                    entries.push(entry);
                }
                Ok(PriceMap::normalize(entries))
            }
        }

        deserializer.deserialize_map(PriceMapVisitor)
    }
}

impl schemars::JsonSchema for PriceMap {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "PriceMap".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let money = generator.subschema_for::<Money>();
        schemars::json_schema!({
            "description": "Amounts keyed by ISO 4217 currency code.",
            "type": "object",
            "additionalProperties": money
        })
    }
}

/// The catalogue entries of a Get packages page: an array on page 1, an object keyed by each
/// entry's catalogue index on later pages.
///
/// Replaces the spec's `PackageCountryList` (a `oneOf`). The generated form was an untagged
/// enum, which makes serde copy the whole value into an intermediate tree before trying each
/// variant: for a 6 MB catalogue that tree was 10 times the body. This one looks at the first
/// token and decodes the entries directly.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum PackageCountryList {
    /// Entries as a list (page 1).
    Array(Vec<crate::types::Country>),
    /// Entries keyed by catalogue index (page 2 and later).
    Object(std::collections::BTreeMap<String, crate::types::Country>),
}

impl Default for PackageCountryList {
    fn default() -> Self {
        PackageCountryList::Array(Vec::new())
    }
}

impl From<Vec<crate::types::Country>> for PackageCountryList {
    fn from(value: Vec<crate::types::Country>) -> Self {
        PackageCountryList::Array(value)
    }
}

impl<'de> Deserialize<'de> for PackageCountryList {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ListVisitor;

        impl<'de> Visitor<'de> for ListVisitor {
            type Value = PackageCountryList;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an array of catalogue entries or an object of them keyed by index")
            }

            fn visit_seq<A: de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<PackageCountryList, A::Error> {
                let mut entries = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(256));
                while let Some(entry) = seq.next_element()? {
                    entries.push(entry);
                }
                Ok(PackageCountryList::Array(entries))
            }

            fn visit_map<A: de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<PackageCountryList, A::Error> {
                let mut entries = std::collections::BTreeMap::new();
                while let Some((key, entry)) = map.next_entry::<String, crate::types::Country>()? {
                    entries.insert(key, entry);
                }
                Ok(PackageCountryList::Object(entries))
            }
        }

        deserializer.deserialize_any(ListVisitor)
    }
}

impl schemars::JsonSchema for PackageCountryList {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "PackageCountryList".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "Catalogue entries: an array, or an object keyed by catalogue index.",
            "anyOf": [{"type": "array"}, {"type": "object"}]
        })
    }
}

/// The form body of Submit order.
///
/// Hand-written (the spec's `SubmitOrderRequest` component is replaced by this type) because
/// its list fields travel as repeated keys, `sharing_option[]=link&sharing_option[]=pdf`,
/// which the generated form encoding cannot produce. It serializes as a list of key/value
/// pairs, in the field order below; absent and empty fields are left out.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct SubmitOrderRequest {
    /// Number of eSIMs, 1 to 50.
    pub quantity: std::num::NonZeroU64,
    /// Package `id` from Get packages.
    pub package_id: String,
    /// Order type; only `sim`.
    #[serde(rename = "type", default)]
    pub type_: SubmitOrderType,
    /// Free text, e.g. your internal order id; filterable with `filter[description]`.
    #[serde(default)]
    pub description: Option<String>,
    /// Brand configured in the partner platform; absent = default brand.
    #[serde(default)]
    pub brand_settings_name: Option<String>,
    /// E-mail the eSIM to this end-user address; needs `sharing_option`.
    #[serde(default)]
    pub to_email: Option<String>,
    /// How the eSIM is shared when `to_email` is set.
    #[serde(rename = "sharing_option[]", default)]
    pub sharing_option: Vec<SharingOption>,
    /// CC addresses when `to_email` is set.
    #[serde(rename = "copy_address[]", default)]
    pub copy_address: Vec<String>,
}

/// The order type of Submit order: only `sim`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SubmitOrderType {
    /// A new eSIM.
    #[default]
    #[serde(rename = "sim")]
    Sim,
}

/// How an e-mailed eSIM is shared.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SharingOption {
    /// A link to the eSIMs Cloud page.
    #[serde(rename = "link")]
    Link,
    /// A PDF attachment.
    #[serde(rename = "pdf")]
    Pdf,
}

impl SharingOption {
    /// The value on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            SharingOption::Link => "link",
            SharingOption::Pdf => "pdf",
        }
    }
}

impl Serialize for SubmitOrderRequest {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let quantity = self.quantity.to_string();
        let mut pairs: Vec<(&str, &str)> = vec![
            ("quantity", quantity.as_str()),
            ("package_id", self.package_id.as_str()),
            ("type", "sim"),
        ];
        let optional = [
            ("description", &self.description),
            ("brand_settings_name", &self.brand_settings_name),
            ("to_email", &self.to_email),
        ];
        for (key, value) in optional {
            if let Some(value) = value {
                pairs.push((key, value.as_str()));
            }
        }
        for option in &self.sharing_option {
            pairs.push(("sharing_option[]", option.as_str()));
        }
        for address in &self.copy_address {
            pairs.push(("copy_address[]", address.as_str()));
        }
        let mut seq = serializer.serialize_seq(Some(pairs.len()))?;
        for pair in pairs {
            seq.serialize_element(&pair)?;
        }
        seq.end()
    }
}

#[cfg(test)]
mod tests {
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
            quantity: std::num::NonZeroU64::new(2).unwrap(),
            package_id: "pkg-1".into(),
            type_: SubmitOrderType::Sim,
            description: Some("a & b".into()),
            brand_settings_name: None,
            to_email: Some("ada@example.com".into()),
            sharing_option: vec![SharingOption::Link, SharingOption::Pdf],
            copy_address: vec!["cc@example.com".into()],
        };
        let encoded = serde_urlencoded::to_string(&form).unwrap();
        assert_eq!(
            encoded,
            "quantity=2&package_id=pkg-1&type=sim&description=a+%26+b&to_email=ada%40example.com\
             &sharing_option%5B%5D=link&sharing_option%5B%5D=pdf&copy_address%5B%5D=cc%40example.com"
        );
    }
}
