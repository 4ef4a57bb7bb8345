//! Pagination streams (Laravel `links`/`meta`, index-keyed package pages, DRF `next`): each
//! page fetched once, on demand, stopping at the last page; and the package-history cache
//! (per ICCID, `.fresh()`, invalidated by a top-up; top-up offers never cached).

use std::time::Duration;

use futures::{StreamExt, TryStreamExt};
use httpmock::Mock;
use httpmock::prelude::*;
use pressone_esim::{ErrorKind, HISTORY_CACHE_TTL, RetryPolicy};
use serde_json::{Value, json};

use crate::common::*;

const ORDERS: &str = "/customer/v2/orders";

/// Mounts one page of `path`, matched by its `page` query parameter.
async fn mount_page<'a>(
    server: &'a MockServer,
    path: &str,
    page: u32,
    body: impl Into<String>,
) -> Mock<'a> {
    let body = body.into();
    server
        .mock_async(|when, then| {
            authed(when.method(GET).path(path)).query_param("page", page.to_string());
            json(then, 200, body);
        })
        .await
}

// ---------------------------------------------------------------------------------------------
// Streams
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn orders_stream_over_three_pages_fetches_each_once_and_stops() {
    let server = token_server().await;
    let page1 = mount_page(
        &server,
        ORDERS,
        1,
        orders_page(&[(1, None), (2, None), (3, None)], 1, 3),
    )
    .await;
    let page2 = mount_page(
        &server,
        ORDERS,
        2,
        orders_page(&[(4, None), (5, None), (6, None)], 2, 3),
    )
    .await;
    let page3 = mount_page(
        &server,
        ORDERS,
        3,
        orders_page(&[(7, None), (8, Some("last"))], 3, 3),
    )
    .await;
    let page4 = mount_page(&server, ORDERS, 4, orders_page(&[(99, None)], 4, 4)).await;

    let orders: Vec<_> = client(&server)
        .orders()
        .list()
        .limit(3)
        .stream()
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<i64> = orders.iter().map(|o| o.id).collect();
    assert_eq!(ids, [1, 2, 3, 4, 5, 6, 7, 8]);
    assert_eq!(orders[7].description.as_deref(), Some("last"));
    for (n, page) in [(1, &page1), (2, &page2), (3, &page3)] {
        assert_eq!(page.calls_async().await, 1, "page {n}");
    }
    assert_eq!(page4.calls_async().await, 0, "no page after the last");
}

#[tokio::test]
async fn streams_fetch_pages_on_demand_and_keep_the_filters() {
    let server = token_server().await;
    let filters = [("limit", "2"), ("filter[code]", "2023")];
    let query = [
        filters[0],
        filters[1],
        ("page", "1"),
        ("include", "sims,status"),
    ];
    let body = orders_page(&[(1, None), (2, None)], 1, 2);
    let page1 = mount_orders(&server, &query, body).await;
    let query = [filters[0], filters[1], ("page", "2")];
    let page2 = mount_orders(&server, &query, orders_page(&[(3, None)], 2, 2)).await;
    let c = client(&server);
    let first_two: Vec<_> = c
        .orders()
        .list()
        .limit(2)
        .code("2023")
        .stream()
        .take(2)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(first_two.len(), 2);
    assert_eq!(page1.calls_async().await, 1);
    assert_eq!(page2.calls_async().await, 0, "page 2 not needed yet");

    let all: Vec<_> = c
        .orders()
        .list()
        .limit(2)
        .code("2023")
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 3);
    assert_eq!(page2.calls_async().await, 1);
}

#[tokio::test]
async fn a_stream_can_start_at_a_later_page() {
    let server = token_server().await;
    let page1 = mount_page(&server, ORDERS, 1, orders_page(&[(1, None)], 1, 3)).await;
    mount_page(&server, ORDERS, 2, orders_page(&[(2, None)], 2, 3)).await;
    mount_page(&server, ORDERS, 3, orders_page(&[(3, None)], 3, 3)).await;
    let ids: Vec<i64> = client(&server)
        .orders()
        .list()
        .page(2)
        .stream()
        .map_ok(|o| o.id)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids, [2, 3]);
    assert_eq!(page1.calls_async().await, 0);
}

#[tokio::test]
async fn a_failing_page_ends_the_stream_with_the_error() {
    let server = token_server().await;
    mount_page(
        &server,
        ORDERS,
        1,
        orders_page(&[(1, None), (2, None)], 1, 3),
    )
    .await;
    let page2 = server
        .mock_async(|when, then| {
            when.method(GET).path(ORDERS).query_param("page", "2");
            json(then, 422, fixture("airalo.get-order-list.422.json"));
        })
        .await;
    let page3 = mount_page(&server, ORDERS, 3, orders_page(&[(3, None)], 3, 3)).await;
    let items: Vec<_> = client(&server).orders().list().stream().collect().await;
    assert_eq!(items.len(), 3, "two orders, then the error");
    assert!(items[0].is_ok() && items[1].is_ok());
    let err = items[2].as_ref().unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Validation { .. }));
    assert_eq!(calls(&[&page2, &page3]).await, [1, 0]);
}

#[tokio::test]
async fn packages_stream_reads_an_array_page_then_an_index_keyed_page() {
    let server = token_server().await;
    let mut first = fixture_json("airalo.get-packages.200.json");
    first["meta"]["last_page"] = json!(2);
    let entry = |slug: &str| -> Value {
        let mut e = first["data"][1].clone();
        e["slug"] = json!(slug);
        e
    };
    // Laravel keeps the collection keys on later pages: an object keyed by catalogue index.
    // Serialized in the order "10", "2", "3" to check the numeric sort.
    let second = format!(
        r#"{{"data": {{"10": {}, "2": {}, "3": {}}}, "links": {{"next": null}}, "meta": {{"current_page": 2, "last_page": 2, "total": 5}}}}"#,
        entry("tenth"),
        entry("second"),
        entry("third"),
    );
    let page1 = server
        .mock_async(|when, then| {
            authed(when.method(GET).path("/customer/v2/packages"))
                .query_param("page", "1")
                .query_param("limit", "2")
                .query_param("filter[country]", "FR");
            json(then, 200, first.to_string());
        })
        .await;
    let page2 = server
        .mock_async(|when, then| {
            authed(when.method(GET).path("/customer/v2/packages"))
                .query_param("page", "2")
                .query_param("limit", "2")
                .query_param("filter[country]", "FR");
            json(then, 200, second);
        })
        .await;
    let page3 = mount_page(&server, "/customer/v2/packages", 3, "{}").await;

    let slugs: Vec<String> = client(&server)
        .packages()
        .list()
        .country("FR")
        .limit(2)
        .stream()
        .map_ok(|e| e.slug)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        slugs,
        ["united-states", "france", "second", "third", "tenth"]
    );
    assert_eq!(calls(&[&page1, &page2, &page3]).await, [1, 1, 0]);
}

#[tokio::test]
async fn an_index_keyed_page_fetched_alone_is_in_numeric_order() {
    let server = token_server().await;
    let entries: Vec<String> = [11, 9, 10, 2]
        .iter()
        .map(|i| format!(r#""{i}": {{"slug": "c{i}", "title": "C{i}", "operators": []}}"#))
        .collect();
    let body = format!(
        r#"{{"data": {{{}}}, "meta": {{"current_page": 2, "last_page": 9}}}}"#,
        entries.join(", ")
    );
    mount_page(&server, "/customer/v2/packages", 2, body).await;
    let page = client(&server).packages().list().page(2).await.unwrap();
    let slugs: Vec<&str> = page.items.iter().map(|e| e.slug.as_str()).collect();
    assert_eq!(slugs, ["c2", "c9", "c10", "c11"]);
    assert_eq!(page.page, 2);
    assert!(page.has_more);
}

#[tokio::test]
async fn voice_users_stream_follows_drf_next() {
    let data = MockServer::start_async().await;
    let voice = MockServer::start_async().await;
    mount_token(&data).await;
    let user = |id: i64| json!({"id": id, "email": format!("u{id}@example.com")});
    let path = "/api/third-party/partner/user/";
    let page1 = mount_page(
        &voice,
        path,
        1,
        json!({"count": 3, "next": format!("{}{path}?page=2", voice.base_url()), "previous": null, "results": [user(1), user(2)]})
            .to_string(),
    )
    .await;
    let page2 = mount_page(
        &voice,
        path,
        2,
        json!({"count": 3, "next": null, "previous": format!("{}{path}?page=1", voice.base_url()), "results": [user(3)]})
            .to_string(),
    )
    .await;
    let page3 = mount_page(&voice, path, 3, json!({"results": [user(4)]}).to_string()).await;
    let c = builder(&data)
        .voice_base_url(voice.base_url())
        .build()
        .unwrap();
    let ids: Vec<Option<String>> = c
        .voice()
        .users()
        .stream()
        .map_ok(|u| u.id)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids, [Some("1".into()), Some("2".into()), Some("3".into())]);
    assert_eq!(calls(&[&page1, &page2, &page3]).await, [1, 1, 0]);
}

#[tokio::test]
async fn available_numbers_and_sims_stream_too() {
    let server = token_server().await;
    let path = "/api/third-party/partner/available-numbers/";
    mount_page(
        &server,
        path,
        1,
        json!({"count": 2, "next": "https://voice.example.com/next", "results": [{"number": "+1"}]})
            .to_string(),
    )
    .await;
    mount_page(
        &server,
        path,
        2,
        json!({"count": 2, "next": null, "results": [{"number": "+2"}]}).to_string(),
    )
    .await;
    let c = client(&server);
    let numbers: Vec<String> = c
        .voice()
        .available_numbers()
        .stream()
        .map_ok(|n| n.number)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(numbers, ["+1", "+2"]);

    let mut sims = fixture_json("airalo.get-esims-list.200.json");
    sims["meta"]["last_page"] = json!(1);
    let only = mount_page(&server, "/customer/v2/sims", 1, sims.to_string()).await;
    let all: Vec<_> = c.sims().list().stream().try_collect().await.unwrap();
    assert_eq!(all.len(), 5);
    assert_eq!(only.calls_async().await, 1);
}

#[tokio::test]
async fn an_empty_page_ends_the_stream_even_if_more_are_announced() {
    let server = token_server().await;
    mount_page(&server, ORDERS, 1, orders_page(&[], 1, 5)).await;
    let page2 = mount_page(&server, ORDERS, 2, orders_page(&[(2, None)], 2, 5)).await;
    let all: Vec<_> = client(&server)
        .orders()
        .list()
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert!(all.is_empty());
    assert_eq!(page2.calls_async().await, 0);
}

// ---------------------------------------------------------------------------------------------
// Package history cache
// ---------------------------------------------------------------------------------------------

fn history_path() -> String {
    format!("/customer/v2/sims/{ICCID}/packages")
}

async fn mount_history(server: &MockServer) -> Mock<'_> {
    server
        .mock_async(|when, then| {
            authed(when.method(GET).path(history_path()));
            json(
                then,
                200,
                fixture("airalo.get-esim-package-history.200.json"),
            );
        })
        .await
}

#[tokio::test]
async fn history_is_cached_per_iccid_fresh_bypasses_and_a_topup_invalidates() {
    let server = token_server().await;
    let history = mount_history(&server).await;
    let other_iccid = "8944465400000267222";
    let other = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(format!("/customer/v2/sims/{other_iccid}/packages"));
            json(then, 200, r#"{"data": []}"#);
        })
        .await;
    let topup = answer(
        &server,
        POST,
        "/customer/v2/orders/topups",
        200,
        fixture("airalo.submit-topup.200.json"),
    )
    .await;
    let c = client(&server);

    let first = c.sims().history(ICCID).await.unwrap();
    let second = c.sims().history(format!(" {ICCID} ")).await.unwrap();
    assert_eq!(first, second);
    assert_eq!(history.calls_async().await, 1, "the second call is cached");

    assert!(c.sims().history(other_iccid).await.unwrap().is_empty());
    assert_eq!(other.calls_async().await, 1, "per ICCID");
    assert_eq!(history.calls_async().await, 1);

    c.sims().history(ICCID).fresh().await.unwrap();
    assert_eq!(history.calls_async().await, 2, ".fresh() asks the server");
    c.sims().history(ICCID).await.unwrap();
    assert_eq!(
        history.calls_async().await,
        2,
        ".fresh() refreshed the cache"
    );

    c.topups()
        .create(ICCID, "change-7days-1gb-topup")
        .await
        .unwrap();
    assert_eq!(topup.calls_async().await, 1);
    c.sims().history(ICCID).await.unwrap();
    assert_eq!(history.calls_async().await, 3, "a top-up invalidates");
    c.sims().history(other_iccid).await.unwrap();
    assert_eq!(other.calls_async().await, 1, "only that ICCID's entry");
}

#[tokio::test]
async fn history_cache_lasts_15_minutes_by_default_and_is_configurable() {
    assert_eq!(HISTORY_CACHE_TTL, Duration::from_secs(15 * 60));
    // Tokio's clock is moved forward while paused (no call in flight), then runs again.
    async fn skip(by: Duration) {
        tokio::time::pause();
        tokio::time::advance(by).await;
        tokio::time::resume();
    }

    let server = token_server().await;
    let history = mount_history(&server).await;
    let c = client(&server);
    c.sims().history(ICCID).await.unwrap();
    skip(HISTORY_CACHE_TTL - Duration::from_secs(1)).await;
    c.sims().history(ICCID).await.unwrap();
    assert_eq!(history.calls_async().await, 1, "cached for 15 minutes");
    skip(Duration::from_secs(1)).await;
    c.sims().history(ICCID).await.unwrap();
    assert_eq!(history.calls_async().await, 2, "expired after 15 minutes");

    let server = token_server().await;
    let history = mount_history(&server).await;
    let c = builder(&server)
        .package_history_cache(Some(Duration::from_secs(60)))
        .build()
        .unwrap();
    c.sims().history(ICCID).await.unwrap();
    skip(Duration::from_secs(59)).await;
    c.sims().history(ICCID).await.unwrap();
    assert_eq!(history.calls_async().await, 1);
    skip(Duration::from_secs(1)).await;
    c.sims().history(ICCID).await.unwrap();
    assert_eq!(
        history.calls_async().await,
        2,
        "expired after the configured minute"
    );

    let server = token_server().await;
    let history = mount_history(&server).await;
    let c = builder(&server)
        .package_history_cache(None)
        .build()
        .unwrap();
    for _ in 0..3 {
        c.sims().history(ICCID).await.unwrap();
    }
    assert_eq!(history.calls_async().await, 3, "cache off");
}

#[tokio::test]
async fn history_errors_are_not_cached() {
    let server = token_server().await;
    let limited = rate_limited(&server, Op::GetEsimPackageHistory, "0").await;
    limited.up_to_n_times_async(1).await;
    let history = mount_history(&server).await;
    let c = builder(&server)
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap();
    expect_err(c.sims().history(ICCID).await);
    c.sims().history(ICCID).await.unwrap();
    c.sims().history(ICCID).await.unwrap();
    assert_eq!(calls(&[&limited, &history]).await, [1, 1]);
}

#[tokio::test]
async fn topup_offers_are_never_cached() {
    let server = token_server().await;
    let topups = server
        .mock_async(|when, then| {
            authed(
                when.method(GET)
                    .path(format!("/customer/v2/sims/{ICCID}/topups")),
            );
            json(then, 200, fixture("airalo.get-topups.200.json"));
        })
        .await;
    let c = client(&server);
    for _ in 0..3 {
        assert_eq!(c.sims().topups(ICCID).await.unwrap().len(), 3);
    }
    assert_eq!(topups.calls_async().await, 3);
}

#[tokio::test]
async fn a_rejected_topup_keeps_the_cached_history() {
    let server = token_server().await;
    let history = mount_history(&server).await;
    serve(&server, Op::SubmitTopup, "422-invalid-package-id").await;
    let c = client(&server);
    c.sims().history(ICCID).await.unwrap();
    expect_err(c.topups().create(ICCID, "nope").await);
    c.sims().history(ICCID).await.unwrap();
    let counts = calls(&[&history]).await;
    assert_eq!(counts, [1], "a refused top-up changed nothing");
}

#[tokio::test]
async fn an_ambiguous_topup_failure_invalidates_the_history() {
    let server = token_server().await;
    let history = mount_history(&server).await;
    answer_op(
        &server,
        Op::SubmitTopup,
        502,
        r#"{"message": "Bad Gateway"}"#,
    )
    .await;
    let c = client(&server);
    c.sims().history(ICCID).await.unwrap();
    let err = expect_err(c.topups().create(ICCID, "change-7days-1gb-topup").await);
    assert!(err.may_have_reached_server());
    c.sims().history(ICCID).await.unwrap();
    // It may have changed, so asked again.
    assert_eq!(calls(&[&history]).await, [2]);
}

#[tokio::test]
async fn a_server_that_ignores_the_page_parameter_does_not_loop() {
    let server = token_server().await;
    let list = answer(
        &server,
        GET,
        ORDERS,
        200,
        orders_page(&[(1, None), (2, None)], 1, 3),
    )
    .await;
    let ids: Vec<i64> = client(&server)
        .orders()
        .list()
        .stream()
        .map_ok(|o| o.id)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids, [1, 2], "page 1 once, its repetition dropped");
    assert_eq!(list.calls_async().await, 2);
}
