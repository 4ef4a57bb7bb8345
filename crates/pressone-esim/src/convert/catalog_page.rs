//! A Get packages page decoded straight from its body into domain types.
//!
//! The raw decode built the whole page as generated types (every package about 350 bytes, in
//! lists grown as they were read) and a second pass moved each one into its domain type. Here
//! each package, operator and entry is converted as soon as it has been read: one raw package
//! at a time exists, on the stack, and the lists hold domain values only.
//!
//! The checks are the conversions of [`super::catalog`] (the package's, shared with top-ups
//! and history packages) and the ones below (operators, entries): a value the API did not send
//! is never made up. A conversion that fails does not abort the parse: the rest of the body is
//! still read (a body that is not JSON is reported as such, as before), and the first failure
//! is the page's result, the `Decode` error naming the value and quoting its object.

use std::cell::RefCell;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeOwned, IgnoredAny, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

use super::catalog::{apn_type, image, package, prices};
use super::{missing, non_empty, required, text};
use crate::error::Result;
use crate::models::*;
use crate::raw::types as w;

/// A Get packages body: its entries already converted (or the first conversion that failed).
#[derive(Deserialize)]
pub(crate) struct CatalogPage {
    data: Entries,
    links: Option<w::Links>,
    meta: Option<w::PageMeta>,
    pricing: Option<w::Pricing>,
}

impl CatalogPage {
    /// The page, numbered `requested` unless its `meta` says otherwise.
    pub(crate) fn into_page(self, requested: u32) -> Result<Page<CatalogEntry>> {
        let mut page = super::laravel_page(self.data.0?, requested, self.links, self.meta);
        page.pricing = super::list_pricing(self.pricing);
        Ok(page)
    }
}

/// Catalogue entries of one page, in order: page 1 sends an array, later pages an object
/// keyed by the entries' positions (`"0"`, `"1"`, … `"10"`), which are sorted numerically.
struct Entries(Result<Vec<CatalogEntry>>);

impl<'de> Deserialize<'de> for Entries {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let mut entries: Vec<(Option<String>, CatalogEntry)> = Vec::new();
        let mut failed = None;
        let keyed = crate::raw::wire::array_or_keyed(deserializer, |key, raw: WireEntry| {
            // After a failure the entries are only parsed.
            if failed.is_none() {
                match catalog_entry(raw) {
                    Ok(entry) => entries.push((key, entry)),
                    Err(e) => failed = Some(e),
                }
            }
        })?;
        if let Some(e) = failed {
            return Ok(Entries(Err(e)));
        }
        if keyed {
            // Stable: a repeated key keeps its wire order, and the last one wins, as in a map.
            entries.sort_by(|(a, _), (b, _)| {
                let (a, b) = (a.as_deref().unwrap_or(""), b.as_deref().unwrap_or(""));
                index(a).cmp(&index(b)).then_with(|| a.cmp(b))
            });
            entries.dedup_by(|later, kept| {
                let repeated = later.0 == kept.0;
                if repeated {
                    std::mem::swap(later, kept);
                }
                repeated
            });
        }
        Ok(Entries(Ok(entries.into_iter().map(|(_, e)| e).collect())))
    }
}

/// The position an index key names; keys that are not numbers sort last.
fn index(key: &str) -> u64 {
    key.trim().parse().unwrap_or(u64::MAX)
}

/// A list whose elements are read as `W` and converted one by one with `.0`, collected in the
/// per-thread buffer `.1` and then moved into a list of their exact number: the first
/// conversion that fails is the list's value, and the elements after it are only parsed.
struct Converted<W, T: 'static, F>(F, &'static Scratch<T>, PhantomData<W>);

/// A per-thread buffer of converted elements ([`crate::raw::wire::with_scratch`]).
type Scratch<T> = std::thread::LocalKey<RefCell<Vec<T>>>;

thread_local! {
    /// The packages of the list being read (a catalogue has thousands of lists of tens of
    /// packages, each about 360 bytes).
    static PACKAGES: RefCell<Vec<Package>> = const { RefCell::new(Vec::new()) };
    /// The operators of the entry being read.
    static OPERATORS: RefCell<Vec<Operator>> = const { RefCell::new(Vec::new()) };
}

impl<'de, W, T, F> Visitor<'de> for Converted<W, T, F>
where
    W: DeserializeOwned,
    F: FnMut(W) -> Result<T>,
{
    type Value = Result<Vec<T>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list")
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let Converted(mut convert, scratch, _) = self;
        crate::raw::wire::with_scratch(scratch, |out| {
            while let Some(raw) = seq.next_element::<W>()? {
                if let Err(e) = convert(raw).map(|value| out.push(value)) {
                    out.clear();
                    while seq.next_element::<IgnoredAny>()?.is_some() {}
                    return Ok(Err(e));
                }
            }
            let mut exact = Vec::with_capacity(out.len());
            exact.append(out);
            Ok(Ok(exact))
        })
    }
}

/// Reads a list of `W`, each converted with `convert` as soon as it is read.
fn converted<'de, D, W, T>(
    deserializer: D,
    scratch: &'static Scratch<T>,
    convert: impl FnMut(W) -> Result<T>,
) -> Result<Result<Vec<T>>, D::Error>
where
    D: Deserializer<'de>,
    W: DeserializeOwned,
{
    deserializer.deserialize_seq(Converted(convert, scratch, PhantomData))
}

/// An operator as the wire sends it, its packages already converted. Serialized (without the
/// packages) only to quote it in an error.
#[derive(Deserialize, Serialize)]
struct WireOperator {
    activation_policy: Option<String>,
    apn: Option<w::ApnPair>,
    apn_type: Option<String>,
    apn_value: Option<String>,
    countries: Option<Vec<w::OperatorCountry>>,
    coverages: Option<Vec<w::Coverage>>,
    esim_type: Option<String>,
    gradient_end: Option<String>,
    gradient_start: Option<String>,
    id: Option<i64>,
    image: Option<w::Image>,
    info: Option<Vec<String>>,
    install_window_days: Option<i64>,
    is_kyc_verify: Option<bool>,
    is_prepaid: Option<bool>,
    is_roaming: Option<bool>,
    other_info: Option<String>,
    #[serde(default = "no_list", deserialize_with = "packages", skip_serializing)]
    packages: Result<Vec<Package>>,
    plan_type: Option<String>,
    rechargeability: Option<bool>,
    style: Option<String>,
    title: Option<String>,
    topup_grace_window_days: Option<i64>,
    #[serde(rename = "type")]
    type_: Option<String>,
    warning: Option<String>,
}

/// An absent list: empty.
fn no_list<T>() -> Result<Vec<T>> {
    Ok(Vec::new())
}

fn packages<'de, D: Deserializer<'de>>(d: D) -> Result<Result<Vec<Package>>, D::Error> {
    converted(d, &PACKAGES, |mut p: w::Package| package(&mut p))
}

fn operator(o: WireOperator) -> Result<Operator> {
    let quoted = Quoted(&o);
    let title = required(text(&o.title), "operator title", &quoted)?.to_owned();
    let kind = OperatorKind::from(required(text(&o.type_), "operator type", &quoted)?);
    let plan_type = PlanType::from(required(text(&o.plan_type), "operator plan_type", &quoted)?);
    let coverages = o
        .coverages
        .unwrap_or_default()
        .into_iter()
        .map(|c| {
            let networks = c
                .networks
                .into_iter()
                .map(|n| match non_empty(n.name.clone()) {
                    Some(name) => Ok((name, n.types)),
                    None => Err(missing("network name", &n)),
                })
                .collect::<Result<_>>()?;
            Ok(Coverage {
                country_code: non_empty(c.code),
                name: non_empty(c.name),
                networks,
            })
        })
        .collect::<Result<_>>()?;
    let countries = o.countries.unwrap_or_default();
    Ok(Operator {
        id: o.id,
        title,
        kind,
        plan_type,
        // The vendor's own catalogue example omits both flags on some operators (fixture
        // `airalo.get-packages.200.json`, api.md §5.4): absent reads as "not roaming" and
        // "not rechargeable", the meaning the API gives to an operator that does not say.
        is_roaming: o.is_roaming.unwrap_or(false),
        rechargeable: o.rechargeability.unwrap_or(false),
        esim_type: non_empty(o.esim_type),
        apn_type: apn_type(o.apn_type),
        apn_value: non_empty(o.apn_value),
        activation_policy: non_empty(o.activation_policy),
        install_window_days: o.install_window_days,
        topup_grace_window_days: o.topup_grace_window_days,
        countries: countries
            .iter()
            .filter_map(|c| non_empty(c.country_code.clone()))
            .collect(),
        country_details: countries
            .into_iter()
            .map(|c| OperatorCountry {
                country_code: non_empty(c.country_code),
                title: non_empty(c.title),
                image: c.image.and_then(image),
            })
            .collect(),
        is_prepaid: o.is_prepaid,
        is_kyc_verify: o.is_kyc_verify,
        warning: non_empty(o.warning),
        other_info: non_empty(o.other_info),
        image: o.image.and_then(image),
        style: non_empty(o.style),
        gradient_start: non_empty(o.gradient_start),
        gradient_end: non_empty(o.gradient_end),
        apn_by_os: o.apn.map(super::esim::apn_by_os),
        coverages,
        info: o.info.unwrap_or_default(),
        packages: o.packages?,
    })
}

/// A catalogue entry as the wire sends it, its operators already converted. Serialized
/// (without the operators) only to quote it in an error.
#[derive(Deserialize, Serialize)]
struct WireEntry {
    country_code: Option<String>,
    image: Option<w::Image>,
    min_price: Option<w::Prices>,
    #[serde(default = "no_list", deserialize_with = "operators", skip_serializing)]
    operators: Result<Vec<Operator>>,
    slug: Option<String>,
    title: Option<String>,
}

fn operators<'de, D: Deserializer<'de>>(d: D) -> Result<Result<Vec<Operator>>, D::Error> {
    converted(d, &OPERATORS, operator)
}

fn catalog_entry(c: WireEntry) -> Result<CatalogEntry> {
    let quoted = Quoted(&c);
    let slug = required(text(&c.slug), "country slug", &quoted)?.to_owned();
    let title = required(text(&c.title), "country title", &quoted)?.to_owned();
    Ok(CatalogEntry {
        slug,
        country_code: non_empty(c.country_code),
        title,
        image_url: c.image.clone().and_then(|i| non_empty(i.url)),
        image: c.image.and_then(image),
        min_price: c.min_price.map(|p| prices(Some(p))),
        operators: c.operators?,
    })
}

/// An object as received, for an error's quote: the members it had (absent ones are not
/// written as `null`), its converted lists left out.
struct Quoted<'a, T>(&'a T);

impl<T: Serialize> Serialize for Quoted<'_, T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut value = serde_json::to_value(self.0).map_err(serde::ser::Error::custom)?;
        if let serde_json::Value::Object(members) = &mut value {
            members.retain(|_, v| !v.is_null());
        }
        value.serialize(serializer)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;
    use crate::error::ErrorKind;

    fn package() -> Value {
        json!({
            "id": "kallur-digital-7days-1gb", "type": "sim", "title": "1 GB - 7 days",
            "data": "1 GB", "amount": 1024, "day": 7, "price": "9.50", "net_price": null,
            "prices": {"net_price": {"USD": 7.6, "EUR": 7}, "recommended_retail_price": null},
            "short_info": null, "voice": null, "text": null
        })
    }

    fn operator(packages: Vec<Value>) -> Value {
        json!({
            "id": 7, "title": "Kallur Digital", "type": "local", "plan_type": "data",
            "image": null, "countries": null, "coverages": null, "packages": packages
        })
    }

    fn entry(slug: &str, operators: Vec<Value>) -> Value {
        json!({"slug": slug, "country_code": "NG", "title": "Nigeria", "operators": operators})
    }

    fn decode(data: Value) -> Result<Page<CatalogEntry>> {
        let body = json!({"data": data, "meta": {"current_page": 2}}).to_string();
        serde_json::from_str::<CatalogPage>(&body)
            .expect("the body is JSON")
            .into_page(1)
    }

    /// The message and excerpt of a `Decode` error.
    fn decode_error(data: Value) -> (String, String) {
        let err = decode(data).expect_err("a value is missing");
        let ErrorKind::Decode { excerpt } = err.kind() else {
            panic!("not a decode error: {err:?}");
        };
        (err.to_string(), excerpt.clone())
    }

    #[test]
    fn array_and_index_keyed_pages_give_the_same_entries_with_exact_prices() {
        let one = entry("nigeria", vec![operator(vec![package()])]);
        let array = decode(json!([one])).unwrap();
        let keyed = decode(json!({"0": one})).unwrap();
        assert_eq!(array.items, keyed.items);
        assert_eq!(array.page, 2);
        let p = &array.items[0].operators[0].packages[0];
        assert_eq!(p.price.unwrap().to_string(), "9.50");
        assert_eq!(p.net_price, None);
        assert_eq!(p.data, DataAllowance::Limited { mb: 1024 });
        assert_eq!(p.prices.net("EUR").unwrap().to_string(), "7");
        assert_eq!(p.prices.net("USD").unwrap().to_string(), "7.6");
        // A repeated index keeps the last entry, as an object does.
        let repeated = format!(
            r#"{{"data": {{"1": {a}, "0": {b}, "1": {c}}}}}"#,
            a = entry("first", vec![]),
            b = entry("zero", vec![]),
            c = entry("last", vec![]),
        );
        let slugs: Vec<_> = serde_json::from_str::<CatalogPage>(&repeated)
            .unwrap()
            .into_page(1)
            .unwrap()
            .items
            .into_iter()
            .map(|e| e.slug)
            .collect();
        assert_eq!(slugs, ["zero", "last"]);
    }

    #[test]
    fn a_missing_value_at_any_level_is_a_decode_error_quoting_its_object() {
        let mut no_price = package();
        no_price["price"] = Value::Null;
        let mut no_title = operator(vec![package()]);
        no_title.as_object_mut().unwrap().remove("title");
        let mut no_slug = entry("x", vec![]);
        no_slug["slug"] = json!(" ");
        let cases = [
            (
                json!([entry("a", vec![operator(vec![package(), no_price])])]),
                "package price",
                "kallur-digital-7days-1gb",
            ),
            (
                json!({"3": entry("a", vec![no_title])}),
                "operator title",
                "\"id\":7",
            ),
            (
                json!([entry("a", vec![]), no_slug]),
                "country slug",
                "Nigeria",
            ),
        ];
        for (data, what, quoted) in cases {
            let (message, excerpt) = decode_error(data);
            assert!(
                message.contains(&format!("has no {what}")),
                "{what}: {message}"
            );
            assert!(excerpt.contains(quoted), "{what}: {excerpt}");
            // Absent members are not quoted as `null`, and converted lists not at all.
            assert!(
                !excerpt.contains("null") && !excerpt.contains("packages"),
                "{what}: {excerpt}"
            );
        }
    }

    #[test]
    fn a_body_that_is_not_json_after_a_missing_value_is_not_json() {
        let mut no_price = package();
        no_price["price"] = Value::Null;
        let body = json!({"data": [entry("a", vec![operator(vec![no_price])])]}).to_string();
        let cut = &body[..body.len() - 1];
        assert!(serde_json::from_str::<CatalogPage>(cut).is_err());
    }
}
