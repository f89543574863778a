//! REST API v0.5, the seed's version: `ucare::v05::Client`.
//!
//! The live service deprecated v0.5 in August 2024 and may refuse it; it stays here, fully
//! supported, for projects and tools that still speak it. New code uses [`crate::Client`]
//! (v0.7). What v0.5 has that v0.7 does not: size ordering of file listings, one copy
//! endpoint for both kinds of copy, group storage, webhook updates by POST.
//!
//! ```no_run
//! # async fn run() -> ucare::Result<()> {
//! let client = ucare::v05::Client::builder().public_key("demopublickey").secret_key("demoprivatekey").build()?;
//! let copy = client.files().copy("21975c81-7f57-4c7a-aef9-acfe28779f78", Some(true)).await?;
//! println!("{:?}", copy.image_info);
//! # Ok(()) }
//! ```

pub mod conversions;
pub mod files;
pub mod groups;
pub mod models;
pub mod webhooks;

use crate::client::Runtime;

pub use models::{File, Group, ImageInfo, Webhook};

/// The v0.5 marker: `ucare::ClientBuilder<V05>` builds a [`Client`] of v0.5.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct V05;

/// A client for the Uploadcare REST API v0.5.
///
/// Cheap to clone: clones share one connection pool and configuration.
#[derive(Clone)]
pub struct Client {
    pub(crate) runtime: Runtime,
}

crate::client::client_common!(V05, "0.5");

impl Client {
    /// Files: list (also by size), info, store, delete, batches and copies.
    pub fn files(&self) -> files::Files<'_> {
        files::Files { client: &self.runtime }
    }

    /// Groups: list, info and store.
    pub fn groups(&self) -> groups::Groups<'_> {
        groups::Groups { client: &self.runtime }
    }

    /// Webhook subscriptions (`file.uploaded`).
    pub fn webhooks(&self) -> webhooks::Webhooks<'_> {
        webhooks::Webhooks { client: &self.runtime }
    }

    /// Document and video conversions.
    pub fn conversions(&self) -> conversions::Conversions<'_> {
        conversions::Conversions { client: &self.runtime }
    }
}
