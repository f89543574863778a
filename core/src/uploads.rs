//! The Upload API: direct and multipart uploads with progress, uploads from a URL, groups,
//! file info, signed uploads. `client.uploads()` on either version's client: it shares the
//! client's connection pool, timeouts, retries, answer cap and errors, and talks to the
//! upload base URL (`https://upload.uploadcare.com/` by default).
//!
//! ```no_run
//! # async fn run(client: ucare::Client) -> ucare::Result<()> {
//! use ucare::uploads::{Source, UploadOptions};
//! let file = client
//!     .uploads()
//!     .upload(Source::path("photo.jpg"), UploadOptions::default().on_progress(|p| println!("{}/{}", p.sent, p.total)))
//!     .await?;
//! println!("{} ready: {}", file.uuid, file.is_ready);
//! # Ok(()) }
//! ```

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use hmac::{Hmac, KeyInit, Mac};
use reqwest::Method;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use sha2::Sha256;

use crate::client::Runtime;
use crate::error::{Error, Result};
use crate::models::{nullable, ImageInfo};
use crate::v07::models::{ContentInfo, Metadata};
use crate::validate;

/// Files of this size and above go in parts; the service refuses multipart below it.
pub const MULTIPART_MIN_SIZE: u64 = 10_485_760;
/// The part size: the service's default and smallest.
pub const PART_SIZE: u64 = 5_242_880;
/// The largest direct upload the service takes.
pub const DIRECT_MAX_SIZE: u64 = 100 * 1024 * 1024;

/// An async reader shared by the parts that read from it in turn.
pub type SharedReader = Arc<tokio::sync::Mutex<std::pin::Pin<Box<dyn tokio::io::AsyncRead + Send>>>>;

/// What to upload.
#[derive(Clone)]
pub enum Source {
    /// Bytes in memory, with the file's name.
    Bytes {
        /// The content.
        bytes: Bytes,
        /// The name it gets.
        name: String,
    },
    /// A file on disk, read a part at a time (never whole for multipart uploads).
    Path(PathBuf),
    /// An async reader of a known size, read a part at a time in order; it must yield exactly
    /// `size` bytes.
    Reader {
        /// The bytes.
        reader: SharedReader,
        /// How many bytes it yields.
        size: u64,
        /// The name the file gets.
        name: String,
    },
}

impl std::fmt::Debug for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Source::Bytes { bytes, name } => f.debug_struct("Bytes").field("len", &bytes.len()).field("name", name).finish(),
            Source::Path(path) => f.debug_tuple("Path").field(path).finish(),
            Source::Reader { size, name, .. } => f.debug_struct("Reader").field("size", size).field("name", name).finish_non_exhaustive(),
        }
    }
}

impl Source {
    /// Bytes with a name.
    pub fn bytes(bytes: impl Into<Bytes>, name: impl Into<String>) -> Self {
        Source::Bytes { bytes: bytes.into(), name: name.into() }
    }

    /// A file on disk.
    pub fn path(path: impl Into<PathBuf>) -> Self {
        Source::Path(path.into())
    }

    /// An async reader that yields exactly `size` bytes.
    pub fn reader(reader: impl tokio::io::AsyncRead + Send + 'static, size: u64, name: impl Into<String>) -> Self {
        Source::Reader { reader: Arc::new(tokio::sync::Mutex::new(Box::pin(reader))), size, name: name.into() }
    }
}

/// Whether an upload is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Store {
    /// As the project's autostore says.
    #[default]
    Auto,
    /// Stored.
    Yes,
    /// Not stored (removed after 24 h unless stored later).
    No,
}

impl Store {
    fn field(self) -> &'static str {
        match self {
            Store::Auto => "auto",
            Store::Yes => "1",
            Store::No => "0",
        }
    }
}

/// A signed-upload signature: made here from the client's secret key, or made elsewhere
/// (on a server) and handed over.
#[derive(Clone, PartialEq, Eq)]
pub enum Signature {
    /// Sign with the client's secret key, valid for this long.
    Compute(Duration),
    /// A signature and its `expire` (UNIX seconds) made elsewhere.
    Given {
        /// Hex HMAC-SHA256 of `expire` under the secret key.
        signature: String,
        /// When it expires, UNIX seconds.
        expire: u64,
    },
}

impl std::fmt::Debug for Signature {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Signature::Compute(ttl) => f.debug_tuple("Compute").field(ttl).finish(),
            Signature::Given { expire, .. } => f.debug_struct("Given").field("expire", expire).finish_non_exhaustive(),
        }
    }
}

/// `hex(HMAC-SHA256(secret_key, expire))`, the signed-upload signature.
pub fn signature(secret_key: &str, expire: u64) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret_key.as_bytes()).expect("HMAC takes a key of any length");
    mac.update(expire.to_string().as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// How far an upload got: bytes sent of the total.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Bytes sent and acknowledged.
    pub sent: u64,
    /// The file's size.
    pub total: u64,
}

type ProgressFn = Arc<dyn Fn(Progress) + Send + Sync>;

/// Options of an upload.
#[derive(Clone, Default)]
pub struct UploadOptions {
    name: Option<String>,
    content_type: Option<String>,
    store: Store,
    metadata: Metadata,
    signature: Option<Signature>,
    on_progress: Option<ProgressFn>,
    multipart_min_size: Option<u64>,
    part_concurrency: Option<usize>,
    ready_timeout: Option<Duration>,
}

impl std::fmt::Debug for UploadOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UploadOptions")
            .field("name", &self.name)
            .field("content_type", &self.content_type)
            .field("store", &self.store)
            .field("metadata", &self.metadata)
            .field("signature", &self.signature)
            .finish_non_exhaustive()
    }
}

impl UploadOptions {
    /// The file's name (a path's file name, or the name given with bytes, by default).
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// The content type (`application/octet-stream` by default).
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }

    /// Whether the file is stored; the project's autostore by default.
    pub fn store(mut self, store: Store) -> Self {
        self.store = store;
        self
    }

    /// Metadata for the file (checked before sending).
    pub fn metadata(mut self, metadata: Metadata) -> Self {
        self.metadata = metadata;
        self
    }

    /// Sign the upload (for projects with signed uploads on).
    pub fn signature(mut self, signature: Signature) -> Self {
        self.signature = Some(signature);
        self
    }

    /// Called as bytes are acknowledged: after each part of a multipart upload, and once at
    /// the end of a direct one.
    pub fn on_progress(mut self, f: impl Fn(Progress) + Send + Sync + 'static) -> Self {
        self.on_progress = Some(Arc::new(f));
        self
    }

    /// Files of this size and above go in parts (10 MiB by default, the service's minimum).
    pub fn multipart_min_size(mut self, bytes: u64) -> Self {
        self.multipart_min_size = Some(bytes);
        self
    }

    /// How many parts are in flight at once (4 by default, 1..=16).
    pub fn part_concurrency(mut self, parts: usize) -> Self {
        self.part_concurrency = Some(parts);
        self
    }

    /// How long to wait for the file to be ready after its bytes are in (60 s by default).
    pub fn ready_timeout(mut self, timeout: Duration) -> Self {
        self.ready_timeout = Some(timeout);
        self
    }
}

/// A file as the Upload API describes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UploadedFile {
    /// The file's UUID.
    pub uuid: String,
    /// Its size in bytes.
    #[serde(default, deserialize_with = "nullable")]
    pub size: u64,
    /// The name it was uploaded with.
    #[serde(default, deserialize_with = "nullable")]
    pub original_filename: String,
    /// The name sanitized for URLs.
    #[serde(default, deserialize_with = "nullable")]
    pub filename: String,
    /// Its MIME type.
    #[serde(default, deserialize_with = "nullable")]
    pub mime_type: String,
    /// Whether it is an image.
    #[serde(default, deserialize_with = "nullable")]
    pub is_image: bool,
    /// Whether it is stored.
    #[serde(default, deserialize_with = "nullable")]
    pub is_stored: bool,
    /// Whether it is ready to be served.
    #[serde(default, deserialize_with = "nullable")]
    pub is_ready: bool,
    /// Image details, for images.
    #[serde(default)]
    pub image_info: Option<ImageInfo>,
    /// What the service found the content to be.
    #[serde(default)]
    pub content_info: Option<ContentInfo>,
    /// The file's metadata.
    #[serde(default, deserialize_with = "nullable")]
    pub metadata: Metadata,
    /// Fields this crate does not model (`total`, `done`, `file_id`, ...).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A group as the Upload API answers it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UploadedGroup {
    /// `<uuid>~<count>`.
    pub id: String,
    /// How many files it has.
    #[serde(default, deserialize_with = "nullable")]
    pub files_count: u64,
    /// Its CDN URL.
    #[serde(default)]
    pub cdn_url: Option<String>,
    /// Its files, in order (`None` for a removed one).
    #[serde(default, deserialize_with = "nullable")]
    pub files: Vec<Option<UploadedFile>>,
    /// Fields this crate does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Where an upload from a URL is.
#[derive(Debug, Clone, PartialEq)]
pub enum FromUrlStatus {
    /// Not started yet.
    Waiting,
    /// Fetching: bytes so far, and the total when known.
    Progress {
        /// Bytes fetched.
        done: u64,
        /// The size, when the source says.
        total: Option<u64>,
    },
    /// Done.
    Success(Box<UploadedFile>),
    /// Failed: the service's message and code.
    Error {
        /// Why.
        message: String,
        /// The code (`DownloadFileHTTPClientError`, ...).
        code: Option<String>,
    },
    /// The token is unknown (never issued, or too old).
    Unknown,
}

/// What starting an upload from a URL answered.
#[derive(Debug, Clone, PartialEq)]
pub enum FromUrlStarted {
    /// The fetch runs; poll with this token.
    Token(String),
    /// The URL was fetched before (duplicate checking on): the file.
    File(Box<UploadedFile>),
}

/// Options of an upload from a URL.
#[derive(Debug, Clone, Default)]
pub struct FromUrlOptions {
    /// The file's name (the URL's last segment by default).
    pub name: Option<String>,
    /// Whether the file is stored.
    pub store: Store,
    /// Metadata for the file.
    pub metadata: Metadata,
    /// Answer the file fetched from the same URL before, if any.
    pub check_duplicates: bool,
    /// Remember this URL for later duplicate checks (the service's default follows
    /// `check_duplicates`).
    pub save_duplicates: Option<bool>,
    /// Sign the request.
    pub signature: Option<Signature>,
    /// How long to wait for the fetch (300 s by default).
    pub timeout: Option<Duration>,
}

/// The Upload API: `client.uploads()`.
#[derive(Debug, Clone, Copy)]
pub struct Uploads<'a> {
    pub(crate) client: &'a Runtime,
}

/// A form for the Upload API: text fields, and the file for `/base/`.
#[derive(Clone, Default)]
struct Form {
    text: Vec<(String, String)>,
    file: Option<(Bytes, String, String)>,
}

impl Form {
    fn field(mut self, name: &str, value: impl Into<String>) -> Self {
        self.text.push((name.to_string(), value.into()));
        self
    }

    fn multipart(&self) -> reqwest::multipart::Form {
        let mut form = reqwest::multipart::Form::new();
        for (name, value) in &self.text {
            form = form.text(name.clone(), value.clone());
        }
        if let Some((bytes, name, content_type)) = &self.file {
            let part = reqwest::multipart::Part::stream(bytes.clone()).file_name(name.clone());
            let part =
                part.mime_str(content_type).unwrap_or_else(|_| reqwest::multipart::Part::stream(bytes.clone()).file_name(name.clone()));
            form = form.part("file", part);
        }
        form
    }
}

#[derive(Deserialize)]
struct Started {
    uuid: String,
    parts: Vec<String>,
}

impl Uploads<'_> {
    fn url(&self, path: &str) -> url::Url {
        self.client.inner.upload_base.join(path).expect("paths built by this crate are valid")
    }

    /// Sends a form (multipart) to an Upload API path; POSTs are never repeated blindly.
    async fn post_form<T: serde::de::DeserializeOwned>(&self, path: &str, form: Form) -> Result<T> {
        let url = self.url(path);
        let (status, body) = self
            .client
            .with_retries(&Method::POST, url.path(), || self.client.inner.http().post(url.clone()).multipart(form.multipart()))
            .await
            .map_err(|e| self.client.redact(e))?;
        self.client.decode(status, &body)
    }

    async fn get<T: serde::de::DeserializeOwned>(&self, path: &str, query: &[(&str, &str)]) -> Result<T> {
        let mut url = self.url(path);
        url.query_pairs_mut().extend_pairs(query);
        let (status, body) = self
            .client
            .with_retries(&Method::GET, url.path(), || self.client.inner.http().get(url.clone()))
            .await
            .map_err(|e| self.client.redact(e))?;
        self.client.decode(status, &body)
    }

    /// The signature fields of a request, checked: an expired `expire` is refused here.
    fn signed(&self, form: Form, how: &Option<Signature>) -> Result<Form> {
        let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default().as_secs();
        match how {
            None => Ok(form),
            Some(Signature::Compute(ttl)) => {
                let ttl = validate::duration("signature lifetime", *ttl, validate::MAX_WAIT)?;
                let expire = now + ttl.as_secs().max(1);
                let value = signature(self.client.inner.secret_key.expose(), expire);
                Ok(form.field("signature", value).field("expire", expire.to_string()))
            }
            Some(Signature::Given { signature, expire }) => {
                if *expire <= now {
                    return Err(Error::invalid(format!("the upload signature expired at {expire} (now {now})")));
                }
                if signature.len() != 64 || !signature.bytes().all(|b| b.is_ascii_hexdigit()) {
                    return Err(Error::invalid("an upload signature is 64 hex digits"));
                }
                Ok(form.field("signature", signature.clone()).field("expire", expire.to_string()))
            }
        }
    }

    fn base_form(&self, options: &UploadOptions, pub_key_field: &str) -> Result<Form> {
        validate::metadata(&options.metadata)?;
        let mut form = Form::default().field(pub_key_field, self.client.inner.public_key.clone());
        for (key, value) in &options.metadata {
            form = form.field(&format!("metadata[{key}]"), value.clone());
        }
        self.signed(form, &options.signature)
    }

    /// Uploads a file: directly below the multipart size, in parts sent concurrently above
    /// it (each part retried on its own), then waits until the file is ready. A direct
    /// upload is a POST: never repeated blindly ([`Error::OutcomeUnknown`] when its answer
    /// is lost). Dropping the future cancels the upload.
    pub async fn upload(self, source: Source, options: UploadOptions) -> Result<UploadedFile> {
        let (size, default_name) = match &source {
            Source::Bytes { bytes, name } => (bytes.len() as u64, name.clone()),
            Source::Reader { size, name, .. } => (*size, name.clone()),
            Source::Path(path) => {
                let meta = tokio::fs::metadata(path).await.map_err(|e| Error::invalid(format!("{}: {e}", path.display())))?;
                if !meta.is_file() {
                    return Err(Error::invalid(format!("{} is not a file", path.display())));
                }
                (meta.len(), path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "original".into()))
            }
        };
        if size == 0 {
            return Err(Error::invalid("the file is empty"));
        }
        let name = options.name.clone().unwrap_or(default_name);
        if name.is_empty() || name.chars().any(char::is_control) {
            return Err(Error::invalid("the file name must be non-empty, without control characters"));
        }
        let content_type = options.content_type.clone().unwrap_or_else(|| "application/octet-stream".into());
        validate::header_text("content type", &content_type)?;
        // Checked for every upload, not only the ones that go in parts: a bad option is an
        // error whatever the file's size.
        if let Some(parts) = options.part_concurrency.filter(|parts| !(1..=16).contains(parts)) {
            return Err(Error::invalid(format!("part concurrency must be within 1..=16, got {parts}")));
        }
        let threshold = options.multipart_min_size.unwrap_or(MULTIPART_MIN_SIZE).max(MULTIPART_MIN_SIZE);
        let ready = options.ready_timeout.unwrap_or(Duration::from_secs(60));
        let file = if size >= threshold {
            self.multipart(&source, size, &name, &content_type, &options).await?
        } else {
            if size > DIRECT_MAX_SIZE {
                return Err(Error::invalid("a direct upload takes less than 100 MB"));
            }
            let bytes = match &source {
                Source::Bytes { bytes, .. } => bytes.clone(),
                Source::Reader { .. } => {
                    let bytes = read_part(&source, 0, size).await?;
                    expect_end(&source).await?;
                    bytes
                }
                Source::Path(path) => {
                    tokio::fs::read(path).await.map(Bytes::from).map_err(|e| Error::invalid(format!("{}: {e}", path.display())))?
                }
            };
            if bytes.len() as u64 != size {
                return Err(Error::invalid("the file changed size while being read"));
            }
            let mut form = self.base_form(&options, "UPLOADCARE_PUB_KEY")?.field("UPLOADCARE_STORE", options.store.field());
            form.file = Some((bytes, name, content_type));
            let answer: std::collections::HashMap<String, String> = self.post_form("base/", form).await?;
            let uuid = answer.get("file").cloned().ok_or_else(|| Error::Decode {
                status: 200,
                message: "the upload answer names no file".into(),
                snippet: format!("{answer:?}"),
            })?;
            if let Some(progress) = &options.on_progress {
                progress(Progress { sent: size, total: size });
            }
            self.info(&uuid).await?
        };
        if file.is_ready {
            return Ok(file);
        }
        let uuid = file.uuid.clone();
        crate::poll::until_final(ready, || self.info(&uuid), |f| f.is_ready).await
    }

    async fn multipart(self, source: &Source, size: u64, name: &str, content_type: &str, options: &UploadOptions) -> Result<UploadedFile> {
        let concurrency = options.part_concurrency.unwrap_or(4);
        let form = self
            .base_form(options, "UPLOADCARE_PUB_KEY")?
            .field("filename", name)
            .field("size", size.to_string())
            .field("content_type", content_type)
            .field("part_size", PART_SIZE.to_string())
            .field("UPLOADCARE_STORE", options.store.field());
        let started: Started = self.post_form("multipart/start/", form).await?;
        let expected = size.div_ceil(PART_SIZE) as usize;
        if started.parts.len() != expected {
            return Err(Error::Decode {
                status: 200,
                message: format!("multipart start gave {} part URLs for {expected} parts", started.parts.len()),
                snippet: String::new(),
            });
        }
        // Parts are read in order (a reader can only be read so) and sent as tasks, at most
        // `concurrency` at once; memory stays at `concurrency + 1` parts. Dropping the upload
        // drops the set, which stops every part in flight.
        let sent = Arc::new(AtomicU64::new(0));
        let mut in_flight = tokio::task::JoinSet::new();
        for (n, part_url) in started.parts.into_iter().enumerate() {
            let offset = n as u64 * PART_SIZE;
            let bytes = read_part(source, offset, PART_SIZE.min(size - offset)).await?;
            if n + 1 == expected {
                expect_end(source).await?;
            }
            while in_flight.len() >= concurrency {
                joined(in_flight.join_next().await)?;
            }
            let part =
                Part { client: self.client.clone(), url: part_url, bytes, sent: sent.clone(), progress: options.on_progress.clone(), size };
            in_flight.spawn(part.send());
        }
        while let Some(outcome) = in_flight.join_next().await {
            joined(Some(outcome))?;
        }
        let form = Form::default().field("UPLOADCARE_PUB_KEY", self.client.inner.public_key.clone()).field("uuid", started.uuid);
        self.post_form("multipart/complete/", form).await
    }

    /// A file's info through the Upload API (`/info/`).
    pub async fn info(self, uuid: &str) -> Result<UploadedFile> {
        let uuid = validate::uuid(uuid)?;
        self.get("info/", &[("pub_key", &self.client.inner.public_key), ("file_id", uuid)]).await
    }

    /// Starts an upload from a URL; see [`Uploads::from_url`] to wait for it.
    pub async fn from_url_start(self, source_url: &str, options: &FromUrlOptions) -> Result<FromUrlStarted> {
        let parsed =
            url::Url::parse(source_url).map_err(|e| Error::invalid(format!("source URL {:?}: {e}", validate::shorten(source_url))))?;
        if !matches!(parsed.scheme(), "http" | "https") || parsed.host().is_none() || source_url.chars().any(char::is_control) {
            return Err(Error::invalid(format!("source URL {:?} is not an http(s) URL", validate::shorten(source_url))));
        }
        validate::metadata(&options.metadata)?;
        let mut form = Form::default()
            .field("pub_key", self.client.inner.public_key.clone())
            .field("source_url", source_url)
            .field("store", options.store.field())
            .field("check_URL_duplicates", if options.check_duplicates { "1" } else { "0" })
            .field("save_URL_duplicates", if options.save_duplicates.unwrap_or(options.check_duplicates) { "1" } else { "0" });
        if let Some(name) = &options.name {
            form = form.field("filename", name.clone());
        }
        for (key, value) in &options.metadata {
            form = form.field(&format!("metadata[{key}]"), value.clone());
        }
        let form = self.signed(form, &options.signature)?;
        let answer: Value = self.post_form("from_url/", form).await?;
        match answer.get("type").and_then(Value::as_str) {
            Some("token") => match answer.get("token").and_then(Value::as_str) {
                Some(token) => Ok(FromUrlStarted::Token(token.to_string())),
                None => Err(Error::Decode { status: 200, message: "a token answer without a token".into(), snippet: answer.to_string() }),
            },
            Some("file_info") => serde_json::from_value(answer.clone()).map(|f| FromUrlStarted::File(Box::new(f))).map_err(|e| {
                Error::Decode { status: 200, message: e.to_string(), snippet: crate::error::snippet(answer.to_string().as_bytes()) }
            }),
            _ => Err(Error::Decode {
                status: 200,
                message: "an answer of no known type".into(),
                snippet: crate::error::snippet(answer.to_string().as_bytes()),
            }),
        }
    }

    /// An upload from a URL's status, by its token.
    pub async fn from_url_status(self, token: &str) -> Result<FromUrlStatus> {
        let token = validate::header_text("token", token)?;
        if token.is_empty() {
            return Err(Error::invalid("the token is empty"));
        }
        let answer: Value = self.get("from_url/status/", &[("token", token)]).await?;
        let text = |key: &str| answer.get(key).and_then(Value::as_str).map(str::to_string);
        Ok(match text("status").as_deref() {
            Some("waiting") => FromUrlStatus::Waiting,
            Some("progress") => FromUrlStatus::Progress {
                done: answer.get("done").and_then(Value::as_u64).unwrap_or(0),
                total: answer.get("total").and_then(Value::as_u64),
            },
            Some("success") => FromUrlStatus::Success(Box::new(serde_json::from_value(answer.clone()).map_err(|e| Error::Decode {
                status: 200,
                message: e.to_string(),
                snippet: crate::error::snippet(answer.to_string().as_bytes()),
            })?)),
            Some("error") => FromUrlStatus::Error { message: text("error").unwrap_or_default(), code: text("error_code") },
            _ => FromUrlStatus::Unknown,
        })
    }

    /// Uploads from a URL and waits (polling with backoff) until the file is in; an error
    /// status is [`Error::Api`] with the service's message, a timeout [`Error::Timeout`].
    pub async fn from_url(self, source_url: &str, options: FromUrlOptions) -> Result<UploadedFile> {
        let token = match self.from_url_start(source_url, &options).await? {
            FromUrlStarted::File(file) => return Ok(*file),
            FromUrlStarted::Token(token) => token,
        };
        let timeout = options.timeout.unwrap_or(Duration::from_secs(300));
        let last = crate::poll::until_final(
            timeout,
            || self.from_url_status(&token),
            |s| matches!(s, FromUrlStatus::Success(_) | FromUrlStatus::Error { .. } | FromUrlStatus::Unknown),
        )
        .await?;
        match last {
            FromUrlStatus::Success(file) => Ok(*file),
            FromUrlStatus::Error { message, code } => {
                let detail = match code {
                    Some(code) => format!("{message} ({code})"),
                    None => message,
                };
                Err(Error::Api { status: 400, detail, retry_after: None, fields: Default::default() })
            }
            _ => Err(Error::Api {
                status: 404,
                detail: format!("the upload token {token} is unknown"),
                retry_after: None,
                fields: Default::default(),
            }),
        }
    }

    /// Makes a group of files (UUIDs, or CDN URLs with operations); at most 1000.
    pub async fn create_group<I, S>(self, files: I, signature: Option<Signature>) -> Result<UploadedGroup>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        const MAX_FILES: usize = 1000;
        let mut form = Form::default().field("pub_key", self.client.inner.public_key.clone());
        let mut count = 0;
        for (n, file) in files.into_iter().enumerate() {
            // Refused at the first file too many, so an endless iterator cannot hang here.
            if n == MAX_FILES {
                return Err(Error::invalid(format!("a group has 1 to {MAX_FILES} files, got more")));
            }
            let file = validate::source(file.as_ref())?;
            form = form.field(&format!("files[{n}]"), file);
            count += 1;
        }
        if count == 0 {
            return Err(Error::invalid("a group has 1 to 1000 files, got 0"));
        }
        let form = self.signed(form, &signature)?;
        self.post_form("group/", form).await
    }

    /// A group through the Upload API (`/group/info/`).
    pub async fn group_info(self, group_id: &str) -> Result<UploadedGroup> {
        let id = validate::group_id(group_id)?;
        self.get("group/info/", &[("pub_key", &self.client.inner.public_key), ("group_id", id)]).await
    }
}

/// One part on its way: sent with the retry policy (a PUT is repeated on its own when it
/// fails; the other parts go on), then counted for the progress report.
struct Part {
    client: Runtime,
    url: String,
    bytes: Bytes,
    sent: Arc<AtomicU64>,
    progress: Option<ProgressFn>,
    size: u64,
}

impl Part {
    async fn send(self) -> Result<()> {
        let url = url::Url::parse(&self.url).map_err(|e| Error::Decode {
            status: 200,
            message: format!("bad part URL: {e}"),
            snippet: crate::error::snippet(self.url.as_bytes()),
        })?;
        let (client, bytes) = (&self.client, &self.bytes);
        client
            .with_retries(&Method::PUT, url.path(), || {
                client.inner.http().put(url.clone()).header(reqwest::header::CONTENT_TYPE, "application/octet-stream").body(bytes.clone())
            })
            .await
            .map_err(|e| client.redact(e))?;
        let length = bytes.len() as u64;
        let done = self.sent.fetch_add(length, Ordering::Relaxed) + length;
        if let Some(progress) = &self.progress {
            progress(Progress { sent: done, total: self.size });
        }
        Ok(())
    }
}

/// A finished part task's outcome; a panic in one is an error, not a lost part.
fn joined(outcome: Option<std::result::Result<Result<()>, tokio::task::JoinError>>) -> Result<()> {
    match outcome {
        None => Ok(()),
        Some(Ok(result)) => result,
        Some(Err(e)) => Err(Error::Transport(format!("a part upload stopped: {e}"))),
    }
}

/// A reader source must end where its size says.
async fn expect_end(source: &Source) -> Result<()> {
    if let Source::Reader { reader, size, .. } = source {
        use tokio::io::AsyncReadExt;
        let mut extra = [0u8; 1];
        if reader.lock().await.read(&mut extra).await.map_err(|e| Error::invalid(format!("the reader failed: {e}")))? != 0 {
            return Err(Error::invalid(format!("the reader has more than its {size} bytes")));
        }
    }
    Ok(())
}

/// One part of the source: from memory, read from disk at its offset, or the reader's next
/// bytes (parts are read in order).
async fn read_part(source: &Source, offset: u64, length: u64) -> Result<Bytes> {
    match source {
        Source::Reader { reader, size, .. } => {
            use tokio::io::AsyncReadExt;
            let mut buffer = vec![0u8; length as usize];
            reader
                .lock()
                .await
                .read_exact(&mut buffer)
                .await
                .map_err(|e| Error::invalid(format!("the reader ended before its {size} bytes: {e}")))?;
            Ok(Bytes::from(buffer))
        }
        Source::Bytes { bytes, .. } => Ok(bytes.slice(offset as usize..(offset + length) as usize)),
        Source::Path(path) => {
            use tokio::io::{AsyncReadExt, AsyncSeekExt};
            let mut file = tokio::fs::File::open(path).await.map_err(|e| Error::invalid(format!("{}: {e}", path.display())))?;
            file.seek(std::io::SeekFrom::Start(offset)).await.map_err(|e| Error::invalid(format!("{}: {e}", path.display())))?;
            let mut buffer = vec![0u8; length as usize];
            file.read_exact(&mut buffer).await.map_err(|e| Error::invalid(format!("{} changed while being read: {e}", path.display())))?;
            Ok(Bytes::from(buffer))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_match_the_recorded_vectors() {
        assert_eq!(signature("demosecretkey", 60), "7d2e71d1843788a02d0c7fe6f5d71edf657363a369112e78d4f37ace3f884b00");
        assert_eq!(signature("demosecretkey", 1632470819), "50af003e37631a54ec45a10ff21a57e8d8b1b73432597592a877a8c5bfee4eec");
    }
}
