//! Uploads as the bindings ask for them; each answers the file as the REST API of the
//! client's version describes it, which is the bindings' `File`.

use serde::Deserialize;
use serde_json::Value;
use ucare::Error;

use crate::client::both;
use crate::{decode, json, AnyClient};

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
    metadata: Option<ucare::v07::models::Metadata>,
    #[serde(default)]
    multipart_min_size: Option<u64>,
    #[serde(default)]
    part_concurrency: Option<usize>,
}

impl UploadArgs {
    /// The arguments from JSON, checked.
    pub fn from_json(value: Value) -> ucare::Result<Self> {
        decode(value)
    }

    fn options(self, progress: Option<ProgressFn>) -> ucare::uploads::UploadOptions {
        use ucare::uploads::{Store, UploadOptions};
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

/// Uploads, then answers the file as the REST API of the client's version describes it, as JSON: the bindings'
/// `File` is that model.
pub async fn upload(
    client: &AnyClient,
    source: ucare::uploads::Source,
    args: UploadArgs,
    progress: Option<ProgressFn>,
) -> ucare::Result<String> {
    both!(client, c => {
        let uploaded = c.uploads().upload(source, args.options(progress)).await?;
        json(c.files().info(&uploaded.uuid).await?)
    })
}

/// Many uploads, at most `concurrency` at once, answered in order as a JSON list of
/// `{"file": File}` or `{"error": <index of the error>}`, and the errors.
pub async fn upload_many(
    client: &AnyClient,
    sources: Vec<(ucare::uploads::Source, UploadArgs)>,
    concurrency: usize,
) -> ucare::Result<(Vec<Option<String>>, Vec<(usize, Error)>)> {
    use futures_util::StreamExt;
    if !(1..=64).contains(&concurrency) {
        return Err(Error::InvalidInput(format!("concurrency must be within 1..=64, got {concurrency}")));
    }
    let outcomes: Vec<ucare::Result<String>> =
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
    metadata: Option<ucare::v07::models::Metadata>,
    #[serde(default)]
    check_duplicates: Option<bool>,
    #[serde(default)]
    save_duplicates: Option<bool>,
    #[serde(default)]
    timeout: Option<f64>,
}

/// Uploads from a URL and waits; answers the REST `File` of the client's version as JSON.
pub async fn upload_from_url(client: &AnyClient, url: &str, args: Value) -> ucare::Result<String> {
    use ucare::uploads::{FromUrlOptions, Store};
    let a: FromUrlArgs = decode(args)?;
    let timeout = match a.timeout {
        Some(seconds) => Some(ucare::validate::seconds("timeout", seconds, ucare::validate::MAX_WAIT)?),
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
    both!(client, c => {
        let uploaded = c.uploads().from_url(url, options).await?;
        json(c.files().info(&uploaded.uuid).await?)
    })
}

/// Makes a group of uploaded files (uuids, or CDN URLs with operations) through the Upload
/// API, then answers the group as the REST API of the client's version describes it, as JSON.
pub async fn create_group(client: &AnyClient, files: Vec<String>) -> ucare::Result<String> {
    both!(client, c => {
        let group = c.uploads().create_group(&files, None).await?;
        json(c.groups().info(&group.id).await?)
    })
}
