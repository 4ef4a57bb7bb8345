//! The catalogue's compact shapes: price maps and the array-or-object list of entries.

use std::fmt;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::numbers::wire_schema;
use super::{CurrencyCode, Money};

/// Amounts per currency code, as the wire sends them: `{"USD": 4, "EUR": 3.44}`.
///
/// Replaces the spec's `PriceMap` component (an object of [`Money`]). A catalogue carries two
/// of these per package, so the type is a compact list sorted by currency rather than a
/// `BTreeMap`, whose smallest node alone is about 450 bytes: 20,000 packages with three
/// currencies each took 18 MB as maps and take under 8 MB as lists; the codes are
/// [`CurrencyCode`]s, held without an allocation of their own. When a key repeats, the last
/// value wins, as in a map.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PriceMap(Vec<(CurrencyCode, Money)>);

impl PriceMap {
    /// An empty map.
    pub fn new() -> Self {
        PriceMap(Vec::new())
    }

    /// The amount in `currency`, if the map has one (codes compare exactly: `USD`).
    pub fn get(&self, currency: &str) -> Option<Money> {
        self.0
            .binary_search_by(|(code, _)| code.cmp_str(currency))
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
    fn normalize(mut entries: Vec<(CurrencyCode, Money)>) -> Self {
        sort_and_dedup(&mut entries);
        entries.shrink_to_fit();
        PriceMap(entries)
    }

    /// The entries of a map as decoded into `scratch` (which is left empty), normalized, in a
    /// list allocated once at its exact size: no growing, no shrinking.
    fn from_scratch(scratch: &mut Vec<(CurrencyCode, Money)>) -> Self {
        sort_and_dedup(scratch);
        // Not `mem::take`: the scratch list keeps its capacity for the next map.
        let mut entries = Vec::with_capacity(scratch.len());
        entries.append(scratch);
        PriceMap(entries)
    }
}

/// Sorts by code and keeps the last of repeated codes. Stable, so repeated codes keep their
/// wire order; of those, the last one's amount is swapped into the slot `dedup_by` keeps.
fn sort_and_dedup(entries: &mut Vec<(CurrencyCode, Money)>) {
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    entries.dedup_by(|later, kept| {
        let repeated = later.0 == kept.0;
        if repeated {
            std::mem::swap(later, kept);
        }
        repeated
    });
}

thread_local! {
    /// Where a price map's entries are collected while it is decoded (a catalogue decodes
    /// tens of thousands of small maps: one buffer per thread, reused, instead of a list
    /// grown and then shrunk for each).
    static SCRATCH: std::cell::RefCell<Vec<(CurrencyCode, Money)>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// Runs `fill` with this thread's buffer in `scratch`, emptied, or, when that buffer is
/// unavailable (in use further up this thread's stack, or the thread is ending), with a list
/// of its own.
///
/// For lists decoded by the thousand (price maps, a catalogue's package lists): `fill` reads
/// the elements into the buffer, which keeps its capacity from one list to the next, and
/// moves them into a list allocated once at its exact size, instead of a list grown
/// (0 → 4 → 8 …, each growth a copy) and then shrunk.
pub fn with_scratch<T, R>(
    scratch: &'static std::thread::LocalKey<std::cell::RefCell<Vec<T>>>,
    mut fill: impl FnMut(&mut Vec<T>) -> R,
) -> R {
    let shared = scratch.try_with(|cell| {
        let mut buffer = cell.try_borrow_mut().ok()?;
        buffer.clear();
        Some(fill(&mut buffer))
    });
    match shared {
        Ok(Some(out)) => out,
        _ => fill(&mut Vec::new()),
    }
}

/// Reads the entries of a map into `entries`.
fn read_entries<'de, A: de::MapAccess<'de>>(
    map: &mut A,
    entries: &mut Vec<(CurrencyCode, Money)>,
) -> Result<(), A::Error> {
    while let Some(entry) = map.next_entry::<CurrencyCode, Money>()? {
        entries.push(entry);
    }
    Ok(())
}

impl<C: Into<CurrencyCode>> FromIterator<(C, Money)> for PriceMap {
    fn from_iter<I: IntoIterator<Item = (C, Money)>>(iter: I) -> Self {
        PriceMap::normalize(
            iter.into_iter()
                .map(|(code, amount)| (code.into(), amount))
                .collect(),
        )
    }
}

impl IntoIterator for PriceMap {
    type Item = (CurrencyCode, Money);
    type IntoIter = std::vec::IntoIter<(CurrencyCode, Money)>;

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
                with_scratch(&SCRATCH, |entries| {
                    read_entries(&mut map, entries)?;
                    Ok(PriceMap::from_scratch(entries))
                })
            }
        }

        deserializer.deserialize_map(PriceMapVisitor)
    }
}

wire_schema!(PriceMap, |generator| {
    let money = generator.subschema_for::<Money>();
    schemars::json_schema!({
        "description": "Amounts keyed by ISO 4217 currency code.",
        "type": "object",
        "additionalProperties": money
    })
});

/// The catalogue entries of a Get packages page: an array on page 1, an object keyed by each
/// entry's catalogue index on later pages.
///
/// Replaces the spec's `PackageCountryList` (a `oneOf`). The generated form was an untagged
/// enum, which makes serde copy the whole value into an intermediate tree before trying each
/// variant: for a 6 MB catalogue that tree was 10 times the body. This one is read by
/// [`array_or_keyed`].
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
        let mut array = Vec::new();
        let mut object = std::collections::BTreeMap::new();
        let keyed = array_or_keyed(deserializer, |key, entry| match key {
            Some(key) => {
                object.insert(key, entry);
            }
            None => array.push(entry),
        })?;
        Ok(match keyed {
            true => PackageCountryList::Object(object),
            false => PackageCountryList::Array(array),
        })
    }
}

/// Reads the catalogue entries of a Get packages page's `data` (an array, or an object keyed
/// by each entry's catalogue index) one by one, handing each to `each` as soon as it is read,
/// in wire order, with its key (`None` in an array). Returns whether `data` was keyed.
///
/// The one reader of that shape: [`PackageCountryList`] collects the raw entries with it, and
/// the SDK converts each entry into its domain type as it comes. It looks at the first token
/// and decodes the entries directly (no intermediate tree, as an untagged enum would build).
pub fn array_or_keyed<'de, D, T, F>(deserializer: D, each: F) -> Result<bool, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
    F: FnMut(Option<String>, T),
{
    struct ListVisitor<T, F>(F, std::marker::PhantomData<T>);

    impl<'de, T: Deserialize<'de>, F: FnMut(Option<String>, T)> Visitor<'de> for ListVisitor<T, F> {
        type Value = bool;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an array of catalogue entries or an object of them keyed by index")
        }

        fn visit_seq<A: de::SeqAccess<'de>>(mut self, mut seq: A) -> Result<bool, A::Error> {
            while let Some(entry) = seq.next_element()? {
                (self.0)(None, entry);
            }
            Ok(false)
        }

        fn visit_map<A: de::MapAccess<'de>>(mut self, mut map: A) -> Result<bool, A::Error> {
            while let Some((key, entry)) = map.next_entry::<String, T>()? {
                (self.0)(Some(key), entry);
            }
            Ok(true)
        }
    }

    deserializer.deserialize_any(ListVisitor(each, std::marker::PhantomData))
}

wire_schema!(PackageCountryList, |_| schemars::json_schema!({
    "description": "Catalogue entries: an array, or an object keyed by catalogue index.",
    "anyOf": [{"type": "array"}, {"type": "object"}]
}));
