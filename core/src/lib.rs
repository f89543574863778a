//! # ucare
//!
//! A fast, typed client for the [Uploadcare](https://uploadcare.com) REST API v0.7 (the
//! version the service answers; v0.5 is in [`v05`]) and Upload API: uploads, files,
//! metadata, add-ons, groups, the project, webhooks, and document and video conversions.
//!
//! - Requests are signed (`Uploadcare` scheme) by default; the secret key never appears in
//!   any `Debug` output or error, even when a server echoes it.
//! - Every request has a timeout and every answer a size cap; idempotent requests are
//!   retried with backoff, 429s after their `Retry-After`; a POST whose answer was lost is
//!   reported, never repeated.
//! - Listings are lazy [`Stream`](futures_core::Stream)s, one page in memory at a time, and
//!   always end (a `next` link that loops is an error).
//! - Batches take any number of UUIDs, report every problem, and say what is left when one
//!   request fails.
//! - Bad input is refused before anything is sent.
//!
//! ```no_run
//! # async fn run() -> ucare::Result<()> {
//! use std::time::Duration;
//!
//! use futures_util::TryStreamExt;
//! use ucare::conversions::{ConversionKind, DocumentConversion, DocumentFormat};
//! use ucare::files::LocalCopy;
//! use ucare::uploads::{Source, UploadOptions};
//! use ucare::v07::conversions::DocumentOptions;
//!
//! let client = ucare::Client::builder()
//!     .public_key("demopublickey")
//!     .secret_key("demoprivatekey")
//!     .base_url("http://127.0.0.1:8000/") // the emulator; omit for the real API
//!     .upload_base_url("http://127.0.0.1:8000/")
//!     .build()?;
//! let progress = |p: ucare::uploads::Progress| println!("{}/{}", p.sent, p.total);
//! let photo = client.uploads().upload(Source::path("photo.jpg"), UploadOptions::default().on_progress(progress)).await?;
//! println!("{} {}", photo.uuid, photo.size);
//! let mut files = client.files().list().stored(true).limit(100).stream();
//! while let Some(file) = files.try_next().await? {
//!     println!("{} {} {} bytes {:?}", file.uuid, file.original_filename, file.size, file.metadata);
//! }
//! let uuid = "21975c81-7f57-4c7a-aef9-acfe28779f78";
//! let batch = client.files().store_many([uuid, "not-a-uuid"]).await?;
//! println!("stored {}, problems {:?}", batch.result.len(), batch.problems);
//! client.metadata().set(uuid, "subsystem", "uploader").await?;
//! let copy = client.files().local_copy(uuid, LocalCopy { store: Some(true), ..LocalCopy::default() }).await?;
//! let run = client.addons().detect_labels(&copy.uuid).await?;
//! client.addons().wait(&run, Duration::from_secs(60)).await?;
//! let labels = client.files().info_with_appdata(&copy.uuid).await?.appdata;
//! let options = DocumentOptions { store: Some(true), save_in_group: None };
//! let job = client.conversions().document(&[DocumentConversion::new(uuid).format(DocumentFormat::Pdf)], options).await?;
//! let done = client.conversions().wait(ConversionKind::Document, job.result[0].token, Duration::from_secs(60)).await?;
//! println!("{labels:?} {:?}", done.status);
//! # Ok(()) }
//! ```
//!
//! The same in the README's Rust quickstart; `cargo test --doc` compiles it.

#![deny(missing_docs)]

pub mod auth;
mod batch;
mod client;
pub mod conversions;
mod error;
mod listing;
pub mod models;
mod pagination;
mod poll;
mod transport;
pub mod uploads;
pub mod v05;
pub mod v07;
pub mod validate;
pub mod webhook;

/// The datetime crate of the models' fields, for callers that build `from` cursors.
pub use chrono;

pub use auth::AuthScheme;
pub use client::{
    ApiVersion, CallOptions, ClientBuilder, ClientStats, RequestHook, RequestLog, DEFAULT_API_VERSION, DEFAULT_BASE_URL,
    DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_TIMEOUT, DEFAULT_UPLOAD_BASE_URL, MAX_RETRIES,
};
pub use error::{BatchFailure, Error, FieldErrors, Result};
pub use models::{BatchResult, ConversionJob, ConversionResponse, ConversionStatus, JobStatus, Page, Project};
pub use pagination::{Pager, RawPage};
pub use transport::RetryPolicy;
pub use v05::V05;
pub use v07::{addons, files, groups, metadata, webhooks, Client, File, Group, Webhook, V07};
