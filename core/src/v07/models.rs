//! The v0.7 answer shapes: File (with `content_info`, `metadata`, `variations` and
//! `appdata`), Group (no `datetime_stored`), Webhook (five events), add-on statuses and
//! document info. The shapes both versions share are in [`crate::models`].

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::models::nullable;
pub use crate::models::ImageInfo;

/// A file's metadata: key to value (keys of 1..64 characters of `A-Z a-z 0-9 _ - . :`,
/// values of 1..512 characters, at most 50 keys).
pub type Metadata = indexmap::IndexMap<String, String>;

/// A file of the project, as v0.7 answers it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct File {
    /// The file's UUID.
    pub uuid: String,
    /// The name it was uploaded with.
    #[serde(default, deserialize_with = "nullable")]
    pub original_filename: String,
    /// Its MIME type (`content_info.mime` may say more precisely).
    #[serde(default, deserialize_with = "nullable")]
    pub mime_type: String,
    /// Its size in bytes.
    #[serde(default, deserialize_with = "nullable")]
    pub size: u64,
    /// Whether it is an image (`false` while a fresh copy is not processed yet).
    #[serde(default, deserialize_with = "nullable")]
    pub is_image: bool,
    /// Whether it is ready to be served.
    #[serde(default, deserialize_with = "nullable")]
    pub is_ready: bool,
    /// When it was uploaded.
    #[serde(default, deserialize_with = "crate::models::utc")]
    pub datetime_uploaded: Option<DateTime<Utc>>,
    /// When it was stored; `None` until then (and after removal).
    #[serde(default, deserialize_with = "crate::models::utc")]
    pub datetime_stored: Option<DateTime<Utc>>,
    /// When it was removed; `None` unless removed.
    #[serde(default, deserialize_with = "crate::models::utc")]
    pub datetime_removed: Option<DateTime<Utc>>,
    /// The CDN URL of the original bytes; `None` once removed.
    #[serde(default)]
    pub original_file_url: Option<String>,
    /// The API URL of this file.
    #[serde(default)]
    pub url: Option<String>,
    /// What the service found the content to be; `None` until processed. (Boxed, as is
    /// `appdata`: unboxed they made a `File` 1.7 KB, and decoding a page of 1,000 spent a
    /// sixth of its time moving them.)
    #[serde(default)]
    pub content_info: Option<Box<ContentInfo>>,
    /// The file's metadata (`{}` when none).
    #[serde(default, deserialize_with = "nullable")]
    pub metadata: Metadata,
    /// Derived variations (for example of a video), when any.
    #[serde(default)]
    pub variations: Option<Value>,
    /// What add-ons wrote about the file; present when asked for (`include=appdata`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub appdata: Option<Box<Appdata>>,
    /// Fields this crate does not model (`default_effects` in group info, ...).
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

    /// The image details, for images.
    pub fn image_info(&self) -> Option<&ImageInfo> {
        self.content_info.as_ref()?.image.as_ref()
    }
}

/// `content_info`: the MIME type as detected, and image or video details.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ContentInfo {
    /// The detected MIME type (absent for some older files).
    #[serde(default)]
    pub mime: Option<MimeInfo>,
    /// Image details.
    #[serde(default)]
    pub image: Option<ImageInfo>,
    /// Video details.
    #[serde(default)]
    pub video: Option<VideoInfo>,
    /// Fields this crate does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `content_info.mime`: `image/jpeg` as `{mime, type, subtype}`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MimeInfo {
    /// The whole type (`image/jpeg`).
    #[serde(default, deserialize_with = "nullable")]
    pub mime: String,
    /// The top-level type (`image`).
    #[serde(rename = "type", default, deserialize_with = "nullable")]
    pub kind: String,
    /// The subtype (`jpeg`).
    #[serde(default, deserialize_with = "nullable")]
    pub subtype: String,
}

/// `content_info.video`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct VideoInfo {
    /// Duration in milliseconds.
    #[serde(default)]
    pub duration: Option<u64>,
    /// The container format.
    #[serde(default)]
    pub format: Option<String>,
    /// Bits per second.
    #[serde(default)]
    pub bitrate: Option<u64>,
    /// The audio streams.
    #[serde(default, deserialize_with = "nullable")]
    pub audio: Vec<AudioStream>,
    /// The video streams.
    #[serde(default, deserialize_with = "nullable")]
    pub video: Vec<VideoStream>,
    /// Fields this crate does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One audio stream of a video.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AudioStream {
    /// Bits per second.
    #[serde(default)]
    pub bitrate: Option<u64>,
    /// The codec.
    #[serde(default)]
    pub codec: Option<String>,
    /// Samples per second.
    #[serde(default)]
    pub sample_rate: Option<u64>,
    /// Channel layout (`stereo`) or count.
    #[serde(default)]
    pub channels: Option<Value>,
}

/// One video stream of a video.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct VideoStream {
    /// Height in pixels.
    #[serde(default)]
    pub height: Option<u64>,
    /// Width in pixels.
    #[serde(default)]
    pub width: Option<u64>,
    /// Frames per second.
    #[serde(default)]
    pub frame_rate: Option<f64>,
    /// Bits per second.
    #[serde(default)]
    pub bitrate: Option<u64>,
    /// The codec.
    #[serde(default)]
    pub codec: Option<String>,
}

/// `appdata`: what each add-on wrote, typed for the add-ons the API documents.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Appdata {
    /// Image labels from AWS Rekognition.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aws_rekognition_detect_labels: Option<AppdataEntry<RekognitionLabels>>,
    /// Moderation labels from AWS Rekognition.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aws_rekognition_detect_moderation_labels: Option<AppdataEntry<ModerationLabels>>,
    /// The background removal by remove.bg.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remove_bg: Option<AppdataEntry<RemoveBg>>,
    /// The ClamAV virus scan.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uc_clamav_virus_scan: Option<AppdataEntry<VirusScan>>,
    /// Add-ons this crate does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One add-on's entry in `appdata`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AppdataEntry<T> {
    /// What the add-on found.
    pub data: T,
    /// The add-on's version (`2016-06-27` for Rekognition, `1.0.1` for ClamAV).
    #[serde(default, deserialize_with = "nullable")]
    pub version: String,
    /// When it first ran on the file.
    #[serde(default, deserialize_with = "crate::models::utc")]
    pub datetime_created: Option<DateTime<Utc>>,
    /// When it last ran.
    #[serde(default, deserialize_with = "crate::models::utc")]
    pub datetime_updated: Option<DateTime<Utc>>,
}

/// Rekognition's labels.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RekognitionLabels {
    /// The labels found.
    #[serde(rename = "Labels", default, deserialize_with = "nullable")]
    pub labels: Vec<Label>,
    /// The model that found them.
    #[serde(rename = "LabelModelVersion", default)]
    pub label_model_version: Option<String>,
    /// Fields this crate does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One Rekognition label.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Label {
    /// What it is (`Art`).
    #[serde(rename = "Name", default, deserialize_with = "nullable")]
    pub name: String,
    /// How sure, 0..100.
    #[serde(rename = "Confidence", default, deserialize_with = "nullable")]
    pub confidence: f64,
    /// Where in the image, for objects.
    #[serde(rename = "Instances", default, deserialize_with = "nullable")]
    pub instances: Vec<Value>,
    /// Broader labels (`{"Name": ...}`).
    #[serde(rename = "Parents", default, deserialize_with = "nullable")]
    pub parents: Vec<Value>,
}

/// Rekognition's moderation labels.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ModerationLabels {
    /// The labels found (empty for a clean image).
    #[serde(rename = "ModerationLabels", default, deserialize_with = "nullable")]
    pub moderation_labels: Vec<ModerationLabel>,
    /// The model that found them.
    #[serde(rename = "ModerationModelVersion", default)]
    pub moderation_model_version: Option<String>,
    /// Fields this crate does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One moderation label.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ModerationLabel {
    /// What it is.
    #[serde(rename = "Name", default, deserialize_with = "nullable")]
    pub name: String,
    /// How sure, 0..100.
    #[serde(rename = "Confidence", default, deserialize_with = "nullable")]
    pub confidence: f64,
    /// Its parent label, if any.
    #[serde(rename = "ParentName", default)]
    pub parent_name: Option<String>,
}

/// What remove.bg reports.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RemoveBg {
    /// What it took for the foreground (`person`, `product`, ...).
    #[serde(default)]
    pub foreground_type: Option<String>,
    /// Fields this crate does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// What the ClamAV scan found.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct VirusScan {
    /// Whether the file is infected.
    #[serde(default, deserialize_with = "nullable")]
    pub infected: bool,
    /// The signature found, when infected.
    #[serde(default)]
    pub infected_with: Option<String>,
    /// Fields this crate does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A group of files, as v0.7 answers it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Group {
    /// `<uuid>~<count>`.
    pub id: String,
    /// When it was created.
    #[serde(default, deserialize_with = "crate::models::utc")]
    pub datetime_created: Option<DateTime<Utc>>,
    /// How many files it has.
    #[serde(default, deserialize_with = "nullable")]
    pub files_count: u64,
    /// Its CDN URL.
    #[serde(default)]
    pub cdn_url: Option<String>,
    /// Its API URL.
    #[serde(default)]
    pub url: Option<String>,
    /// Its files, in group info only; a long-removed file is `None`.
    #[serde(default)]
    pub files: Option<Vec<Option<File>>>,
    /// Fields this crate does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// What a webhook subscription is told about.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum Event {
    /// A file was uploaded (or copied).
    #[serde(rename = "file.uploaded")]
    FileUploaded,
    /// A virus scan found a file infected.
    #[serde(rename = "file.infected")]
    FileInfected,
    /// A file was stored.
    #[serde(rename = "file.stored")]
    FileStored,
    /// A file was removed.
    #[serde(rename = "file.deleted")]
    FileDeleted,
    /// A file's metadata or appdata changed.
    #[serde(rename = "file.info_updated")]
    FileInfoUpdated,
    /// An event this crate does not know.
    #[serde(untagged)]
    Other(String),
}

impl Event {
    /// The five events v0.7 delivers.
    pub const ALL: [Event; 5] = [Event::FileUploaded, Event::FileInfected, Event::FileStored, Event::FileDeleted, Event::FileInfoUpdated];

    /// The event as the API spells it.
    pub fn as_str(&self) -> &str {
        match self {
            Event::FileUploaded => "file.uploaded",
            Event::FileInfected => "file.infected",
            Event::FileStored => "file.stored",
            Event::FileDeleted => "file.deleted",
            Event::FileInfoUpdated => "file.info_updated",
            Event::Other(other) => other,
        }
    }
}

impl std::str::FromStr for Event {
    type Err = crate::Error;
    fn from_str(s: &str) -> crate::Result<Self> {
        Event::ALL.into_iter().find(|e| e.as_str() == s).ok_or_else(|| {
            crate::Error::invalid(format!(
                "event {:?} is not one of file.uploaded, file.infected, file.stored, file.deleted, file.info_updated",
                crate::validate::shorten(s)
            ))
        })
    }
}

/// A webhook subscription, as v0.7 answers it.
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
    /// The event it is told about.
    pub event: Event,
    /// Where deliveries go.
    #[serde(default, deserialize_with = "nullable")]
    pub target_url: String,
    /// Whether deliveries are made.
    #[serde(default, deserialize_with = "nullable")]
    pub is_active: bool,
    /// The secret that signs deliveries; `None` when unset.
    #[serde(default)]
    pub signing_secret: Option<String>,
    /// The payload version (`0.7`; listings may show older ones or `""`).
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

/// A document's format and what it converts to (`GET /convert/document/<uuid>/`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DocumentInfo {
    /// Why the service could not read it, if it could not.
    #[serde(default)]
    pub error: Option<String>,
    /// Its format and the conversion targets.
    #[serde(default)]
    pub format: DocumentFormatInfo,
    /// Target format to the group a `save_in_group` conversion made (read from beside
    /// `format`, as the API reference has it, or from inside it, as pyuploadcare reads it).
    #[serde(default, deserialize_with = "nullable")]
    pub converted_groups: indexmap::IndexMap<String, String>,
    /// Fields this crate does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl DocumentInfo {
    /// The groups made by `save_in_group` conversions, wherever the answer put them.
    pub fn groups(&self) -> &indexmap::IndexMap<String, String> {
        if self.converted_groups.is_empty() {
            &self.format.converted_groups
        } else {
            &self.converted_groups
        }
    }
}

/// `format` of a document's info.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DocumentFormatInfo {
    /// The document's own format (`pdf`).
    #[serde(default, deserialize_with = "nullable")]
    pub name: String,
    /// The formats it converts to.
    #[serde(default, deserialize_with = "nullable")]
    pub conversion_formats: Vec<NamedFormat>,
    /// Target format to group, where some answers carry it.
    #[serde(default, deserialize_with = "nullable")]
    pub converted_groups: indexmap::IndexMap<String, String>,
}

/// A format by name.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct NamedFormat {
    /// Its name (`png`).
    #[serde(default, deserialize_with = "nullable")]
    pub name: String,
}
