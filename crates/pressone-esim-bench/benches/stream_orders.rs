//! Benchmark 5: streaming 10,000 orders (the order-list fixture's shape) over many pages.
//!
//! First, memory: for page sizes 50, 100 and 200 the SDK's `orders().list().stream()` is
//! consumed order by order (each order dropped once seen) and the peak of client-side bytes
//! above the starting level (counting allocator; the server's threads are not counted) is
//! read after 1, 2, 5, 10, 20, 50... pages, with the bytes still allocated after each page.
//! Flat means nothing accumulates: what stays allocated between pages does not grow, and the
//! peak stays within what one page needs (it varies with how the page's body arrives: in one
//! chunk, or in many that are then copied into one buffer), however many pages pass.
//!
//! Then, time (criterion): the whole stream of 10,000 orders in pages of 100 through the SDK
//! vs a hand-written loop of `reqwest` GETs + `serde_json` into the raw types; then paired
//! rounds (alternating, see `paired`) give the ratio.

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use futures::TryStreamExt;
use pressone_esim_bench::alloc::{self, Counting, Probe, mb};
use pressone_esim_bench::baseline::Baseline;
use pressone_esim_bench::generate::{ORDER_COUNT, order_pages};
use pressone_esim_bench::harness::{SERVER_THREADS, client_runtime, clients, sdk_client};
use pressone_esim_bench::paired::{self, Kind};
use pressone_esim_bench::server::{Bodies, Server};

#[global_allocator]
static ALLOC: Counting = Counting;

const PAGE_SIZES: [u32; 3] = [50, 100, 200];
/// The page size of the timed stream.
const TIMED_PAGE_SIZE: u32 = 100;

async fn sdk_stream(client: pressone_esim::Client, limit: u32) -> usize {
    let mut stream = client.orders().list().limit(limit).stream();
    let mut seen = 0;
    while let Some(order) = stream.try_next().await.expect("the SDK streams the orders") {
        std::hint::black_box(order);
        seen += 1;
    }
    seen
}

async fn baseline_stream(baseline: Arc<Baseline>, limit: u32) -> usize {
    let mut seen = 0;
    let mut page = 1;
    loop {
        let response = baseline
            .orders_page(limit, page)
            .await
            .expect("the baseline fetches a page");
        let last = response
            .meta
            .as_ref()
            .and_then(|m| m.last_page)
            .unwrap_or(0);
        for order in response.data {
            std::hint::black_box(order);
            seen += 1;
        }
        if i64::from(page) >= last {
            return seen;
        }
        page += 1;
    }
}

/// Streams every order with pages of `limit` and returns, after each page, the peak so far and
/// the live bytes then (both above the level before the stream).
async fn peaks_per_page(client: pressone_esim::Client, limit: u32) -> (Vec<usize>, Vec<isize>) {
    let mut stream = client.orders().list().limit(limit).stream();
    let probe = Probe::start();
    let pages = ORDER_COUNT / limit as usize + 1;
    let (mut peaks, mut lives) = (Vec::with_capacity(pages), Vec::with_capacity(pages));
    let mut seen = 0usize;
    while let Some(order) = stream.try_next().await.expect("the SDK streams the orders") {
        drop(std::hint::black_box(order));
        seen += 1;
        if seen.is_multiple_of(limit as usize) || seen == ORDER_COUNT {
            peaks.push(probe.peak());
            lives.push(probe.now());
        }
    }
    probe.finish();
    assert_eq!(seen, ORDER_COUNT);
    (peaks, lives)
}

fn memory(runtime: &tokio::runtime::Runtime, server: &Server, bodies: &Bodies) {
    assert!(
        alloc::installed(),
        "the counting allocator is not installed"
    );
    for limit in PAGE_SIZES {
        let pages = &bodies.orders[&limit];
        let largest = pages.iter().map(|p| p.len()).max().unwrap_or(0);
        let total: usize = pages.iter().map(|p| p.len()).sum();
        let client = sdk_client(server);
        runtime
            .block_on(client.authenticate())
            .expect("the SDK authenticates");
        // A first pass warms the connection and the allocator's pools.
        runtime.block_on(sdk_stream(client.clone(), limit));
        let (peaks, lives) = runtime
            .block_on(runtime.spawn(peaks_per_page(client, limit)))
            .expect("the stream task");
        let at = |n: usize| peaks[(n.min(peaks.len())) - 1];
        let marks: Vec<usize> = [1, 2, 5, 10, 20, 50, 100, 200]
            .into_iter()
            .filter(|&n| n < peaks.len())
            .chain([peaks.len()])
            .collect();
        let series: Vec<String> = marks
            .iter()
            .map(|&n| format!("{n}: {}", mb(at(n))))
            .collect();
        println!(
            "memory orders/limit{limit}: {} pages, largest page body {}, all pages {}",
            pages.len(),
            mb(largest),
            mb(total)
        );
        println!(
            "memory orders/limit{limit}: peak after pages {}",
            series.join(", ")
        );
        // What stays allocated between pages (the last page's last order was just dropped):
        // flat when nothing accumulates, whatever the peaks do.
        let live_max = lives.iter().copied().max().unwrap_or(0).max(0) as usize;
        let live_last = lives.last().copied().unwrap_or(0);
        println!(
            "memory orders/limit{limit}: live after page 2: {} bytes, after the last page: {} \
             bytes, at most {}",
            lives.get(1).copied().unwrap_or(0),
            live_last,
            mb(live_max)
        );
        println!(
            "memory orders/limit{limit}: final peak {} = {:.2}x one page body, {:.3}x all pages; \
             final / after 2 pages = {:.2}",
            mb(at(peaks.len())),
            at(peaks.len()) as f64 / largest as f64,
            at(peaks.len()) as f64 / total as f64,
            at(peaks.len()) as f64 / at(2) as f64
        );
    }
}

fn stream_orders(c: &mut Criterion) {
    let runtime = client_runtime();
    let bodies = Bodies {
        orders: PAGE_SIZES
            .into_iter()
            .map(|limit| (limit, order_pages(ORDER_COUNT, limit as usize)))
            .collect(),
        ..Bodies::small()
    };
    let server = Server::start(bodies.clone(), SERVER_THREADS);
    memory(&runtime, &server, &bodies);

    let (sdk, baseline) = clients(&runtime, &server);
    let mut group = c.benchmark_group(format!("orders_stream_{ORDER_COUNT}"));
    group.throughput(Throughput::Elements(ORDER_COUNT as u64));
    group.bench_function(format!("sdk_limit{TIMED_PAGE_SIZE}"), |b| {
        b.to_async(&runtime)
            .iter(|| sdk_stream(sdk.clone(), TIMED_PAGE_SIZE))
    });
    group.bench_function(format!("baseline_limit{TIMED_PAGE_SIZE}"), |b| {
        b.to_async(&runtime)
            .iter(|| baseline_stream(Arc::clone(&baseline), TIMED_PAGE_SIZE))
    });
    group.finish();
    // The ratio, from alternating rounds (see `paired`).
    let timed = |f: &dyn Fn() -> usize| {
        let started = Instant::now();
        assert_eq!(f(), ORDER_COUNT);
        started.elapsed()
    };
    paired::run(
        &format!("orders_stream_{ORDER_COUNT}"),
        Kind::Time,
        10,
        1,
        || timed(&|| runtime.block_on(sdk_stream(sdk.clone(), TIMED_PAGE_SIZE))),
        || timed(&|| runtime.block_on(baseline_stream(Arc::clone(&baseline), TIMED_PAGE_SIZE))),
    );
}

criterion_group! {
    name = benches;
    config = common::config(Duration::from_secs(1), Duration::from_secs(6), 10);
    targets = stream_orders
}
criterion_main!(benches);
