//! Walking a paged operation: one request per page, sent only when the
//! stream is read that far.

use std::future::Future;

use std::collections::{HashMap, HashSet};
use std::hash::{DefaultHasher, Hasher};

use futures::stream::{self, Stream, TryStreamExt};
use serde::Serialize;

use crate::{Error, ResponseValue};

/// What a paging parameter counts, and so how it advances.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageStep {
    /// Page numbers: the next page is one more.
    Pages,
    /// Item offsets: the next page starts after the items received.
    Items,
}

/// What the walk reads from each page: how the parameter advances, the
/// page's items, and the total the API reports, if it does.
#[derive(Debug)]
pub struct PageRule<T, I: 'static> {
    /// How the paging parameter advances.
    pub step: PageStep,
    /// The page's items.
    pub items: fn(&T) -> &[I],
    /// The total number of items the page reports (Atlas's `totalCount`),
    /// when the configuration names such a property.
    pub total: Option<fn(&T) -> Option<i64>>,
    /// The most pages one walk reads
    /// ([`ClientBuilder::max_pages`](crate::ClientBuilder::max_pages)).
    pub max_pages: usize,
}

/// Why a walk over pages stopped before an empty page: each is a server
/// whose pages would otherwise never end, or a listing that changed under
/// the walk.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PageWalkError {
    /// The page at this value of the paging parameter is one the walk has
    /// read already: the server ignores the parameter, or cycles.
    #[error("page {at} is the same as page {earlier}: the server ignores the paging parameter")]
    PageRepeated {
        /// The paging parameter's value of the repeated page.
        at: i64,
        /// The value at which the walk first read it.
        earlier: i64,
    },
    /// The page holds an item an earlier page held: the server ignores the
    /// parameter, or items moved between pages while the walk read them.
    #[error(
        "page {at} repeats an item of an earlier page: the server ignores the paging parameter, or the listing changed during the walk"
    )]
    ItemRepeated {
        /// The paging parameter's value of the page.
        at: i64,
    },
    /// The page reports another total than the first page did.
    #[error(
        "page {at} reports a total of {now} items where the first page reported {first}: the listing changed during the walk"
    )]
    TotalChanged {
        /// The paging parameter's value of the page.
        at: i64,
        /// The first page's total.
        first: i64,
        /// This page's total.
        now: i64,
    },
    /// The next page's cursor or link is one the walk has followed
    /// already: the server's cursor does not move.
    #[error("page {at} points back to a page the walk has read: the server's cursor does not move")]
    CursorRepeated {
        /// The page's place in the walk, from 1.
        at: i64,
    },
    /// The next page's link leads off the API's origin (scheme, host and
    /// port of the base URL); it is not followed, since the request would
    /// carry the client's credentials there.
    #[error("the next page's link leads to another origin than the base URL's; it is not followed")]
    ForeignLink,
    /// The walk read the most pages it may; the next was not requested.
    #[error(
        "the walk read {limit} pages, the most it may (`ClientBuilder::max_pages`); page {at} was not requested"
    )]
    TooManyPages {
        /// The paging parameter's value of the page not requested.
        at: i64,
        /// The limit in force.
        limit: usize,
    },
}

struct Walk<N, F, T: 'static, I: 'static> {
    fetch: F,
    rule: PageRule<T, I>,
    next: Option<N>,
    read: usize,
    /// The fingerprint of each page read, with its parameter value.
    pages: HashMap<u64, i64>,
    /// The fingerprint of each item of the pages read.
    items: HashSet<u64>,
    first_total: Option<i64>,
}

/// The pages from `start` on. `fetch(n)` sends the request for page (or
/// offset) `n`; `rule` says what to read from a page.
///
/// The walk ends after an empty page (yielded only when it is the first, so
/// that an empty listing still shows its totals), after an error (yielded),
/// and when the next value does not fit the parameter's type. It ends with
/// [`Error::PageWalk`] when a page repeats an earlier page or an earlier
/// page's item, when the reported total changes, and before reading more
/// than `rule.max_pages` pages: a server that ignores the parameter, cycles,
/// or grows without end cannot keep it going. Pages and items are compared
/// by a 64-bit hash of their JSON, so memory grows by a few bytes an item.
pub fn pages<N, T, I, E, F, Fut>(
    start: N,
    rule: PageRule<T, I>,
    fetch: F,
) -> impl Stream<Item = Result<ResponseValue<T>, Error<E>>> + Unpin
where
    N: Copy + Into<i64> + TryFrom<i64>,
    T: Serialize + 'static,
    I: Serialize + 'static,
    F: FnMut(N) -> Fut,
    Fut: Future<Output = Result<ResponseValue<T>, Error<E>>>,
{
    let walk = Walk {
        fetch,
        rule,
        next: Some(start),
        read: 0,
        pages: HashMap::new(),
        items: HashSet::new(),
        first_total: None,
    };
    // Boxed so that callers can use `next()` without pinning it themselves.
    Box::pin(stream::unfold(walk, |mut walk| async move {
        let at = walk.next.take()?;
        if walk.read >= walk.rule.max_pages {
            let error = PageWalkError::TooManyPages {
                at: at.into(),
                limit: walk.rule.max_pages,
            };
            return Some((Err(Error::PageWalk(error)), walk));
        }
        let page = match (walk.fetch)(at).await {
            Ok(page) => page,
            Err(error) => return Some((Err(error), walk)),
        };
        let first = walk.read == 0;
        walk.read += 1;
        let items = (walk.rule.items)(&page);
        if items.is_empty() {
            return first.then_some((Ok(page), walk));
        }
        if let Err(error) = walk.check(at.into(), &page) {
            return Some((Err(Error::PageWalk(error)), walk));
        }
        let advance = match walk.rule.step {
            PageStep::Pages => 1,
            PageStep::Items => i64::try_from(items.len()).unwrap_or(i64::MAX),
        };
        walk.next = at
            .into()
            .checked_add(advance)
            .and_then(|next| N::try_from(next).ok());
        Some((Ok(page), walk))
    }))
}

impl<N, F, T: Serialize, I: Serialize> Walk<N, F, T, I> {
    /// Records the page read at `at`; an error when it cannot belong to
    /// a walk that ends.
    fn check(&mut self, at: i64, page: &T) -> Result<(), PageWalkError> {
        if let Some(&earlier) = self.pages.get(&fingerprint(page)) {
            return Err(PageWalkError::PageRepeated { at, earlier });
        }
        self.pages.insert(fingerprint(page), at);
        if let Some(total) = self.rule.total.and_then(|total| total(page)) {
            match self.first_total {
                None => self.first_total = Some(total),
                Some(first) if first != total => {
                    return Err(PageWalkError::TotalChanged {
                        at,
                        first,
                        now: total,
                    });
                }
                Some(_) => {}
            }
        }
        // Items equal to each other on one page are the server's business;
        // an item of an earlier page again is not.
        let fresh: HashSet<u64> = (self.rule.items)(page).iter().map(fingerprint).collect();
        if !self.items.is_disjoint(&fresh) {
            return Err(PageWalkError::ItemRepeated { at });
        }
        self.items.extend(fresh);
        Ok(())
    }
}

/// What a walk by cursor or by link reads from each page.
#[derive(Debug)]
pub struct CursorRule<T, I: 'static> {
    /// The page's items.
    pub items: fn(&T) -> &[I],
    /// Where the next page is: the cursor (or token) the next request
    /// sends, or the next page's link; `None` or empty on the last page.
    pub next: fn(&ResponseValue<T>) -> Option<String>,
    /// The most pages one walk reads
    /// ([`ClientBuilder::max_pages`](crate::ClientBuilder::max_pages)).
    pub max_pages: usize,
}

struct CursorWalk<F, T: 'static, I: 'static> {
    fetch: F,
    rule: CursorRule<T, I>,
    /// `None` once the walk ended; `Some(None)` before the first page.
    next: Option<Option<String>>,
    read: usize,
    /// The fingerprint of each page read, with its place in the walk.
    pages: HashMap<u64, i64>,
    items: HashSet<u64>,
    cursors: HashSet<u64>,
    /// Why the walk stops after the page it just yielded.
    failed: Option<PageWalkError>,
}

/// The pages of a walk by cursor, token or link: `fetch(None)` sends the
/// first request as the builder has it, `fetch(Some(next))` the request
/// for the page `rule.next` read from the page before.
///
/// The walk ends after a page without a next cursor (an empty page with
/// one does not end it), and after an error (yielded). It ends with
/// [`Error::PageWalk`] when a page repeats an earlier page or an earlier
/// page's item, when a cursor comes back, and before reading more than
/// `rule.max_pages` pages.
pub fn cursor_pages<T, I, E, F, Fut>(
    rule: CursorRule<T, I>,
    fetch: F,
) -> impl Stream<Item = Result<ResponseValue<T>, Error<E>>> + Unpin
where
    T: Serialize + 'static,
    I: Serialize + 'static,
    F: FnMut(Option<String>) -> Fut,
    Fut: Future<Output = Result<ResponseValue<T>, Error<E>>>,
{
    let walk = CursorWalk {
        fetch,
        rule,
        next: Some(None),
        read: 0,
        pages: HashMap::new(),
        items: HashSet::new(),
        cursors: HashSet::new(),
        failed: None,
    };
    Box::pin(stream::unfold(walk, |mut walk| async move {
        if let Some(error) = walk.failed.take() {
            return Some((Err(Error::PageWalk(error)), walk));
        }
        let cursor = walk.next.take()?;
        let at = i64::try_from(walk.read)
            .unwrap_or(i64::MAX)
            .saturating_add(1);
        if walk.read >= walk.rule.max_pages {
            let error = PageWalkError::TooManyPages {
                at,
                limit: walk.rule.max_pages,
            };
            return Some((Err(Error::PageWalk(error)), walk));
        }
        let page = match (walk.fetch)(cursor).await {
            Ok(page) => page,
            Err(error) => return Some((Err(error), walk)),
        };
        walk.read += 1;
        let body = page.body();
        if let Some(&earlier) = walk.pages.get(&fingerprint(body)) {
            let error = PageWalkError::PageRepeated { at, earlier };
            return Some((Err(Error::PageWalk(error)), walk));
        }
        walk.pages.insert(fingerprint(body), at);
        let fresh: HashSet<u64> = (walk.rule.items)(body).iter().map(fingerprint).collect();
        if !walk.items.is_disjoint(&fresh) {
            let error = PageWalkError::ItemRepeated { at };
            return Some((Err(Error::PageWalk(error)), walk));
        }
        walk.items.extend(fresh);
        match (walk.rule.next)(&page).filter(|next| !next.is_empty()) {
            // The page is yielded; the walk stops after it.
            Some(next) if !walk.cursors.insert(fingerprint(&next)) => {
                walk.failed = Some(PageWalkError::CursorRepeated { at });
            }
            next => walk.next = next.map(Some),
        }
        Some((Ok(page), walk))
    }))
}

/// A hash of `value`'s JSON, written straight into the hasher.
fn fingerprint(value: &impl Serialize) -> u64 {
    struct Hashing(DefaultHasher);
    impl std::io::Write for Hashing {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.write(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut hashing = Hashing(DefaultHasher::new());
    // Serializing a generated type into a writer that never fails does not fail.
    let _ = serde_json::to_writer(&mut hashing, value);
    hashing.0.finish()
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

    fn rule(step: PageStep) -> PageRule<Vec<u32>, u32> {
        PageRule {
            step,
            items: Vec::as_slice,
            total: None,
            max_pages: 100,
        }
    }

    /// The values `fetch` was called with, and what the walk yielded.
    async fn walk_with(
        rule: PageRule<Vec<u32>, u32>,
        start: i32,
        server: impl Fn(i32) -> Result<ResponseValue<Vec<u32>>, Error>,
    ) -> (Vec<i32>, Vec<Result<Vec<u32>, Error>>) {
        let asked = std::cell::RefCell::new(Vec::new());
        let yielded = pages(start, rule, |n| {
            asked.borrow_mut().push(n);
            std::future::ready(server(n))
        })
        .map(|page| page.map(ResponseValue::into_inner))
        .collect()
        .await;
        (asked.into_inner(), yielded)
    }

    async fn walk(
        step: PageStep,
        start: i32,
        server: impl Fn(i32) -> Result<ResponseValue<Vec<u32>>, Error>,
    ) -> (Vec<i32>, Vec<Result<Vec<u32>, Error>>) {
        walk_with(rule(step), start, server).await
    }

    fn walk_error(yielded: &[Result<Vec<u32>, Error>]) -> Option<&PageWalkError> {
        match yielded.last() {
            Some(Err(Error::PageWalk(error))) => Some(error),
            _ => None,
        }
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
        let yielded: Vec<_> = yielded.into_iter().map(Result::unwrap).collect();
        assert_eq!(yielded, [vec![1, 2], vec![3]]);
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
        assert_eq!(yielded.len(), 1);
        assert!(yielded[0].as_ref().is_ok_and(Vec::is_empty));
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
        assert_eq!(
            walk_error(&yielded),
            Some(&PageWalkError::PageRepeated { at: 2, earlier: 1 })
        );
        assert!(
            yielded[1]
                .as_ref()
                .unwrap_err()
                .to_string()
                .contains("page 2")
        );
    }

    #[tokio::test]
    async fn a_page_seen_before_the_last_one_ends_the_walk() {
        // Two pages, alternating: never equal to the page just before.
        let (asked, yielded) = walk(PageStep::Pages, 1, |n| {
            page(if n % 2 == 1 { &[1] } else { &[2] })
        })
        .await;
        assert_eq!(asked, [1, 2, 3]);
        assert_eq!(
            walk_error(&yielded),
            Some(&PageWalkError::PageRepeated { at: 3, earlier: 1 })
        );
    }

    #[tokio::test]
    async fn an_item_seen_on_an_earlier_page_ends_the_walk() {
        // Each page differs (a self link, say), but its items do not.
        let (asked, yielded) = walk(PageStep::Pages, 1, |n| page(&[n as u32 + 100, 7])).await;
        assert_eq!(asked, [1, 2]);
        assert_eq!(
            walk_error(&yielded),
            Some(&PageWalkError::ItemRepeated { at: 2 })
        );
        // On one page, equal items are the server's business.
        let (asked, yielded) = walk(PageStep::Pages, 1, |n| match n {
            1 => page(&[5, 5]),
            _ => page(&[]),
        })
        .await;
        assert_eq!(asked, [1, 2]);
        assert!(yielded.iter().all(Result::is_ok));
    }

    #[tokio::test]
    async fn a_total_that_moves_ends_the_walk() {
        // A server that makes up new items forever, counting them as it goes.
        let rule = PageRule {
            total: Some(|page: &Vec<u32>| Some(i64::from(page[0]) * 10)),
            ..rule(PageStep::Pages)
        };
        let (asked, yielded) = walk_with(rule, 1, |n| page(&[n as u32])).await;
        assert_eq!(asked, [1, 2]);
        assert_eq!(
            walk_error(&yielded),
            Some(&PageWalkError::TotalChanged {
                at: 2,
                first: 10,
                now: 20
            })
        );
    }

    #[tokio::test]
    async fn no_walk_reads_more_than_its_most_pages() {
        let rule = PageRule {
            max_pages: 5,
            ..rule(PageStep::Pages)
        };
        let (asked, yielded) = walk_with(rule, 1, |n| page(&[n as u32])).await;
        assert_eq!(asked, [1, 2, 3, 4, 5]);
        assert_eq!(yielded.len(), 6);
        assert_eq!(
            walk_error(&yielded),
            Some(&PageWalkError::TooManyPages { at: 6, limit: 5 })
        );
    }

    #[tokio::test]
    async fn the_walk_ends_where_the_parameter_type_ends() {
        let (asked, _) = walk(PageStep::Pages, i32::MAX - 1, |n| page(&[n as u32])).await;
        assert_eq!(asked, [i32::MAX - 1, i32::MAX]);
    }

    /// A cursor walk over pages of `(items, next cursor)` keyed by the
    /// cursor the request sends ("" for the first): what it asked for and
    /// what it yielded.
    async fn cursor_walk(
        max_pages: usize,
        server: &[(&str, &[u32], Option<&str>)],
    ) -> (Vec<Option<String>>, Vec<Result<Vec<u32>, Error>>) {
        let asked = std::cell::RefCell::new(Vec::new());
        let rule = CursorRule {
            items: |page: &(Vec<u32>, Option<String>)| page.0.as_slice(),
            next: |page: &ResponseValue<(Vec<u32>, Option<String>)>| page.body().1.clone(),
            max_pages,
        };
        let yielded = cursor_pages(rule, |cursor: Option<String>| {
            asked.borrow_mut().push(cursor.clone());
            let key = cursor.unwrap_or_default();
            let (_, items, next) = server
                .iter()
                .find(|(at, _, _)| *at == key)
                .expect("a known cursor");
            std::future::ready(Ok::<_, Error>(ResponseValue::new(
                (items.to_vec(), next.map(str::to_owned)),
                StatusCode::OK,
                reqwest::header::HeaderMap::new(),
            )))
        })
        .map(|page| page.map(|page| page.into_inner().0))
        .collect()
        .await;
        (asked.into_inner(), yielded)
    }

    #[tokio::test]
    async fn a_cursor_walk_follows_cursors_past_empty_pages_to_the_last() {
        let (asked, yielded) = cursor_walk(
            100,
            &[
                ("", &[1, 2], Some("b")),
                ("b", &[], Some("c")),
                ("c", &[3], Some("")),
            ],
        )
        .await;
        assert_eq!(asked, [None, Some("b".into()), Some("c".into())]);
        let items: Vec<Vec<u32>> = yielded.into_iter().map(Result::unwrap).collect();
        assert_eq!(items, [vec![1, 2], vec![], vec![3]]);
    }

    #[tokio::test]
    async fn a_cursor_that_comes_back_or_too_many_pages_end_the_walk() {
        let (_, yielded) = cursor_walk(
            100,
            &[
                ("", &[1], Some("b")),
                ("b", &[2], Some("c")),
                ("c", &[3], Some("b")),
            ],
        )
        .await;
        assert_eq!(yielded.len(), 4);
        assert_eq!(
            walk_error(&yielded),
            Some(&PageWalkError::CursorRepeated { at: 3 })
        );
        let (asked, yielded) = cursor_walk(
            2,
            &[
                ("", &[1], Some("b")),
                ("b", &[2], Some("c")),
                ("c", &[3], None),
            ],
        )
        .await;
        assert_eq!(asked.len(), 2);
        assert_eq!(
            walk_error(&yielded),
            Some(&PageWalkError::TooManyPages { at: 3, limit: 2 })
        );
    }
}
