//! Glue for the language bindings, not API for Rust users (hidden from the docs): every
//! operation of the REST API v0.5 client as one exhaustive enum, [`Op`], decoded from a
//! name and JSON arguments in one step (a name that is no operation fails to decode), with
//! JSON answers. Argument handling, conversion building and paging live here once instead
//! of in each binding.
//!
//! ```no_run
//! # async fn run(client: ucare::v05::Client) -> ucare::Result<()> {
//! let file = ucare::ops::call(&client, "files.info", serde_json::json!({"uuid": "21975c81-7f57-4c7a-aef9-acfe28779f78"})).await?;
//! println!("{file}");
//! # Ok(()) }
//! ```

use serde::Deserialize;
use serde_json::Value;

use crate::conversions::{ConversionKind, DocumentConversion, ResizeMode, VideoConversion};
use crate::listing::GroupOrdering;
use crate::v05::files::{CopyToStorage, FileFrom, FileOrdering};
use crate::v05::webhooks::{NewWebhook, WebhookUpdate};
use crate::v05::Client;
use crate::{Error, Pager};

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
    #[serde(default)]
    upload_base_url: Option<String>,
}

/// Builds a client; `language` goes into the `User-Agent` (`python`, `node`).
pub fn build_client(options: &ClientOptions, language: &str) -> crate::Result<Client> {
    let mut builder = Client::builder().public_key(&options.public_key).secret_key(&options.secret_key);
    match options.api_version.as_deref() {
        None | Some("0.5") => {}
        Some(other) => {
            return Err(Error::InvalidInput(format!(
                "api_version {:?}: the Python and Node packages speak REST API v0.5 in this release",
                crate::validate::shorten(other)
            )))
        }
    }
    builder = match options.auth.as_deref() {
        None | Some("signed") => builder,
        Some("simple") => builder.auth(crate::AuthScheme::Simple),
        Some(other) => return Err(Error::InvalidInput(format!("auth {other:?} is not one of signed, simple"))),
    };
    if let Some(url) = &options.base_url {
        builder = builder.base_url(url);
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
    if let Some(url) = &options.upload_base_url {
        builder = builder.upload_base_url(url);
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

fn kind(name: &str) -> crate::Result<ConversionKind> {
    match name {
        "document" => Ok(ConversionKind::Document),
        "video" => Ok(ConversionKind::Video),
        other => Err(Error::InvalidInput(format!("conversion kind {other:?} is not document or video"))),
    }
}

/// Every operation of the v0.5 client, with its arguments: the set is closed, so a binding
/// cannot name an operation that does not exist (it fails to decode as `InvalidInput`).
#[derive(Deserialize)]
#[serde(tag = "op", content = "args")]
pub enum Op {
    /// `GET /project/`.
    #[serde(rename = "project")]
    Project {},
    /// One file.
    #[serde(rename = "files.info")]
    FilesInfo {
        /// The file.
        uuid: String,
    },
    /// Stores a file.
    #[serde(rename = "files.store")]
    FilesStore {
        /// The file.
        uuid: String,
    },
    /// Removes a file.
    #[serde(rename = "files.delete")]
    FilesDelete {
        /// The file.
        uuid: String,
    },
    /// Stores many files.
    #[serde(rename = "files.store_many")]
    FilesStoreMany {
        /// The files.
        uuids: Vec<String>,
    },
    /// Removes many files.
    #[serde(rename = "files.delete_many")]
    FilesDeleteMany {
        /// The files.
        uuids: Vec<String>,
    },
    /// A copy in the project.
    #[serde(rename = "files.copy")]
    FilesCopy {
        /// UUID or CDN URL.
        source: String,
        /// Whether the copy is stored.
        #[serde(default)]
        store: Option<bool>,
    },
    /// A copy to a custom storage.
    #[serde(rename = "files.copy_to_storage")]
    FilesCopyToStorage {
        /// UUID or CDN URL.
        source: String,
        /// The storage's name.
        target: String,
        /// Whether the copy is public.
        #[serde(default)]
        make_public: Option<bool>,
        /// The name pattern.
        #[serde(default)]
        pattern: Option<String>,
    },
    /// One group.
    #[serde(rename = "groups.info")]
    GroupsInfo {
        /// `<uuid>~<count>`.
        group_id: String,
    },
    /// Stores a group's files.
    #[serde(rename = "groups.store")]
    GroupsStore {
        /// `<uuid>~<count>`.
        group_id: String,
    },
    /// Every subscription.
    #[serde(rename = "webhooks.list")]
    WebhooksList {},
    /// Subscribes.
    #[serde(rename = "webhooks.create")]
    WebhooksCreate {
        /// Where deliveries go.
        target_url: String,
        /// The event.
        #[serde(default)]
        event: Option<String>,
        /// Whether deliveries are made.
        #[serde(default)]
        is_active: Option<bool>,
        /// The secret that signs deliveries.
        #[serde(default)]
        signing_secret: Option<String>,
        /// The payload version.
        #[serde(default)]
        version: Option<String>,
    },
    /// Changes a subscription.
    #[serde(rename = "webhooks.update")]
    WebhooksUpdate {
        /// Its id.
        id: u64,
        /// A new target URL.
        #[serde(default)]
        target_url: Option<String>,
        /// A new event.
        #[serde(default)]
        event: Option<String>,
        /// Turn deliveries on or off.
        #[serde(default)]
        is_active: Option<bool>,
        /// A new signing secret.
        #[serde(default)]
        signing_secret: Option<String>,
    },
    /// Unsubscribes a URL.
    #[serde(rename = "webhooks.delete")]
    WebhooksDelete {
        /// The URL.
        target_url: String,
    },
    /// Starts document conversions.
    #[serde(rename = "conversions.document")]
    ConversionsDocument {
        /// What to convert.
        conversions: Vec<DocumentSpec>,
        /// Whether results are stored.
        #[serde(default)]
        store: Option<bool>,
    },
    /// Starts video conversions.
    #[serde(rename = "conversions.video")]
    ConversionsVideo {
        /// What to convert.
        conversions: Vec<VideoSpec>,
        /// Whether results are stored.
        #[serde(default)]
        store: Option<bool>,
    },
    /// A job's status.
    #[serde(rename = "conversions.status")]
    ConversionsStatus {
        /// `document` or `video`.
        kind: String,
        /// The job's token.
        token: u64,
    },
    /// Waits for a job.
    #[serde(rename = "conversions.wait")]
    ConversionsWait {
        /// `document` or `video`.
        kind: String,
        /// The job's token.
        token: u64,
        /// Seconds to wait at most (300 by default).
        #[serde(default)]
        timeout: Option<f64>,
    },
}

/// Runs one operation by name with its JSON arguments (see [`Op`]) and answers JSON text.
/// A name that is no operation, or a wrong or missing argument, is [`Error::InvalidInput`].
pub async fn call(client: &Client, op: &str, args: Value) -> crate::Result<String> {
    let op: Op = decode(serde_json::json!({ "op": op, "args": args }))?;
    op.run(client).await
}

impl Op {
    /// Runs the operation; answers JSON text.
    pub async fn run(self, client: &Client) -> crate::Result<String> {
        match self {
            Op::Project {} => json(client.project().await?),
            Op::FilesInfo { uuid } => json(client.files().info(&uuid).await?),
            Op::FilesStore { uuid } => json(client.files().store(&uuid).await?),
            Op::FilesDelete { uuid } => json(client.files().delete(&uuid).await?),
            Op::FilesStoreMany { uuids } => json(client.files().store_many(uuids).await?),
            Op::FilesDeleteMany { uuids } => json(client.files().delete_many(uuids).await?),
            Op::FilesCopy { source, store } => json(client.files().copy(&source, store).await?),
            Op::FilesCopyToStorage { source, target, make_public, pattern } => {
                json(client.files().copy_to_storage(&source, &target, CopyToStorage { make_public, pattern }).await?)
            }
            Op::GroupsInfo { group_id } => json(client.groups().info(&group_id).await?),
            Op::GroupsStore { group_id } => json(client.groups().store(&group_id).await?),
            Op::WebhooksList {} => json(client.webhooks().list().await?),
            Op::WebhooksCreate { target_url, event, is_active, signing_secret, version } => {
                let mut hook = NewWebhook::new(target_url);
                if let Some(event) = event {
                    hook = hook.event(event);
                }
                if let Some(active) = is_active {
                    hook = hook.is_active(active);
                }
                if let Some(secret) = signing_secret {
                    hook = hook.signing_secret(secret);
                }
                if let Some(version) = version {
                    hook = hook.version(version);
                }
                json(client.webhooks().create(hook).await?)
            }
            Op::WebhooksUpdate { id, target_url, event, is_active, signing_secret } => {
                let update = WebhookUpdate { target_url, event, is_active, signing_secret };
                json(client.webhooks().update(id, update).await?)
            }
            Op::WebhooksDelete { target_url } => {
                client.webhooks().unsubscribe(&target_url).await?;
                Ok("null".to_string())
            }
            Op::ConversionsDocument { conversions, store } => {
                let conversions = conversions.into_iter().map(DocumentSpec::build).collect::<crate::Result<Vec<_>>>()?;
                json(client.conversions().document(&conversions, store).await?)
            }
            Op::ConversionsVideo { conversions, store } => {
                let conversions = conversions.into_iter().map(VideoSpec::build).collect::<crate::Result<Vec<_>>>()?;
                json(client.conversions().video(&conversions, store).await?)
            }
            Op::ConversionsStatus { kind: k, token } => json(client.conversions().status(kind(&k)?, token).await?),
            Op::ConversionsWait { kind: k, token, timeout } => {
                let timeout = crate::validate::seconds("timeout", timeout.unwrap_or(300.0), crate::validate::MAX_WAIT)?;
                json(client.conversions().wait(kind(&k)?, token, timeout).await?)
            }
        }
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
    Files(Pager<crate::v05::File>),
    /// `groups/`.
    Groups(Pager<crate::v05::Group>),
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

/// How a binding asks for an upload: `name`, `content_type`, `store` (`true`, `false` or
/// absent for the project's setting), `metadata`, `multipart_min_size`, `part_concurrency`.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct UploadArgs {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    content_type: Option<String>,
    #[serde(default)]
    store: Option<bool>,
    #[serde(default)]
    metadata: Option<crate::v07::models::Metadata>,
    #[serde(default)]
    multipart_min_size: Option<u64>,
    #[serde(default)]
    part_concurrency: Option<usize>,
}

impl UploadArgs {
    /// The arguments from JSON, checked.
    pub fn from_json(value: Value) -> crate::Result<Self> {
        decode(value)
    }

    fn options(self, progress: Option<ProgressFn>) -> crate::uploads::UploadOptions {
        use crate::uploads::{Store, UploadOptions};
        let mut options = UploadOptions::default().store(match self.store {
            None => Store::Auto,
            Some(true) => Store::Yes,
            Some(false) => Store::No,
        });
        if let Some(name) = self.name {
            options = options.name(name);
        }
        if let Some(content_type) = self.content_type {
            options = options.content_type(content_type);
        }
        if let Some(metadata) = self.metadata {
            options = options.metadata(metadata);
        }
        if let Some(size) = self.multipart_min_size {
            options = options.multipart_min_size(size);
        }
        if let Some(parts) = self.part_concurrency {
            options = options.part_concurrency(parts);
        }
        if let Some(progress) = progress {
            options = options.on_progress(move |p| progress(p.sent, p.total));
        }
        options
    }
}

/// A progress report: bytes sent, of the total.
pub type ProgressFn = std::sync::Arc<dyn Fn(u64, u64) + Send + Sync>;

/// Uploads, then answers the file as the REST API (v0.5) describes it, as JSON: the bindings'
/// `File` is that model.
pub async fn upload(
    client: &Client,
    source: crate::uploads::Source,
    args: UploadArgs,
    progress: Option<ProgressFn>,
) -> crate::Result<String> {
    let uploaded = client.uploads().upload(source, args.options(progress)).await?;
    json(client.files().info(&uploaded.uuid).await?)
}

/// Many uploads, at most `concurrency` at once, answered in order as a JSON list of
/// `{"file": File}` or `{"error": <index of the error>}`, and the errors.
pub async fn upload_many(
    client: &Client,
    sources: Vec<(crate::uploads::Source, UploadArgs)>,
    concurrency: usize,
) -> crate::Result<(Vec<Option<String>>, Vec<(usize, Error)>)> {
    use futures_util::StreamExt;
    if !(1..=64).contains(&concurrency) {
        return Err(Error::InvalidInput(format!("concurrency must be within 1..=64, got {concurrency}")));
    }
    let outcomes: Vec<crate::Result<String>> =
        futures_util::stream::iter(sources).map(|(source, args)| upload(client, source, args, None)).buffered(concurrency).collect().await;
    let mut files = Vec::with_capacity(outcomes.len());
    let mut errors = Vec::new();
    for (index, outcome) in outcomes.into_iter().enumerate() {
        match outcome {
            Ok(file) => files.push(Some(file)),
            Err(error) => {
                files.push(None);
                errors.push((index, error));
            }
        }
    }
    Ok((files, errors))
}

/// How a binding asks for an upload from a URL: `name`, `store`, `metadata`,
/// `check_duplicates`, `save_duplicates`, `timeout` (seconds).
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct FromUrlArgs {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    store: Option<bool>,
    #[serde(default)]
    metadata: Option<crate::v07::models::Metadata>,
    #[serde(default)]
    check_duplicates: Option<bool>,
    #[serde(default)]
    save_duplicates: Option<bool>,
    #[serde(default)]
    timeout: Option<f64>,
}

/// Uploads from a URL and waits; answers the REST `File` as JSON.
pub async fn upload_from_url(client: &Client, url: &str, args: Value) -> crate::Result<String> {
    use crate::uploads::{FromUrlOptions, Store};
    let a: FromUrlArgs = decode(args)?;
    let timeout = match a.timeout {
        Some(seconds) => Some(crate::validate::seconds("timeout", seconds, crate::validate::MAX_WAIT)?),
        None => None,
    };
    let options = FromUrlOptions {
        name: a.name,
        store: match a.store {
            None => Store::Auto,
            Some(true) => Store::Yes,
            Some(false) => Store::No,
        },
        metadata: a.metadata.unwrap_or_default(),
        check_duplicates: a.check_duplicates.unwrap_or(false),
        save_duplicates: a.save_duplicates,
        signature: None,
        timeout,
    };
    let uploaded = client.uploads().from_url(url, options).await?;
    json(client.files().info(&uploaded.uuid).await?)
}

/// Makes a group of uploaded files (uuids, or CDN URLs with operations) through the Upload
/// API, then answers the group as the REST API (v0.5) describes it, as JSON.
pub async fn create_group(client: &Client, files: Vec<String>) -> crate::Result<String> {
    let group = client.uploads().create_group(&files, None).await?;
    json(client.groups().info(&group.id).await?)
}
