//! Pages of files (and the files of batches) packed for JavaScript, by column: one JSON
//! array per field (`uuid: [...]`, `size: [...]`, ...), each holding that field of every
//! file in order, and `models.js` `packedFiles` builds file `i` from the `i`-th entries.
//! Times are milliseconds after the page's `epoch`, MIME types indices in the page's
//! `strings`. Fields most files leave empty (`metadata`, `extra`, `appdata`, image and
//! video details, ...) are sparse: an object from a file's index to its value, holding
//! only the files where the value is not the empty default.
//!
//! Why: `JSON.parse` of a page of objects with snake_case keys, then building the camelCase
//! models from them, was most of what a Node listing cost (the page is already decoded by
//! the core, off the JavaScript thread). Columns carry no keys and no per-file containers:
//! V8 parses them without building an array or an object per file, times arrive as small
//! integers rather than heap numbers, and empty parts are made by `models.js` instead of
//! parsed. In a fresh process a page of 1,000 files parses and builds in 0.8 ms, where the
//! API's own objects take 2.2 ms; one array per file took 30% longer than columns.
//!
//! The files are the core's typed models, the same ones `files.info` serializes; a file is
//! packed only when that gives exactly what `models.file` makes of its JSON. A file whose
//! unmodelled fields (`extra`) carry a name `models.file` reads (`source` in v0.7,
//! `content_info` in v0.5, ...) is sent as its JSON object instead (in `whole`, by index;
//! its columns hold `null`), and read by `models.file`. The exception is v0.5's
//! `variations`, which v0.5 answers carry and its model leaves in `extra`: the packed form
//! takes it from there into its own column, as `models.file` does.

use std::cell::RefCell;
use std::collections::HashMap;

use serde::ser::{SerializeMap, SerializeSeq, Serializer};
use serde::Serialize;
use serde_json::{Map, Value};
use ucare::chrono::{DateTime, Utc};
use ucare::models::ImageInfo;
use ucare::v07::models::{ContentInfo, Metadata};
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

/// A page of files in the packed form: `{total, perPage, next, previous, ...columns}`.
pub fn file_page(page: &FilePage) -> ucare::Result<String> {
    match page {
        FilePage::V05(page) => to_json(&PageFrame { page, files: &Files::of(&page.results) }),
        FilePage::V07(page) => to_json(&PageFrame { page, files: &Files::of(&page.results) }),
    }
}

/// A batch's merged answer with its files packed: `{status, problems, ...columns}`.
pub fn file_batch(batch: &FileBatch) -> ucare::Result<String> {
    match batch {
        FileBatch::V05(batch) => to_json(&BatchFrame { batch, files: &Files::of(&batch.result) }),
        FileBatch::V07(batch) => to_json(&BatchFrame { batch, files: &Files::of(&batch.result) }),
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

struct PageFrame<'a, F> {
    page: &'a ucare::Page<F>,
    files: &'a Files<'a, F>,
}

impl<F: Packable> Serialize for PageFrame<'_, F> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("total", &self.page.total)?;
        map.serialize_entry("perPage", &self.page.per_page)?;
        map.serialize_entry("next", &self.page.next)?;
        map.serialize_entry("previous", &self.page.previous)?;
        self.files.columns(&mut map)?;
        map.end()
    }
}

struct BatchFrame<'a, F> {
    batch: &'a ucare::BatchResult<F>,
    files: &'a Files<'a, F>,
}

impl<F: Packable> Serialize for BatchFrame<'_, F> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("status", &self.batch.status)?;
        map.serialize_entry("problems", &self.batch.problems)?;
        self.files.columns(&mut map)?;
        map.end()
    }
}

/// The files of a page, ready to be written column by column.
struct Files<'a, F> {
    files: &'a [F],
    /// Whether each file is packed (or sent whole).
    packed: Vec<bool>,
    /// What the times are counted from.
    epoch: i64,
    strings: Strings<'a>,
}

impl<'a, F: Packable> Files<'a, F> {
    fn of(files: &'a [F]) -> Self {
        let read_by_models = |key: &String| FILE_KEYS.contains(&key.as_str()) && Some(key.as_str()) != F::IN_EXTRA;
        let packed: Vec<bool> = files.iter().map(|f| !f.extra().keys().any(read_by_models)).collect();
        let times = || files.iter().zip(&packed).filter(|(_, packed)| **packed).flat_map(|(f, _)| f.times()).flatten();
        // Counted from the page's first time, times are small integers to V8. A JavaScript
        // number holds integers exactly up to 2^53: a page whose times lie further apart (not
        // met in practice) counts from 1970 instead, as plain epoch milliseconds.
        let first = times().next().map_or(0, |at| at.timestamp_millis());
        let near = times().all(|at| (at.timestamp_millis() - first).unsigned_abs() < 1 << 53);
        Files { files, packed, epoch: if near { first } else { 0 }, strings: Strings::default() }
    }

    /// Writes every column into the frame's map, `strings` last (the columns fill it).
    fn columns<M: SerializeMap>(&'a self, map: &mut M) -> Result<(), M::Error> {
        let strings = &self.strings;
        let epoch = self.epoch;
        let time = move |at: Option<DateTime<Utc>>| at.map(|at| at.timestamp_millis() - epoch);
        map.serialize_entry("count", &self.files.len())?;
        map.serialize_entry("epoch", &epoch)?;
        map.serialize_entry("uuid", &self.column(|f| f.uuid()))?;
        map.serialize_entry("originalFilename", &self.column(|f| f.original_filename()))?;
        map.serialize_entry("mimeType", &self.column(|f| strings.of(f.mime_type())))?;
        map.serialize_entry("size", &self.column(|f| f.size()))?;
        map.serialize_entry("isImage", &self.column(|f| f.is_image()))?;
        map.serialize_entry("isReady", &self.column(|f| f.is_ready()))?;
        map.serialize_entry("uploaded", &self.column(|f| time(f.times()[0])))?;
        map.serialize_entry("stored", &self.column(|f| time(f.times()[1])))?;
        map.serialize_entry("removed", &self.column(|f| time(f.times()[2])))?;
        map.serialize_entry("originalFileUrl", &self.column(|f| f.original_file_url()))?;
        map.serialize_entry("url", &self.column(|f| f.url()))?;
        // `content_info` (v0.7): whether there is one, then its MIME parts (null without).
        let mime = |f: &'a F| f.content_info().and_then(|c| c.mime.as_ref());
        map.serialize_entry("hasContentInfo", &self.column(|f| f.content_info().is_some()))?;
        map.serialize_entry("contentMime", &self.column(|f| mime(f).map(|m| strings.of(&m.mime))))?;
        map.serialize_entry("contentType", &self.column(|f| mime(f).map(|m| strings.of(&m.kind))))?;
        map.serialize_entry("contentSubtype", &self.column(|f| mime(f).map(|m| strings.of(&m.subtype))))?;
        map.serialize_entry("image", &self.sparse(|f| f.image().map(PackedImage)))?;
        map.serialize_entry("video", &self.sparse(|f| f.content_info().and_then(|c| c.video.as_ref())))?;
        map.serialize_entry("contentExtra", &self.sparse(|f| f.content_info().map(|c| &c.extra).filter(|e| !e.is_empty())))?;
        map.serialize_entry("source", &self.sparse(|f| f.source()))?;
        map.serialize_entry("metadata", &self.sparse(|f| f.metadata().filter(|m| !m.is_empty())))?;
        map.serialize_entry("appdata", &self.sparse(|f| f.appdata()))?;
        map.serialize_entry("variations", &self.sparse(|f| f.variations()))?;
        let extra = |f: &'a F| Extra { fields: f.extra(), skip: F::IN_EXTRA };
        map.serialize_entry("extra", &self.sparse(|f| Some(extra(f)).filter(|e| !e.is_empty())))?;
        map.serialize_entry("whole", &Whole(self))?;
        map.serialize_entry("strings", strings)
    }

    /// A field of every file, in order (`null` for a file sent whole).
    fn column<T: Serialize>(&'a self, field: impl Fn(&'a F) -> T) -> Column<'a, F, impl Fn(&'a F) -> T> {
        Column { files: self, field }
    }

    /// `{index: value}` for the packed files whose field is not empty.
    fn sparse<T: Serialize>(&'a self, field: impl Fn(&'a F) -> Option<T>) -> Sparse<'a, F, impl Fn(&'a F) -> Option<T>> {
        Sparse { files: self, field }
    }
}

struct Column<'a, F, G> {
    files: &'a Files<'a, F>,
    field: G,
}

impl<'a, F, T: Serialize, G: Fn(&'a F) -> T> Serialize for Column<'a, F, G> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let files = self.files;
        let mut seq = serializer.serialize_seq(Some(files.files.len()))?;
        for (file, packed) in files.files.iter().zip(&files.packed) {
            if *packed {
                seq.serialize_element(&(self.field)(file))?;
            } else {
                seq.serialize_element(&())?;
            }
        }
        seq.end()
    }
}

struct Sparse<'a, F, G> {
    files: &'a Files<'a, F>,
    field: G,
}

impl<'a, F, T: Serialize, G: Fn(&'a F) -> Option<T>> Serialize for Sparse<'a, F, G> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let files = self.files;
        let mut map = serializer.serialize_map(None)?;
        for (at, (file, packed)) in files.files.iter().zip(&files.packed).enumerate() {
            if let Some(value) = (*packed).then(|| (self.field)(file)).flatten() {
                map.serialize_entry(&at, &value)?;
            }
        }
        map.end()
    }
}

/// A file's unmodelled fields, but for the one its version leaves there and the packed
/// form carries in a column of its own (v0.5's `variations`).
struct Extra<'a> {
    fields: &'a Map<String, Value>,
    skip: Option<&'static str>,
}

impl Extra<'_> {
    fn kept(&self) -> impl Iterator<Item = (&String, &Value)> {
        self.fields.iter().filter(|(key, _)| Some(key.as_str()) != self.skip)
    }

    fn is_empty(&self) -> bool {
        self.kept().next().is_none()
    }
}

impl Serialize for Extra<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.kept())
    }
}

/// `{index: file JSON}` for the files sent whole.
struct Whole<'a, F>(&'a Files<'a, F>);

impl<F: Packable> Serialize for Whole<'_, F> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let files = self.0;
        let mut map = serializer.serialize_map(None)?;
        for (at, (file, packed)) in files.files.iter().zip(&files.packed).enumerate() {
            if !packed {
                map.serialize_entry(&at, file)?;
            }
        }
        map.end()
    }
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

/// A file of either version, as its columns read it.
trait Packable: Serialize {
    /// A field `models.file` reads that this version does not model, so that it arrives
    /// in `extra`; the packed form takes it from there (v0.5 answers carry `variations`).
    const IN_EXTRA: Option<&'static str> = None;
    fn uuid(&self) -> &str;
    fn original_filename(&self) -> &str;
    fn mime_type(&self) -> &str;
    fn size(&self) -> u64;
    fn is_image(&self) -> bool;
    fn is_ready(&self) -> bool;
    /// Uploaded, stored, removed.
    fn times(&self) -> [Option<DateTime<Utc>>; 3];
    fn original_file_url(&self) -> &Option<String>;
    fn url(&self) -> &Option<String>;
    /// v0.7's `content_info`.
    fn content_info(&self) -> Option<&ContentInfo>;
    /// v0.5's `image_info`, or v0.7's `content_info.image` (`models.js` makes both
    /// `imageInfo` and `contentInfo.image` of it).
    fn image(&self) -> Option<&ImageInfo>;
    /// v0.5's `source`.
    fn source(&self) -> Option<&str>;
    /// v0.7's `metadata`.
    fn metadata(&self) -> Option<&Metadata>;
    fn appdata(&self) -> Option<&ucare::v07::models::Appdata>;
    fn variations(&self) -> Option<&Value>;
    /// Its unmodelled fields.
    fn extra(&self) -> &Map<String, Value>;
}

/// The fields both versions' files have, read the same way.
macro_rules! shared_fields {
    () => {
        fn uuid(&self) -> &str {
            &self.uuid
        }
        fn original_filename(&self) -> &str {
            &self.original_filename
        }
        fn mime_type(&self) -> &str {
            &self.mime_type
        }
        fn size(&self) -> u64 {
            self.size
        }
        fn is_image(&self) -> bool {
            self.is_image
        }
        fn is_ready(&self) -> bool {
            self.is_ready
        }
        fn times(&self) -> [Option<DateTime<Utc>>; 3] {
            [self.datetime_uploaded, self.datetime_stored, self.datetime_removed]
        }
        fn original_file_url(&self) -> &Option<String> {
            &self.original_file_url
        }
        fn url(&self) -> &Option<String> {
            &self.url
        }
        fn extra(&self) -> &Map<String, Value> {
            &self.extra
        }
    };
}

impl Packable for ucare::File {
    shared_fields!();
    fn content_info(&self) -> Option<&ContentInfo> {
        self.content_info.as_deref()
    }
    fn image(&self) -> Option<&ImageInfo> {
        self.content_info.as_ref()?.image.as_ref()
    }
    fn source(&self) -> Option<&str> {
        None
    }
    fn metadata(&self) -> Option<&Metadata> {
        Some(&self.metadata)
    }
    fn appdata(&self) -> Option<&ucare::v07::models::Appdata> {
        self.appdata.as_deref()
    }
    fn variations(&self) -> Option<&Value> {
        self.variations.as_ref()
    }
}

impl Packable for ucare::v05::File {
    const IN_EXTRA: Option<&'static str> = Some("variations");
    shared_fields!();
    fn content_info(&self) -> Option<&ContentInfo> {
        None
    }
    fn image(&self) -> Option<&ImageInfo> {
        self.image_info.as_deref()
    }
    fn source(&self) -> Option<&str> {
        self.source.as_deref()
    }
    fn metadata(&self) -> Option<&Metadata> {
        None
    }
    fn appdata(&self) -> Option<&ucare::v07::models::Appdata> {
        None
    }
    fn variations(&self) -> Option<&Value> {
        self.extra.get("variations").filter(|v| !v.is_null())
    }
}

/// `[colorMode, orientation, format, sequence, height, width, geoLocation,
/// datetimeOriginal, dpi, extra]`
struct PackedImage<'a>(&'a ImageInfo);

impl Serialize for PackedImage<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let i = self.0;
        (
            i.color_mode.as_ref(),
            i.orientation,
            i.format.as_ref(),
            i.sequence,
            i.height,
            i.width,
            i.geo_location.as_ref(),
            i.datetime_original.as_ref(),
            i.dpi.as_ref(),
            &i.extra,
        )
            .serialize(serializer)
    }
}
