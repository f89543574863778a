//! REST API v0.7, the version the service speaks: [`Client`] (also `ucare::Client`).
//!
//! Beside what v0.5 has: files carry `content_info`, `metadata` and (when asked)
//! `appdata`; copies are two endpoints ([`files::Files::local_copy`],
//! [`files::Files::remote_copy`]); file [`metadata`]; [`addons`]; group delete; five webhook
//! events with updates by `PUT` and unsubscribes by `DELETE`; `save_in_group` and document
//! info for conversions. Gone: size ordering, group storage, `DELETE /files/<uuid>/`.

pub mod addons;
pub mod conversions;
pub mod files;
pub mod groups;
pub mod metadata;
pub mod models;
pub mod webhooks;

use crate::client::Runtime;

pub use models::{File, Group, Webhook};

/// The v0.7 marker: `ucare::ClientBuilder<V07>` (the default) builds a [`Client`] of v0.7.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct V07;

/// A client for the Uploadcare REST API v0.7.
///
/// Cheap to clone: clones share one connection pool and configuration.
///
/// ```no_run
/// # async fn run() -> ucare::Result<()> {
/// use futures_util::TryStreamExt;
/// let client = ucare::Client::new("demopublickey", "demoprivatekey")?;
/// let mut files = client.files().list().stored(true).limit(100).stream();
/// while let Some(file) = files.try_next().await? {
///     println!("{} {} bytes {:?}", file.uuid, file.size, file.metadata);
/// }
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    pub(crate) runtime: Runtime,
}

crate::client::client_common!(V07, "0.7");

impl Client {
    /// Files: list, info, store, delete, batches, local and remote copies.
    pub fn files(&self) -> files::Files<'_> {
        files::Files { client: &self.runtime }
    }

    /// File metadata: list, get, set, delete keys.
    pub fn metadata(&self) -> metadata::MetadataApi<'_> {
        metadata::MetadataApi { client: &self.runtime }
    }

    /// Add-ons: run, status, wait.
    pub fn addons(&self) -> addons::Addons<'_> {
        addons::Addons { client: &self.runtime }
    }

    /// Groups: list, info and delete.
    pub fn groups(&self) -> groups::Groups<'_> {
        groups::Groups { client: &self.runtime }
    }

    /// Webhook subscriptions.
    pub fn webhooks(&self) -> webhooks::Webhooks<'_> {
        webhooks::Webhooks { client: &self.runtime }
    }

    /// Document and video conversions.
    pub fn conversions(&self) -> conversions::Conversions<'_> {
        conversions::Conversions { client: &self.runtime }
    }
}
