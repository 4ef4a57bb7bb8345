//! How money and a few list shapes look in JSON: exact amounts as strings with at least two
//! decimals (`"9.50"`), never floats.

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serializer};

/// An amount as an exact string with at least two decimals (`9.5` → `"9.50"`; `0.125` stays
/// `"0.125"`): only zeros are ever added, no digit is dropped.
pub fn money_string(amount: Decimal) -> String {
    let mut amount = amount;
    if amount.scale() < 2 {
        amount.rescale(2);
    }
    amount.to_string()
}

fn parse<E: serde::de::Error>(text: &str) -> Result<Decimal, E> {
    text.trim()
        .parse::<Decimal>()
        .map_err(|e| E::custom(format!("invalid amount {text:?}: {e}")))
}

/// `#[serde(with = "money")]` for a `Decimal`.
pub mod money {
    use super::*;

    /// Serializes an amount as an exact string.
    pub fn serialize<S: Serializer>(amount: &Decimal, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&money_string(*amount))
    }

    /// Reads an amount written as a string.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
        let text = String::deserialize(d)?;
        parse(&text)
    }
}

/// `#[serde(with = "money_opt")]` for an `Option<Decimal>` (`null` when absent).
pub mod money_opt {
    use super::*;

    /// Serializes an optional amount as an exact string or `null`.
    pub fn serialize<S: Serializer>(amount: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
        match amount {
            Some(amount) => s.serialize_str(&money_string(*amount)),
            None => s.serialize_none(),
        }
    }

    /// Reads an optional amount written as a string.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
        Option::<String>::deserialize(d)?
            .map(|text| parse(&text))
            .transpose()
    }
}

/// `#[serde(with = "networks")]` for a coverage's `(network, technologies)` pairs: a list of
/// `{"name": …, "technologies": […]}` objects.
pub mod networks {
    use serde::ser::SerializeSeq;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    #[derive(Serialize)]
    struct NetworkRef<'a> {
        name: &'a str,
        technologies: &'a [String],
    }

    #[derive(Deserialize)]
    struct Network {
        name: String,
        #[serde(default)]
        technologies: Vec<String>,
    }

    /// Serializes the pairs as objects.
    pub fn serialize<S: Serializer>(
        networks: &[(String, Vec<String>)],
        s: S,
    ) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(networks.len()))?;
        for (name, technologies) in networks {
            seq.serialize_element(&NetworkRef { name, technologies })?;
        }
        seq.end()
    }

    /// Reads the objects back into pairs.
    pub fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Vec<(String, Vec<String>)>, D::Error> {
        Ok(Vec::<Network>::deserialize(d)?
            .into_iter()
            .map(|n| (n.name, n.technologies))
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use serde_json::json;

    use crate::models::prices::tests::d;
    use crate::models::*;

    #[test]
    fn money_is_an_exact_string_with_two_decimals() {
        assert_eq!(money_string(d("9.5")), "9.50");
        assert_eq!(money_string(d("10")), "10.00");
        assert_eq!(money_string(d("0.125")), "0.125");
        let balance = Balance::new(Some("Credit".into()), d("1250.5"), Some("USD".into()));
        let value = serde_json::to_value(&balance).unwrap();
        assert_eq!(
            value,
            json!({"name": "Credit", "amount": "1250.50", "currency": "USD"})
        );
        let back: Balance = serde_json::from_value(value).unwrap();
        assert_eq!(
            back,
            Balance::new(Some("Credit".into()), d("1250.50"), Some("USD".into()))
        );
    }

    #[test]
    fn enums_times_allowances_and_prices_have_stable_shapes() {
        assert_eq!(
            serde_json::to_value(EsimStatus::NotActive).unwrap(),
            json!("NOT_ACTIVE")
        );
        assert_eq!(
            serde_json::to_value(OrderStatus::Other("on_hold".into())).unwrap(),
            json!("on_hold")
        );
        let back: OrderStatus = serde_json::from_value(json!("on_hold")).unwrap();
        assert_eq!(back, OrderStatus::Other("on_hold".into()));
        assert_eq!(
            serde_json::to_value(DataAllowance::Limited { mb: 1024 }).unwrap(),
            json!({"type": "limited", "mb": 1024})
        );
        assert_eq!(
            serde_json::to_value(DataAllowance::Unlimited).unwrap(),
            json!({"type": "unlimited"})
        );
        let prices = Prices::new(
            [("USD".to_string(), d("1.8"))],
            [("USD".to_string(), d("4")), ("EUR".to_string(), d("3.44"))],
        );
        let value = serde_json::to_value(&prices).unwrap();
        assert_eq!(
            value,
            json!({"EUR": {"net": null, "retail": "3.44"}, "USD": {"net": "1.80", "retail": "4.00"}})
        );
        let back: Prices = serde_json::from_value(value).unwrap();
        assert_eq!(back, prices);

        let when = chrono::Utc
            .with_ymd_and_hms(2025, 3, 14, 9, 26, 53)
            .unwrap();
        let entry = PackageHistoryEntry {
            id: Some(7),
            status: EsimStatus::Active,
            remaining_mb: Some(100),
            activated_at: Some(when),
            expires_at: None,
            finished_at: None,
            package: None,
        };
        let value = serde_json::to_value(&entry).unwrap();
        assert_eq!(value["activated_at"], json!("2025-03-14T09:26:53Z"));
        assert_eq!(value["expires_at"], json!(null));
        let back: PackageHistoryEntry = serde_json::from_value(value).unwrap();
        assert_eq!(back, entry);
    }
}
