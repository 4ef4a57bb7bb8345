//! Page bookkeeping of the two paginators the APIs use.

use crate::models::Page;
use crate::raw::types as w;

/// Page bookkeeping from Laravel's `links`/`meta`.
pub(crate) fn laravel_page<T>(
    items: Vec<T>,
    requested: u32,
    links: Option<w::Links>,
    meta: Option<w::PageMeta>,
) -> Page<T> {
    // Without `meta.current_page` the page is the one the SDK asked for (its own request, not
    // an invented value); every other number stays absent when the server did not send it.
    let current = meta
        .as_ref()
        .and_then(|m| m.current_page)
        .and_then(|p| u32::try_from(p).ok())
        .unwrap_or(requested);
    let last_page = meta
        .as_ref()
        .and_then(|m| m.last_page)
        .and_then(|p| u32::try_from(p).ok());
    let total = meta
        .as_ref()
        .and_then(|m| m.total)
        .and_then(|t| u64::try_from(t).ok());
    let next_link = links
        .as_ref()
        .and_then(|l| l.next.as_deref())
        .is_some_and(|n| !n.trim().is_empty());
    let has_more = !items.is_empty()
        && match last_page {
            Some(last) => current < last,
            None => next_link,
        };
    Page {
        items,
        page: current,
        last_page,
        total,
        has_more,
        pricing: None,
    }
}

/// Page bookkeeping from Django REST Framework's `{count, next, previous}`.
pub(crate) fn drf_page<T>(
    items: Vec<T>,
    requested: u32,
    count: Option<i64>,
    next: Option<String>,
) -> Page<T> {
    let has_more = !items.is_empty() && next.is_some_and(|n| !n.trim().is_empty());
    Page {
        items,
        page: requested,
        last_page: None,
        total: count.and_then(|c| u64::try_from(c).ok()),
        has_more,
        pricing: None,
    }
}
