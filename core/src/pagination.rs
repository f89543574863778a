//! Lazy listings that follow the server's `next` links one page at a time.

use std::collections::HashSet;
use std::hash::{Hash, Hasher};
use std::marker::PhantomData;

use futures_core::Stream;
use futures_util::{stream, StreamExt, TryStreamExt};
use reqwest::Method;
use serde::de::DeserializeOwned;
use url::Url;

use crate::client::Runtime;
use crate::error::{snippet, Error, Result};
use crate::models::Page;

/// Walks a listing page by page.
///
/// It holds one page at a time and follows `next` exactly as the server gave it, so a
/// retried page fetch never skips or repeats items. A `next` link that leads back to a page
/// already fetched is an [`Error::Decode`] naming the link: a listing always ends. Use
/// [`Pager::next_page`] to pull pages, or turn it into a [`Stream`] of pages or of items.
pub struct Pager<T> {
    client: Runtime,
    next: Option<Url>,
    /// Hashes of the URLs fetched so far (8 bytes a page), to catch a cursor that cycles.
    visited: HashSet<u64>,
    total: Option<u64>,
    pages_fetched: u64,
    prefetch: Option<Prefetch>,
    prefetching: bool,
    _item: PhantomData<fn() -> T>,
}

/// The fetch of the page after the one handed out, already on its way.
struct Prefetch {
    url: Url,
    task: tokio::task::JoinHandle<Result<Checked>>,
}

/// A page body whose every item decoded as the pager's item type, with its frame.
struct Checked {
    body: bytes::Bytes,
    next: Option<String>,
    total: u64,
    count: usize,
}

/// Fetches a page and checks it whole: the frame and every item must decode as `T`, so a
/// caller that parses the raw body itself meets only bodies the typed path would take.
async fn fetch_checked<T: DeserializeOwned>(client: &Runtime, url: Url) -> Result<Checked> {
    let (status, body) = client.send(Method::GET, url, None).await?;
    let page: Page<T> = client.decode(status, &body)?;
    Ok(Checked { next: page.next, total: page.total, count: page.results.len(), body })
}

fn url_hash(url: &Url) -> u64 {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    url.as_str().hash(&mut hasher);
    hasher.finish()
}

/// A prefetch nobody will read is stopped: dropping a pager, or a page fetch that was
/// cancelled while it waited for the prefetch, sends nothing more.
impl Drop for Prefetch {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl<T> std::fmt::Debug for Pager<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pager")
            .field("next", &self.next.as_ref().map(Url::as_str))
            .field("total", &self.total)
            .field("pages_fetched", &self.pages_fetched)
            .finish()
    }
}

impl<T: DeserializeOwned + Send + 'static> Pager<T> {
    pub(crate) fn new(client: Runtime, first: Url) -> Self {
        Pager {
            client,
            next: Some(first),
            visited: HashSet::new(),
            total: None,
            pages_fetched: 0,
            prefetch: None,
            prefetching: false,
            _item: PhantomData,
        }
    }

    /// With `true`, each page handed out by [`Pager::next_page_raw`] starts the fetch of the
    /// next one in the background, so the network wait overlaps the caller's work on the
    /// current page. At most two pages are then in memory. Off by default.
    pub fn prefetch(mut self, on: bool) -> Self {
        self.prefetching = on;
        self
    }

    /// Fetches the next page; `None` once the listing is done.
    pub async fn next_page(&mut self) -> Result<Option<Page<T>>> {
        let Some(url) = self.next.clone() else { return Ok(None) };
        let page: Page<T> = self.client.request_json(Method::GET, url.clone(), None).await?;
        // Only advance once the page is in hand: a failed fetch can be tried again
        // from the same cursor.
        self.advance(&url, page.next.as_deref(), page.total)?;
        Ok(Some(page))
    }

    /// Moves the cursor past the page fetched from `url`, whose `next` link is `next`;
    /// refuses a link that leads to a page already fetched.
    fn advance(&mut self, url: &Url, next: Option<&str>, total: u64) -> Result<()> {
        let next = match next {
            Some(link) => {
                let next = self.client.followed_url(link)?;
                if next == *url || self.visited.contains(&url_hash(&next)) {
                    return Err(self.client.redact(Error::Decode {
                        status: 200,
                        message: format!("the listing's next link {link} leads back to a page already fetched; stopping"),
                        snippet: snippet(link.as_bytes()),
                    }));
                }
                Some(next)
            }
            None => None,
        };
        self.visited.insert(url_hash(url));
        self.next = next;
        self.total = Some(total);
        self.pages_fetched += 1;
        Ok(())
    }

    /// Fetches the next page but hands its items over as the raw JSON body, for callers
    /// that decode items themselves (the Python and Node bindings parse with their own,
    /// faster-for-them JSON readers). The page is still checked whole here (every item
    /// decodes as `T`), and the cursor advances exactly as with `next_page`.
    pub async fn next_page_raw(&mut self) -> Result<Option<RawPage>> {
        let Some(url) = self.next.clone() else { return Ok(None) };
        let fetched = match self.prefetch.take() {
            Some(mut prefetch) if prefetch.url == url => match (&mut prefetch.task).await {
                Ok(result) => result,
                Err(e) => Err(Error::Transport(format!("the page fetch stopped: {e}"))),
            },
            // A stale prefetch (another URL) is dropped, and so stopped, here.
            _ => fetch_checked::<T>(&self.client, url.clone()).await,
        };
        // On an error the cursor stays where it was: the next call fetches the same page.
        let page = fetched?;
        self.advance(&url, page.next.as_deref(), page.total)?;
        if let (true, Some(next)) = (self.prefetching, &self.next) {
            let (client, next) = (self.client.clone(), next.clone());
            let task = tokio::spawn({
                let next = next.clone();
                async move { fetch_checked::<T>(&client, next).await }
            });
            self.prefetch = Some(Prefetch { url: next, task });
        }
        Ok(Some(RawPage { total: page.total, count: page.count, body: page.body }))
    }

    /// The number of matching items, known once the first page is fetched.
    pub fn total(&self) -> Option<u64> {
        self.total
    }

    /// Whether every page has been fetched.
    pub fn is_done(&self) -> bool {
        self.next.is_none()
    }

    /// A stream of whole pages.
    pub fn into_pages(self) -> impl Stream<Item = Result<Page<T>>> + Send + Unpin + 'static {
        Box::pin(stream::try_unfold(self, |mut pager| async move {
            let page = pager.next_page().await?;
            Ok(page.map(|page| (page, pager)))
        }))
    }

    /// A stream of items across all pages.
    pub fn into_stream(self) -> impl Stream<Item = Result<T>> + Send + Unpin + 'static {
        self.into_pages().map_ok(|page| stream::iter(page.results.into_iter().map(Ok))).try_flatten()
    }
}

/// A page as the server sent it; see [`Pager::next_page_raw`].
#[derive(Debug, Clone)]
pub struct RawPage {
    /// How many items match, across all pages.
    pub total: u64,
    /// How many items this page holds.
    pub count: usize,
    /// The whole JSON body: `{"next", "previous", "total", "per_page", "results"}`.
    pub body: bytes::Bytes,
}

/// A stream that yields `error` once: how a listing refused before sending shows up.
pub(crate) fn failed<T: Send + 'static>(error: crate::Error) -> impl Stream<Item = Result<T>> + Send + Unpin + 'static {
    Box::pin(stream::once(async move { Err(error) }))
}

/// Either a real listing or the error that stopped it before it started.
pub(crate) fn stream_or_error<T: DeserializeOwned + Send + 'static>(
    pager: Result<Pager<T>>,
) -> impl Stream<Item = Result<T>> + Send + Unpin + 'static {
    match pager {
        Ok(pager) => pager.into_stream().left_stream(),
        Err(error) => failed(error).right_stream(),
    }
}
