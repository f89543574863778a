//! Every operation of the client, in either API version, as one exhaustive enum ([`Op`])
//! decoded from a name and JSON arguments in one step: a name that is no operation, or a
//! wrong argument, fails to decode as `InvalidInput` naming it. Adding an operation means
//! adding a variant here and its arm in [`Op::run`]; the compiler checks the rest.
//!
//! Batch stores and deletes are [`file_batch`]: their files reach the hosts decoded (as
//! native objects in Python, packed in Node), not as JSON text.

use serde::Deserialize;
use serde_json::{json as value, Value};
use ucare::v07::addons::{Addon, AddonRun, RemoveBgParams, VirusScanParams};
use ucare::Error;

use crate::client::both;
use crate::specs::{kind, DocumentSpec, VideoSpec};
use crate::{decode, json, AnyClient};

/// Every operation, with its arguments. Those of one version only refuse a client of the
/// other with a message naming the version they need.
#[derive(Deserialize)]
#[serde(tag = "op", content = "args", deny_unknown_fields)]
pub enum Op {
    /// `GET /project/`.
    #[serde(rename = "project")]
    Project {},
    /// One file; `include_appdata` (v0.7) adds what add-ons wrote.
    #[serde(rename = "files.info")]
    FilesInfo {
        /// The file.
        uuid: String,
        /// Ask for `appdata` too (v0.7).
        #[serde(default)]
        include_appdata: Option<bool>,
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
    /// A copy in the project (v0.5).
    #[serde(rename = "files.copy")]
    FilesCopy {
        /// UUID or CDN URL.
        source: String,
        /// Whether the copy is stored.
        #[serde(default)]
        store: Option<bool>,
    },
    /// A copy to a custom storage (v0.5).
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
    /// A copy in the project (v0.7).
    #[serde(rename = "files.local_copy")]
    FilesLocalCopy {
        /// UUID or CDN URL.
        source: String,
        /// Whether the copy is stored.
        #[serde(default)]
        store: Option<bool>,
        /// Metadata for the copy.
        #[serde(default)]
        metadata: Option<ucare::v07::models::Metadata>,
    },
    /// A copy to a custom storage (v0.7); answers `{"url", "created"}`.
    #[serde(rename = "files.remote_copy")]
    FilesRemoteCopy {
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
    /// A file's metadata, every key (v0.7).
    #[serde(rename = "metadata.list")]
    MetadataList {
        /// The file.
        uuid: String,
    },
    /// One metadata key's value (v0.7).
    #[serde(rename = "metadata.get")]
    MetadataGet {
        /// The file.
        uuid: String,
        /// The key.
        key: String,
    },
    /// Sets a metadata key (v0.7); answers `"created"` or `"replaced"`.
    #[serde(rename = "metadata.set")]
    MetadataSet {
        /// The file.
        uuid: String,
        /// The key.
        key: String,
        /// The value.
        value: String,
    },
    /// Removes a metadata key (v0.7).
    #[serde(rename = "metadata.delete")]
    MetadataDelete {
        /// The file.
        uuid: String,
        /// The key.
        key: String,
    },
    /// Starts an add-on on a file (v0.7); answers `{"addon", "request_id"}`.
    #[serde(rename = "addons.run")]
    AddonsRun {
        /// The add-on's API name.
        addon: String,
        /// The file.
        uuid: String,
        /// Its parameters (remove_bg, uc_clamav_virus_scan).
        #[serde(default)]
        params: Option<Value>,
    },
    /// An add-on run's status (v0.7).
    #[serde(rename = "addons.status")]
    AddonsStatus {
        /// The add-on's API name.
        addon: String,
        /// The run's id.
        request_id: String,
    },
    /// Waits for an add-on run (v0.7).
    #[serde(rename = "addons.wait")]
    AddonsWait {
        /// The add-on's API name.
        addon: String,
        /// The run's id.
        request_id: String,
        /// Seconds to wait at most (300 by default).
        #[serde(default)]
        timeout: Option<f64>,
    },
    /// One group.
    #[serde(rename = "groups.info")]
    GroupsInfo {
        /// `<uuid>~<count>`.
        group_id: String,
    },
    /// Stores a group's files (v0.5).
    #[serde(rename = "groups.store")]
    GroupsStore {
        /// `<uuid>~<count>`.
        group_id: String,
    },
    /// Removes a group, not its files (v0.7).
    #[serde(rename = "groups.delete")]
    GroupsDelete {
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
        /// The event (`file.uploaded` by default).
        #[serde(default)]
        event: Option<String>,
        /// Whether deliveries are made.
        #[serde(default)]
        is_active: Option<bool>,
        /// The secret that signs deliveries.
        #[serde(default)]
        signing_secret: Option<String>,
        /// The payload version (v0.5).
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
        /// Save a multi-page result as a group (v0.7).
        #[serde(default)]
        save_in_group: Option<bool>,
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
    /// A document's format and what it converts to (v0.7).
    #[serde(rename = "conversions.document_info")]
    ConversionsDocumentInfo {
        /// The file.
        uuid: String,
    },
}

/// Runs one operation by name with its JSON arguments (see [`Op`]) and per-call options
/// (`{"timeout", "max_retries"}` or null); answers JSON text. A name that is no operation,
/// or a wrong or missing argument, is [`Error::InvalidInput`].
pub async fn call(client: &AnyClient, op: &str, args: Value, options: Value) -> ucare::Result<String> {
    let op: Op = decode(value!({ "op": op, "args": args }))?;
    op.run(&client.with_call_options(options)?).await
}

/// Whether `name` is an operation (the host packages' tests check every name they send).
pub fn is_operation(name: &str) -> bool {
    match decode::<Op>(value!({ "op": name, "args": {} })) {
        Ok(_) => true,
        Err(error) => !error.to_string().contains("unknown variant"),
    }
}

fn wait_timeout(timeout: Option<f64>) -> ucare::Result<std::time::Duration> {
    ucare::validate::seconds("timeout", timeout.unwrap_or(300.0), ucare::validate::MAX_WAIT)
}

fn addon_run(addon: &str, request_id: String) -> ucare::Result<AddonRun> {
    Ok(AddonRun { addon: addon.parse()?, request_id })
}

impl Op {
    /// Runs the operation; answers JSON text.
    pub async fn run(self, client: &AnyClient) -> ucare::Result<String> {
        match self {
            Op::Project {} => both!(client, c => json(c.project().await?)),
            Op::FilesInfo { uuid, include_appdata: Some(true) } => {
                json(client.v07("include_appdata")?.files().info_with_appdata(&uuid).await?)
            }
            Op::FilesInfo { uuid, include_appdata: _ } => both!(client, c => json(c.files().info(&uuid).await?)),
            Op::FilesStore { uuid } => both!(client, c => json(c.files().store(&uuid).await?)),
            Op::FilesDelete { uuid } => both!(client, c => json(c.files().delete(&uuid).await?)),
            Op::FilesCopy { source, store } => json(client.v05("files.copy (v0.7: local_copy)")?.files().copy(&source, store).await?),
            Op::FilesCopyToStorage { source, target, make_public, pattern } => {
                let options = ucare::v05::files::CopyToStorage { make_public, pattern };
                json(client.v05("files.copy_to_storage (v0.7: remote_copy)")?.files().copy_to_storage(&source, &target, options).await?)
            }
            Op::FilesLocalCopy { source, store, metadata } => {
                let options = ucare::files::LocalCopy { store, metadata };
                json(client.v07("files.local_copy (v0.5: copy)")?.files().local_copy(&source, options).await?)
            }
            Op::FilesRemoteCopy { source, target, make_public, pattern } => {
                let options = ucare::files::RemoteCopy { make_public, pattern };
                let copied =
                    client.v07("files.remote_copy (v0.5: copy_to_storage)")?.files().remote_copy(&source, &target, options).await?;
                json(value!({ "url": copied.url, "created": copied.created }))
            }
            Op::MetadataList { uuid } => json(client.v07("metadata")?.metadata().list(&uuid).await?),
            Op::MetadataGet { uuid, key } => json(client.v07("metadata")?.metadata().get(&uuid, &key).await?),
            Op::MetadataSet { uuid, key, value } => {
                let write = client.v07("metadata")?.metadata().set(&uuid, &key, &value).await?;
                json(if write == ucare::metadata::MetadataWrite::Created { "created" } else { "replaced" })
            }
            Op::MetadataDelete { uuid, key } => {
                client.v07("metadata")?.metadata().delete(&uuid, &key).await?;
                Ok("null".into())
            }
            Op::AddonsRun { addon, uuid, params } => {
                let addons = client.v07("add-ons")?.addons();
                let addon: Addon = addon.parse()?;
                let params = params.filter(|p| !p.is_null());
                let no_params = |params: Option<Value>| match params {
                    Some(p) if p.as_object().is_some_and(|o| !o.is_empty()) => {
                        Err(Error::InvalidInput(format!("{} takes no parameters", addon.as_str())))
                    }
                    _ => Ok(()),
                };
                let run = match addon {
                    Addon::AwsRekognitionDetectLabels => {
                        no_params(params)?;
                        addons.detect_labels(&uuid).await?
                    }
                    Addon::AwsRekognitionDetectModerationLabels => {
                        no_params(params)?;
                        addons.detect_moderation_labels(&uuid).await?
                    }
                    Addon::RemoveBg => {
                        addons.remove_bg(&uuid, params.map(decode::<RemoveBgParams>).transpose()?.unwrap_or_default()).await?
                    }
                    Addon::UcClamavVirusScan => {
                        addons.virus_scan(&uuid, params.map(decode::<VirusScanParams>).transpose()?.unwrap_or_default()).await?
                    }
                };
                json(value!({ "addon": run.addon.as_str(), "request_id": run.request_id }))
            }
            Op::AddonsStatus { addon, request_id } => json(client.v07("add-ons")?.addons().status(&addon_run(&addon, request_id)?).await?),
            Op::AddonsWait { addon, request_id, timeout } => {
                let run = addon_run(&addon, request_id)?;
                json(client.v07("add-ons")?.addons().wait(&run, wait_timeout(timeout)?).await?)
            }
            Op::GroupsInfo { group_id } => both!(client, c => json(c.groups().info(&group_id).await?)),
            Op::GroupsStore { group_id } => json(client.v05("groups.store")?.groups().store(&group_id).await?),
            Op::GroupsDelete { group_id } => {
                client.v07("groups.delete")?.groups().delete(&group_id).await?;
                Ok("null".into())
            }
            Op::WebhooksList {} => both!(client, c => json(c.webhooks().list().await?)),
            Op::WebhooksCreate { target_url, event, is_active, signing_secret, version } => match client {
                AnyClient::V05(c) => {
                    let mut hook = ucare::v05::webhooks::NewWebhook::new(target_url);
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
                    json(c.webhooks().create(hook).await?)
                }
                AnyClient::V07(c) => {
                    if version.is_some() {
                        client.v05("a webhook payload version")?;
                    }
                    let event = event.as_deref().unwrap_or("file.uploaded").parse()?;
                    let mut hook = ucare::webhooks::NewWebhook::new(target_url, event);
                    if let Some(active) = is_active {
                        hook = hook.is_active(active);
                    }
                    if let Some(secret) = signing_secret {
                        hook = hook.signing_secret(secret);
                    }
                    json(c.webhooks().create(hook).await?)
                }
            },
            Op::WebhooksUpdate { id, target_url, event, is_active, signing_secret } => match client {
                AnyClient::V05(c) => {
                    let update = ucare::v05::webhooks::WebhookUpdate { target_url, event, is_active, signing_secret };
                    json(c.webhooks().update(id, update).await?)
                }
                AnyClient::V07(c) => {
                    let event = event.as_deref().map(str::parse).transpose()?;
                    let update = ucare::webhooks::WebhookUpdate { target_url, event, is_active, signing_secret };
                    json(c.webhooks().update(id, update).await?)
                }
            },
            Op::WebhooksDelete { target_url } => {
                both!(client, c => c.webhooks().unsubscribe(&target_url).await?);
                Ok("null".into())
            }
            Op::ConversionsDocument { conversions, store, save_in_group } => {
                let conversions = conversions.into_iter().map(DocumentSpec::build).collect::<ucare::Result<Vec<_>>>()?;
                match client {
                    AnyClient::V05(c) => {
                        if save_in_group.is_some() {
                            client.v07("save_in_group")?;
                        }
                        json(c.conversions().document(&conversions, store).await?)
                    }
                    AnyClient::V07(c) => {
                        let options = ucare::v07::conversions::DocumentOptions { store, save_in_group };
                        json(c.conversions().document(&conversions, options).await?)
                    }
                }
            }
            Op::ConversionsVideo { conversions, store } => {
                let conversions = conversions.into_iter().map(VideoSpec::build).collect::<ucare::Result<Vec<_>>>()?;
                both!(client, c => json(c.conversions().video(&conversions, store).await?))
            }
            Op::ConversionsStatus { kind: k, token } => both!(client, c => json(c.conversions().status(kind(&k)?, token).await?)),
            Op::ConversionsWait { kind: k, token, timeout } => {
                let timeout = wait_timeout(timeout)?;
                both!(client, c => json(c.conversions().wait(kind(&k)?, token, timeout).await?))
            }
            Op::ConversionsDocumentInfo { uuid } => {
                json(client.v07("conversions.document_info")?.conversions().document_info(&uuid).await?)
            }
        }
    }
}

/// The merged answer of a batch store or delete in the client's version, decoded.
pub enum FileBatch {
    /// v0.5 files.
    V05(ucare::BatchResult<ucare::v05::File>),
    /// v0.7 files.
    V07(ucare::BatchResult<ucare::File>),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BatchArgs {
    uuids: Vec<String>,
}

/// Stores (`store`) or removes the files (`{"uuids": [...]}`) in batches of 100, answering
/// the merged batch decoded (the hosts wrap its files rather than parse them again).
pub async fn file_batch(client: &AnyClient, arguments: Value, store: bool) -> ucare::Result<FileBatch> {
    let BatchArgs { uuids } = decode(arguments)?;
    Ok(match (client, store) {
        (AnyClient::V05(c), true) => FileBatch::V05(c.files().store_many(uuids).await?),
        (AnyClient::V05(c), false) => FileBatch::V05(c.files().delete_many(uuids).await?),
        (AnyClient::V07(c), true) => FileBatch::V07(c.files().store_many(uuids).await?),
        (AnyClient::V07(c), false) => FileBatch::V07(c.files().delete_many(uuids).await?),
    })
}
