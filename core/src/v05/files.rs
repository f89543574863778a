//! v0.5 files: list (by upload time or size), info, store, delete, batches and copies.

use std::str::FromStr;

use chrono::{DateTime, SecondsFormat, Utc};
use futures_core::Stream;
use reqwest::Method;
use serde::Serialize;

use super::models::File;
use crate::client::Runtime;
use crate::error::{Error, Result};
use crate::models::{BatchResult, CopyAnswer, Page};
use crate::pagination::{stream_or_error, Pager};
use crate::validate::{self, bool_str};

pub use crate::batch::BATCH_LIMIT;

/// The files of a project: `client.files()`.
///
/// ```no_run
/// # async fn run(client: ucare::v05::Client) -> ucare::Result<()> {
/// let file = client.files().info("21975c81-7f57-4c7a-aef9-acfe28779f78").await?;
/// client.files().store(&file.uuid).await?;
/// let batch = client.files().delete_many(["21975c81-7f57-4c7a-aef9-acfe28779f78"]).await?;
/// for (id, problem) in &batch.problems {
///     eprintln!("{id}: {problem}");
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Files<'a> {
    pub(crate) client: &'a Runtime,
}

/// How a file listing is sorted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FileOrdering {
    /// Oldest upload first (the API's default).
    #[default]
    DatetimeUploaded,
    /// Newest upload first.
    DatetimeUploadedDesc,
    /// Smallest first.
    Size,
    /// Largest first.
    SizeDesc,
}

impl FileOrdering {
    /// The ordering as the API spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            FileOrdering::DatetimeUploaded => "datetime_uploaded",
            FileOrdering::DatetimeUploadedDesc => "-datetime_uploaded",
            FileOrdering::Size => "size",
            FileOrdering::SizeDesc => "-size",
        }
    }

    fn by_size(self) -> bool {
        matches!(self, FileOrdering::Size | FileOrdering::SizeDesc)
    }
}

impl FromStr for FileOrdering {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        Ok(match s {
            "datetime_uploaded" => FileOrdering::DatetimeUploaded,
            "-datetime_uploaded" => FileOrdering::DatetimeUploadedDesc,
            "size" => FileOrdering::Size,
            "-size" => FileOrdering::SizeDesc,
            other => {
                return Err(Error::invalid(format!(
                    "ordering {:?} is not one of datetime_uploaded, -datetime_uploaded, size, -size",
                    validate::shorten(other)
                )))
            }
        })
    }
}

/// Where a file listing starts: a datetime for datetime orderings, a size for size orderings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileFrom {
    /// Start at files uploaded at (or, descending, before) this moment.
    Datetime(DateTime<Utc>),
    /// Start at files of (or, descending, below) this size.
    Size(u64),
}

/// A file listing being set up; see [`Files::list`].
#[derive(Debug, Clone)]
#[must_use = "a listing does nothing until it is streamed"]
pub struct ListFiles<'a> {
    client: &'a Runtime,
    stored: Option<bool>,
    removed: Option<bool>,
    limit: Option<u32>,
    ordering: Option<FileOrdering>,
    from: Option<FileFrom>,
}

impl ListFiles<'_> {
    /// Only stored (`true`) or only unstored (`false`) files; both when unset.
    pub fn stored(mut self, stored: bool) -> Self {
        self.stored = Some(stored);
        self
    }

    /// Only removed (`true`) or only present (`false`, the default) files.
    pub fn removed(mut self, removed: bool) -> Self {
        self.removed = Some(removed);
        self
    }

    /// Files per page, 1..=1000 (the API's default is 100).
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = Some(limit);
        self
    }

    /// The sort order.
    pub fn ordering(mut self, ordering: FileOrdering) -> Self {
        self.ordering = Some(ordering);
        self
    }

    /// Where to start; must fit the ordering.
    pub fn from(mut self, from: FileFrom) -> Self {
        self.from = Some(from);
        self
    }

    /// Checks the parameters and makes the pager, without sending anything.
    pub fn pager(self) -> Result<Pager<File>> {
        let mut url = self.client.url("files/");
        {
            let mut query = url.query_pairs_mut();
            if let Some(removed) = self.removed {
                query.append_pair("removed", bool_str(removed));
            }
            if let Some(stored) = self.stored {
                query.append_pair("stored", bool_str(stored));
            }
            if let Some(limit) = self.limit {
                query.append_pair("limit", &validate::limit(limit)?.to_string());
            }
            if let Some(ordering) = self.ordering {
                query.append_pair("ordering", ordering.as_str());
            }
            match (self.from, self.ordering.unwrap_or_default().by_size()) {
                (None, _) => {}
                (Some(FileFrom::Size(size)), true) => {
                    query.append_pair("from", &size.to_string());
                }
                (Some(FileFrom::Datetime(at)), false) => {
                    query.append_pair("from", &at.to_rfc3339_opts(SecondsFormat::Micros, true));
                }
                (Some(_), _) => {
                    return Err(Error::invalid("`from` must be a size for size orderings and a datetime for datetime orderings"))
                }
            }
        }
        if url.query() == Some("") {
            url.set_query(None);
        }
        Ok(Pager::new(self.client.clone(), url))
    }

    /// Every matching file, fetched a page at a time.
    pub fn stream(self) -> impl Stream<Item = Result<File>> + Send + Unpin + 'static {
        stream_or_error(self.pager())
    }

    /// Just the first page (its `total` counts every match).
    pub async fn first_page(self) -> Result<Page<File>> {
        let mut pager = self.pager()?;
        Ok(pager.next_page().await?.unwrap_or(Page { next: None, previous: None, total: 0, per_page: 0, totals: None, results: vec![] }))
    }
}

#[derive(Serialize)]
struct CopyBody<'a> {
    source: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    store: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    target: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    make_public: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pattern: Option<&'a str>,
}

/// Options of a copy to a custom storage; see [`Files::copy_to_storage`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CopyToStorage {
    /// Whether the copy is publicly readable (the API's default is `true`).
    pub make_public: Option<bool>,
    /// The name pattern, e.g. `${uuid}/${filename}`; the storage's own pattern when unset.
    pub pattern: Option<String>,
}

impl<'a> Files<'a> {
    /// A listing of files; call `.stream()` on it, or `.pager()` to walk pages.
    pub fn list(self) -> ListFiles<'a> {
        ListFiles { client: self.client, stored: None, removed: None, limit: None, ordering: None, from: None }
    }

    /// One file's info.
    pub async fn info(self, uuid: &str) -> Result<File> {
        let uuid = validate::uuid(uuid)?;
        self.client.get_json(&format!("files/{uuid}/")).await
    }

    /// Stores one file: it is kept permanently.
    pub async fn store(self, uuid: &str) -> Result<File> {
        let uuid = validate::uuid(uuid)?;
        self.client.request_json(Method::PUT, self.client.url(&format!("files/{uuid}/storage/")), None).await
    }

    /// Removes one file; the answer has `datetime_removed` set.
    pub async fn delete(self, uuid: &str) -> Result<File> {
        let uuid = validate::uuid(uuid)?;
        self.client.request_json(Method::DELETE, self.client.url(&format!("files/{uuid}/storage/")), None).await
    }

    /// Stores any number of files, in requests of at most 100 sent a few at a time.
    /// Every problem the server reports is in the merged result, and so is every id that
    /// is not a UUID (as `Invalid`, without being sent).
    ///
    /// When a request fails, no further one is started and the error is
    /// [`Error::BatchIncomplete`]: what the answered requests did, the ids of the failed
    /// requests and the ids never sent. Sending the remaining ids again resumes the batch.
    pub async fn store_many<I, S>(self, uuids: I) -> Result<BatchResult<File>>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.client.batch(Method::PUT, uuids).await
    }

    /// Removes any number of files; see [`Files::store_many`].
    pub async fn delete_many<I, S>(self, uuids: I) -> Result<BatchResult<File>>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.client.batch(Method::DELETE, uuids).await
    }

    /// Copies a file (a UUID or a CDN URL with operations) to the project's storage;
    /// `store` says whether the copy is stored (the API's default is not).
    ///
    /// A copy is not repeated when its answer is lost: that would make two copies. The
    /// caller gets [`Error::OutcomeUnknown`] instead.
    pub async fn copy(self, source: &str, store: Option<bool>) -> Result<File> {
        let body =
            CopyBody { source: validate::source(source)?, store: store.map(bool_str), target: None, make_public: None, pattern: None };
        let answer = self.post_copy(&body).await?;
        match answer.kind.as_str() {
            "file" => {
                let text = answer.result.to_string();
                serde_json::from_value(answer.result).map_err(|e| {
                    self.client.redact(Error::Decode {
                        status: 201,
                        message: e.to_string(),
                        snippet: crate::error::snippet(text.as_bytes()),
                    })
                })
            }
            other => Err(self.client.redact(Error::Decode {
                status: 201,
                message: format!("expected a copy of type file, got {other:?}"),
                snippet: other.into(),
            })),
        }
    }

    /// Copies a file to the custom storage named `target`; answers the copy's URL
    /// (`s3://bucket/...`).
    pub async fn copy_to_storage(self, source: &str, target: &str, options: CopyToStorage) -> Result<String> {
        if target.is_empty() {
            return Err(Error::invalid("target storage name must not be empty"));
        }
        if let Some(pattern) = &options.pattern {
            validate::copy_pattern(pattern)?;
        }
        let body = CopyBody {
            source: validate::source(source)?,
            store: None,
            target: Some(target),
            make_public: options.make_public.map(bool_str),
            pattern: options.pattern.as_deref(),
        };
        let answer = self.post_copy(&body).await?;
        match (answer.kind.as_str(), answer.result) {
            ("url", serde_json::Value::String(url)) => Ok(url),
            (kind, result) => Err(self.client.redact(Error::Decode {
                status: 201,
                message: format!("expected a copy of type url, got {kind:?}"),
                snippet: result.to_string(),
            })),
        }
    }

    async fn post_copy(self, body: &CopyBody<'_>) -> Result<CopyAnswer> {
        let bytes = serde_json::to_vec(body).expect("copy bodies serialize");
        self.client.request_json(Method::POST, self.client.url("files/"), Some(bytes)).await
    }
}
