//! v0.7 files: list, info, store, delete, batches, and local and remote copies.

use std::str::FromStr;

use chrono::{DateTime, SecondsFormat, Utc};
use futures_core::Stream;
use reqwest::Method;
use serde::Serialize;

use super::models::{File, Metadata};
use crate::client::Runtime;
use crate::error::{Error, Result};
use crate::models::{BatchResult, CopyAnswer, Page};
use crate::pagination::{stream_or_error, Pager};
use crate::validate::{self, bool_str};

pub use crate::batch::BATCH_LIMIT;

/// The files of a project: `client.files()`.
///
/// ```no_run
/// # async fn run(client: ucare::Client) -> ucare::Result<()> {
/// use ucare::files::LocalCopy;
/// let file = client.files().info("21975c81-7f57-4c7a-aef9-acfe28779f78").await?;
/// println!("{:?} {:?}", file.content_info, file.metadata);
/// let copy = client.files().local_copy(&file.uuid, LocalCopy { store: Some(true), ..LocalCopy::default() }).await?;
/// let batch = client.files().delete_many([copy.uuid.as_str()]).await?;
/// assert!(batch.problems.is_empty());
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Files<'a> {
    pub(crate) client: &'a Runtime,
}

/// How a v0.7 file listing is sorted (v0.7 has no size ordering).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FileOrdering {
    /// Oldest upload first (the API's default).
    #[default]
    DatetimeUploaded,
    /// Newest upload first.
    DatetimeUploadedDesc,
}

impl FileOrdering {
    /// The ordering as the API spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            FileOrdering::DatetimeUploaded => "datetime_uploaded",
            FileOrdering::DatetimeUploadedDesc => "-datetime_uploaded",
        }
    }
}

impl FromStr for FileOrdering {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "datetime_uploaded" => Ok(FileOrdering::DatetimeUploaded),
            "-datetime_uploaded" => Ok(FileOrdering::DatetimeUploadedDesc),
            other => Err(Error::invalid(format!(
                "ordering {:?} is not one of datetime_uploaded, -datetime_uploaded (v0.7 has no size ordering)",
                validate::shorten(other)
            ))),
        }
    }
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
    from: Option<DateTime<Utc>>,
    appdata: bool,
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

    /// Start at files uploaded at (or, descending, before) this moment.
    pub fn from(mut self, from: DateTime<Utc>) -> Self {
        self.from = Some(from);
        self
    }

    /// With `true`, each file carries its `appdata` (`include=appdata`).
    pub fn include_appdata(mut self, on: bool) -> Self {
        self.appdata = on;
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
            if let Some(from) = self.from {
                query.append_pair("from", &from.to_rfc3339_opts(SecondsFormat::Micros, true));
            }
            if self.appdata {
                query.append_pair("include", "appdata");
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

    /// Just the first page (its `total` and `totals` count every match).
    pub async fn first_page(self) -> Result<Page<File>> {
        let mut pager = self.pager()?;
        Ok(pager.next_page().await?.unwrap_or(Page { next: None, previous: None, total: 0, per_page: 0, totals: None, results: vec![] }))
    }
}

/// Options of a copy inside the project; see [`Files::local_copy`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LocalCopy {
    /// Whether the copy is stored (the API's default is not).
    pub store: Option<bool>,
    /// Metadata for the copy.
    pub metadata: Option<Metadata>,
}

/// Options of a copy to a custom storage; see [`Files::remote_copy`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RemoteCopy {
    /// Whether the copy is publicly readable (the API's default is `true`).
    pub make_public: Option<bool>,
    /// The name pattern, e.g. `${uuid}/${filename}`; `${default}` when unset.
    pub pattern: Option<String>,
}

/// Where a remote copy went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteCopied {
    /// The copy's URL (`s3://bucket/...`).
    pub url: String,
    /// `false` when an object of that name existed already (the API answers 200, not 201).
    pub created: bool,
}

#[derive(Serialize)]
struct LocalCopyBody<'a> {
    source: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    store: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    metadata: Option<&'a Metadata>,
}

#[derive(Serialize)]
struct RemoteCopyBody<'a> {
    source: &'a str,
    target: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    make_public: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pattern: Option<&'a str>,
}

impl<'a> Files<'a> {
    /// A listing of files; call `.stream()` on it, or `.pager()` to walk pages.
    pub fn list(self) -> ListFiles<'a> {
        ListFiles { client: self.client, stored: None, removed: None, limit: None, ordering: None, from: None, appdata: false }
    }

    /// One file's info.
    pub async fn info(self, uuid: &str) -> Result<File> {
        let uuid = validate::uuid(uuid)?;
        self.client.get_json(&format!("files/{uuid}/")).await
    }

    /// One file's info with its `appdata` (`include=appdata`).
    pub async fn info_with_appdata(self, uuid: &str) -> Result<File> {
        let uuid = validate::uuid(uuid)?;
        self.client.get_json(&format!("files/{uuid}/?include=appdata")).await
    }

    /// Stores one file: it is kept permanently.
    pub async fn store(self, uuid: &str) -> Result<File> {
        let uuid = validate::uuid(uuid)?;
        self.client.request_json(Method::PUT, self.client.url(&format!("files/{uuid}/storage/")), None).await
    }

    /// Removes one file (`DELETE /files/<uuid>/storage/`); the answer has
    /// `datetime_removed` set.
    pub async fn delete(self, uuid: &str) -> Result<File> {
        let uuid = validate::uuid(uuid)?;
        self.client.request_json(Method::DELETE, self.client.url(&format!("files/{uuid}/storage/")), None).await
    }

    /// Stores any number of files, in requests of at most 100 sent a few at a time. Every
    /// problem the server reports is in the result, and so is every id that is not a UUID
    /// (as `Invalid`, without being sent). When a request fails, the error is
    /// [`Error::BatchIncomplete`]: what was done and which ids are left to send again.
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

    /// Copies a file (a UUID or a CDN URL with operations) inside the project. The answer
    /// comes before the copy is processed (`size` 0, no `content_info` yet).
    ///
    /// Not repeated when its answer is lost (that would make two copies):
    /// [`Error::OutcomeUnknown`] instead.
    pub async fn local_copy(self, source: &str, options: LocalCopy) -> Result<File> {
        if let Some(metadata) = &options.metadata {
            validate::metadata(metadata)?;
        }
        let body =
            LocalCopyBody { source: validate::source(source)?, store: options.store.map(bool_str), metadata: options.metadata.as_ref() };
        let bytes = serde_json::to_vec(&body).expect("copies serialize");
        let (status, answer) = self.client.send(Method::POST, self.client.url("files/local_copy/"), Some(bytes)).await?;
        let answer: CopyAnswer = self.client.decode(status, &answer)?;
        match answer.kind.as_str() {
            "file" => {
                let text = answer.result.to_string();
                serde_json::from_value(answer.result).map_err(|e| {
                    self.client.redact(Error::Decode { status, message: e.to_string(), snippet: crate::error::snippet(text.as_bytes()) })
                })
            }
            other => Err(self.client.redact(Error::Decode {
                status,
                message: format!("expected a copy of type file, got {other:?}"),
                snippet: other.into(),
            })),
        }
    }

    /// Copies a file to the custom storage named `target`: 201 makes a new object, 200
    /// says one of that name existed ([`RemoteCopied::created`]).
    pub async fn remote_copy(self, source: &str, target: &str, options: RemoteCopy) -> Result<RemoteCopied> {
        if target.is_empty() {
            return Err(Error::invalid("target storage name must not be empty"));
        }
        if let Some(pattern) = &options.pattern {
            validate::copy_pattern(pattern)?;
        }
        let body = RemoteCopyBody {
            source: validate::source(source)?,
            target: validate::header_text("target", target)?,
            make_public: options.make_public,
            pattern: options.pattern.as_deref(),
        };
        let bytes = serde_json::to_vec(&body).expect("copies serialize");
        let (status, answer) = self.client.send(Method::POST, self.client.url("files/remote_copy/"), Some(bytes)).await?;
        let answer: CopyAnswer = self.client.decode(status, &answer)?;
        match (answer.kind.as_str(), answer.result) {
            ("url", serde_json::Value::String(url)) => Ok(RemoteCopied { url, created: status == 201 }),
            (kind, result) => Err(self.client.redact(Error::Decode {
                status,
                message: format!("expected a copy of type url, got {kind:?}"),
                snippet: result.to_string(),
            })),
        }
    }
}
