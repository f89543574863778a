//! Every operation by name, with JSON arguments and answers: the one interface the
//! language bindings call, so argument handling, conversion building and paging live here
//! once instead of in each binding.
//!
//! ```no_run
//! # async fn run(client: ucare::Client) -> ucare::Result<()> {
//! let file = ucare::ops::call(&client, "files.info", serde_json::json!({"uuid": "21975c81-7f57-4c7a-aef9-acfe28779f78"})).await?;
//! println!("{file}");
//! # Ok(()) }
//! ```

use serde::Deserialize;
use serde_json::Value;

use crate::conversions::{ConversionKind, DocumentConversion, ResizeMode, VideoConversion};
use crate::files::{CopyToStorage, FileFrom, FileOrdering};
use crate::groups::GroupOrdering;
use crate::webhooks::{NewWebhook, WebhookUpdate};
use crate::{Client, Error, Pager};

/// How a binding configures a client; every field but the keys is optional.
#[derive(Deserialize)]
pub struct ClientOptions {
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
    #[serde(default)]
    max_response_bytes: Option<usize>,
}

/// Builds a client; `language` goes into the `User-Agent` (`python`, `node`).
pub fn build_client(options: &ClientOptions, language: &str) -> crate::Result<Client> {
    let mut builder = Client::builder().public_key(&options.public_key).secret_key(&options.secret_key);
    builder = match options.auth.as_deref() {
        None | Some("signed") => builder,
        Some("simple") => builder.auth(crate::AuthScheme::Simple),
        Some(other) => return Err(Error::InvalidInput(format!("auth {other:?} is not one of signed, simple"))),
    };
    if let Some(url) = &options.base_url {
        builder = builder.base_url(url);
    }
    if let Some(version) = &options.api_version {
        builder = builder.api_version(version);
    }
    if let Some(timeout) = options.timeout {
        builder = builder.timeout(crate::validate::seconds("timeout", timeout, crate::validate::MAX_TIMEOUT)?);
    }
    if let Some(retries) = options.max_retries {
        builder = builder.max_retries(retries);
    }
    if let Some(bytes) = options.max_response_bytes {
        builder = builder.max_response_bytes(bytes);
    }
    let suffix = match &options.user_agent_suffix {
        Some(extra) => format!("{language}; {extra}"),
        None => language.to_string(),
    };
    builder.user_agent_suffix(suffix).build()
}

/// Decodes arguments; a wrong one is [`Error::InvalidInput`] naming it (`limit: invalid
/// value: integer -1, expected u32`).
fn decode<T: serde::de::DeserializeOwned>(value: Value) -> crate::Result<T> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        Error::InvalidInput(if path == "." { e.inner().to_string() } else { format!("{path}: {}", e.inner()) })
    })
}

/// Client options from JSON, checked as the arguments of operations are.
pub fn client_options(value: Value) -> crate::Result<ClientOptions> {
    decode(value)
}

/// The answer as JSON text: the bindings parse it with their host's own JSON reader,
/// which is faster there than building host objects one field at a time.
fn json<T: serde::Serialize>(value: T) -> crate::Result<String> {
    serde_json::to_string(&value).map_err(|e| Error::InvalidInput(e.to_string()))
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
    /// The typed conversion.
    pub fn build(self) -> crate::Result<DocumentConversion> {
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
    /// The typed conversion.
    pub fn build(self) -> crate::Result<VideoConversion> {
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

fn kind(name: &str) -> crate::Result<ConversionKind> {
    match name {
        "document" => Ok(ConversionKind::Document),
        "video" => Ok(ConversionKind::Video),
        other => Err(Error::InvalidInput(format!("conversion kind {other:?} is not document or video"))),
    }
}

/// Runs one operation by name: `project`, `files.info|store|delete` (`uuid`),
/// `files.store_many|delete_many` (`uuids`), `files.copy` (`source`, `store`),
/// `files.copy_to_storage` (`source`, `target`, `make_public`, `pattern`),
/// `groups.info|store` (`group_id`), `webhooks.list`, `webhooks.create` (`target_url`,
/// `event`, `is_active`, `signing_secret`, `version`), `webhooks.update` (`id` and those),
/// `webhooks.delete` (`target_url`), `conversions.document|video` (`conversions`, `store`),
/// `conversions.status` (`kind`, `token`) and `conversions.wait` (`kind`, `token`, `timeout`
/// in seconds). Answers JSON text. A wrong or missing argument is [`Error::InvalidInput`].
pub async fn call(client: &Client, op: &str, a: Value) -> crate::Result<String> {
    match op {
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
            Ok("null".to_string())
        }
        "conversions.document" => {
            let c: Convert<DocumentSpec> = decode(a)?;
            let conversions = c.conversions.into_iter().map(DocumentSpec::build).collect::<crate::Result<Vec<_>>>()?;
            json(client.conversions().document(&conversions, c.store).await?)
        }
        "conversions.video" => {
            let c: Convert<VideoSpec> = decode(a)?;
            let conversions = c.conversions.into_iter().map(VideoSpec::build).collect::<crate::Result<Vec<_>>>()?;
            json(client.conversions().video(&conversions, c.store).await?)
        }
        "conversions.status" => {
            let j: Job = decode(a)?;
            json(client.conversions().status(kind(&j.kind)?, j.token).await?)
        }
        "conversions.wait" => {
            let j: Job = decode(a)?;
            let timeout = crate::validate::seconds("timeout", j.timeout.unwrap_or(300.0), crate::validate::MAX_WAIT)?;
            json(client.conversions().wait(kind(&j.kind)?, j.token, timeout).await?)
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
    from_datetime: Option<String>,
}

#[derive(Deserialize)]
struct GroupListArgs {
    #[serde(default)]
    limit: Option<u32>,
    #[serde(default)]
    ordering: Option<String>,
    #[serde(default)]
    from_datetime: Option<String>,
}

/// A listing of files or groups walked page by page, pages answered as JSON.
#[derive(Debug)]
pub enum ListPager {
    /// `files/`.
    Files(Pager<crate::File>),
    /// `groups/`.
    Groups(Pager<crate::Group>),
}

impl ListPager {
    /// A pager over `what` (`files` or `groups`), prefetching the next page while the
    /// caller works on the current one; the arguments are checked here, before
    /// anything is sent: `stored`, `removed`, `limit`, `ordering`, `from_size`,
    /// `from_datetime` (ISO-8601).
    pub fn new(client: &Client, what: &str, arguments: Value) -> crate::Result<Self> {
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
                    list = list.from(FileFrom::Datetime(crate::validate::datetime(at)?));
                }
                Ok(ListPager::Files(list.pager()?.prefetch(true)))
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
                    list = list.from(crate::validate::datetime(at)?);
                }
                Ok(ListPager::Groups(list.pager()?.prefetch(true)))
            }
            other => Err(Error::InvalidInput(format!("cannot list {other:?}: use files or groups"))),
        }
    }
}

impl ListPager {
    /// The next page as the server's raw JSON body (its frame checked), or `None` when the
    /// listing is done; see [`Pager::next_page_raw`].
    pub async fn next_page_raw(&mut self) -> crate::Result<Option<crate::RawPage>> {
        match self {
            ListPager::Files(p) => p.next_page_raw().await,
            ListPager::Groups(p) => p.next_page_raw().await,
        }
    }
}

/// The path of a document conversion described as JSON (`uuid`, `format`, `page`).
pub fn document_path(spec: Value) -> crate::Result<String> {
    decode::<DocumentSpec>(spec)?.build()?.path()
}

/// The path of a video conversion described as JSON (`uuid`, `format`, `quality`,
/// `size` as `[w, h, mode]`, `cut` as `[start, length]`, `thumbs`).
pub fn video_path(spec: Value) -> crate::Result<String> {
    decode::<VideoSpec>(spec)?.build()?.path()
}
