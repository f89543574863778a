//! The v0.5 answer shapes: File (with `image_info` and `source`), Group (with
//! `datetime_stored`) and Webhook. The shapes both versions share are in
//! [`crate::models`].

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::models::nullable;
pub use crate::models::ImageInfo;

/// A file of the project.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct File {
    /// The file's UUID.
    pub uuid: String,
    /// The name it was uploaded with.
    #[serde(default, deserialize_with = "nullable")]
    pub original_filename: String,
    /// Its MIME type.
    #[serde(default, deserialize_with = "nullable")]
    pub mime_type: String,
    /// Its size in bytes.
    #[serde(default, deserialize_with = "nullable")]
    pub size: u64,
    /// Whether it is an image.
    #[serde(default, deserialize_with = "nullable")]
    pub is_image: bool,
    /// Whether it is ready to be served.
    #[serde(default, deserialize_with = "nullable")]
    pub is_ready: bool,
    /// When it was uploaded.
    #[serde(default, deserialize_with = "crate::models::utc")]
    pub datetime_uploaded: Option<DateTime<Utc>>,
    /// When it was stored; `None` until then.
    #[serde(default, deserialize_with = "crate::models::utc")]
    pub datetime_stored: Option<DateTime<Utc>>,
    /// When it was removed; `None` unless removed.
    #[serde(default, deserialize_with = "crate::models::utc")]
    pub datetime_removed: Option<DateTime<Utc>>,
    /// Image details, for images. (Boxed: a page of files is moved about while it is
    /// decoded, and this is half of a `File`'s size.)
    #[serde(default)]
    pub image_info: Option<Box<ImageInfo>>,
    /// The CDN URL of the original bytes.
    #[serde(default)]
    pub original_file_url: Option<String>,
    /// The API URL of this file.
    #[serde(default)]
    pub url: Option<String>,
    /// Where the file came from (for copies, the source's path).
    #[serde(default)]
    pub source: Option<String>,
    /// Fields this crate does not model (`video_info`, `rekognition_info`, ...).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl File {
    /// Whether the file is stored (kept permanently).
    pub fn is_stored(&self) -> bool {
        self.datetime_stored.is_some()
    }

    /// Whether the file was removed.
    pub fn is_removed(&self) -> bool {
        self.datetime_removed.is_some()
    }
}

/// A group of files.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Group {
    /// `<uuid>~<count>`.
    pub id: String,
    /// When it was created.
    #[serde(default, deserialize_with = "crate::models::utc")]
    pub datetime_created: Option<DateTime<Utc>>,
    /// When its files were stored; `None` until then.
    #[serde(default, deserialize_with = "crate::models::utc")]
    pub datetime_stored: Option<DateTime<Utc>>,
    /// How many files it has.
    #[serde(default, deserialize_with = "nullable")]
    pub files_count: u64,
    /// Its CDN URL.
    #[serde(default)]
    pub cdn_url: Option<String>,
    /// Its API URL.
    #[serde(default)]
    pub url: Option<String>,
    /// Its files, in group info only; a removed file is `None`.
    #[serde(default)]
    pub files: Option<Vec<Option<File>>>,
    /// Fields this crate does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A webhook subscription.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Webhook {
    /// Its id.
    pub id: u64,
    /// The project's id.
    #[serde(default)]
    pub project: Option<u64>,
    /// When it was created.
    #[serde(default, deserialize_with = "crate::models::utc")]
    pub created: Option<DateTime<Utc>>,
    /// When it was last changed.
    #[serde(default, deserialize_with = "crate::models::utc")]
    pub updated: Option<DateTime<Utc>>,
    /// The event (`file.uploaded`).
    #[serde(default, deserialize_with = "nullable")]
    pub event: String,
    /// Where deliveries go.
    #[serde(default, deserialize_with = "nullable")]
    pub target_url: String,
    /// Whether deliveries are made.
    #[serde(default, deserialize_with = "nullable")]
    pub is_active: bool,
    /// The secret that signs deliveries, when set.
    #[serde(default)]
    pub signing_secret: Option<String>,
    /// The payload version, when the server says.
    #[serde(default)]
    pub version: Option<String>,
    /// Fields this crate does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl std::fmt::Debug for Webhook {
    // The signing secret is a secret: show only whether there is one.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Webhook")
            .field("id", &self.id)
            .field("event", &self.event)
            .field("target_url", &self.target_url)
            .field("is_active", &self.is_active)
            .field("signing_secret", &self.signing_secret.as_ref().map(|_| "***"))
            .field("version", &self.version)
            .finish_non_exhaustive()
    }
}
