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
    ahead: Option<Ahead<T>>,
    prefetching: bool,
    _item: PhantomData<fn() -> T>,
}

/// Pages fetched ahead by a background task when prefetching, in order: each comes with
/// the URL it was fetched from and the task decoding it. The fetcher reads only the `next`
/// link of a page before fetching the one after it, so the server's work on page n+2
/// overlaps the decoding of page n+1 and the caller's work on page n. The channel holds
/// one page, so at most three pages are on their way at once: memory stays flat.
struct Ahead<T> {
    pages: tokio::sync::mpsc::Receiver<(Url, tokio::task::JoinHandle<Result<Checked<T>>>)>,
    fetcher: tokio::task::JoinHandle<()>,
}

/// Just the `next` link of a page (the rest of the body is skipped, not decoded).
#[derive(serde::Deserialize)]
struct NextLink {
    #[serde(default)]
    next: Option<String>,
}

/// A page decoded whole (the frame and every item as the pager's item type), with the
/// body it came from.
struct Checked<T> {
    body: bytes::Bytes,
    page: Page<T>,
}

/// Fetches a page and decodes it whole, so that a caller of the raw body meets only
/// bodies the typed path would take, and a caller of the typed page gets it decoded off
/// its own thread when prefetching.
async fn fetch_checked<T: DeserializeOwned>(client: &Runtime, url: Url) -> Result<Checked<T>> {
    let (status, body) = client.send(Method::GET, url, None).await?;
    let page: Page<T> = client.decode(status, &body)?;
    Ok(Checked { body, page })
}

/// The `next` link of a page that begins with it, as the service's pages do
/// (`{"next": ...`), read without scanning the rest of the body; `None` for any other
/// shape, which is then read whole. Only the prefetch uses it: the page itself is still
/// decoded whole before anyone follows its link.
fn leading_next_link(body: &[u8]) -> Option<Option<String>> {
    let rest = body.trim_ascii_start().strip_prefix(b"{")?.trim_ascii_start().strip_prefix(b"\"next\"")?;
    let rest = rest.trim_ascii_start().strip_prefix(b":")?;
    serde_json::Deserializer::from_slice(rest).into_iter::<Option<String>>().next()?.ok()
}

fn url_hash(url: &Url) -> u64 {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    url.as_str().hash(&mut hasher);
    hasher.finish()
}

/// Pages nobody will read are not fetched: dropping a pager stops its fetcher.
impl<T> Drop for Ahead<T> {
    fn drop(&mut self) {
        self.fetcher.abort();
    }
}

/// Fetches pages from `url` on, one ahead of what the channel holds, until the listing
/// ends, a link is refused or repeats (the consumer reports both when it gets there), a
/// fetch fails (handed over as that page's outcome), or nobody reads any more.
async fn fetch_ahead<T: DeserializeOwned + Send + 'static>(
    client: Runtime,
    mut url: Url,
    mut visited: HashSet<u64>,
    pages: tokio::sync::mpsc::Sender<(Url, tokio::task::JoinHandle<Result<Checked<T>>>)>,
) {
    loop {
        let fetched = client.send(Method::GET, url.clone(), None).await;
        let next = match &fetched {
            Ok((status, body)) => {
                leading_next_link(body).unwrap_or_else(|| client.decode::<NextLink>(*status, body).ok().and_then(|n| n.next))
            }
            Err(_) => None,
        };
        let decode = {
            let client = client.clone();
            tokio::spawn(async move {
                let (status, body) = fetched?;
                let page: Page<T> = client.decode(status, &body)?;
                Ok(Checked { body, page })
            })
        };
        if pages.send((url.clone(), decode)).await.is_err() {
            return;
        }
        let Some(next) = next.and_then(|link| client.followed_url(&link).ok()) else { return };
        visited.insert(url_hash(&url));
        if next == url || visited.contains(&url_hash(&next)) {
            return;
        }
        url = next;
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
            ahead: None,
            prefetching: false,
            _item: PhantomData,
        }
    }

    /// With `true`, pages are fetched and decoded ahead in the background (see `Ahead`), so
    /// the network wait and the decoding overlap the caller's work on the current page. At
    /// most four pages are then in memory. Off by default.
    pub fn prefetch(mut self, on: bool) -> Self {
        self.prefetching = on;
        self
    }

    /// Fetches the next page (decoded in the background when prefetching); `None` once
    /// the listing is done.
    pub async fn next_page(&mut self) -> Result<Option<Page<T>>> {
        Ok(self.next_checked().await?.map(|checked| checked.page))
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
        Ok(self.next_checked().await?.map(|c| RawPage { total: c.page.total, count: c.page.results.len(), body: c.body }))
    }

    /// The next page decoded, from the prefetch when it is the right one; advances the
    /// cursor only once the page is in hand (a failed fetch can be tried again from the
    /// same cursor) and starts the next prefetch.
    async fn next_checked(&mut self) -> Result<Option<Checked<T>>> {
        let Some(url) = self.next.clone() else { return Ok(None) };
        let fetched = if self.prefetching { self.fetched_ahead(&url).await } else { fetch_checked::<T>(&self.client, url.clone()).await };
        // On an error the cursor stays where it was: the next call fetches the same page.
        let checked = fetched?;
        self.advance(&url, checked.page.next.as_deref(), checked.page.total)?;
        Ok(Some(checked))
    }

    /// The page at `url` from the pages fetched ahead, starting the fetcher there if there is
    /// none. If the fetcher holds another page (a fetch cancelled mid-way lost one, or the
    /// fetcher stopped at a link the caller has yet to refuse), it is dropped and started
    /// again at `url`; after a failure it is dropped, so the next call starts from `url`.
    async fn fetched_ahead(&mut self, url: &Url) -> Result<Checked<T>> {
        for _ in 0..2 {
            let ahead = self.ahead.get_or_insert_with(|| {
                let (sender, pages) = tokio::sync::mpsc::channel(1);
                let fetcher = tokio::spawn(fetch_ahead::<T>(self.client.clone(), url.clone(), self.visited.clone(), sender));
                Ahead { pages, fetcher }
            });
            match ahead.pages.recv().await {
                Some((fetched_url, decode)) if fetched_url == *url => {
                    let outcome = match decode.await {
                        Ok(outcome) => outcome,
                        Err(e) => Err(Error::Transport(format!("the page fetch stopped: {e}"))),
                    };
                    if outcome.is_err() {
                        self.ahead = None;
                    }
                    return outcome;
                }
                _ => self.ahead = None,
            }
        }
        fetch_checked::<T>(&self.client, url.clone()).await
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

#[cfg(test)]
mod tests {
    use super::leading_next_link;

    #[test]
    fn the_leading_next_link_is_read_without_the_rest_of_the_page() {
        let link = |body: &str| leading_next_link(body.as_bytes());
        assert_eq!(link(r#"{"next":"https://h/files/?from=x","results":[{"#), Some(Some("https://h/files/?from=x".into())));
        assert_eq!(link(" {\n \"next\" : null, \"results\": []}"), Some(None));
        assert_eq!(link(r#"{"next":"a\"b","total":1}"#), Some(Some("a\"b".into())));
        // Any other shape is left to the whole-body decode.
        assert_eq!(link(r#"{"total":1,"next":"x"}"#), None);
        assert_eq!(link(r#"{"next":5}"#), None);
        assert_eq!(link(r#"{"next":"unterminated"#), None);
        assert_eq!(link("[]"), None);
    }
}
