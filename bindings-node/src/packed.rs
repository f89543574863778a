//! Pages of files (and the files of batches) packed for JavaScript: each file as a JSON
//! array of its fields in the order `models.js` `packedFile` reads them, times as epoch
//! milliseconds, MIME types as indices in the page's `strings`.
//!
//! Why: `JSON.parse` of a page of objects with snake_case keys, then building the camelCase
//! models from them, was most of what a Node listing cost (the page is already decoded by
//! the core, off the JavaScript thread). Arrays carry no keys, so V8 parses a packed page in
//! about half the time, and the models are built from it without intermediate objects.
//!
//! The files are the core's typed models, the same ones `files.info` serializes; a file is
//! packed only when that gives exactly what `models.file` makes of its JSON. A file whose
//! unmodelled fields (`extra`) carry a name `models.file` reads (`source` in v0.7,
//! `content_info` in v0.5, ...) is sent as its JSON object instead, and read by `models.file`.

use std::cell::RefCell;
use std::collections::HashMap;

use serde::ser::{Serialize, SerializeSeq, SerializeStruct, SerializeTuple, Serializer};
use serde_json::{Map, Value};
use ucare::chrono::{DateTime, Utc};
use ucare::models::ImageInfo;
use ucare_bindings::{FileBatch, FilePage};

/// The keys of a file's JSON that `models.file` reads; an unmodelled field of one of these
/// names would be read by it as a model field, so such a file is not packed.
const FILE_KEYS: [&str; 17] = [
    "uuid",
    "original_filename",
    "mime_type",
    "size",
    "is_image",
    "is_ready",
    "datetime_uploaded",
    "datetime_stored",
    "datetime_removed",
    "image_info",
    "original_file_url",
    "url",
    "source",
    "content_info",
    "metadata",
    "appdata",
    "variations",
];

/// Epoch milliseconds, rounded down as `new Date(iso)` rounds the microseconds away.
fn millis(at: &Option<DateTime<Utc>>) -> Option<i64> {
    at.map(|at| at.timestamp_millis())
}

/// A page of files in the packed form: `{total, perPage, next, previous, results,
/// strings}`. MIME types, which a page repeats file after file, are each sent once in
/// `strings` and referred to by their index there.
pub fn file_page(page: &FilePage) -> serde_json::Result<String> {
    let strings = Strings::default();
    match page {
        FilePage::V05(p) => serde_json::to_string(&Frame { page: p, pack: V05, strings: &strings }),
        FilePage::V07(p) => serde_json::to_string(&Frame { page: p, pack: V07, strings: &strings }),
    }
}

/// A batch's merged answer with its files packed: `{status, problems, results, strings}`.
pub fn file_batch(batch: &FileBatch) -> serde_json::Result<String> {
    let strings = Strings::default();
    match batch {
        FileBatch::V05(b) => serde_json::to_string(&BatchFrame { batch: b, pack: V05, strings: &strings }),
        FileBatch::V07(b) => serde_json::to_string(&BatchFrame { batch: b, pack: V07, strings: &strings }),
    }
}

/// The strings of a page sent once, in order of first use.
#[derive(Default)]
struct Strings<'a> {
    index: RefCell<HashMap<&'a str, usize>>,
}

impl<'a> Strings<'a> {
    /// The index of `text` in the page's `strings`.
    fn of(&self, text: &'a str) -> usize {
        let mut index = self.index.borrow_mut();
        let next = index.len();
        *index.entry(text).or_insert(next)
    }

    fn in_order(&self) -> Vec<&'a str> {
        let index = self.index.borrow();
        let mut strings = vec![""; index.len()];
        for (text, at) in index.iter() {
            strings[*at] = text;
        }
        strings
    }
}

/// Packs the files of one version.
trait Pack<F>: Copy {
    fn pack<'a, S: SerializeSeq>(self, file: &'a F, strings: &Strings<'a>, seq: &mut S) -> Result<(), S::Error>;
}

#[derive(Clone, Copy)]
struct V05;
#[derive(Clone, Copy)]
struct V07;

struct Frame<'a, 's, F, P> {
    page: &'a ucare::Page<F>,
    pack: P,
    strings: &'s Strings<'a>,
}

impl<F, P: Pack<F>> Serialize for Frame<'_, '_, F, P> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut frame = serializer.serialize_struct("Page", 6)?;
        frame.serialize_field("total", &self.page.total)?;
        frame.serialize_field("perPage", &self.page.per_page)?;
        frame.serialize_field("next", &self.page.next)?;
        frame.serialize_field("previous", &self.page.previous)?;
        frame.serialize_field("results", &Files { files: &self.page.results, pack: self.pack, strings: self.strings })?;
        // After the files, which fill it.
        frame.serialize_field("strings", &self.strings.in_order())?;
        frame.end()
    }
}

struct BatchFrame<'a, 's, F, P> {
    batch: &'a ucare::BatchResult<F>,
    pack: P,
    strings: &'s Strings<'a>,
}

impl<F, P: Pack<F>> Serialize for BatchFrame<'_, '_, F, P> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut frame = serializer.serialize_struct("Batch", 4)?;
        frame.serialize_field("status", &self.batch.status)?;
        frame.serialize_field("problems", &self.batch.problems)?;
        frame.serialize_field("results", &Files { files: &self.batch.result, pack: self.pack, strings: self.strings })?;
        frame.serialize_field("strings", &self.strings.in_order())?;
        frame.end()
    }
}

struct Files<'a, 's, F, P> {
    files: &'a [F],
    pack: P,
    strings: &'s Strings<'a>,
}

impl<F, P: Pack<F>> Serialize for Files<'_, '_, F, P> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.files.len()))?;
        for file in self.files {
            self.pack.pack(file, self.strings, &mut seq)?;
        }
        seq.end()
    }
}

fn reads_as_model_field(extra: &Map<String, Value>) -> bool {
    !extra.is_empty() && FILE_KEYS.iter().any(|key| extra.contains_key(*key))
}

/// Serializes the values as one JSON array.
macro_rules! array {
    ($serializer:expr; $($value:expr),+ $(,)?) => {{
        let mut array = $serializer.serialize_tuple([$(stringify!($value)),+].len())?;
        $(array.serialize_element(&$value)?;)+
        array.end()
    }};
}

impl Pack<ucare::File> for V07 {
    fn pack<'a, S: SerializeSeq>(self, file: &'a ucare::File, strings: &Strings<'a>, seq: &mut S) -> Result<(), S::Error> {
        if reads_as_model_field(&file.extra) {
            seq.serialize_element(file)
        } else {
            seq.serialize_element(&Packed07(file, strings))
        }
    }
}

impl Pack<ucare::v05::File> for V05 {
    fn pack<'a, S: SerializeSeq>(self, file: &'a ucare::v05::File, strings: &Strings<'a>, seq: &mut S) -> Result<(), S::Error> {
        if reads_as_model_field(&file.extra) {
            seq.serialize_element(file)
        } else {
            seq.serialize_element(&Packed05(file, strings))
        }
    }
}

const NONE: Option<()> = None;

/// `[uuid, originalFilename, mimeType, size, isImage, isReady, uploaded, stored, removed,
/// imageInfo, originalFileUrl, url, source, metadata, appdata, variations, extra,
/// hasContentInfo]`, then for v0.7 `contentInfo` flattened: `[mime, type, subtype, image,
/// video, contentExtra]` (the MIME strings as indices in `strings`, null when there is no
/// `mime`). In v0.7 `imageInfo` is null (`models.js` takes `contentInfo.image`).
struct Packed07<'a, 's>(&'a ucare::File, &'s Strings<'a>);

impl Serialize for Packed07<'_, '_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let (f, strings) = (self.0, self.1);
        let content = f.content_info.as_ref();
        let mime = content.and_then(|c| c.mime.as_ref());
        array!(serializer;
            f.uuid, f.original_filename, strings.of(&f.mime_type), f.size, f.is_image, f.is_ready,
            millis(&f.datetime_uploaded), millis(&f.datetime_stored), millis(&f.datetime_removed),
            NONE, f.original_file_url, f.url, NONE, f.metadata, f.appdata, f.variations, f.extra,
            u8::from(content.is_some()),
            mime.map(|m| strings.of(&m.mime)), mime.map(|m| strings.of(&m.kind)), mime.map(|m| strings.of(&m.subtype)),
            content.and_then(|c| c.image.as_ref()).map(PackedImage), content.and_then(|c| c.video.as_ref()),
            content.map(|c| &c.extra))
    }
}

/// The same array for a v0.5 file, without `contentInfo`: `metadata` `{}`.
struct Packed05<'a, 's>(&'a ucare::v05::File, &'s Strings<'a>);

impl Serialize for Packed05<'_, '_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let (f, strings) = (self.0, self.1);
        array!(serializer;
            f.uuid, f.original_filename, strings.of(&f.mime_type), f.size, f.is_image, f.is_ready,
            millis(&f.datetime_uploaded), millis(&f.datetime_stored), millis(&f.datetime_removed),
            f.image_info.as_ref().map(PackedImage), f.original_file_url, f.url, f.source,
            Map::new(), NONE, NONE, f.extra, 0u8)
    }
}

/// `[colorMode, orientation, format, sequence, height, width, geoLocation,
/// datetimeOriginal, dpi, extra]`
struct PackedImage<'a>(&'a ImageInfo);

impl Serialize for PackedImage<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let i = self.0;
        array!(serializer; i.color_mode, i.orientation, i.format, i.sequence, i.height, i.width, i.geo_location, i.datetime_original, i.dpi, i.extra)
    }
}
