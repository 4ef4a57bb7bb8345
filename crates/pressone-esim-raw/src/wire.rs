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
                Decimal::from_str(&v.to_string())
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
