//! Profiling driver (not a benchmark): `catalogue_decode sdk|raw|floor N` decodes the floor
//! bench's three catalogue pages (15,000 packages, 4.7 MB) `N` times (default 5) with the
//! SDK's decoder, `serde_json` into the raw generated types, or the hand-written floor, for
//! `valgrind --tool=callgrind` to show where one side spends its instructions. See
//! docs/benchmarks.md, "Issue 20".

use pressone_esim_bench::floor;
use pressone_esim_bench::generate::{CATALOGUE_PAGES, FLOOR_CATALOGUE, catalogue_pages};

fn main() {
    let mut args = std::env::args().skip(1);
    let side = args.next().unwrap_or_else(|| "sdk".into());
    let rounds: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(5);
    let pages = catalogue_pages(FLOOR_CATALOGUE, CATALOGUE_PAGES);
    for _ in 0..rounds {
        for page in &pages {
            match side.as_str() {
                "sdk" => drop(
                    pressone_esim::decode::response("get_packages", 200, page)
                        .expect("the SDK decodes the catalogue"),
                ),
                "raw" => drop(
                    serde_json::from_slice::<pressone_esim::raw::types::PackagesResponse>(page)
                        .expect("serde decodes the catalogue"),
                ),
                "floor" => drop(floor::decode(page).expect("serde decodes the catalogue")),
                other => panic!("unknown side {other:?}: sdk, raw or floor"),
            }
        }
    }
}
