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

use serde::ser::{SerializeSeq, SerializeTuple, Serializer};
use serde::Serialize;
use serde_json::{Map, Value};
use ucare::chrono::{DateTime, Utc};
use ucare::models::ImageInfo;
use ucare_bindings::{FileBatch, FilePage};

/// The names of a file's JSON fields that `models.js` `file` reads (its `FILE`): an
/// unmodelled field of one of these names would be read by it as a model field, so such a
/// file is not packed. (The parity test feeds each of `FILE` as an unmodelled field.)
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

/// A page of files in the packed form: `{total, perPage, next, previous, results,
/// strings}`. MIME types, which a page repeats file after file, are each sent once in
/// `strings` and referred to by their index there.
pub fn file_page(page: &FilePage) -> ucare::Result<String> {
    let strings = &Strings::default();
    match page {
        FilePage::V05(page) => to_json(&PageFrame::of(page, strings)),
        FilePage::V07(page) => to_json(&PageFrame::of(page, strings)),
    }
}

/// A batch's merged answer with its files packed: `{status, problems, results, strings}`.
pub fn file_batch(batch: &FileBatch) -> ucare::Result<String> {
    let strings = &Strings::default();
    match batch {
        FileBatch::V05(batch) => to_json(&BatchFrame::of(batch, strings)),
        FileBatch::V07(batch) => to_json(&BatchFrame::of(batch, strings)),
    }
}

/// The JSON text of a frame. The core's models always serialize; were one not to, that is
/// an answer the client cannot hand over, as a decode error is.
fn to_json(frame: &impl Serialize) -> ucare::Result<String> {
    serde_json::to_string(frame).map_err(|e| ucare::Error::Decode {
        status: 200,
        message: format!("could not pack the files: {e}"),
        snippet: String::new(),
    })
}

/// The strings of a page sent once, in order of first use. A page holds a handful of
/// distinct MIME types, so they are looked up by a scan (the last one found first), which
/// costs less than hashing four strings per file; past `SCANNED` strings a map takes over,
/// so that a page of a thousand different types is not quadratic.
#[derive(Default)]
struct Strings<'a> {
    state: RefCell<Interned<'a>>,
}

#[derive(Default)]
struct Interned<'a> {
    /// The strings in the order of their indices.
    list: Vec<&'a str>,
    /// The index of each string, once there are more than `SCANNED`.
    map: HashMap<&'a str, usize>,
    /// The index found last.
    last: usize,
}

const SCANNED: usize = 16;

impl<'a> Strings<'a> {
    /// The index of `text` in the page's `strings`.
    fn of(&self, text: &'a str) -> usize {
        let mut state = self.state.borrow_mut();
        let Interned { list, map, last } = &mut *state;
        if list.get(*last) == Some(&text) {
            return *last;
        }
        let found = if list.len() <= SCANNED { list.iter().position(|s| *s == text) } else { map.get(text).copied() };
        let at = found.unwrap_or_else(|| {
            list.push(text);
            if list.len() == SCANNED + 1 {
                map.extend(list.iter().enumerate().map(|(at, s)| (*s, at)));
            } else if list.len() > SCANNED + 1 {
                map.insert(text, list.len() - 1);
            }
            list.len() - 1
        });
        *last = at;
        at
    }
}

/// The strings in the order of their indices.
impl Serialize for Strings<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.state.borrow().list.serialize(serializer)
    }
}

/// A file of either version, as its packed array.
trait Packable: Serialize {
    /// Its unmodelled fields.
    fn extra(&self) -> &Map<String, Value>;
    /// Writes the packed array, its MIME strings interned in `strings`.
    fn pack<'a, S: Serializer>(&'a self, strings: &Strings<'a>, serializer: S) -> Result<S::Ok, S::Error>;
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase", bound = "F: Packable")]
struct PageFrame<'a, 's, F> {
    total: u64,
    per_page: u64,
    next: &'a Option<String>,
    previous: &'a Option<String>,
    results: Files<'a, 's, F>,
    /// Last: the files fill it.
    strings: &'s Strings<'a>,
}

impl<'a, 's, F> PageFrame<'a, 's, F> {
    fn of(page: &'a ucare::Page<F>, strings: &'s Strings<'a>) -> Self {
        let files = Files { files: &page.results, strings };
        PageFrame { total: page.total, per_page: page.per_page, next: &page.next, previous: &page.previous, results: files, strings }
    }
}

#[derive(Serialize)]
#[serde(bound = "F: Packable")]
struct BatchFrame<'a, 's, F> {
    status: &'a str,
    problems: &'a ucare::models::Problems,
    results: Files<'a, 's, F>,
    /// Last: the files fill it.
    strings: &'s Strings<'a>,
}

impl<'a, 's, F> BatchFrame<'a, 's, F> {
    fn of(batch: &'a ucare::BatchResult<F>, strings: &'s Strings<'a>) -> Self {
        let files = Files { files: &batch.result, strings };
        BatchFrame { status: &batch.status, problems: &batch.problems, results: files, strings }
    }
}

struct Files<'a, 's, F> {
    files: &'a [F],
    strings: &'s Strings<'a>,
}

impl<F: Packable> Serialize for Files<'_, '_, F> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.files.len()))?;
        for file in self.files {
            seq.serialize_element(&OneFile(file, self.strings))?;
        }
        seq.end()
    }
}

/// A file packed, or as its JSON object when one of its unmodelled fields bears a name
/// `models.file` reads.
struct OneFile<'a, 's, F>(&'a F, &'s Strings<'a>);

impl<F: Packable> Serialize for OneFile<'_, '_, F> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let extra = self.0.extra();
        if !extra.is_empty() && FILE_KEYS.iter().any(|key| extra.contains_key(*key)) {
            self.0.serialize(serializer)
        } else {
            self.0.pack(self.1, serializer)
        }
    }
}

/// Serializes the values as one JSON array.
macro_rules! array {
    ($serializer:expr; $($value:expr),+ $(,)?) => {{
        let mut array = $serializer.serialize_tuple([$(stringify!($value)),+].len())?;
        $(array.serialize_element(&$value)?;)+
        array.end()
    }};
}

/// Epoch milliseconds, rounded down as `new Date(iso)` rounds the microseconds away.
fn millis(at: &Option<DateTime<Utc>>) -> Option<i64> {
    at.map(|at| at.timestamp_millis())
}

const NONE: Option<()> = None;

/// `[uuid, originalFilename, mimeType, size, isImage, isReady, uploaded, stored, removed,
/// imageInfo, originalFileUrl, url, source, metadata, appdata, variations, extra,
/// hasContentInfo]`, then `contentInfo` flattened: `[mime, type, subtype, image, video,
/// contentExtra]` (the MIME strings as indices in `strings`, null when there is no
/// `mime`). `imageInfo` is null here: `models.js` takes `contentInfo.image`.
impl Packable for ucare::File {
    fn extra(&self) -> &Map<String, Value> {
        &self.extra
    }

    fn pack<'a, S: Serializer>(&'a self, strings: &Strings<'a>, serializer: S) -> Result<S::Ok, S::Error> {
        let f = self;
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

/// The same array for a v0.5 file, which has no `contentInfo` and `metadata` `{}`.
impl Packable for ucare::v05::File {
    fn extra(&self) -> &Map<String, Value> {
        &self.extra
    }

    fn pack<'a, S: Serializer>(&'a self, strings: &Strings<'a>, serializer: S) -> Result<S::Ok, S::Error> {
        let f = self;
        array!(serializer;
            f.uuid, f.original_filename, strings.of(&f.mime_type), f.size, f.is_image, f.is_ready,
            millis(&f.datetime_uploaded), millis(&f.datetime_stored), millis(&f.datetime_removed),
            f.image_info.as_deref().map(PackedImage), f.original_file_url, f.url, f.source,
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
