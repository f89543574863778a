//! Listings of files or groups in either version, walked page by page; each page crosses to
//! the host as the server's JSON body, checked against the typed model first.

use serde::Deserialize;
use serde_json::Value;
use ucare::{Error, Pager};

use crate::{decode, AnyClient};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileListArgs {
    #[serde(default)]
    stored: Option<bool>,
    #[serde(default)]
    removed: Option<bool>,
    #[serde(default)]
    limit: Option<u32>,
    #[serde(default)]
    ordering: Option<String>,
    #[serde(default)]
    from_size: Option<u64>,
    #[serde(default)]
    from_datetime: Option<String>,
    #[serde(default)]
    include_appdata: Option<bool>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GroupListArgs {
    #[serde(default)]
    limit: Option<u32>,
    #[serde(default)]
    ordering: Option<String>,
    #[serde(default)]
    from_datetime: Option<String>,
}

/// A page of files in the version of the listing, decoded.
pub enum FilePage {
    /// v0.5 files.
    V05(ucare::Page<ucare::v05::File>),
    /// v0.7 files.
    V07(ucare::Page<ucare::File>),
}

/// A listing being walked.
#[derive(Debug)]
pub enum ListPager {
    /// v0.5 `files/`.
    Files05(Pager<ucare::v05::File>),
    /// v0.7 `files/`.
    Files07(Pager<ucare::File>),
    /// v0.5 `groups/`.
    Groups05(Pager<ucare::v05::Group>),
    /// v0.7 `groups/`.
    Groups07(Pager<ucare::Group>),
}

/// The filters both versions' file listings take, applied to `list`.
macro_rules! file_filters {
    ($list:expr, $a:expr, $ordering:ty) => {{
        let mut list = $list;
        if let Some(stored) = $a.stored {
            list = list.stored(stored);
        }
        if let Some(removed) = $a.removed {
            list = list.removed(removed);
        }
        if let Some(limit) = $a.limit {
            list = list.limit(limit);
        }
        if let Some(ordering) = &$a.ordering {
            list = list.ordering(ordering.parse::<$ordering>()?);
        }
        list
    }};
}

impl ListPager {
    /// A pager over `what` (`files` or `groups`), prefetching the next page while the
    /// caller works on the current one. The arguments are checked here, before anything is
    /// sent: `stored`, `removed`, `limit`, `ordering`, `from_size` (v0.5), `from_datetime`
    /// (ISO-8601), `include_appdata` (v0.7).
    pub fn new(client: &AnyClient, what: &str, arguments: Value) -> ucare::Result<Self> {
        match what {
            "files" => {
                let a: FileListArgs = decode(arguments)?;
                let at = a.from_datetime.as_deref().map(ucare::validate::datetime).transpose()?;
                match client {
                    AnyClient::V05(c) => {
                        use ucare::v05::files::{FileFrom, FileOrdering};
                        if a.include_appdata.is_some() {
                            client.v07("include_appdata")?;
                        }
                        let mut list = file_filters!(c.files().list(), a, FileOrdering);
                        if let Some(size) = a.from_size {
                            list = list.from(FileFrom::Size(size));
                        }
                        if let Some(at) = at {
                            list = list.from(FileFrom::Datetime(at));
                        }
                        Ok(ListPager::Files05(list.pager()?.prefetch(true)))
                    }
                    AnyClient::V07(c) => {
                        use ucare::files::FileOrdering;
                        if a.from_size.is_some() {
                            client.v05("listing from a size")?;
                        }
                        let mut list = file_filters!(c.files().list(), a, FileOrdering);
                        if let Some(at) = at {
                            list = list.from(at);
                        }
                        if let Some(on) = a.include_appdata {
                            list = list.include_appdata(on);
                        }
                        Ok(ListPager::Files07(list.pager()?.prefetch(true)))
                    }
                }
            }
            "groups" => {
                let a: GroupListArgs = decode(arguments)?;
                let ordering = a.ordering.as_deref().map(str::parse::<ucare::groups::GroupOrdering>).transpose()?;
                let at = a.from_datetime.as_deref().map(ucare::validate::datetime).transpose()?;
                macro_rules! groups {
                    ($c:expr, $variant:ident) => {{
                        let mut list = $c.groups().list();
                        if let Some(limit) = a.limit {
                            list = list.limit(limit);
                        }
                        if let Some(ordering) = ordering {
                            list = list.ordering(ordering);
                        }
                        if let Some(at) = at {
                            list = list.from(at);
                        }
                        Ok(ListPager::$variant(list.pager()?.prefetch(true)))
                    }};
                }
                match client {
                    AnyClient::V05(c) => groups!(c, Groups05),
                    AnyClient::V07(c) => groups!(c, Groups07),
                }
            }
            other => Err(Error::InvalidInput(format!("cannot list {:?}: use files or groups", ucare::validate::shorten(other)))),
        }
    }

    /// The next page of a file listing decoded (off the caller's thread: the prefetch task
    /// decodes it), or `None` when the listing is done.
    pub async fn next_files(&mut self) -> ucare::Result<Option<FilePage>> {
        match self {
            ListPager::Files05(p) => Ok(p.next_page().await?.map(FilePage::V05)),
            ListPager::Files07(p) => Ok(p.next_page().await?.map(FilePage::V07)),
            _ => Err(Error::InvalidInput("not a file listing".into())),
        }
    }

    /// The next page as the server's raw JSON body (its frame and items checked), or `None`
    /// when the listing is done; see [`Pager::next_page_raw`].
    pub async fn next_page_raw(&mut self) -> ucare::Result<Option<ucare::RawPage>> {
        match self {
            ListPager::Files05(p) => p.next_page_raw().await,
            ListPager::Files07(p) => p.next_page_raw().await,
            ListPager::Groups05(p) => p.next_page_raw().await,
            ListPager::Groups07(p) => p.next_page_raw().await,
        }
    }
}
