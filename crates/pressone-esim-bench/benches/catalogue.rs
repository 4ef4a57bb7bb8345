//! Benchmark 4: a `GET /packages` body of 20,000 packages (6.3 MB, generated from the
//! fixture's shape).
//!
//! * `catalogue_decode`: the body already in memory, decoded by the SDK into its domain types
//!   (`sdk_domain`: the client's own decoder, straight into domain types) vs `serde_json` into
//!   the raw types (`serde_raw`). `serde_raw_array` decodes into the raw types with `data`
//!   read as a plain array instead of the array-or-object type: not a competitor, it checks
//!   that this type costs nothing (the generated untagged enum it replaced made serde buffer
//!   the whole body: 10.5x the body in memory; see docs/benchmarks.md).
//! * `catalogue_http`: the whole call over the loopback server: `client.packages().list()`
//!   vs a hand-written `reqwest` GET + `serde_json` into the raw types.
//!
//! After each group, paired rounds (SDK and baseline alternating, see `paired`) give the
//! ratio. Before the timings, the peak memory of each (bytes allocated above the level before the
//! call, with the counting allocator; the loopback server's threads are not counted) is
//! printed and compared with the body size. Drop of the result is inside the timed routine
//! for every variant.

mod common;

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use pressone_esim::raw::types as w;
use pressone_esim_bench::alloc::{self, Counting, mb, peak_of};
use pressone_esim_bench::baseline::Baseline;
use pressone_esim_bench::generate::{CATALOGUE, catalogue_body};
use pressone_esim_bench::harness::{client_runtime, serve};
use pressone_esim_bench::paired::{self, Kind, timed};
use pressone_esim_bench::server::{Bodies, Server};
use serde::Deserialize;

#[global_allocator]
static ALLOC: Counting = Counting;

/// The raw page with `data` as a plain array (what page 1 sends).
#[derive(Deserialize)]
#[allow(dead_code)]
struct ArrayPage {
    data: Vec<w::Country>,
    links: Option<w::Links>,
    meta: Option<w::PageMeta>,
}

fn sdk_domain(body: &[u8]) -> Box<dyn std::fmt::Debug> {
    pressone_esim::decode::response("get_packages", 200, body)
        .expect("the SDK decodes the catalogue")
}

fn serde_raw(body: &[u8]) -> w::PackagesResponse {
    serde_json::from_slice(body).expect("serde decodes the catalogue")
}

fn serde_raw_array(body: &[u8]) -> ArrayPage {
    serde_json::from_slice(body).expect("serde decodes the catalogue")
}

struct Setup {
    body: Bytes,
    runtime: tokio::runtime::Runtime,
    _server: Server,
    sdk: pressone_esim::Client,
    baseline: Arc<Baseline>,
}

fn setup() -> Setup {
    let body = catalogue_body(CATALOGUE);
    let runtime = client_runtime();
    let (server, sdk, baseline) = serve(&runtime, Bodies::catalogue(body.clone()));
    Setup {
        body,
        runtime,
        _server: server,
        sdk,
        baseline,
    }
}

async fn sdk_http(sdk: pressone_esim::Client) -> pressone_esim::Page<pressone_esim::CatalogEntry> {
    sdk.packages()
        .list()
        .await
        .expect("the SDK lists the catalogue")
}

async fn baseline_http(baseline: Arc<Baseline>) -> w::PackagesResponse {
    baseline
        .packages()
        .await
        .expect("the baseline lists the catalogue")
}

fn memory(s: &Setup) {
    assert!(
        alloc::installed(),
        "the counting allocator is not installed"
    );
    let size = s.body.len();
    println!(
        "catalogue: {} packages, body {} ({size} bytes)",
        CATALOGUE.packages(),
        mb(size)
    );
    let report = |name: &str, (peak, kept): (usize, usize)| {
        println!(
            "memory catalogue/{name}: peak {} = {:.2}x body; result keeps {} = {:.2}x body",
            mb(peak),
            peak as f64 / size as f64,
            mb(kept),
            kept as f64 / size as f64
        );
    };
    let body = s.body.clone();
    report(
        "decode/sdk_domain",
        peak_of(|| Box::new(sdk_domain(&body)) as _),
    );
    report(
        "decode/serde_raw",
        peak_of(|| Box::new(serde_raw(&body)) as _),
    );
    report(
        "decode/serde_raw_array",
        peak_of(|| Box::new(serde_raw_array(&body)) as _),
    );
    // Over HTTP the body itself is received into the client's memory, so it counts too.
    report(
        "http/sdk",
        peak_of(|| Box::new(s.runtime.block_on(sdk_http(s.sdk.clone()))) as _),
    );
    report(
        "http/baseline",
        peak_of(|| Box::new(s.runtime.block_on(baseline_http(Arc::clone(&s.baseline)))) as _),
    );
}

fn catalogue(c: &mut Criterion) {
    let s = setup();
    memory(&s);
    let mut group = c.benchmark_group("catalogue_decode");
    group.throughput(Throughput::Bytes(s.body.len() as u64));
    group.bench_function("sdk_domain", |b| b.iter(|| sdk_domain(&s.body)));
    group.bench_function("serde_raw", |b| b.iter(|| serde_raw(&s.body)));
    group.bench_function("serde_raw_array", |b| b.iter(|| serde_raw_array(&s.body)));
    group.finish();

    // The ratio, from alternating rounds (see `paired`).
    paired::run(
        "catalogue_decode",
        Kind::Time,
        15,
        1,
        || timed(&|| drop(sdk_domain(&s.body))),
        || timed(&|| drop(serde_raw(&s.body))),
    );

    let mut group = c.benchmark_group("catalogue_http");
    group.throughput(Throughput::Bytes(s.body.len() as u64));
    group.bench_function("sdk", |b| {
        b.to_async(&s.runtime).iter(|| sdk_http(s.sdk.clone()))
    });
    group.bench_function("baseline", |b| {
        b.to_async(&s.runtime)
            .iter(|| baseline_http(Arc::clone(&s.baseline)))
    });
    group.finish();
    paired::run(
        "catalogue_http",
        Kind::Time,
        10,
        1,
        || timed(&|| drop(s.runtime.block_on(sdk_http(s.sdk.clone())))),
        || timed(&|| drop(s.runtime.block_on(baseline_http(Arc::clone(&s.baseline))))),
    );
}

criterion_group! {
    name = benches;
    config = common::config(Duration::from_secs(1), Duration::from_secs(5), 20);
    targets = catalogue
}
criterion_main!(benches);
