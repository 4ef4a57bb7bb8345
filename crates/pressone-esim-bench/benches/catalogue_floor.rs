//! Issue 20's catalogue floor: the SDK against plain hand-written structs decoded by
//! `serde_json` (`pressone_esim_bench::floor`), over the same multi-page catalogue: 15,000
//! packages in 3 pages (about 4.7 MB), `data` an array on page 1 and an index-keyed object
//! on pages 2 and 3.
//!
//! * `catalogue_floor_decode`: the three pages in memory. SDK: its own decoder
//!   (`decode::response`, straight into domain types), one page after the other, every
//!   page's result kept. Floor: `serde_json` into the plain structs, every entry collected.
//! * `catalogue_floor_http`: the whole catalogue over the loopback server. SDK:
//!   `packages().list().include_topups(true).stream()` collected. Floor: a page loop of
//!   `reqwest` GETs + `serde_json` into the plain structs, every entry collected.
//! * `catalogue_floor_http_prefetch`: the same with the SDK's opt-in `.prefetch(true)`
//!   (page n+1 fetched beside page n) against the same floor.
//!
//! * `catalogue_floor_raw_decode` (context, not the SDK): `serde_json` into the raw
//!   generated types alone against the floor: the raw client's decode (the SDK's was this
//!   plus a conversion pass until it read straight into domain types).
//! * `catalogue_floor_sonic_vs_serde_raw`, `catalogue_floor_simd_json_vs_serde_raw` (context,
//!   not the SDK): the SIMD parsers `sonic-rs` and `simd-json` into the same raw types
//!   against `serde_json` (the "SDK" column is the SIMD parser), after a check that all three
//!   give the same values.
//!
//! Peak memory of each (the counting allocator; the server's threads are not counted), then
//! paired rounds (SDK and floor alternating) give the ratios. Outside `cargo bench` (e.g.
//! `cargo test --benches`) it only checks that both sides see the same 15,000 packages.

use std::sync::Arc;

use bytes::Bytes;
use futures::TryStreamExt;
use pressone_esim::CatalogEntry;
use pressone_esim_bench::alloc::{self, Counting, mb, peak_of};
use pressone_esim_bench::baseline::Baseline;
use pressone_esim_bench::floor;
use pressone_esim_bench::generate::{CATALOGUE_PAGES, FLOOR_CATALOGUE, catalogue_pages};
use pressone_esim_bench::harness::{client_runtime, serve};
use pressone_esim_bench::paired::{self, Kind, timed};
use pressone_esim_bench::server::Bodies;

#[global_allocator]
static ALLOC: Counting = Counting;

fn sdk_decode(pages: &[Bytes]) -> Vec<Box<dyn std::fmt::Debug>> {
    pages
        .iter()
        .map(|p| {
            pressone_esim::decode::response("get_packages", 200, p)
                .expect("the SDK decodes the catalogue")
        })
        .collect()
}

/// `serde_json` into the raw generated types only (the raw client's decode; the SDK reads
/// straight into domain types).
fn raw_decode(pages: &[Bytes]) -> Vec<pressone_esim::raw::types::PackagesResponse> {
    pages
        .iter()
        .map(|p| serde_json::from_slice(p).expect("serde decodes the catalogue"))
        .collect()
}

/// `sonic-rs` into the raw generated types (context: a SIMD parser in place of `serde_json`).
fn sonic_raw_decode(pages: &[Bytes]) -> Vec<pressone_esim::raw::types::PackagesResponse> {
    pages
        .iter()
        .map(|p| sonic_rs::from_slice(p).expect("sonic-rs decodes the catalogue"))
        .collect()
}

/// `simd-json` into the raw generated types (it parses in place: each page is copied first,
/// as a client holding the received `Bytes` would have to).
fn simd_raw_decode(pages: &[Bytes]) -> Vec<pressone_esim::raw::types::PackagesResponse> {
    pages
        .iter()
        .map(|p| {
            let mut body = p.to_vec();
            simd_json::serde::from_slice(&mut body).expect("simd-json decodes the catalogue")
        })
        .collect()
}

fn floor_decode(pages: &[Bytes]) -> Vec<floor::Country> {
    let mut all = Vec::new();
    for p in pages {
        all.extend(floor::decode(p).expect("serde decodes the catalogue").data);
    }
    all
}

async fn sdk_http(sdk: pressone_esim::Client, prefetch: bool) -> Vec<CatalogEntry> {
    sdk.packages()
        .list()
        .include_topups(true)
        .prefetch(prefetch)
        .stream()
        .try_collect()
        .await
        .expect("the SDK streams the catalogue")
}

async fn floor_http(baseline: Arc<Baseline>) -> Vec<floor::Country> {
    floor::fetch_all(&baseline)
        .await
        .expect("the floor fetches the catalogue")
}

fn main() {
    let pages = catalogue_pages(FLOOR_CATALOGUE, CATALOGUE_PAGES);
    let size: usize = pages.iter().map(Bytes::len).sum();
    let runtime = client_runtime();
    let (_server, sdk, baseline) = serve(&runtime, Bodies::catalogue_pages(pages.clone()));

    // Both sides see the same catalogue.
    let sdk_entries = runtime.block_on(sdk_http(sdk.clone(), false));
    let floor_entries = runtime.block_on(floor_http(Arc::clone(&baseline)));
    let sdk_packages: usize = sdk_entries.iter().map(|e| e.packages().count()).sum();
    let floor_packages: usize = floor_entries
        .iter()
        .flat_map(|c| &c.operators)
        .map(|o| o.packages.len())
        .sum();
    assert_eq!(sdk_packages, FLOOR_CATALOGUE.packages());
    assert_eq!(floor_packages, FLOOR_CATALOGUE.packages());
    drop((sdk_entries, floor_entries));
    // The SIMD parsers read the same wire into the same raw values as serde_json.
    let as_json = |decoded: Vec<pressone_esim::raw::types::PackagesResponse>| {
        serde_json::to_value(decoded).expect("raw values serialize")
    };
    let by_serde = as_json(raw_decode(&pages));
    assert_eq!(as_json(sonic_raw_decode(&pages)), by_serde, "sonic-rs");
    assert_eq!(as_json(simd_raw_decode(&pages)), by_serde, "simd-json");
    drop(by_serde);
    if !paired::bench_mode() {
        return;
    }

    assert!(
        alloc::installed(),
        "the counting allocator is not installed"
    );
    println!(
        "catalogue floor: {} packages in {} pages, {} ({size} bytes)",
        FLOOR_CATALOGUE.packages(),
        pages.len(),
        mb(size)
    );
    let mut peaks = Vec::new();
    let mut report = |name: &str, (peak, _kept): (usize, usize)| {
        println!(
            "memory catalogue_floor/{name}: peak {} = {:.2}x the pages",
            mb(peak),
            peak as f64 / size as f64
        );
        peaks.push(peak);
    };
    report("decode/sdk", peak_of(|| Box::new(sdk_decode(&pages)) as _));
    report(
        "decode/floor",
        peak_of(|| Box::new(floor_decode(&pages)) as _),
    );
    report(
        "http/sdk",
        peak_of(|| Box::new(runtime.block_on(sdk_http(sdk.clone(), false))) as _),
    );
    report(
        "http/floor",
        peak_of(|| Box::new(runtime.block_on(floor_http(Arc::clone(&baseline)))) as _),
    );
    report(
        "http/sdk_prefetch",
        peak_of(|| Box::new(runtime.block_on(sdk_http(sdk.clone(), true))) as _),
    );
    println!(
        "memory catalogue_floor: SDK peak / floor peak: decode {:.2}, http {:.2}, http with prefetch {:.2}",
        peaks[0] as f64 / peaks[1] as f64,
        peaks[2] as f64 / peaks[3] as f64,
        peaks[4] as f64 / peaks[3] as f64
    );

    let by_sdk = || drop(sdk_decode(&pages));
    let by_floor = || drop(floor_decode(&pages));
    let by_raw = || drop(raw_decode(&pages));
    let by_sonic = || drop(sonic_raw_decode(&pages));
    let by_simd = || drop(simd_raw_decode(&pages));
    type Side<'a> = &'a dyn Fn();
    // After the SDK against the floor, context rows (not the SDK): the raw types alone against
    // the floor (what the raw client's decode costs), and the SIMD parsers against
    // serde_json into the same raw types (the "SDK" side is the SIMD parser).
    let in_memory: [(&str, Side, Side); 4] = [
        ("catalogue_floor_decode", &by_sdk, &by_floor),
        ("catalogue_floor_raw_decode", &by_raw, &by_floor),
        ("catalogue_floor_sonic_vs_serde_raw", &by_sonic, &by_raw),
        ("catalogue_floor_simd_json_vs_serde_raw", &by_simd, &by_raw),
    ];
    for (group, first, second) in in_memory {
        paired::run(group, Kind::Time, 20, 1, || timed(first), || timed(second));
    }
    // Then over HTTP: the default stream, and the opt-in prefetch (`ListPackages::prefetch`:
    // page n+1 fetched beside page n), each against the floor.
    for (group, prefetch) in [
        ("catalogue_floor_http", false),
        ("catalogue_floor_http_prefetch", true),
    ] {
        paired::run(
            group,
            Kind::Time,
            20,
            1,
            || timed(&|| drop(runtime.block_on(sdk_http(sdk.clone(), prefetch)))),
            || timed(&|| drop(runtime.block_on(floor_http(Arc::clone(&baseline))))),
        );
    }
}
