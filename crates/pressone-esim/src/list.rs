//! What every list request shares: the page parameters of the generated request, the
//! conversion of an answer's items, and the paged methods (`page`, `send`, `stream`,
//! `collect_all`, `IntoFuture`) of the SDK's list builders.

use std::num::NonZeroU64;

use crate::error::Result;
use crate::models::Page;
use crate::pagination::{Maybe, Paging};
use crate::raw::builder as generated;

/// A generated list request that takes a page size and a page number.
pub(crate) trait PagedBuilder: Sized {
    /// Sets the page size (`limit` or `page_size` on the wire).
    fn size(self, size: NonZeroU64) -> Self;
    /// Sets the page number.
    fn number(self, page: NonZeroU64) -> Self;

    /// The checked page size and number, each only when given.
    fn paging(self, paging: &Paging) -> Self {
        self.maybe(paging.size, Self::size)
            .maybe(paging.page, Self::number)
    }
}

/// `PagedBuilder` for generated requests, naming the parameter of their page size.
macro_rules! paged_builders {
    ($($builder:ident . $size:ident),* $(,)?) => {$(
        impl PagedBuilder for generated::$builder<'_> {
            fn size(self, size: NonZeroU64) -> Self {
                self.$size(size)
            }
            fn number(self, page: NonZeroU64) -> Self {
                self.page(page)
            }
        }
    )*};
}

paged_builders!(
    GetOrderList.limit,
    GetEsimsList.limit,
    ListAvailableNumbers.page_size,
    ListUsers.page_size,
);

/// Converts every item of an answer; the first item that cannot be converted is the error.
pub(crate) fn convert_all<W, T>(
    items: Vec<W>,
    convert: impl FnMut(W) -> Result<T>,
) -> Result<Vec<T>> {
    items.into_iter().map(convert).collect()
}

/// The page of a Laravel-paginated answer (data API): its `data`, each item converted (the
/// first that cannot be is the error), with the answer's `links` and `meta`.
pub(crate) fn laravel_page<W, T>(
    paging: &Paging,
    data: Vec<W>,
    convert: impl FnMut(W) -> Result<T>,
    links: Option<crate::raw::types::Links>,
    meta: Option<crate::raw::types::PageMeta>,
) -> Result<Page<T>> {
    Ok(paging.laravel(convert_all(data, convert)?, links, meta))
}

/// The page of a DRF-paginated answer (voice API): the `results` that `convert` keeps, with
/// the answer's `count` and `next`.
pub(crate) fn drf_page<W, T>(
    paging: &Paging,
    results: Vec<W>,
    convert: impl FnMut(W) -> Option<T>,
    count: Option<i64>,
    next: Option<String>,
) -> Page<T> {
    paging.drf(
        results.into_iter().filter_map(convert).collect(),
        count,
        next,
    )
}

/// Gives a list request with a `fetch(&self, Option<u32>)` method, a `page` field and a page
/// size field `$size` (`limit` or `page_size`, the name of its parameter) its `page` and
/// `$size` setters, the checked `paging`, `send` (one page), `stream` (every item of every
/// page), `collect_all` and `IntoFuture`. `$size_doc` documents the size setter; `$build` is
/// the expression that makes the request in the examples.
///
/// Given the request's attributes (its doc) and fields in braces after the item type, it also
/// declares the request (see `request!`) with those fields, `page` and `$size`.
macro_rules! paged_request {
    (
        $(#[$attr:meta])*
        $request:ident => $item:ty { $($field:ident: $ty:ty),* $(,)? },
        $size:ident: $size_doc:literal,
        $build:literal $(,)?
    ) => {
        $crate::request! {
            $(#[$attr])*
            $request {
                $($field: $ty,)*
                $size: Option<u32>,
                page: Option<u32>,
            }
        }

        $crate::list::paged_request!($request => $item, $size: $size_doc, $build);
    };
    ($request:ident => $item:ty, $size:ident: $size_doc:literal, $build:literal) => {
        impl $request {
            #[doc = $size_doc]
            pub fn $size(mut self, size: u32) -> Self {
                self.$size = Some(size);
                self
            }

            /// The checked page size and the page number `page` (1 when `None`).
            fn paging(&self, page: Option<u32>) -> $crate::Result<$crate::pagination::Paging> {
                $crate::pagination::Paging::new(stringify!($size), self.$size, page)
            }

            /// The page to fetch with [`send`](Self::send), or to start from with
            /// [`stream`](Self::stream) (1-based).
            pub fn page(mut self, page: u32) -> Self {
                self.page = Some(page);
                self
            }

            /// Fetches one page: the one set with `page`, else the first.
            ///
            #[doc = concat!(
                "```no_run\n",
                "# async fn run(client: pressone_esim::Client) -> pressone_esim::Result<()> {\n",
                "let page = ", $build, ".page(2).send().await?;\n",
                "println!(\"page {}: {} items, more: {}\", page.page, page.items.len(), page.has_more);\n",
                "# Ok(()) }\n",
                "```",
            )]
            pub async fn send(self) -> $crate::Result<$crate::Page<$item>> {
                let page = self.page;
                self.fetch(page).await
            }

            /// Every item of every page from `page` (default 1) on. Each page is fetched once,
            /// when the previous one is used up; the stream ends after the last page.
            ///
            #[doc = concat!(
                "```no_run\n",
                "# async fn run(client: pressone_esim::Client) -> pressone_esim::Result<()> {\n",
                "use pressone_esim::prelude::*;\n",
                "let mut items = ", $build, ".stream();\n",
                "while let Some(item) = items.try_next().await? {\n",
                "    println!(\"{item:?}\");\n",
                "}\n",
                "# Ok(()) }\n",
                "```",
            )]
            pub fn stream(self) -> ::futures::stream::BoxStream<'static, $crate::Result<$item>> {
                let first = self.page.unwrap_or(1);
                $crate::pagination::paginate(first, move |page| {
                    let request = self.clone();
                    async move { request.fetch(Some(page)).await }
                })
            }

            /// Every item of every page from `page` (default 1) on, collected: the
            /// [`stream`](Self::stream) without the stream. Stops at the first error.
            ///
            #[doc = concat!(
                "```no_run\n",
                "# async fn run(client: pressone_esim::Client) -> pressone_esim::Result<()> {\n",
                "let all = ", $build, ".collect_all().await?;\n",
                "println!(\"{} in all\", all.len());\n",
                "# Ok(()) }\n",
                "```",
            )]
            pub async fn collect_all(self) -> $crate::Result<::std::vec::Vec<$item>> {
                ::futures::TryStreamExt::try_collect(self.stream()).await
            }
        }

        $crate::into_future!($request => $crate::Page<$item>);
    };
}
pub(crate) use paged_request;
