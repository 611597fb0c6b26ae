//! Walking a paged operation: one request per page, sent only when the
//! stream is read that far.

use std::future::Future;

use futures::stream::{self, Stream, TryStreamExt};

use crate::{Error, ResponseValue};

/// What a paging parameter counts, and so how it advances.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageStep {
    /// Page numbers: the next page is one more.
    Pages,
    /// Item offsets: the next page starts after the items received.
    Items,
}

struct Walk<N, F, T> {
    fetch: F,
    step: PageStep,
    count: fn(&T) -> usize,
    next: Option<N>,
    first: bool,
    previous: Option<T>,
}

/// The pages from `start` on. `fetch(n)` sends the request for page (or
/// offset) `n`; `count` says how many items a page holds.
///
/// The walk ends after an empty page (yielded only when it is the first, so
/// that an empty listing still shows its totals), after an error (yielded),
/// and when the next value does not fit the parameter's type. A page equal
/// to the one before it is [`Error::PageRepeated`]: the server ignores the
/// parameter, and walking on would never end.
pub fn pages<N, T, E, F, Fut>(
    start: N,
    step: PageStep,
    fetch: F,
    count: fn(&T) -> usize,
) -> impl Stream<Item = Result<ResponseValue<T>, Error<E>>> + Unpin
where
    N: Copy + Into<i64> + TryFrom<i64>,
    T: Clone + PartialEq,
    F: FnMut(N) -> Fut,
    Fut: Future<Output = Result<ResponseValue<T>, Error<E>>>,
{
    let walk = Walk {
        fetch,
        step,
        count,
        next: Some(start),
        first: true,
        previous: None,
    };
    // Boxed so that callers can use `next()` without pinning it themselves.
    Box::pin(stream::unfold(walk, |mut walk| async move {
        let at = walk.next.take()?;
        let page = match (walk.fetch)(at).await {
            Ok(page) => page,
            Err(error) => return Some((Err(error), walk)),
        };
        let items = (walk.count)(&page);
        let first = std::mem::replace(&mut walk.first, false);
        if items == 0 {
            return first.then_some((Ok(page), walk));
        }
        if walk.previous.as_ref() == Some(&*page) {
            return Some((Err(Error::PageRepeated(at.into())), walk));
        }
        walk.previous = Some((*page).clone());
        let advance = match walk.step {
            PageStep::Pages => 1,
            PageStep::Items => i64::try_from(items).unwrap_or(i64::MAX),
        };
        walk.next = at
            .into()
            .checked_add(advance)
            .and_then(|next| N::try_from(next).ok());
        Some((Ok(page), walk))
    }))
}

/// The items of every page, in order: `items` takes them out of a page.
pub fn paged_items<T, I, E>(
    pages: impl Stream<Item = Result<ResponseValue<T>, Error<E>>> + Unpin,
    items: fn(T) -> Vec<I>,
) -> impl Stream<Item = Result<I, Error<E>>> + Unpin {
    pages
        .map_ok(move |page| stream::iter(items(page.into_inner()).into_iter().map(Ok)))
        .try_flatten()
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures::StreamExt;
    use reqwest::StatusCode;

    fn page(items: &[u32]) -> Result<ResponseValue<Vec<u32>>, Error> {
        Ok(ResponseValue::new(
            items.to_vec(),
            StatusCode::OK,
            reqwest::header::HeaderMap::new(),
        ))
    }

    /// The values `fetch` was called with, and what the walk yielded.
    async fn walk(
        step: PageStep,
        start: i32,
        server: impl Fn(i32) -> Result<ResponseValue<Vec<u32>>, Error>,
    ) -> (Vec<i32>, Vec<Result<Vec<u32>, String>>) {
        let asked = std::cell::RefCell::new(Vec::new());
        let yielded = pages(
            start,
            step,
            |n| {
                asked.borrow_mut().push(n);
                std::future::ready(server(n))
            },
            Vec::len,
        )
        .map(|page| {
            page.map(ResponseValue::into_inner)
                .map_err(|e| e.to_string())
        })
        .collect()
        .await;
        (asked.into_inner(), yielded)
    }

    #[tokio::test]
    async fn pages_are_walked_until_an_empty_one() {
        let (asked, yielded) = walk(PageStep::Pages, 1, |n| match n {
            1 => page(&[1, 2]),
            2 => page(&[3]),
            _ => page(&[]),
        })
        .await;
        assert_eq!(asked, [1, 2, 3]);
        assert_eq!(yielded, [Ok(vec![1, 2]), Ok(vec![3])]);
    }

    #[tokio::test]
    async fn offsets_advance_by_the_items_received() {
        let (asked, _) = walk(PageStep::Items, 0, |n| match n {
            0 => page(&[1, 2, 3]),
            3 => page(&[4]),
            _ => page(&[]),
        })
        .await;
        assert_eq!(asked, [0, 3, 4]);
    }

    #[tokio::test]
    async fn an_empty_listing_yields_its_one_page() {
        let (asked, yielded) = walk(PageStep::Pages, 1, |_| page(&[])).await;
        assert_eq!(asked, [1]);
        assert_eq!(yielded, [Ok(vec![])]);
    }

    #[tokio::test]
    async fn an_error_ends_the_walk() {
        let (asked, yielded) = walk(PageStep::Pages, 1, |n| match n {
            1 => page(&[1]),
            _ => Err(Error::DeadlineExceeded(std::time::Duration::from_secs(1))),
        })
        .await;
        assert_eq!(asked, [1, 2]);
        assert_eq!(yielded.len(), 2);
        assert!(yielded[1].is_err());
    }

    #[tokio::test]
    async fn a_server_that_ignores_the_parameter_is_an_error_not_an_endless_walk() {
        let (asked, yielded) = walk(PageStep::Pages, 1, |_| page(&[7, 8])).await;
        assert_eq!(asked, [1, 2]);
        assert_eq!(yielded[0], Ok(vec![7, 8]));
        assert!(
            yielded[1].as_ref().unwrap_err().contains("page 2"),
            "{yielded:?}"
        );
    }

    #[tokio::test]
    async fn the_walk_ends_where_the_parameter_type_ends() {
        let (asked, _) = walk(PageStep::Pages, i32::MAX - 1, |n| page(&[n as u32])).await;
        assert_eq!(asked, [i32::MAX - 1, i32::MAX]);
    }
}
