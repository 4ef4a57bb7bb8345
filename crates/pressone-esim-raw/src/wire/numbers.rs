//! Money and counters as the wire sends them: integers, floats or numeric strings.

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
pub(super) struct StackText<const N: usize> {
    bytes: [u8; N],
    len: usize,
}

impl<const N: usize> StackText<N> {
    pub(super) fn new() -> Self {
        StackText {
            bytes: [0; N],
            len: 0,
        }
    }

    pub(super) fn as_str(&self) -> &str {
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
