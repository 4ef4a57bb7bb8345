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

/// The value of a wire number newtype: `value()`, `From` its value and `Display` as its value.
macro_rules! wire_number {
    ($ty:ident($inner:ty), $value_doc:literal) => {
        impl $ty {
            #[doc = $value_doc]
            pub fn value(self) -> $inner {
                self.0
            }
        }

        impl From<$inner> for $ty {
            fn from(value: $inner) -> Self {
                $ty(value)
            }
        }

        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0, f)
            }
        }

        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                deserializer.deserialize_any(NumberVisitor::<$ty>(std::marker::PhantomData))
            }
        }
    };
}

/// A number the wire sends in several forms: how each form reads ([`NumberVisitor`]).
trait WireNumber: Sized {
    /// What the wire should have sent, for errors.
    const EXPECTING: &'static str;
    fn from_i64<E: de::Error>(v: i64) -> Result<Self, E>;
    fn from_u64<E: de::Error>(v: u64) -> Result<Self, E>;
    fn from_f64<E: de::Error>(v: f64) -> Result<Self, E>;
    /// A numeric string.
    fn from_text<E: de::Error>(v: &str) -> Result<Self, E>;
}

/// The one visitor of the wire's numbers: integers, floats and numeric strings, each read as
/// `T` says.
struct NumberVisitor<T>(std::marker::PhantomData<T>);

impl<T: WireNumber> Visitor<'_> for NumberVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(T::EXPECTING)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<T, E> {
        T::from_i64(v)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<T, E> {
        T::from_u64(v)
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<T, E> {
        T::from_f64(v)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        T::from_text(v)
    }
}

/// `schemars::JsonSchema` for a hand-written wire type: its name and its schema
/// (`$generator` gives the schemas of its parts).
macro_rules! wire_schema {
    ($ty:ident, |$generator:pat_param| $schema:expr) => {
        impl schemars::JsonSchema for $ty {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($ty).into()
            }

            fn json_schema($generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
                $schema
            }
        }
    };
}
pub(super) use wire_schema;

wire_number!(Money(Decimal), "The exact decimal value.");

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

impl WireNumber for Money {
    const EXPECTING: &'static str = "an amount of money as a number or a numeric string";

    fn from_i64<E: de::Error>(v: i64) -> Result<Money, E> {
        Ok(Money(Decimal::from(v)))
    }

    fn from_u64<E: de::Error>(v: u64) -> Result<Money, E> {
        Ok(Money(Decimal::from(v)))
    }

    fn from_f64<E: de::Error>(v: f64) -> Result<Money, E> {
        if !v.is_finite() {
            return Err(E::custom("an amount of money must be finite"));
        }
        // The value is the float's shortest round-trip digits, taken exactly: every amount the
        // API sends has few digits (`shortest_decimal`); anything else takes the general path,
        // which gives the same answer more slowly.
        shortest_decimal(v)
            .map(Ok)
            .unwrap_or_else(|| decimal_by_text(v))
            .map(Money)
            .map_err(|_| E::custom(format!("amount {v} is out of range")))
    }

    fn from_text<E: de::Error>(v: &str) -> Result<Money, E> {
        Money::from_str(v).map_err(|_| E::invalid_value(de::Unexpected::Str(v), &Self::EXPECTING))
    }
}

/// The exact decimal of `v`'s shortest round-trip digits (the text `Display` prints), without
/// formatting or parsing text: the first scale `s` (0 to 15) at which `m`, the whole number
/// nearest `v × 10^s`, has at most 15 digits and `m / 10^s` is `v` again. Both `m` (below 2^53) and `10^s` are
/// exact doubles, so that division is correctly rounded: it is what parsing the decimal
/// `m / 10^s` gives, so that decimal round-trips to `v`; with at most 15 significant digits
/// (`f64::DIGITS`) only one decimal does, so it is the shortest text's value, and the
/// smallest such `s` has no trailing zero, as `Display` prints none. `None` (the general path,
/// [`decimal_by_text`]) for negative zero and for floats whose shortest text has more than 15
/// significant digits or more than 15 decimal places.
pub(super) fn shortest_decimal(v: f64) -> Option<Decimal> {
    const POW10: [f64; 16] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
    ];
    if v == 0.0 && v.is_sign_negative() {
        return None;
    }
    for (scale, &p) in (0u32..).zip(POW10.iter()) {
        let x = v * p;
        if x.abs() >= 1e15 {
            return None;
        }
        // The nearest whole number (`f64::round` is a library call on baseline x86-64): the
        // cast truncates, and `x - t` is exact for |x| < 2^53.
        let t = x as i64;
        let rest = x - t as f64;
        let m = if rest >= 0.5 {
            t + 1
        } else if rest <= -0.5 {
            t - 1
        } else {
            t
        };
        if m.unsigned_abs() < 1_000_000_000_000_000 && m as f64 / p == v {
            // `m` is below 10^15, so `m as f64` is exact.
            return Some(Decimal::new(m, scale));
        }
    }
    None
}

/// The general path of a float amount: `Display`'s shortest round-trip text (no exponent),
/// parsed by `Decimal`. Every amount fits the stack buffer; only absurd magnitudes (which
/// `Decimal` rejects anyway) take the allocating path.
pub(super) fn decimal_by_text(v: f64) -> Result<Decimal, rust_decimal::Error> {
    let mut buffer = StackText::<48>::new();
    if fmt::Write::write_fmt(&mut buffer, format_args!("{v}")).is_ok() {
        Decimal::from_str(buffer.as_str())
    } else {
        Decimal::from_str(&v.to_string())
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

wire_schema!(Money, |_| schemars::json_schema!({
    "description": "An amount of money: an integer, a float or a numeric string.",
    "anyOf": [
        {"type": "number"},
        {"type": "string", "pattern": "^-?[0-9]+(\\.[0-9]+)?$"}
    ]
}));

/// An integer the wire sends either as a number or as a numeric string (`7` or `"7"`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct IntOrString(pub i64);

wire_number!(IntOrString(i64), "The integer value.");

impl Serialize for IntOrString {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_i64(self.0)
    }
}

impl WireNumber for IntOrString {
    const EXPECTING: &'static str = "an integer or a string holding an integer";

    fn from_i64<E: de::Error>(v: i64) -> Result<IntOrString, E> {
        Ok(IntOrString(v))
    }

    fn from_u64<E: de::Error>(v: u64) -> Result<IntOrString, E> {
        i64::try_from(v)
            .map(IntOrString)
            .map_err(|_| E::invalid_value(de::Unexpected::Unsigned(v), &Self::EXPECTING))
    }

    fn from_f64<E: de::Error>(v: f64) -> Result<IntOrString, E> {
        // `7.0` is an integer; `7.5` is not.
        if v.fract() == 0.0 && v.abs() < 9.0e15 {
            Ok(IntOrString(v as i64))
        } else {
            Err(E::invalid_value(de::Unexpected::Float(v), &Self::EXPECTING))
        }
    }

    fn from_text<E: de::Error>(v: &str) -> Result<IntOrString, E> {
        v.trim()
            .parse::<i64>()
            .map(IntOrString)
            .map_err(|_| E::invalid_value(de::Unexpected::Str(v), &Self::EXPECTING))
    }
}

wire_schema!(IntOrString, |_| schemars::json_schema!({
    "description": "An integer sent as a number or as a numeric string.",
    "anyOf": [
        {"type": "integer"},
        {"type": "string", "pattern": "^-?[0-9]+$"}
    ]
}));

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::{decimal_by_text, shortest_decimal};

    /// The fast path, where it answers, gives the general path's value and text.
    fn same_as_text(v: f64) -> Result<(), TestCaseError> {
        if let Some(fast) = shortest_decimal(v) {
            let slow = decimal_by_text(v);
            prop_assert_eq!(Ok(fast), slow.clone(), "{}", v);
            prop_assert_eq!(
                fast.to_string(),
                slow.unwrap_or_default().to_string(),
                "{}",
                v
            );
        }
        Ok(())
    }

    #[test]
    fn shortest_decimal_matches_the_text_path_on_edges() {
        for v in [
            0.0,
            -0.0,
            4.0,
            10.0,
            22.5,
            0.558,
            -3.1,
            1e-7,
            1.5e-7,
            1e20,
            1e21,
            1e-28,
            1e-29,
            123456789012.25,
            47401.0,
            0.1,
            0.3,
            1e15,
            1e16,
            1e17,
            9.007_199_254_740_993e15,
            f64::MIN_POSITIVE,
            f64::MAX,
            7.922_816_251_426_434e28,
            7.922_816_251_426_434e29,
        ] {
            same_as_text(v).unwrap();
            same_as_text(-v).unwrap();
        }
        // The amounts the API sends take the fast path.
        for v in [4.0, 0.558, 22.5, 1e-7, 47401.0, -3.1, 105336.0, 0.01] {
            assert!(shortest_decimal(v).is_some(), "{v}");
        }
        assert!(shortest_decimal(-0.0).is_none());
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(20_000))]

        #[test]
        fn shortest_decimal_matches_the_text_path_on_any_float(v in proptest::num::f64::NORMAL | proptest::num::f64::SUBNORMAL | proptest::num::f64::ZERO) {
            same_as_text(v)?;
        }

        #[test]
        fn shortest_decimal_matches_the_text_path_on_prices(cents in -10_000_000_000i64..10_000_000_000, places in 0u32..6) {
            let v = cents as f64 / 10f64.powi(places as i32);
            prop_assert!(shortest_decimal(v).is_some(), "{}", v);
            same_as_text(v)?;
        }

        #[test]
        fn shortest_decimal_matches_the_text_path_on_short_decimals(digits in 0u64..1_000_000_000_000_000, exponent in -45i32..45) {
            let v: f64 = format!("{digits}e{exponent}").parse().unwrap();
            same_as_text(v)?;
            same_as_text(-v)?;
        }
    }
}
