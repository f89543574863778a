//! Document and video conversions as both API versions take them: typed path builders,
//! and the start, status and wait that each version's `Conversions` resource calls.

use std::str::FromStr;
use std::time::Duration;

use reqwest::Method;
use serde::Serialize;

use crate::client::Runtime;
use crate::error::{Error, Result};
use crate::models::{ConversionResponse, ConversionStatus};
use crate::validate::{self, bool_str};

/// Declares a closed set of API words as an enum with `as_str` and `FromStr`.
macro_rules! api_words {
    ($(#[$doc:meta])* $name:ident, $what:literal { $($(#[$vdoc:meta])* $variant:ident => $word:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vdoc])* $variant),+
        }

        impl $name {
            /// The word as the API spells it.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $word),+ }
            }
        }

        impl FromStr for $name {
            type Err = Error;
            fn from_str(s: &str) -> Result<Self> {
                match s.to_ascii_lowercase().as_str() {
                    $($word => Ok($name::$variant),)+
                    _ => Err(Error::invalid(format!(
                        concat!($what, " {:?} is not one of {}"),
                        validate::shorten(s),
                        [$($word),+].join(", ")
                    ))),
                }
            }
        }
    };
}

api_words!(
    /// A document conversion's target format.
    DocumentFormat, "document format" {
        /// Word 97.
        Doc => "doc", /// Word.
        Docx => "docx", /// Excel 97.
        Xls => "xls", /// Excel.
        Xlsx => "xlsx", /// OpenDocument text.
        Odt => "odt", /// OpenDocument spreadsheet.
        Ods => "ods", /// Rich text.
        Rtf => "rtf", /// Plain text.
        Txt => "txt", /// PDF.
        Pdf => "pdf", /// A JPEG image of a page.
        Jpg => "jpg", /// A PNG image of a page.
        Png => "png",
    }
);

api_words!(
    /// A video conversion's target format.
    VideoFormat, "video format" {
        /// MPEG-4.
        Mp4 => "mp4", /// WebM.
        Webm => "webm", /// Ogg.
        Ogg => "ogg",
    }
);

api_words!(
    /// A video conversion's quality.
    VideoQuality, "video quality" {
        /// The default.
        Normal => "normal", /// Better than normal, larger.
        Better => "better", /// The best, largest.
        Best => "best", /// Smaller than normal.
        Lighter => "lighter", /// The smallest.
        Lightest => "lightest",
    }
);

api_words!(
    /// How a video is fitted to a new size.
    ResizeMode, "resize mode" {
        /// Keep the aspect ratio inside the box.
        PreserveRatio => "preserve_ratio", /// Stretch to the box.
        ChangeRatio => "change_ratio", /// Scale and crop to fill the box.
        ScaleCrop => "scale_crop", /// Scale and pad to fill the box.
        AddPadding => "add_padding",
    }
);

/// One document to convert: `<uuid>/document/-/format/<fmt>/[-/page/<n>/]`.
///
/// ```
/// use ucare::conversions::{DocumentConversion, DocumentFormat};
/// let path = DocumentConversion::new("21975c81-7f57-4c7a-aef9-acfe28779f78")
///     .format(DocumentFormat::Png)
///     .page(2)
///     .path()
///     .unwrap();
/// assert_eq!(path, "21975c81-7f57-4c7a-aef9-acfe28779f78/document/-/format/png/-/page/2/");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentConversion {
    uuid: String,
    format: Option<DocumentFormat>,
    page: Option<u32>,
}

impl DocumentConversion {
    /// Converts the file `uuid`.
    pub fn new(uuid: impl Into<String>) -> Self {
        DocumentConversion { uuid: uuid.into(), format: None, page: None }
    }

    /// The target format (the API's default is PDF).
    pub fn format(mut self, format: DocumentFormat) -> Self {
        self.format = Some(format);
        self
    }

    /// For image targets, which page (1-based).
    pub fn page(mut self, page: u32) -> Self {
        self.page = Some(page);
        self
    }

    /// The path the API takes, after checking every part.
    pub fn path(&self) -> Result<String> {
        let mut path = format!("{}/document/", validate::uuid(&self.uuid)?);
        if let Some(format) = self.format {
            path.push_str(&format!("-/format/{}/", format.as_str()));
        }
        if let Some(page) = self.page {
            if page == 0 {
                return Err(Error::invalid("page numbers start at 1"));
            }
            if !matches!(self.format, Some(DocumentFormat::Jpg | DocumentFormat::Png)) {
                return Err(Error::invalid("a page can only be chosen for jpg or png targets"));
            }
            path.push_str(&format!("-/page/{page}/"));
        }
        Ok(path)
    }
}

/// One video to convert: `<uuid>/video/` with optional operations.
///
/// ```
/// use ucare::conversions::{ResizeMode, VideoConversion, VideoFormat, VideoQuality};
/// let path = VideoConversion::new("21975c81-7f57-4c7a-aef9-acfe28779f78")
///     .format(VideoFormat::Webm)
///     .quality(VideoQuality::Best)
///     .size(640, 480, ResizeMode::AddPadding)
///     .cut("0:0:10", "end")
///     .thumbs(5)
///     .path()
///     .unwrap();
/// assert_eq!(
///     path,
///     "21975c81-7f57-4c7a-aef9-acfe28779f78/video/-/format/webm/-/quality/best/-/size/640x480/add_padding/-/cut/0:0:10/end/-/thumbs~5/"
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VideoConversion {
    uuid: String,
    format: Option<VideoFormat>,
    quality: Option<VideoQuality>,
    size: Option<(u32, u32, ResizeMode)>,
    cut: Option<(String, String)>,
    thumbs: Option<u32>,
}

impl VideoConversion {
    /// Converts the file `uuid`.
    pub fn new(uuid: impl Into<String>) -> Self {
        VideoConversion { uuid: uuid.into(), format: None, quality: None, size: None, cut: None, thumbs: None }
    }

    /// The target format.
    pub fn format(mut self, format: VideoFormat) -> Self {
        self.format = Some(format);
        self
    }

    /// The quality.
    pub fn quality(mut self, quality: VideoQuality) -> Self {
        self.quality = Some(quality);
        self
    }

    /// A new size and how to fit it.
    pub fn size(mut self, width: u32, height: u32, mode: ResizeMode) -> Self {
        self.size = Some((width, height, mode));
        self
    }

    /// Keeps `length` from `start` (times as `HHH:MM:SS.sss`, seconds, or `end` for the length).
    pub fn cut(mut self, start: impl Into<String>, length: impl Into<String>) -> Self {
        self.cut = Some((start.into(), length.into()));
        self
    }

    /// How many thumbnails to make, 1..=50.
    pub fn thumbs(mut self, count: u32) -> Self {
        self.thumbs = Some(count);
        self
    }

    /// The path the API takes, after checking every part.
    pub fn path(&self) -> Result<String> {
        let mut path = format!("{}/video/", validate::uuid(&self.uuid)?);
        if let Some(format) = self.format {
            path.push_str(&format!("-/format/{}/", format.as_str()));
        }
        if let Some(quality) = self.quality {
            path.push_str(&format!("-/quality/{}/", quality.as_str()));
        }
        if let Some((width, height, mode)) = self.size {
            if width == 0 || height == 0 || width > 10_000 || height > 10_000 {
                return Err(Error::invalid(format!("video size {width}x{height} must be within 1..=10000 on each side")));
            }
            path.push_str(&format!("-/size/{width}x{height}/{}/", mode.as_str()));
        }
        if let Some((start, length)) = &self.cut {
            if !is_time(start) || !(is_time(length) || length == "end") {
                return Err(Error::invalid(format!(
                    "cut {:?}/{:?} must be times like 0:1:30.5 (or `end` for the length)",
                    validate::shorten(start),
                    validate::shorten(length)
                )));
            }
            path.push_str(&format!("-/cut/{start}/{length}/"));
        }
        if let Some(count) = self.thumbs {
            if !(1..=50).contains(&count) {
                return Err(Error::invalid(format!("thumbs must be within 1..=50, got {count}")));
            }
            path.push_str(&format!("-/thumbs~{count}/"));
        }
        Ok(path)
    }
}

/// `HHH:MM:SS.sss`, `MM:SS`, or plain seconds, with an optional fraction.
fn is_time(s: &str) -> bool {
    let parts: Vec<&str> = s.split(':').collect();
    !s.is_empty()
        && parts.len() <= 3
        && parts.iter().enumerate().all(|(i, part)| {
            let last = i == parts.len() - 1;
            let (whole, fraction) = match part.split_once('.') {
                Some((w, f)) if last => (w, Some(f)),
                Some(_) => return false,
                None => (*part, None),
            };
            !whole.is_empty()
                && whole.bytes().all(|b| b.is_ascii_digit())
                && fraction.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()))
        })
}

/// Which kind of conversion a token belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConversionKind {
    /// `/convert/document/`.
    Document,
    /// `/convert/video/`.
    Video,
}

impl ConversionKind {
    pub(crate) fn segment(self) -> &'static str {
        match self {
            ConversionKind::Document => "document",
            ConversionKind::Video => "video",
        }
    }
}

#[derive(Serialize)]
struct StartBody<'a> {
    paths: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    store: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    save_in_group: Option<&'static str>,
}

/// What both versions' conversion resources share: starting jobs, their status, waiting.
impl Runtime {
    /// Starts conversions of built paths; `save_in_group` exists in v0.7 only, so only the
    /// v0.7 resource passes it. Not repeated when the answer is lost (that could start the
    /// jobs twice).
    pub(crate) async fn start_conversions(
        &self,
        kind: ConversionKind,
        paths: &[String],
        store: Option<bool>,
        save_in_group: Option<bool>,
    ) -> Result<ConversionResponse> {
        if paths.is_empty() {
            return Err(Error::invalid("a conversion needs at least one path"));
        }
        let body = StartBody { paths, store: store.map(bool_str), save_in_group: save_in_group.map(bool_str) };
        let body = serde_json::to_vec(&body).expect("paths serialize");
        self.request_json(Method::POST, self.url(&format!("convert/{}/", kind.segment())), Some(body)).await
    }

    /// A job's status by its token.
    pub(crate) async fn conversion_status(&self, kind: ConversionKind, token: u64) -> Result<ConversionStatus> {
        self.get_json(&format!("convert/{}/status/{token}/", kind.segment())).await
    }

    /// Polls a job with backoff until it is finished, failed or cancelled; past `timeout`,
    /// [`Error::Timeout`].
    pub(crate) async fn wait_conversion(&self, kind: ConversionKind, token: u64, timeout: Duration) -> Result<ConversionStatus> {
        crate::poll::until_final(timeout, || self.conversion_status(kind, token), |status| status.status.is_final()).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const UUID: &str = "21975c81-7f57-4c7a-aef9-acfe28779f78";

    #[test]
    fn document_paths() {
        assert_eq!(DocumentConversion::new(UUID).path().unwrap(), format!("{UUID}/document/"));
        assert_eq!(DocumentConversion::new(UUID).format(DocumentFormat::Pdf).path().unwrap(), format!("{UUID}/document/-/format/pdf/"));
        assert!(DocumentConversion::new(UUID).format(DocumentFormat::Pdf).page(1).path().is_err());
        assert!(DocumentConversion::new(UUID).format(DocumentFormat::Png).page(0).path().is_err());
        assert!(DocumentConversion::new("nope").path().is_err());
    }

    #[test]
    fn video_paths_are_checked() {
        assert_eq!(VideoConversion::new(UUID).path().unwrap(), format!("{UUID}/video/"));
        assert!(VideoConversion::new(UUID).thumbs(0).path().is_err());
        assert!(VideoConversion::new(UUID).thumbs(51).path().is_err());
        assert!(VideoConversion::new(UUID).size(0, 10, ResizeMode::ChangeRatio).path().is_err());
        assert!(VideoConversion::new(UUID).cut("x", "end").path().is_err());
        assert!(VideoConversion::new(UUID).cut("1:2:3:4", "5").path().is_err());
        assert!(VideoConversion::new(UUID).cut("0:0:1.5", "10").path().is_ok());
    }

    #[test]
    fn words_parse_and_refuse() {
        assert_eq!("PDF".parse::<DocumentFormat>().unwrap(), DocumentFormat::Pdf);
        assert_eq!("ogg".parse::<VideoFormat>().unwrap(), VideoFormat::Ogg);
        assert_eq!("scale_crop".parse::<ResizeMode>().unwrap(), ResizeMode::ScaleCrop);
        let err = "gif".parse::<DocumentFormat>().unwrap_err().to_string();
        assert!(err.contains("doc, docx"), "{err}");
    }
}
