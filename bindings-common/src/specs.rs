//! Conversions as the host builders describe them (`DocumentConversion(uuid, format=...)`),
//! turned into the core's typed conversions, which check them.

use serde::Deserialize;
use serde_json::Value;
use ucare::conversions::{ConversionKind, DocumentConversion, ResizeMode, VideoConversion};
use ucare::Error;

use crate::decode;

/// A document conversion as the Python builder describes it.
#[derive(Deserialize)]
pub struct DocumentSpec {
    uuid: String,
    #[serde(default)]
    format: Option<String>,
    #[serde(default)]
    page: Option<u32>,
}

impl DocumentSpec {
    /// The typed conversion.
    pub fn build(self) -> ucare::Result<DocumentConversion> {
        let mut conversion = DocumentConversion::new(self.uuid);
        if let Some(format) = self.format {
            conversion = conversion.format(format.parse()?);
        }
        if let Some(page) = self.page {
            conversion = conversion.page(page);
        }
        Ok(conversion)
    }
}

/// A video conversion as the Python builder describes it.
#[derive(Deserialize)]
pub struct VideoSpec {
    uuid: String,
    #[serde(default)]
    format: Option<String>,
    #[serde(default)]
    quality: Option<String>,
    #[serde(default)]
    size: Option<(u32, u32, Option<String>)>,
    #[serde(default)]
    cut: Option<(String, String)>,
    #[serde(default)]
    thumbs: Option<u32>,
}

impl VideoSpec {
    /// The typed conversion.
    pub fn build(self) -> ucare::Result<VideoConversion> {
        let mut conversion = VideoConversion::new(self.uuid);
        if let Some(format) = self.format {
            conversion = conversion.format(format.parse()?);
        }
        if let Some(quality) = self.quality {
            conversion = conversion.quality(quality.parse()?);
        }
        if let Some((width, height, mode)) = self.size {
            let mode = match mode {
                Some(mode) => mode.parse()?,
                None => ResizeMode::PreserveRatio,
            };
            conversion = conversion.size(width, height, mode);
        }
        if let Some((start, length)) = self.cut {
            conversion = conversion.cut(start, length);
        }
        if let Some(thumbs) = self.thumbs {
            conversion = conversion.thumbs(thumbs);
        }
        Ok(conversion)
    }
}

pub(crate) fn kind(name: &str) -> ucare::Result<ConversionKind> {
    match name {
        "document" => Ok(ConversionKind::Document),
        "video" => Ok(ConversionKind::Video),
        other => Err(Error::InvalidInput(format!("conversion kind {other:?} is not document or video"))),
    }
}

/// The path of a document conversion described as JSON (`uuid`, `format`, `page`).
pub fn document_path(spec: Value) -> ucare::Result<String> {
    decode::<DocumentSpec>(spec)?.build()?.path()
}

/// The path of a video conversion described as JSON (`uuid`, `format`, `quality`,
/// `size` as `[w, h, mode]`, `cut` as `[start, length]`, `thumbs`).
pub fn video_path(spec: Value) -> ucare::Result<String> {
    decode::<VideoSpec>(spec)?.build()?.path()
}
