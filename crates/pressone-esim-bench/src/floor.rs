//! The catalogue floor of issue 20: what a partner would write by hand for `GET /packages`,
//! plain structs of the body's shape decoded by `serde_json`, no conversion. Prices are `f64`,
//! price sets `BTreeMap<String, f64>`, texts owned `String`s; `data` is read as an array
//! (page 1) or as an object keyed by index (later pages) by a small visitor, as a careful
//! hand-written client would do it (an untagged enum would buffer the whole body first).

use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};

use crate::baseline::{Baseline, BaselineError};

/// One `GET /packages` page.
#[derive(Debug, Deserialize)]
#[allow(missing_docs)]
pub struct Page {
    pub pricing: Option<Pricing>,
    #[serde(deserialize_with = "array_or_keyed")]
    pub data: Vec<Country>,
    pub links: Option<Links>,
    pub meta: Option<Meta>,
}

/// The page's `pricing`.
#[derive(Debug, Deserialize)]
#[allow(missing_docs)]
pub struct Pricing {
    pub model: Option<String>,
    pub discount_percentage: Option<f64>,
}

/// Laravel's `links`.
#[derive(Debug, Deserialize)]
#[allow(missing_docs)]
pub struct Links {
    pub first: Option<String>,
    pub last: Option<String>,
    pub prev: Option<String>,
    pub next: Option<String>,
}

/// Laravel's `meta` (`per_page` comes as a string).
#[derive(Debug, Deserialize)]
#[allow(missing_docs)]
pub struct Meta {
    pub message: Option<String>,
    pub current_page: Option<u32>,
    pub from: Option<u64>,
    pub last_page: Option<u32>,
    pub path: Option<String>,
    pub per_page: Option<String>,
    pub to: Option<u64>,
    pub total: Option<u64>,
}

/// A catalogue entry (a country, a region or the world).
#[derive(Debug, Deserialize)]
#[allow(missing_docs)]
pub struct Country {
    pub slug: String,
    pub country_code: Option<String>,
    pub title: String,
    pub image: Option<Image>,
    pub min_price: Option<PriceSets>,
    pub operators: Vec<Operator>,
}

/// An entry's image.
#[derive(Debug, Deserialize)]
#[allow(missing_docs)]
pub struct Image {
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub url: Option<String>,
}

/// Net and retail prices by currency code.
#[derive(Debug, Deserialize)]
#[allow(missing_docs)]
pub struct PriceSets {
    #[serde(default)]
    pub net_price: BTreeMap<String, f64>,
    #[serde(default)]
    pub recommended_retail_price: BTreeMap<String, f64>,
}

/// An operator and its packages.
#[derive(Debug, Deserialize)]
#[allow(missing_docs)]
pub struct Operator {
    pub id: i64,
    pub title: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub plan_type: Option<String>,
    pub is_roaming: Option<bool>,
    pub rechargeability: Option<bool>,
    pub packages: Vec<Package>,
}

/// A package.
#[derive(Debug, Deserialize)]
#[allow(missing_docs)]
pub struct Package {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub price: f64,
    pub net_price: Option<f64>,
    pub amount: i64,
    pub day: i64,
    pub is_unlimited: bool,
    pub title: String,
    pub data: Option<String>,
    pub voice: Option<i64>,
    pub text: Option<i64>,
    pub prices: Option<PriceSets>,
}

fn array_or_keyed<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<Country>, D::Error> {
    struct ListVisitor;

    impl<'de> Visitor<'de> for ListVisitor {
        type Value = Vec<Country>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an array of countries or an object of them keyed by index")
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<Country>, A::Error> {
            let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
            while let Some(country) = seq.next_element()? {
                out.push(country);
            }
            Ok(out)
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Vec<Country>, A::Error> {
            let mut out = Vec::new();
            while let Some((_, country)) = map.next_entry::<de::IgnoredAny, Country>()? {
                out.push(country);
            }
            Ok(out)
        }
    }

    deserializer.deserialize_any(ListVisitor)
}

/// Decodes one page.
pub fn decode(body: &[u8]) -> serde_json::Result<Page> {
    serde_json::from_slice(body)
}

/// Every entry of every page: pages are fetched one after the other (page 1, 2, …) until
/// `meta.current_page` reaches `meta.last_page`, as the SDK's stream does.
pub async fn fetch_all(baseline: &Baseline) -> Result<Vec<Country>, BaselineError> {
    let mut all = Vec::new();
    let mut page = 1u32;
    loop {
        let body = baseline
            .get(&format!("/customer/v2/packages?include=topup&page={page}"))
            .await?;
        let decoded = decode(&body)?;
        all.extend(decoded.data);
        let last = decoded.meta.and_then(|m| m.last_page).unwrap_or(page);
        if page >= last {
            return Ok(all);
        }
        page += 1;
    }
}
