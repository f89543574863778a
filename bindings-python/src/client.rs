//! The native client: one dispatch from operation names to core calls, used by the sync
//! and the async Python clients alike, and the pagers behind lazy listings.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use pyo3::prelude::*;
use pyo3::types::PyDict;
use serde::Deserialize;
use serde_json::Value;
use ucare::conversions::{ConversionKind, DocumentConversion, ResizeMode, VideoConversion};
use ucare::files::{CopyToStorage, FileFrom, FileOrdering};
use ucare::groups::GroupOrdering;
use ucare::webhooks::{NewWebhook, WebhookUpdate};
use ucare::{Client, Error, Pager};

use crate::convert::{args, from_py, model_to_py, to_py};
use crate::runtime::{block_on, spawn};

/// How the Python layer configures a client.
#[derive(Deserialize)]
struct Options {
    public_key: String,
    secret_key: String,
    #[serde(default)]
    auth: Option<String>,
    #[serde(default)]
    base_url: Option<String>,
    #[serde(default)]
    api_version: Option<String>,
    #[serde(default)]
    timeout: Option<f64>,
    #[serde(default)]
    max_retries: Option<u32>,
    #[serde(default)]
    user_agent_suffix: Option<String>,
}

fn build(options: &Options) -> ucare::Result<Client> {
    let mut builder = Client::builder().public_key(&options.public_key).secret_key(&options.secret_key);
    builder = match options.auth.as_deref() {
        None | Some("signed") => builder,
        Some("simple") => builder.auth(ucare::AuthScheme::Simple),
        Some(other) => return Err(Error::InvalidInput(format!("auth {other:?} is not one of signed, simple"))),
    };
    if let Some(url) = &options.base_url {
        builder = builder.base_url(url);
    }
    if let Some(version) = &options.api_version {
        builder = builder.api_version(version);
    }
    if let Some(timeout) = options.timeout {
        if !(timeout.is_finite() && timeout > 0.0) {
            return Err(Error::InvalidInput(format!("timeout must be a positive number of seconds, got {timeout}")));
        }
        builder = builder.timeout(Duration::from_secs_f64(timeout));
    }
    if let Some(retries) = options.max_retries {
        builder = builder.max_retries(retries);
    }
    let suffix = match &options.user_agent_suffix {
        Some(extra) => format!("python; {extra}"),
        None => "python".to_string(),
    };
    builder.user_agent_suffix(suffix).build()
}

/// The core client of this process: rebuilt in a forked child, whose inherited
/// connections belong to the parent.
#[pyclass(module = "ucare._native", frozen)]
pub struct NativeClient {
    options: Options,
    client: Mutex<(u32, Client)>,
}

impl NativeClient {
    fn client(&self) -> ucare::Result<Client> {
        let mut slot = self.client.lock().unwrap_or_else(|p| p.into_inner());
        if slot.0 != std::process::id() {
            *slot = (std::process::id(), build(&self.options)?);
        }
        Ok(slot.1.clone())
    }
}

fn decode<T: serde::de::DeserializeOwned>(value: Value) -> ucare::Result<T> {
    serde_json::from_value(value).map_err(|e| Error::InvalidInput(e.to_string()))
}

fn json<T: serde::Serialize>(value: T) -> ucare::Result<Value> {
    serde_json::to_value(value).map_err(|e| Error::InvalidInput(e.to_string()))
}

#[derive(Deserialize)]
struct Uuid {
    uuid: String,
}

#[derive(Deserialize)]
struct Uuids {
    uuids: Vec<String>,
}

#[derive(Deserialize)]
struct GroupId {
    group_id: String,
}

#[derive(Deserialize)]
struct Copy {
    source: String,
    #[serde(default)]
    store: Option<bool>,
}

#[derive(Deserialize)]
struct CopyTo {
    source: String,
    target: String,
    #[serde(default)]
    make_public: Option<bool>,
    #[serde(default)]
    pattern: Option<String>,
}

#[derive(Deserialize)]
struct CreateHook {
    target_url: String,
    #[serde(default)]
    event: Option<String>,
    #[serde(default)]
    is_active: Option<bool>,
    #[serde(default)]
    signing_secret: Option<String>,
    #[serde(default)]
    version: Option<String>,
}

#[derive(Deserialize)]
struct UpdateHook {
    id: u64,
    #[serde(flatten)]
    update: UpdateFields,
}

#[derive(Deserialize)]
struct UpdateFields {
    #[serde(default)]
    target_url: Option<String>,
    #[serde(default)]
    event: Option<String>,
    #[serde(default)]
    is_active: Option<bool>,
    #[serde(default)]
    signing_secret: Option<String>,
}

#[derive(Deserialize)]
struct TargetUrl {
    target_url: String,
}

/// A document conversion as the Python builder describes it.
#[derive(Deserialize)]
pub struct DocumentSpec {
    uuid: String,
    #[serde(default)]
    format: Option<String>,
    #[serde(default)]
    page: Option<u32>,
}

impl DocumentSpec {
    pub fn build(self) -> ucare::Result<DocumentConversion> {
        let mut conversion = DocumentConversion::new(self.uuid);
        if let Some(format) = self.format {
            conversion = conversion.format(format.parse()?);
        }
        if let Some(page) = self.page {
            conversion = conversion.page(page);
        }
        Ok(conversion)
    }
}

/// A video conversion as the Python builder describes it.
#[derive(Deserialize)]
pub struct VideoSpec {
    uuid: String,
    #[serde(default)]
    format: Option<String>,
    #[serde(default)]
    quality: Option<String>,
    #[serde(default)]
    size: Option<(u32, u32, Option<String>)>,
    #[serde(default)]
    cut: Option<(String, String)>,
    #[serde(default)]
    thumbs: Option<u32>,
}

impl VideoSpec {
    pub fn build(self) -> ucare::Result<VideoConversion> {
        let mut conversion = VideoConversion::new(self.uuid);
        if let Some(format) = self.format {
            conversion = conversion.format(format.parse()?);
        }
        if let Some(quality) = self.quality {
            conversion = conversion.quality(quality.parse()?);
        }
        if let Some((width, height, mode)) = self.size {
            let mode = match mode {
                Some(mode) => mode.parse()?,
                None => ResizeMode::PreserveRatio,
            };
            conversion = conversion.size(width, height, mode);
        }
        if let Some((start, length)) = self.cut {
            conversion = conversion.cut(start, length);
        }
        if let Some(thumbs) = self.thumbs {
            conversion = conversion.thumbs(thumbs);
        }
        Ok(conversion)
    }
}

#[derive(Deserialize)]
struct Convert<T> {
    conversions: Vec<T>,
    #[serde(default)]
    store: Option<bool>,
}

#[derive(Deserialize)]
struct Job {
    kind: String,
    token: u64,
    #[serde(default)]
    timeout: Option<f64>,
}

fn kind(name: &str) -> ucare::Result<ConversionKind> {
    match name {
        "document" => Ok(ConversionKind::Document),
        "video" => Ok(ConversionKind::Video),
        other => Err(Error::InvalidInput(format!("conversion kind {other:?} is not document or video"))),
    }
}

/// Runs one operation; every argument check happens in the core.
async fn dispatch(client: Client, op: String, a: Value) -> ucare::Result<Value> {
    match op.as_str() {
        "project" => json(client.project().await?),
        "files.info" => json(client.files().info(&decode::<Uuid>(a)?.uuid).await?),
        "files.store" => json(client.files().store(&decode::<Uuid>(a)?.uuid).await?),
        "files.delete" => json(client.files().delete(&decode::<Uuid>(a)?.uuid).await?),
        "files.store_many" => json(client.files().store_many(decode::<Uuids>(a)?.uuids).await?),
        "files.delete_many" => json(client.files().delete_many(decode::<Uuids>(a)?.uuids).await?),
        "files.copy" => {
            let c: Copy = decode(a)?;
            json(client.files().copy(&c.source, c.store).await?)
        }
        "files.copy_to_storage" => {
            let c: CopyTo = decode(a)?;
            let options = CopyToStorage { make_public: c.make_public, pattern: c.pattern };
            json(client.files().copy_to_storage(&c.source, &c.target, options).await?)
        }
        "groups.info" => json(client.groups().info(&decode::<GroupId>(a)?.group_id).await?),
        "groups.store" => json(client.groups().store(&decode::<GroupId>(a)?.group_id).await?),
        "webhooks.list" => json(client.webhooks().list().await?),
        "webhooks.create" => {
            let h: CreateHook = decode(a)?;
            let mut hook = NewWebhook::new(h.target_url);
            if let Some(event) = h.event {
                hook = hook.event(event);
            }
            if let Some(active) = h.is_active {
                hook = hook.is_active(active);
            }
            if let Some(secret) = h.signing_secret {
                hook = hook.signing_secret(secret);
            }
            if let Some(version) = h.version {
                hook = hook.version(version);
            }
            json(client.webhooks().create(hook).await?)
        }
        "webhooks.update" => {
            let UpdateHook { id, update: u } = decode(a)?;
            let update =
                WebhookUpdate { target_url: u.target_url, event: u.event, is_active: u.is_active, signing_secret: u.signing_secret };
            json(client.webhooks().update(id, update).await?)
        }
        "webhooks.delete" => {
            client.webhooks().unsubscribe(&decode::<TargetUrl>(a)?.target_url).await?;
            Ok(Value::Null)
        }
        "conversions.document" => {
            let c: Convert<DocumentSpec> = decode(a)?;
            let conversions = c.conversions.into_iter().map(DocumentSpec::build).collect::<ucare::Result<Vec<_>>>()?;
            json(client.conversions().document(&conversions, c.store).await?)
        }
        "conversions.video" => {
            let c: Convert<VideoSpec> = decode(a)?;
            let conversions = c.conversions.into_iter().map(VideoSpec::build).collect::<ucare::Result<Vec<_>>>()?;
            json(client.conversions().video(&conversions, c.store).await?)
        }
        "conversions.status" => {
            let j: Job = decode(a)?;
            json(client.conversions().status(kind(&j.kind)?, j.token).await?)
        }
        "conversions.wait" => {
            let j: Job = decode(a)?;
            let timeout = j.timeout.unwrap_or(300.0);
            if !(timeout.is_finite() && timeout > 0.0) {
                return Err(Error::InvalidInput(format!("timeout must be a positive number of seconds, got {timeout}")));
            }
            json(client.conversions().wait(kind(&j.kind)?, j.token, Duration::from_secs_f64(timeout)).await?)
        }
        other => Err(Error::InvalidInput(format!("unknown operation {other:?}"))),
    }
}

#[derive(Deserialize)]
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
    from_datetime: Option<chrono_free::Iso>,
}

#[derive(Deserialize)]
struct GroupListArgs {
    #[serde(default)]
    limit: Option<u32>,
    #[serde(default)]
    ordering: Option<String>,
    #[serde(default)]
    from_datetime: Option<chrono_free::Iso>,
}

/// Datetimes arrive as ISO strings from Python; the core parses them.
mod chrono_free {
    /// An ISO-8601 datetime string.
    #[derive(serde::Deserialize)]
    #[serde(transparent)]
    pub struct Iso(pub String);

    impl Iso {
        pub fn parse(&self) -> ucare::Result<ucare::chrono::DateTime<ucare::chrono::Utc>> {
            ucare::validate::datetime(&self.0)
        }
    }
}

enum AnyPager {
    Files(Pager<ucare::File>),
    Groups(Pager<ucare::Group>),
}

/// A listing being walked; one page in memory at a time.
#[pyclass(module = "ucare._native", frozen)]
pub struct NativePager {
    inner: Arc<tokio::sync::Mutex<AnyPager>>,
}

async fn next_page(inner: Arc<tokio::sync::Mutex<AnyPager>>) -> ucare::Result<Option<Value>> {
    let mut pager = inner.lock().await;
    match &mut *pager {
        AnyPager::Files(p) => p.next_page().await?.map(json).transpose(),
        AnyPager::Groups(p) => p.next_page().await?.map(json).transpose(),
    }
}

fn option_to_py(py: Python<'_>, value: Option<Value>) -> PyResult<PyObject> {
    match value {
        Some(v) => to_py(py, &v),
        None => Ok(py.None()),
    }
}

#[pymethods]
impl NativePager {
    /// The next page as a dict, or None when the listing is done.
    fn next_page(&self, py: Python<'_>) -> PyResult<PyObject> {
        let page = block_on(py, next_page(self.inner.clone()))?;
        option_to_py(py, page)
    }

    /// The same, as an awaitable.
    fn next_page_async(&self, py: Python<'_>) -> PyResult<PyObject> {
        spawn(py, next_page(self.inner.clone()), option_to_py)
    }
}

#[pymethods]
impl NativeClient {
    #[new]
    fn new(py: Python<'_>, options: &Bound<'_, PyDict>) -> PyResult<Self> {
        let options: Options = args(py, from_py(options.as_any())?)?;
        let client = build(&options).map_err(|e| crate::convert::to_py_err(py, &e))?;
        Ok(NativeClient { options, client: Mutex::new((std::process::id(), client)) })
    }

    /// Runs an operation and answers its result, with the GIL released while waiting.
    fn call(&self, py: Python<'_>, op: String, arguments: &Bound<'_, PyDict>) -> PyResult<PyObject> {
        let arguments = from_py(arguments.as_any())?;
        let client = self.client().map_err(|e| crate::convert::to_py_err(py, &e))?;
        let value = block_on(py, dispatch(client, op, arguments))?;
        to_py(py, &value)
    }

    /// Runs an operation on the runtime and answers an awaitable of its result.
    fn call_async(&self, py: Python<'_>, op: String, arguments: &Bound<'_, PyDict>) -> PyResult<PyObject> {
        let arguments = from_py(arguments.as_any())?;
        let client = self.client().map_err(|e| crate::convert::to_py_err(py, &e))?;
        spawn(py, dispatch(client, op, arguments), |py, value| to_py(py, &value))
    }

    /// A pager over files or groups; arguments are checked before anything is sent.
    fn pager(&self, py: Python<'_>, what: &str, arguments: &Bound<'_, PyDict>) -> PyResult<NativePager> {
        let arguments = from_py(arguments.as_any())?;
        let make = || -> ucare::Result<AnyPager> {
            let client = self.client()?;
            match what {
                "files" => {
                    let a: FileListArgs = decode(arguments)?;
                    let mut list = client.files().list();
                    if let Some(stored) = a.stored {
                        list = list.stored(stored);
                    }
                    if let Some(removed) = a.removed {
                        list = list.removed(removed);
                    }
                    if let Some(limit) = a.limit {
                        list = list.limit(limit);
                    }
                    if let Some(ordering) = &a.ordering {
                        list = list.ordering(ordering.parse::<FileOrdering>()?);
                    }
                    if let Some(size) = a.from_size {
                        list = list.from(FileFrom::Size(size));
                    }
                    if let Some(at) = &a.from_datetime {
                        list = list.from(FileFrom::Datetime(at.parse()?));
                    }
                    Ok(AnyPager::Files(list.pager()?))
                }
                "groups" => {
                    let a: GroupListArgs = decode(arguments)?;
                    let mut list = client.groups().list();
                    if let Some(limit) = a.limit {
                        list = list.limit(limit);
                    }
                    if let Some(ordering) = &a.ordering {
                        list = list.ordering(ordering.parse::<GroupOrdering>()?);
                    }
                    if let Some(at) = &a.from_datetime {
                        list = list.from(at.parse()?);
                    }
                    Ok(AnyPager::Groups(list.pager()?))
                }
                other => Err(Error::InvalidInput(format!("cannot list {other:?}"))),
            }
        };
        let pager = make().map_err(|e| crate::convert::to_py_err(py, &e))?;
        Ok(NativePager { inner: Arc::new(tokio::sync::Mutex::new(pager)) })
    }

    /// How many requests and retries this client has made.
    fn stats(&self, py: Python<'_>) -> PyResult<PyObject> {
        let stats = self.client().map_err(|e| crate::convert::to_py_err(py, &e))?.stats();
        let dict = PyDict::new(py);
        dict.set_item("requests", stats.requests)?;
        dict.set_item("retries", stats.retries)?;
        Ok(dict.into_any().unbind())
    }
}

/// The path a document conversion sends, after the core's checks.
#[pyfunction]
pub fn document_path(py: Python<'_>, spec: &Bound<'_, PyDict>) -> PyResult<String> {
    let spec: DocumentSpec = args(py, from_py(spec.as_any())?)?;
    spec.build().and_then(|c| c.path()).map_err(|e| crate::convert::to_py_err(py, &e))
}

/// The path a video conversion sends, after the core's checks.
#[pyfunction]
pub fn video_path(py: Python<'_>, spec: &Bound<'_, PyDict>) -> PyResult<String> {
    let spec: VideoSpec = args(py, from_py(spec.as_any())?)?;
    spec.build().and_then(|c| c.path()).map_err(|e| crate::convert::to_py_err(py, &e))
}

/// Whether `header` is the right `X-Uc-Signature` of `body`.
#[pyfunction]
pub fn verify_webhook(signing_secret: &str, body: &[u8], header: &str) -> bool {
    ucare::webhook::verify(signing_secret, body, header)
}

/// The `X-Uc-Signature` value of a body.
#[pyfunction]
pub fn sign_webhook(signing_secret: &str, body: &[u8]) -> String {
    ucare::webhook::sign(signing_secret, body)
}

/// Parses a delivered event into a dict (the core's typed parser checks its shape).
#[pyfunction]
pub fn parse_webhook_event(py: Python<'_>, body: &[u8]) -> PyResult<PyObject> {
    let event = ucare::webhook::parse_event(body).map_err(|e| crate::convert::to_py_err(py, &e))?;
    model_to_py(py, &event)
}

/// The request signature of the `Uploadcare` scheme (for checking the vectors).
#[pyfunction]
pub fn request_signature(secret_key: &str, method: &str, body: &[u8], content_type: &str, date: &str, uri: &str) -> String {
    ucare::auth::signature(secret_key, method, body, content_type, date, uri)
}
