//! What the Python and Node packages share, so that neither holds logic of its own: the
//! client of either REST API version behind one type ([`AnyClient`]), every operation as
//! one exhaustive enum ([`Op`]) decoded with its arguments in one step, listings
//! ([`ListPager`]) and uploads. Answers are JSON text, which each host parses with its own
//! JSON reader (faster there than building host objects one field at a time).
//!
//! Not part of the public `ucare` API (this crate is not published): a Rust user calls
//! `ucare::Client` directly.
//!
//! ```no_run
//! # async fn run() -> ucare::Result<()> {
//! let options = ucare_bindings::client_options(serde_json::json!({"public_key": "pk", "secret_key": "sk"}))?;
//! let client = ucare_bindings::build_client(&options, "python", None::<fn(&ucare::RequestLog)>)?;
//! let file = ucare_bindings::call(&client, "files.info", serde_json::json!({"uuid": "21975c81-7f57-4c7a-aef9-acfe28779f78"}), serde_json::Value::Null).await?;
//! println!("{file}");
//! # Ok(()) }
//! ```

#![deny(missing_docs)]

mod client;
mod listing;
mod ops;
pub mod schema;
mod specs;
mod uploads;

pub use client::{build_client, client_options, AnyClient, ClientOptions};
pub use listing::{FilePage, ListPager};
pub use ops::{call, file_batch, is_operation, FileBatch, Op};
pub use specs::{document_path, video_path};
pub use uploads::{create_group, upload, upload_from_url, upload_many, ProgressFn, UploadArgs};

use ucare::Error;

/// Decodes arguments; a wrong one is [`Error::InvalidInput`] naming it (`limit: invalid
/// value: integer -1, expected u32`).
pub(crate) fn decode<T: serde::de::DeserializeOwned>(value: serde_json::Value) -> ucare::Result<T> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        Error::InvalidInput(if path == "." { e.inner().to_string() } else { format!("{path}: {}", e.inner()) })
    })
}

/// The answer as JSON text.
pub(crate) fn json<T: serde::Serialize>(value: T) -> ucare::Result<String> {
    serde_json::to_string(&value).map_err(|e| Error::InvalidInput(e.to_string()))
}
