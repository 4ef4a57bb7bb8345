//! Response bodies built from the wire fixtures in `tests/fixtures`: the same fields, types
//! and nesting as the vendor's examples, repeated with varied values up to the sizes the
//! benchmarks need. Bodies are compact JSON (no indentation), as servers send them.

use bytes::Bytes;
use serde_json::{Value, json};

const TOKEN: &str = include_str!("../../../tests/fixtures/airalo.request-access-token.200.json");
const USAGE: &str = include_str!("../../../tests/fixtures/airalo.get-usage.200.json");
const PACKAGES: &str = include_str!("../../../tests/fixtures/airalo.get-packages.200.json");
const ORDERS: &str = include_str!("../../../tests/fixtures/airalo.get-order-list.200.json");

/// The catalogue size of benchmark 4: 200 countries × 4 operators × 25 packages = 20,000
/// packages, 6.3 MB.
pub const CATALOGUE: CatalogueSize = CatalogueSize {
    countries: 200,
    operators_per_country: 4,
    packages_per_operator: 25,
};

/// The number of orders of benchmark 5.
pub const ORDER_COUNT: usize = 10_000;

/// How many countries, operators and packages a generated catalogue has.
#[derive(Clone, Copy, Debug)]
pub struct CatalogueSize {
    /// Catalogue entries (countries).
    pub countries: usize,
    /// Operators in each country.
    pub operators_per_country: usize,
    /// Packages of each operator.
    pub packages_per_operator: usize,
}

impl CatalogueSize {
    /// Packages in the whole catalogue.
    pub fn packages(&self) -> usize {
        self.countries * self.operators_per_country * self.packages_per_operator
    }
}

fn compact(value: &Value) -> Bytes {
    Bytes::from(serde_json::to_vec(value).expect("JSON values serialize"))
}

fn parse(text: &str) -> Value {
    serde_json::from_str(text).expect("the fixtures are JSON")
}

/// The token fixture, compact.
pub fn token_body() -> Bytes {
    compact(&parse(TOKEN))
}

/// The access token the token fixture carries.
pub fn token() -> String {
    parse(TOKEN)["data"]["access_token"]
        .as_str()
        .expect("the fixture has a token")
        .to_string()
}

/// The usage fixture (`airalo.get-usage.200.json`), compact: 234 bytes.
pub fn usage_body() -> Bytes {
    compact(&parse(USAGE))
}

/// A price with two decimals, varied by `seed`, as a JSON number.
fn price(base: f64, seed: usize) -> Value {
    let cents = (base * 100.0).round() as i64 + (seed % 97) as i64;
    json!(cents as f64 / 100.0)
}

/// The catalogue of the floor bench (issue 20): 150 countries × 4 operators × 25 packages =
/// 15,000 packages, about 4.7 MB in [`CATALOGUE_PAGES`] pages.
pub const FLOOR_CATALOGUE: CatalogueSize = CatalogueSize {
    countries: 150,
    operators_per_country: 4,
    packages_per_operator: 25,
};

/// The pages the floor bench's catalogue is cut into: page 1 sends `data` as an array, pages
/// 2 and 3 as an object keyed by the entries' indices (as the vendor's later pages do).
pub const CATALOGUE_PAGES: usize = 3;

/// `size.countries` catalogue entries of the fixture's shape: every country has the fixture's
/// first country's fields (image, the 18-currency `min_price`), every operator the first
/// operator's, every package the first package's (3-currency `prices`), with ids, titles,
/// amounts and prices varied.
fn catalogue_entries(fixture: &Value, size: CatalogueSize) -> Vec<Value> {
    let country_template = fixture["data"][0].clone();
    let operator_template = country_template["operators"][0].clone();
    let package_template = operator_template["packages"][0].clone();
    let days = [7, 15, 30, 60, 90];
    let gigabytes = [1, 3, 5, 10, 20, 50];
    let mut seed = 0usize;
    (0..size.countries)
        .map(|c| {
            let mut country = country_template.clone();
            let code = format!(
                "{}{}",
                (b'A' + (c / 26 % 26) as u8) as char,
                (b'A' + (c % 26) as u8) as char
            );
            country["slug"] = json!(format!("country-{c:03}"));
            country["country_code"] = json!(code);
            country["title"] = json!(format!("Country {c:03}"));
            country["operators"] = Value::Array(
                (0..size.operators_per_country)
                    .map(|o| {
                        let mut operator = operator_template.clone();
                        operator["id"] = json!(1000 + c * 10 + o);
                        operator["title"] = json!(format!("Operator {c:03}-{o}"));
                        operator["packages"] = Value::Array(
                            (0..size.packages_per_operator)
                                .map(|p| {
                                    seed += 1;
                                    let d = days[p % days.len()];
                                    let gb = gigabytes[p % gigabytes.len()];
                                    let mut package = package_template.clone();
                                    package["id"] =
                                        json!(format!("op{c:03}-{o}-{d}days-{gb}gb-{p:02}"));
                                    package["title"] = json!(format!("{gb} GB - {d} days"));
                                    package["data"] = json!(format!("{gb} GB"));
                                    package["amount"] = json!(gb * 1024);
                                    package["day"] = json!(d);
                                    package["price"] = price(4.0, seed);
                                    package["net_price"] = price(1.8, seed);
                                    for (kind, base) in
                                        [("net_price", 1.5), ("recommended_retail_price", 3.5)]
                                    {
                                        for currency in ["USD", "EUR", "GBP"] {
                                            package["prices"][kind][currency] = price(base, seed);
                                        }
                                    }
                                    package
                                })
                                .collect(),
                        );
                        operator
                    })
                    .collect(),
            );
            country
        })
        .collect()
}

/// Where a page sits in a Laravel-paginated list.
struct Paging {
    /// 1-based.
    page: usize,
    per_page: usize,
    /// The index of the page's first item in the whole list.
    first: usize,
    /// Items on this page.
    len: usize,
    total: usize,
}

impl Paging {
    /// Sets the body's Laravel `links` (URLs from `link(page)`) and `meta`.
    fn apply(&self, body: &mut Value, link: impl Fn(usize) -> String) {
        let (page, last_page) = (self.page, self.total.div_ceil(self.per_page).max(1));
        let link = |p: usize| json!(link(p));
        body["links"] = json!({
            "first": link(1),
            "last": link(last_page),
            "prev": if page > 1 { link(page - 1) } else { Value::Null },
            "next": if page < last_page { link(page + 1) } else { Value::Null },
        });
        body["meta"]["current_page"] = json!(page);
        body["meta"]["from"] = json!(self.first + 1);
        body["meta"]["to"] = json!(self.first + self.len);
        body["meta"]["last_page"] = json!(last_page);
        body["meta"]["per_page"] = json!(self.per_page.to_string());
        body["meta"]["total"] = json!(self.total);
    }
}

/// A `GET /packages` body of the fixture's shape: page 1 (an array of countries, see
/// `catalogue_entries`), with the fixture's `pricing`, `links` and `meta`.
pub fn catalogue_body(size: CatalogueSize) -> Bytes {
    let fixture = parse(PACKAGES);
    let countries = catalogue_entries(&fixture, size);
    let mut body = fixture;
    body["data"] = Value::Array(countries);
    compact(&body)
}

/// The catalogue of `size` cut into `pages` complete `GET /packages` bodies (page 1 first),
/// each with the fixture's `pricing` and Laravel `links`/`meta`. Page 1's `data` is an array;
/// later pages' `data` is an object keyed by each entry's index in the whole catalogue
/// (`{"50": {...}, "51": {...}}`), the form the vendor sends after page 1.
pub fn catalogue_pages(size: CatalogueSize, pages: usize) -> Vec<Bytes> {
    let fixture = parse(PACKAGES);
    let countries = catalogue_entries(&fixture, size);
    let pages = pages.max(1);
    let per_page = countries.len().div_ceil(pages).max(1);
    let url = "https://partners-api.example/v2/packages?include=topup";
    let total = countries.len();
    countries
        .chunks(per_page)
        .enumerate()
        .map(|(i, chunk)| {
            let page = i + 1;
            let first = i * per_page;
            let data = if page == 1 {
                Value::Array(chunk.to_vec())
            } else {
                Value::Object(
                    chunk
                        .iter()
                        .enumerate()
                        .map(|(k, c)| ((first + k).to_string(), c.clone()))
                        .collect(),
                )
            };
            let mut body = fixture.clone();
            body["data"] = data;
            let paging = Paging {
                page,
                per_page,
                first,
                len: chunk.len(),
                total,
            };
            paging.apply(&mut body, |p| format!("{url}&page={p}"));
            compact(&body)
        })
        .collect()
}

/// `total` orders of the fixture's shape (`airalo.get-order-list.200.json`, its five orders
/// in turn, with ids, codes, descriptions and ICCIDs made unique), cut into pages of
/// `per_page`, each a complete `GET /orders` body with Laravel `links` and `meta`.
pub fn order_pages(total: usize, per_page: usize) -> Vec<Bytes> {
    let fixture = parse(ORDERS);
    let templates = fixture["data"].as_array().expect("orders").clone();
    let last_page = total.div_ceil(per_page).max(1);
    let url = "https://partners-api.example/v2/orders?include=sims%2Cstatus";
    (1..=last_page)
        .map(|page| {
            let first = (page - 1) * per_page;
            let orders: Vec<Value> = (first..total.min(first + per_page))
                .map(|i| {
                    let mut order = templates[i % templates.len()].clone();
                    order["id"] = json!(100_000 + i);
                    order["code"] = json!(format!("20230227-{:06}", 100_000 + i));
                    order["description"] = json!(format!("shop-order-{i}"));
                    if let Some(sims) = order["sims"].as_array_mut() {
                        for (k, sim) in sims.iter_mut().enumerate() {
                            sim["id"] = json!(500_000 + i * 10 + k);
                            sim["iccid"] = json!(format!("8910{:014}", i * 10 + k));
                        }
                    }
                    order
                })
                .collect();
            let mut body = fixture.clone();
            let paging = Paging {
                page,
                per_page,
                first,
                len: orders.len(),
                total,
            };
            body["data"] = Value::Array(orders);
            paging.apply(&mut body, |p| format!("{url}&limit={per_page}&page={p}"));
            compact(&body)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogue_has_the_announced_size() {
        let body = catalogue_body(CATALOGUE);
        let v: Value = serde_json::from_slice(&body).unwrap();
        let packages: usize = v["data"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|c| c["operators"].as_array().unwrap())
            .map(|o| o["packages"].as_array().unwrap().len())
            .sum();
        assert_eq!(packages, 20_000);
        assert!(
            (5_000_000..7_000_000).contains(&body.len()),
            "{}",
            body.len()
        );
    }

    #[test]
    fn catalogue_pages_are_array_then_index_keyed() {
        let pages = catalogue_pages(FLOOR_CATALOGUE, CATALOGUE_PAGES);
        assert_eq!(pages.len(), 3);
        let size: usize = pages.iter().map(Bytes::len).sum();
        assert!((4_000_000..6_000_000).contains(&size), "{size}");
        let mut packages = 0;
        for (i, page) in pages.iter().enumerate() {
            let v: Value = serde_json::from_slice(page).unwrap();
            let entries: Vec<&Value> = match &v["data"] {
                Value::Array(a) => a.iter().collect(),
                Value::Object(o) => o.values().collect(),
                _ => panic!("data"),
            };
            assert_eq!(v["data"].is_array(), i == 0);
            packages += entries
                .iter()
                .flat_map(|c| c["operators"].as_array().unwrap())
                .map(|o| o["packages"].as_array().unwrap().len())
                .sum::<usize>();
        }
        assert_eq!(packages, 15_000);
    }

    #[test]
    fn order_pages_cover_every_order_once() {
        let pages = order_pages(1_050, 100);
        assert_eq!(pages.len(), 11);
        let last: Value = serde_json::from_slice(&pages[10]).unwrap();
        assert_eq!(last["data"].as_array().unwrap().len(), 50);
        assert_eq!(last["meta"]["last_page"], 11);
        assert!(last["links"]["next"].is_null());
    }
}
