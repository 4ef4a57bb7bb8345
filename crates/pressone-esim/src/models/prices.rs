//! Prices of a package in several currencies.

use rust_decimal::Decimal;
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::serde_money::money_opt;
use pressone_esim_raw::wire::CurrencyCode;

/// A package's price in one currency, as [`Prices::iter`] and [`Prices::get`] give it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Price<'a> {
    /// The ISO 4217 currency code, e.g. `EUR`.
    pub currency: &'a str,
    /// What the partner pays (absent under discount pricing).
    #[serde(with = "money_opt")]
    pub net: Option<Decimal>,
    /// The suggested retail price.
    #[serde(with = "money_opt")]
    pub retail: Option<Decimal>,
}

/// One currency's prices inside the JSON map of [`Prices`].
#[derive(Serialize, Deserialize)]
struct Amounts {
    #[serde(with = "money_opt", default)]
    net: Option<Decimal>,
    #[serde(with = "money_opt", default)]
    retail: Option<Decimal>,
}

/// A JSON object keyed by currency code, sorted:
/// `{"EUR": {"net": null, "retail": "3.44"}, "USD": {"net": "1.80", "retail": "4.00"}}`.
impl Serialize for Prices {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(None)?;
        for price in self.iter() {
            map.serialize_entry(
                price.currency,
                &Amounts {
                    net: price.net,
                    retail: price.retail,
                },
            )?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Prices {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let map = std::collections::BTreeMap::<String, Amounts>::deserialize(d)?;
        let mut net = Vec::new();
        let mut retail = Vec::new();
        for (code, amounts) in map {
            let code = CurrencyCode::from(code);
            if let Some(amount) = amounts.net {
                net.push((code.clone(), amount));
            }
            if let Some(amount) = amounts.retail {
                retail.push((code, amount));
            }
        }
        Ok(Prices::from_sorted(net, retail))
    }
}

/// Prices of a package in several currencies: what the partner pays (net) and the suggested
/// retail price, per ISO 4217 code.
///
/// Two compact lists sorted by code rather than maps, since a catalogue holds tens of
/// thousands of packages (the codes held inline, without an allocation each).
///
/// ```
/// use pressone_esim::{Decimal, Price, Prices};
///
/// let prices = Prices::new(
///     [("USD".to_string(), Decimal::new(18, 1))],
///     [("USD".to_string(), Decimal::new(4, 0)), ("EUR".to_string(), Decimal::new(344, 2))],
/// );
/// assert_eq!(prices.retail("EUR"), Some(Decimal::new(344, 2)));
/// assert_eq!(prices.net("EUR"), None);
/// assert_eq!(prices.currencies().collect::<Vec<_>>(), ["EUR", "USD"]);
/// let usd = prices.get("USD").unwrap();
/// assert_eq!((usd.net, usd.retail), (Some(Decimal::new(18, 1)), Some(Decimal::new(4, 0))));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Prices {
    net: Vec<(CurrencyCode, Decimal)>,
    retail: Vec<(CurrencyCode, Decimal)>,
}

fn find<'a>(
    list: &'a [(CurrencyCode, Decimal)],
    currency: &str,
) -> Option<&'a (CurrencyCode, Decimal)> {
    list.binary_search_by(|(code, _)| code.cmp_str(currency))
        .ok()
        .and_then(|i| list.get(i))
}

/// Sorts by code; a repeated code keeps the last amount given (the raw price map's rule).
fn sorted(list: impl IntoIterator<Item = (String, Decimal)>) -> Vec<(CurrencyCode, Decimal)> {
    use pressone_esim_raw::wire::{Money, PriceMap};
    list.into_iter()
        .map(|(code, amount)| (code, Money(amount)))
        .collect::<PriceMap>()
        .into_iter()
        .map(|(code, amount)| (code, amount.0))
        .collect()
}

impl Prices {
    /// Prices from net and retail amounts per currency code, in any order (a repeated code
    /// keeps the last amount).
    pub fn new(
        net: impl IntoIterator<Item = (String, Decimal)>,
        retail: impl IntoIterator<Item = (String, Decimal)>,
    ) -> Self {
        Prices {
            net: sorted(net),
            retail: sorted(retail),
        }
    }

    /// From lists already sorted by code without repeats (the conversion, from the raw
    /// client's sorted price maps).
    pub(crate) fn from_sorted(
        net: Vec<(CurrencyCode, Decimal)>,
        retail: Vec<(CurrencyCode, Decimal)>,
    ) -> Self {
        Prices { net, retail }
    }

    /// What the partner pays in `currency` (the code as the API sends it, e.g. `USD`).
    pub fn net(&self, currency: &str) -> Option<Decimal> {
        find(&self.net, currency).map(|(_, amount)| *amount)
    }

    /// The suggested retail price in `currency`.
    pub fn retail(&self, currency: &str) -> Option<Decimal> {
        find(&self.retail, currency).map(|(_, amount)| *amount)
    }

    /// Both prices in `currency`, if it has either (the returned code is the stored one).
    pub fn get(&self, currency: &str) -> Option<Price<'_>> {
        let net = find(&self.net, currency);
        let retail = find(&self.retail, currency);
        let code = net.or(retail)?.0.as_str();
        Some(Price {
            currency: code,
            net: net.map(|(_, amount)| *amount),
            retail: retail.map(|(_, amount)| *amount),
        })
    }

    /// Every currency with its prices, sorted by code.
    pub fn iter(&self) -> impl Iterator<Item = Price<'_>> {
        let mut net = self.net.iter().peekable();
        let mut retail = self.retail.iter().peekable();
        std::iter::from_fn(move || {
            use std::cmp::Ordering::{Equal, Greater, Less};
            let order = match (net.peek(), retail.peek()) {
                (Some(n), Some(r)) => n.0.cmp(&r.0),
                (Some(_), None) => Less,
                (None, Some(_)) => Greater,
                (None, None) => return None,
            };
            match order {
                Less => net.next().map(|(code, n)| Price {
                    currency: code.as_str(),
                    net: Some(*n),
                    retail: None,
                }),
                Greater => retail.next().map(|(code, r)| Price {
                    currency: code.as_str(),
                    net: None,
                    retail: Some(*r),
                }),
                Equal => {
                    let r = retail.next().map(|(_, r)| *r);
                    net.next().map(|(code, n)| Price {
                        currency: code.as_str(),
                        net: Some(*n),
                        retail: r,
                    })
                }
            }
        })
    }

    /// The currency codes that have a price, sorted.
    pub fn currencies(&self) -> impl Iterator<Item = &str> {
        self.iter().map(|p| p.currency)
    }

    /// The net prices, sorted by code.
    pub fn net_prices(&self) -> impl ExactSizeIterator<Item = (&str, Decimal)> {
        self.net
            .iter()
            .map(|(code, amount)| (code.as_str(), *amount))
    }

    /// The retail prices, sorted by code.
    pub fn retail_prices(&self) -> impl ExactSizeIterator<Item = (&str, Decimal)> {
        self.retail
            .iter()
            .map(|(code, amount)| (code.as_str(), *amount))
    }

    /// Whether there is no price at all.
    pub fn is_empty(&self) -> bool {
        self.net.is_empty() && self.retail.is_empty()
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// The decimal `s` (the models' tests write amounts as text).
    pub(in crate::models) fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn prices_merge_both_lists_by_currency() {
        let prices = Prices::new(
            [("USD".into(), d("1.8")), ("EUR".into(), d("1.55"))],
            [("GBP".into(), d("3")), ("USD".into(), d("4"))],
        );
        let all: Vec<_> = prices.iter().collect();
        assert_eq!(
            all,
            [
                Price {
                    currency: "EUR",
                    net: Some(d("1.55")),
                    retail: None
                },
                Price {
                    currency: "GBP",
                    net: None,
                    retail: Some(d("3"))
                },
                Price {
                    currency: "USD",
                    net: Some(d("1.8")),
                    retail: Some(d("4"))
                },
            ]
        );
        assert_eq!(
            prices.currencies().collect::<Vec<_>>(),
            ["EUR", "GBP", "USD"]
        );
        assert_eq!(prices.get("JPY"), None);
        // The code comes from the prices, so the argument may be a temporary.
        let gbp = prices.get(&String::from("GBP")).unwrap();
        assert_eq!(
            gbp,
            Price {
                currency: "GBP",
                net: None,
                retail: Some(d("3"))
            }
        );
        assert_eq!(prices.net_prices().len(), 2);
        assert!(!prices.is_empty());
        assert!(Prices::default().is_empty());
        assert_eq!(Prices::default().iter().count(), 0);
    }

    #[test]
    fn a_repeated_currency_keeps_the_last_amount() {
        let prices = Prices::new(
            [
                ("USD".into(), d("1")),
                ("EUR".into(), d("2")),
                ("USD".into(), d("3")),
            ],
            [],
        );
        assert_eq!(prices.net("USD"), Some(d("3")));
        assert_eq!(prices.net_prices().len(), 2);
    }
}
