//! The opt-in page prefetch of the package list (`ListPackages::prefetch`): once a page has
//! said how many there are, the next page is requested while this one is still in flight;
//! each page is still fetched once and the entries come in order. Without it, one page at a
//! time (`lists_and_cache.rs`).

use std::time::Duration;

use futures::StreamExt;
use httpmock::prelude::*;
use serde_json::json;

use crate::common::*;

/// Page `page` of 3, one entry (`c1`, `c2`, `c3`).
fn page(page: u32) -> String {
    json!({
        "data": [{"slug": format!("c{page}"), "title": format!("Country {page}"), "operators": []}],
        "meta": {"current_page": page, "last_page": 3}
    })
    .to_string()
}

#[tokio::test]
async fn a_prefetching_stream_asks_for_the_next_page_while_one_is_in_flight() {
    let server = token_server().await;
    let mut pages = Vec::new();
    for n in 1..=3 {
        pages.push(
            server
                .mock_async(|when, then| {
                    authed(when.method(GET).path("/customer/v2/packages"))
                        .query_param("page", n.to_string());
                    json(then, 200, page(n));
                })
                .await,
        );
    }
    let proxy = gate::GatedProxy::start(&server.base_url()).await;
    // No retry and no timeout within the test: a held request is never sent again.
    let client = builder_for(&proxy.url)
        .retry_policy(pressone_esim::RetryPolicy::disabled())
        .request_timeout(Duration::from_secs(120))
        .build()
        .expect("client builds");
    let mut entries = client.packages().list().prefetch(true).stream();
    let first = entries.next().await.expect("page 1").expect("entry");
    assert_eq!(first.slug, "c1");

    // Page 1 said there are 3: asking for page 2 also asks for page 3, before either answer.
    proxy.close();
    let next = tokio::spawn(async move { (entries.next().await, entries) });
    // A guard, not a measure: without the prefetch only page 2 is ever held.
    tokio::time::timeout(Duration::from_secs(10), proxy.wait_held(2))
        .await
        .expect("page 3 is requested while page 2 is in flight");
    proxy.open();
    let (second, mut entries) = next.await.expect("the stream task");
    assert_eq!(second.expect("page 2").expect("entry").slug, "c2");
    let third = entries.next().await.expect("page 3").expect("entry");
    assert_eq!(third.slug, "c3");
    assert!(entries.next().await.is_none(), "no page after the last");
    for (n, mock) in (1..).zip(&pages) {
        assert_eq!(mock.calls_async().await, 1, "page {n} fetched once");
    }
}
