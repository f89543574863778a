//! The answer shapes both API versions share: pages, batches, copies, conversions and the
//! project. Each version's own shapes (File, Group, Webhook) are in its module.
//!
//! Every model keeps the fields it does not know in `extra`, so a new server field is
//! carried instead of failing the decode. Datetimes are UTC.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Reads a field that the server may send as `null` (real answers do where the
/// documentation shows a value: a fresh copy has `"is_image": null`) as its default.
pub(crate) fn nullable<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

/// Reads an optional UTC timestamp. The API writes `2024-01-02T03:04:05.123456Z`; that form
/// is read here directly (a listing has three per file, and chrono's general parser was a
/// third of the time spent decoding a page); any other form goes through chrono's own
/// `FromStr`, exactly as a plain `DateTime<Utc>` field would.
pub(crate) fn utc<'de, D>(deserializer: D) -> Result<Option<DateTime<Utc>>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    struct Visitor;
    impl<'de> serde::de::Visitor<'de> for Visitor {
        type Value = Option<DateTime<Utc>>;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("an RFC 3339 timestamp or null")
        }
        fn visit_none<E>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_str(self)
        }
        fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Self::Value, E> {
            match fast_utc(text) {
                Some(at) => Ok(Some(at)),
                None => text.parse::<DateTime<Utc>>().map(Some).map_err(E::custom),
            }
        }
    }
    deserializer.deserialize_option(Visitor)
}

/// `YYYY-MM-DDTHH:MM:SS[.fraction]Z`, or `None` for anything else (left to chrono).
fn fast_utc(text: &str) -> Option<DateTime<Utc>> {
    let b = text.as_bytes();
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || b[10] != b'T' || b[13] != b':' || b[16] != b':' || b[b.len() - 1] != b'Z' {
        return None;
    }
    let number = |from: usize, to: usize| -> Option<u32> {
        b[from..to].iter().try_fold(0u32, |n, d| d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0')))
    };
    let nanos = match &b[19..b.len() - 1] {
        [] => 0,
        [b'.', digits @ ..] if (1..=9).contains(&digits.len()) => number(20, 20 + digits.len())? * 10u32.pow(9 - digits.len() as u32),
        _ => return None,
    };
    let date = chrono::NaiveDate::from_ymd_opt(number(0, 4)? as i32, number(5, 7)?, number(8, 10)?)?;
    Some(date.and_hms_nano_opt(number(11, 13)?, number(14, 16)?, number(17, 19)?, nanos)?.and_utc())
}

/// An ordered map of input to message, as the API reports batch and conversion problems.
pub type Problems = indexmap::IndexMap<String, String>;

/// What the API knows of an image (v0.5 `image_info`, v0.7 `content_info.image`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ImageInfo {
    /// Color mode (`RGB`, `RGBA`, `L`, ...).
    #[serde(default)]
    pub color_mode: Option<String>,
    /// EXIF orientation.
    #[serde(default)]
    pub orientation: Option<i64>,
    /// Image format (`JPEG`, `PNG`, ...).
    #[serde(default)]
    pub format: Option<String>,
    /// Whether it is a sequence (an animation).
    #[serde(default)]
    pub sequence: Option<bool>,
    /// Height in pixels.
    #[serde(default)]
    pub height: Option<u64>,
    /// Width in pixels.
    #[serde(default)]
    pub width: Option<u64>,
    /// Where it was taken, when known.
    #[serde(default)]
    pub geo_location: Option<Value>,
    /// When it was taken, as the file says.
    #[serde(default)]
    pub datetime_original: Option<String>,
    /// Resolution in dots per inch.
    #[serde(default)]
    pub dpi: Option<Vec<f64>>,
    /// Fields this crate does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The project the keys belong to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Project {
    /// The project's name.
    #[serde(default, deserialize_with = "nullable")]
    pub name: String,
    /// Its public key.
    #[serde(default, deserialize_with = "nullable")]
    pub pub_key: String,
    /// Whether uploads are stored automatically.
    #[serde(default, deserialize_with = "nullable")]
    pub autostore_enabled: bool,
    /// Who else works on it.
    #[serde(default, deserialize_with = "nullable")]
    pub collaborators: Vec<Collaborator>,
    /// Fields this crate does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A collaborator of a project.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Collaborator {
    /// Their email.
    #[serde(default)]
    pub email: Option<String>,
    /// Their name.
    #[serde(default)]
    pub name: Option<String>,
    /// Fields this crate does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One page of a listing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Page<T> {
    /// The URL of the next page, if any.
    #[serde(default)]
    pub next: Option<String>,
    /// The URL of the previous page, if any.
    #[serde(default)]
    pub previous: Option<String>,
    /// How many items match, across all pages.
    #[serde(default, deserialize_with = "nullable")]
    pub total: u64,
    /// The page size.
    #[serde(default, deserialize_with = "nullable")]
    pub per_page: u64,
    /// v0.7 file listings: how many files are removed, stored and unstored in the project
    /// (the live service's figures are not always consistent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub totals: Option<PageTotals>,
    /// This page's items.
    #[serde(deserialize_with = "nullable", bound(deserialize = "T: Deserialize<'de>"))]
    pub results: Vec<T>,
}

/// The counts a v0.7 file listing carries beside `total`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PageTotals {
    /// Removed files.
    #[serde(default, deserialize_with = "nullable")]
    pub removed: i64,
    /// Stored files.
    #[serde(default, deserialize_with = "nullable")]
    pub stored: i64,
    /// Files not stored yet.
    #[serde(default, deserialize_with = "nullable")]
    pub unstored: i64,
}

/// The merged answer of a batch store or delete; `F` is the version's File.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(bound(deserialize = "F: Deserialize<'de>", serialize = "F: Serialize"))]
pub struct BatchResult<F> {
    /// `ok` when every request of the batch was answered.
    #[serde(default, deserialize_with = "nullable")]
    pub status: String,
    /// Every id the server (or the client's own check) refused, with why
    /// (`Invalid`, `Missing in the project`).
    #[serde(default, deserialize_with = "nullable")]
    pub problems: Problems,
    /// The files that were stored or removed.
    #[serde(default, deserialize_with = "nullable")]
    pub result: Vec<F>,
}

impl<F> Default for BatchResult<F> {
    fn default() -> Self {
        BatchResult { status: String::new(), problems: Problems::default(), result: Vec::new() }
    }
}

/// The answer of a copy request.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub(crate) struct CopyAnswer {
    #[serde(rename = "type")]
    pub(crate) kind: String,
    pub(crate) result: Value,
}

/// A started conversion job.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ConversionJob {
    /// The path this job converts.
    #[serde(default)]
    pub original_source: Option<String>,
    /// The token to ask for its status.
    pub token: u64,
    /// The UUID the result will have.
    pub uuid: String,
    /// For video jobs, the group of thumbnails.
    #[serde(default)]
    pub thumbnails_group_uuid: Option<String>,
    /// Fields this crate does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The answer to starting conversions: jobs started and paths refused.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ConversionResponse {
    /// Paths that were refused, with why.
    #[serde(default, deserialize_with = "nullable")]
    pub problems: Problems,
    /// The jobs started.
    #[serde(default, deserialize_with = "nullable")]
    pub result: Vec<ConversionJob>,
    /// Fields this crate does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Where a conversion job is.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum JobStatus {
    /// Waiting to start.
    Pending,
    /// Running.
    Processing,
    /// Done: the result exists.
    Finished,
    /// Done without a result; see `error`.
    Failed,
    /// Cancelled.
    Cancelled,
    /// A status this crate does not know.
    #[serde(untagged)]
    Other(String),
}

impl JobStatus {
    /// Whether the job will not change any more.
    pub fn is_final(&self) -> bool {
        matches!(self, JobStatus::Finished | JobStatus::Failed | JobStatus::Cancelled)
    }

    /// The status as the API spells it.
    pub fn as_str(&self) -> &str {
        match self {
            JobStatus::Pending => "pending",
            JobStatus::Processing => "processing",
            JobStatus::Finished => "finished",
            JobStatus::Failed => "failed",
            JobStatus::Cancelled => "cancelled",
            JobStatus::Other(s) => s,
        }
    }
}

/// A conversion job's status.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ConversionStatus {
    /// Where the job is.
    pub status: JobStatus,
    /// Why it failed, when it did.
    #[serde(default)]
    pub error: Option<String>,
    /// The result's UUIDs.
    #[serde(default, deserialize_with = "nullable")]
    pub result: ConversionResult,
    /// Fields this crate does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The result part of a job status.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ConversionResult {
    /// The UUID of the converted file.
    #[serde(default)]
    pub uuid: Option<String>,
    /// For video jobs, the group of thumbnails.
    #[serde(default)]
    pub thumbnails_group_uuid: Option<String>,
    /// Fields this crate does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[cfg(test)]
mod utc_tests {
    use chrono::{DateTime, Utc};
    use proptest::prelude::*;

    fn read(text: &str) -> Result<Option<DateTime<Utc>>, serde_json::Error> {
        let mut deserializer = serde_json::Deserializer::from_str(text);
        super::utc(&mut deserializer)
    }

    #[test]
    fn the_api_form_is_read_and_everything_else_goes_to_chrono() {
        let expect = |s: &str| Some(s.parse::<DateTime<Utc>>().unwrap());
        assert_eq!(read(r#""2024-01-02T03:04:05.123456Z""#).unwrap(), expect("2024-01-02T03:04:05.123456Z"));
        assert_eq!(read(r#""2024-01-02T03:04:05Z""#).unwrap(), expect("2024-01-02T03:04:05Z"));
        assert_eq!(read(r#""2024-01-02T03:04:05.1Z""#).unwrap(), expect("2024-01-02T03:04:05.100Z"));
        assert_eq!(read(r#""2024-01-02T03:04:05.123456789Z""#).unwrap(), expect("2024-01-02T03:04:05.123456789Z"));
        assert_eq!(read(r#""2024-01-02T05:04:05+02:00""#).unwrap(), expect("2024-01-02T03:04:05Z"));
        assert_eq!(read("null").unwrap(), None);
        for bad in [
            r#""2024-13-02T03:04:05Z""#,
            r#""2024-02-30T03:04:05Z""#,
            r#""2024-01-02T25:04:05Z""#,
            r#""soon""#,
            r#""2024-01-02T03:04:05.Z""#,
            "5",
        ] {
            assert!(read(bad).is_err(), "{bad}");
        }
    }

    proptest! {
        #[test]
        fn reads_what_chrono_reads(seconds in 0i64..4_102_444_800, nanos in 0u32..1_000_000_000, digits in 0usize..=9) {
            let at = DateTime::from_timestamp(seconds, nanos).unwrap();
            let fraction = if digits == 0 { String::new() } else { format!(".{:09}", nanos)[..=digits].to_string() };
            let text = format!("{}{}Z", at.format("%Y-%m-%dT%H:%M:%S"), fraction);
            prop_assert_eq!(read(&format!("{text:?}")).unwrap(), Some(text.parse::<DateTime<Utc>>().unwrap()));
        }
    }
}

#[cfg(test)]
mod size_tests {
    /// A page of files is moved about while it decodes, so a file's size is a cost per item:
    /// its large, rarely present parts are boxed (1.7 KB unboxed for v0.7, 560 B for v0.5).
    #[test]
    fn files_stay_small() {
        assert!(std::mem::size_of::<crate::File>() <= 512, "{}", std::mem::size_of::<crate::File>());
        assert!(std::mem::size_of::<crate::v05::File>() <= 320, "{}", std::mem::size_of::<crate::v05::File>());
    }
}
