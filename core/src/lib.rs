//! # ucare
//!
//! A fast, typed client for the [Uploadcare](https://uploadcare.com) REST API v0.5:
//! files, groups, the project, webhooks, and document and video conversions.
//!
//! - Requests are signed (`Uploadcare` scheme) by default; the secret key never appears in
//!   any `Debug` output or error.
//! - Every request has a timeout; idempotent requests are retried with backoff, 429s after
//!   their `Retry-After`; a POST whose answer was lost is reported, never repeated.
//! - Listings are lazy [`Stream`](futures_core::Stream)s, one page in memory at a time.
//! - Batches take any number of UUIDs and report every problem.
//! - Bad input is refused before anything is sent.
//!
//! ```no_run
//! # async fn run() -> ucare::Result<()> {
//! use futures_util::TryStreamExt;
//! let client = ucare::Client::new("demopublickey", "demoprivatekey")?;
//! let project = client.project().await?;
//! let files: Vec<ucare::File> = client.files().list().stored(true).stream().try_collect().await?;
//! println!("{}: {} stored files", project.name, files.len());
//! # Ok(()) }
//! ```

#![deny(missing_docs)]

pub mod auth;
mod batch;
mod client;
pub mod conversions;
mod error;
mod listing;
pub mod models;
#[doc(hidden)]
pub mod ops;
mod pagination;
mod poll;
mod transport;
pub mod v05;
pub mod v07;
pub mod validate;
pub mod webhook;

/// The datetime crate of the models' fields, for callers that build `from` cursors.
pub use chrono;

pub use auth::AuthScheme;
pub use client::{
    ApiVersion, ClientBuilder, ClientStats, DEFAULT_API_VERSION, DEFAULT_BASE_URL, DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_TIMEOUT, MAX_RETRIES,
};
pub use error::{BatchFailure, Error, FieldErrors, Result};
pub use models::{BatchResult, ConversionJob, ConversionResponse, ConversionStatus, JobStatus, Page, Project};
pub use pagination::{Pager, RawPage};
pub use transport::RetryPolicy;
pub use v05::V05;
pub use v07::{addons, files, groups, metadata, webhooks, Client, File, Group, Webhook, V07};
