//! Lists as streams of items, fetching pages on demand.

use std::future::Future;
use std::num::NonZeroU64;

use futures::stream::{self, BoxStream, StreamExt, TryStreamExt};

use crate::error::Result;
use crate::models::Page;
use crate::raw::types as w;

/// Streams the items of every page from `first` on. Each page is fetched once, when the
/// previous one is used up; the stream stops after the last page, on an empty page, on an
/// error, or when the server answers with a page number it already gave.
pub(crate) fn paginate<T, F, Fut>(first: u32, fetch: F) -> BoxStream<'static, Result<T>>
where
    T: Send + 'static,
    F: FnMut(u32) -> Fut + Send + 'static,
    Fut: Future<Output = Result<Page<T>>> + Send + 'static,
{
    struct State<F> {
        next: Option<u32>,
        last_seen: Option<u32>,
        fetch: F,
    }
    let state = State {
        next: Some(first.max(1)),
        last_seen: None,
        fetch,
    };
    stream::try_unfold(state, |mut state| async move {
        let Some(page_no) = state.next else {
            return Ok::<_, crate::Error>(None);
        };
        let page = (state.fetch)(page_no).await?;
        let repeated = state.last_seen.is_some_and(|seen| page.page <= seen);
        state.last_seen = Some(page.page);
        state.next = (page.has_more && !repeated).then(|| page.page.max(page_no).saturating_add(1));
        let items = if repeated { Vec::new() } else { page.items };
        Ok(Some((stream::iter(items.into_iter().map(Ok)), state)))
    })
    .try_flatten()
    .boxed()
}

/// The checked paging of one list request: the page size and page number to send (each at
/// least 1 when given) and the number of the page asked for (1 when none was).
pub(crate) struct Paging {
    pub(crate) size: Option<NonZeroU64>,
    pub(crate) page: Option<NonZeroU64>,
    pub(crate) number: u32,
}

impl Paging {
    /// Checks `size` (the parameter `size_field`, `limit` or `page_size`) and `page`.
    pub(crate) fn new(
        size_field: &'static str,
        size: Option<u32>,
        page: Option<u32>,
    ) -> Result<Self> {
        Ok(Paging {
            size: crate::validate::positive(size_field, size)?,
            page: crate::validate::positive("page", page)?,
            number: page.unwrap_or(1),
        })
    }

    /// The page of a Laravel-paginated answer (data API): `links` and `meta`.
    pub(crate) fn laravel<T>(
        &self,
        items: Vec<T>,
        links: Option<w::Links>,
        meta: Option<w::PageMeta>,
    ) -> Page<T> {
        crate::convert::laravel_page(items, self.number, links, meta)
    }

    /// The page of a DRF-paginated answer (voice API): `count` and `next`.
    pub(crate) fn drf<T>(
        &self,
        items: Vec<T>,
        count: Option<i64>,
        next: Option<String>,
    ) -> Page<T> {
        crate::convert::drf_page(items, self.number, count, next)
    }
}

/// Optional parts of a request: `request.maybe(value, |r, v| r.filter(v))` applies the
/// setter only when the value is present.
pub(crate) trait Maybe: Sized {
    fn maybe<T>(self, value: Option<T>, set: impl FnOnce(Self, T) -> Self) -> Self {
        match value {
            Some(value) => set(self, value),
            None => self,
        }
    }
}

impl<R> Maybe for R {}

/// `filter[created_at]` of the data API's lists (orders, eSIMs): `Y-m-d - Y-m-d`.
pub(crate) fn created_range((from, to): (chrono::NaiveDate, chrono::NaiveDate)) -> String {
    format!("{} - {}", from.format("%Y-%m-%d"), to.format("%Y-%m-%d"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    fn page(page: u32, items: Vec<u32>, has_more: bool) -> Page<u32> {
        Page {
            items,
            page,
            last_page: None,
            total: None,
            has_more,
            pricing: None,
        }
    }

    #[tokio::test]
    async fn fetches_each_page_once_and_stops() {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let s = Arc::clone(&seen);
        let items: Vec<u32> = paginate(1, move |p| {
            s.lock().unwrap().push(p);
            async move { Ok(page(p, vec![p * 10, p * 10 + 1], p < 3)) }
        })
        .try_collect()
        .await
        .unwrap();
        assert_eq!(items, [10, 11, 20, 21, 30, 31]);
        assert_eq!(*seen.lock().unwrap(), [1, 2, 3]);
    }

    #[tokio::test]
    async fn a_server_repeating_a_page_does_not_loop() {
        let items: Vec<u32> = paginate(1, |_| async { Ok(page(1, vec![1], true)) })
            .try_collect()
            .await
            .unwrap();
        assert_eq!(items, [1]);
    }
}
