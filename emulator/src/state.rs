//! The emulator's in-memory project: files, groups, webhooks, conversion jobs, deliveries.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use bytes::Bytes;
use chrono::{DateTime, SecondsFormat, TimeZone, Utc};
use serde_json::{json, Value};

use crate::json;

/// Microseconds since the epoch: the emulator's clock unit, the key of the ordered indexes.
pub type Micros = i64;

/// The ordered index entries: `(sort key, sequence number)`.
pub type Index = BTreeSet<(i64, u64)>;

/// Now, in microseconds.
pub fn now_micros() -> Micros {
    Utc::now().timestamp_micros()
}

/// `2018-11-26T12:49:10.477888Z`, as the API writes datetimes in bodies.
pub fn format_datetime(at: Micros) -> String {
    to_datetime(at).to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// `2018-11-26T12:49:10.477888+00:00`, as the API writes datetime cursors.
pub fn format_cursor(at: Micros) -> String {
    to_datetime(at).format("%Y-%m-%dT%H:%M:%S%.6f+00:00").to_string()
}

pub(crate) fn to_datetime(at: Micros) -> DateTime<Utc> {
    Utc.timestamp_micros(at).single().unwrap_or_default()
}

/// Parses an ISO-8601 datetime (with or without an offset, with or without a fraction).
pub fn parse_datetime(s: &str) -> Option<Micros> {
    if let Ok(at) = DateTime::parse_from_rfc3339(s) {
        return Some(at.timestamp_micros());
    }
    for format in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d"] {
        if let Ok(at) = chrono::NaiveDateTime::parse_from_str(s, format) {
            return Some(at.and_utc().timestamp_micros());
        }
        if let Ok(day) = chrono::NaiveDate::parse_from_str(s, format) {
            return Some(day.and_hms_opt(0, 0, 0)?.and_utc().timestamp_micros());
        }
    }
    None
}

/// The REST API version a request speaks (its `Accept` header), which decides the routes
/// and how answers are rendered. One running emulator answers both, as the service does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Version {
    /// `application/vnd.uploadcare-v0.5+json`: the seed's API.
    #[default]
    V05,
    /// `application/vnd.uploadcare-v0.7+json`: the current API.
    V07,
}

impl Version {
    /// The `Content-Type` of this version's answers (and the `Accept` that asks for it).
    pub fn media_type(self) -> &'static str {
        match self {
            Version::V05 => "application/vnd.uploadcare-v0.5+json",
            Version::V07 => "application/vnd.uploadcare-v0.7+json",
        }
    }

    /// The version an `Accept` header names, if it names one this emulator speaks.
    pub fn from_accept(accept: &str) -> Option<Version> {
        accept.split(',').map(str::trim).find_map(|a| {
            if a.starts_with(Version::V07.media_type()) {
                Some(Version::V07)
            } else if a.starts_with(Version::V05.media_type()) {
                Some(Version::V05)
            } else {
                None
            }
        })
    }
}

/// A stored file.
#[derive(Debug, Clone)]
pub struct FileRecord {
    pub seq: u64,
    pub uuid: String,
    pub original_filename: String,
    pub mime_type: String,
    pub size: u64,
    pub image_info: Option<Value>,
    pub uploaded: Micros,
    pub stored: Option<Micros>,
    pub removed: Option<Micros>,
    pub source: Option<String>,
    /// The bytes, for files that were uploaded (synthetic files have none).
    pub content: Option<Bytes>,
    /// Where the bytes of a large (multipart) upload are kept on disk instead.
    pub content_path: Option<std::path::PathBuf>,
    /// v0.7 metadata: key to value.
    pub metadata: BTreeMap<String, String>,
    /// v0.7 application data: add-on name to `{data, version, datetime_created, datetime_updated}`.
    pub appdata: BTreeMap<String, Value>,
}

impl FileRecord {
    pub fn is_image(&self) -> bool {
        self.image_info.is_some()
    }

    /// The API's JSON for this file in `version`'s shape; `base` is the answering server's
    /// root URL. v0.7 answers carry `appdata` only when asked (`include=appdata`).
    pub fn to_json(&self, base: &str, version: Version) -> Value {
        self.to_json_with(base, version, false)
    }

    /// [`FileRecord::to_json`], with `appdata` for v0.7 when `appdata` is true.
    pub fn to_json_with(&self, base: &str, version: Version, appdata: bool) -> Value {
        let mut out = Vec::with_capacity(640);
        self.write_json(base, version, appdata, &mut out);
        serde_json::from_slice(&out).expect("the emulator writes JSON")
    }

    /// Writes the API's JSON for this file straight into `out`: listings write a thousand
    /// of these per page (see `json.rs`). The one place a file's shape is written.
    pub fn write_json(&self, base: &str, version: Version, appdata: bool, out: &mut Vec<u8>) {
        // A removed file is no longer stored, and has no CDN URL: v0.7 answers say so.
        let (stored, original_url) = match version {
            Version::V05 => (self.stored, true),
            Version::V07 => (self.stored.filter(|_| self.removed.is_none()), self.removed.is_none()),
        };
        out.extend_from_slice(b"{\"datetime_removed\":");
        json::datetime(out, self.removed);
        out.extend_from_slice(b",\"datetime_stored\":");
        json::datetime(out, stored);
        out.extend_from_slice(b",\"datetime_uploaded\":");
        json::datetime(out, Some(self.uploaded));
        if version == Version::V05 {
            out.extend_from_slice(b",\"image_info\":");
            json::value(out, &self.image_info);
        }
        out.extend_from_slice(b",\"is_image\":");
        json::boolean(out, self.is_image());
        out.extend_from_slice(b",\"is_ready\":true,\"mime_type\":");
        json::string(out, &self.mime_type);
        out.extend_from_slice(b",\"original_file_url\":");
        if original_url {
            self.write_url(base, Some(&self.original_filename), out);
        } else {
            out.extend_from_slice(b"null");
        }
        out.extend_from_slice(b",\"original_filename\":");
        json::string(out, &self.original_filename);
        out.extend_from_slice(b",\"size\":");
        json::number(out, self.size);
        out.extend_from_slice(b",\"url\":");
        self.write_url(base, None, out);
        out.extend_from_slice(b",\"uuid\":");
        json::string(out, &self.uuid);
        match version {
            Version::V05 => {
                out.extend_from_slice(b",\"source\":");
                json::optional_string(out, self.source.as_deref());
                out.extend_from_slice(b",\"variations\":null,\"rekognition_info\":{}}");
            }
            Version::V07 => {
                // `content_info.mime` splits the MIME type; `image` only for images.
                let (kind, subtype) = self.mime_type.split_once('/').unwrap_or((&self.mime_type, ""));
                out.extend_from_slice(b",\"variations\":null,\"content_info\":{\"mime\":{\"mime\":");
                json::string(out, &self.mime_type);
                out.extend_from_slice(b",\"type\":");
                json::string(out, kind);
                out.extend_from_slice(b",\"subtype\":");
                json::string(out, subtype);
                out.push(b'}');
                if let Some(image) = &self.image_info {
                    out.extend_from_slice(b",\"image\":");
                    json::value(out, image);
                }
                out.extend_from_slice(b"},\"metadata\":");
                json::value(out, &self.metadata);
                if appdata {
                    out.extend_from_slice(b",\"appdata\":");
                    json::value(out, &self.appdata);
                }
                out.push(b'}');
            }
        }
    }

    /// `<base><uuid>/<filename>` (the CDN URL) or `<base>files/<uuid>/` (the API URL), as a
    /// JSON string.
    fn write_url(&self, base: &str, filename: Option<&str>, out: &mut Vec<u8>) {
        out.push(b'"');
        json::fragment(out, base);
        match filename {
            Some(name) => {
                json::fragment(out, &self.uuid);
                out.push(b'/');
                // Percent-encoded: ASCII letters, digits, `-._~` and `%XX`, nothing to escape.
                for piece in percent_encoding::utf8_percent_encode(name, FILENAME) {
                    out.extend_from_slice(piece.as_bytes());
                }
            }
            None => {
                out.extend_from_slice(b"files/");
                json::fragment(out, &self.uuid);
                out.push(b'/');
            }
        }
        out.push(b'"');
    }
}

/// What a filename keeps unescaped in a URL path.
const FILENAME: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// What a new file is made of.
#[derive(Debug, Clone, Default)]
pub struct NewFile {
    /// A UUID decided in advance (conversion results); a fresh one when `None`.
    pub uuid: Option<String>,
    pub original_filename: String,
    pub mime_type: String,
    pub size: u64,
    pub image_info: Option<Value>,
    pub uploaded: Micros,
    pub stored: bool,
    pub source: Option<String>,
    pub content: Option<Bytes>,
    pub content_path: Option<std::path::PathBuf>,
    pub metadata: BTreeMap<String, String>,
}

/// A multipart upload in progress: where its parts go and what the file will be.
#[derive(Debug, Clone)]
pub struct MultipartUpload {
    pub filename: String,
    pub content_type: String,
    pub size: u64,
    pub part_size: u64,
    pub store: bool,
    pub metadata: BTreeMap<String, String>,
    /// The directory its parts are written to (`<n>` files).
    pub dir: std::path::PathBuf,
}

/// An upload from a URL: where it is.
#[derive(Debug, Clone)]
pub enum FromUrlJob {
    /// Fetching; bytes so far and the total when known.
    Progress { done: u64, total: Option<u64> },
    /// Done: the new file's UUID.
    Success(String),
    /// Failed: the text and its code.
    Error(String, &'static str),
}

/// A group of files.
#[derive(Debug, Clone)]
pub struct GroupRecord {
    pub id: String,
    pub created: Micros,
    pub stored: Option<Micros>,
    /// The members as given at creation: a file UUID with optional CDN operations.
    pub members: Vec<(String, String)>,
}

/// A webhook subscription.
#[derive(Debug, Clone)]
pub struct WebhookRecord {
    pub id: u64,
    pub created: Micros,
    pub updated: Micros,
    pub event: String,
    pub target_url: String,
    pub is_active: bool,
    pub signing_secret: Option<String>,
    pub version: String,
}

impl WebhookRecord {
    /// The subscription as `version` writes it: v0.7 always has `signing_secret` (null when
    /// unset), v0.5 only when set.
    pub fn to_json(&self, project_id: u64, version: Version) -> Value {
        let mut hook = json!({
            "id": self.id,
            "project": project_id,
            "created": format_datetime(self.created),
            "updated": format_datetime(self.updated),
            "event": self.event,
            "target_url": self.target_url,
            "is_active": self.is_active,
            "version": self.version,
        });
        if self.signing_secret.is_some() || version == Version::V07 {
            hook["signing_secret"] = json!(self.signing_secret);
        }
        hook
    }
}

/// Which conversion endpoint a job came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobKind {
    Document,
    Video,
}

/// A conversion job.
#[derive(Debug, Clone)]
pub struct Job {
    pub kind: JobKind,
    pub source_uuid: String,
    pub result_uuid: String,
    pub thumbnails_group: Option<String>,
    pub thumbs: u32,
    /// The target extension (`pdf`, `mp4`).
    pub target: String,
    pub store: bool,
    /// Whether the pages of the result are saved as a group (v0.7 documents).
    pub save_in_group: bool,
    pub started: std::time::Instant,
    /// Why it will fail, decided at start.
    pub failure: Option<String>,
    /// Whether its result files exist yet.
    pub finalized: bool,
}

/// One webhook delivery the emulator made (or was asked to make).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Delivery {
    /// The subscription's id.
    pub webhook_id: u64,
    /// Where it went.
    pub target_url: String,
    /// The event.
    pub event: String,
    /// The exact body sent.
    pub body: String,
    /// The `X-Uc-Signature` header, when the subscription has a signing secret.
    pub signature: Option<String>,
    /// The target's answer status, once known.
    pub status: Option<u16>,
    /// Why it was not delivered, if it was not.
    pub error: Option<String>,
}

/// A REST request as it arrived, for tests that check what a client sent.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RecordedRequest {
    /// The method.
    pub method: String,
    /// The path and query exactly as sent.
    pub uri: String,
    /// The `Content-Type` header.
    pub content_type: Option<String>,
    /// The `Accept` header.
    pub accept: Option<String>,
    /// The `Authorization` scheme (`Uploadcare` or `Uploadcare.Simple`), never the credential.
    pub auth_scheme: Option<String>,
    /// The `User-Agent` header.
    pub user_agent: Option<String>,
    /// The body, as text.
    pub body: String,
}

/// How many requests the log keeps (the oldest go first).
pub const REQUEST_LOG: usize = 10_000;

/// The whole project.
#[derive(Debug)]
pub struct State {
    pub project_id: u64,
    pub files: Vec<FileRecord>,
    pub file_by_uuid: HashMap<String, u64>,
    pub by_uploaded: Index,
    pub by_size: Index,
    pub groups: Vec<GroupRecord>,
    pub group_by_id: HashMap<String, u64>,
    pub groups_by_created: Index,
    pub webhooks: Vec<WebhookRecord>,
    pub next_webhook_id: u64,
    pub jobs: HashMap<u64, Job>,
    pub next_token: u64,
    pub deliveries: Vec<Delivery>,
    /// How many files are in each (removed, stored) state, for page totals.
    pub counts: [[u64; 2]; 2],
    pub requests: u64,
    pub request_log: std::collections::VecDeque<RecordedRequest>,
    pub faults_injected: u64,
    pub throttled: u64,
    /// Keys written by remote copies, per storage: a second copy to the same key answers 200.
    pub remote_keys: HashSet<(String, String)>,
    /// Add-on runs by request id.
    pub addon_runs: HashMap<String, AddonRun>,
    /// The groups `save_in_group` conversions made: source UUID to target format to group id.
    pub converted_groups: HashMap<String, BTreeMap<String, String>>,
    /// Multipart uploads started and not completed, by file UUID.
    pub multipart: HashMap<String, MultipartUpload>,
    /// Uploads from URLs, by token.
    pub from_url: HashMap<String, FromUrlJob>,
    /// Source URL to the file fetched from it, for `check_URL_duplicates`.
    pub url_files: HashMap<String, String>,
    /// The last moment [`State::fresh_moment`] handed out.
    last_moment: Micros,
    uuid_rng: fastrand::Rng,
}

/// One add-on execution.
#[derive(Debug, Clone)]
pub struct AddonRun {
    pub addon: String,
    pub target: String,
    pub params: Value,
    pub started: std::time::Instant,
    /// `done` or `error` once finished; the result written to the file's `appdata` then.
    pub outcome: Option<&'static str>,
    /// For `remove_bg`, the new file's UUID.
    pub result_file: Option<String>,
}

impl State {
    pub fn new() -> Self {
        State {
            project_id: 13,
            files: Vec::new(),
            file_by_uuid: HashMap::new(),
            by_uploaded: Index::new(),
            by_size: Index::new(),
            groups: Vec::new(),
            group_by_id: HashMap::new(),
            groups_by_created: Index::new(),
            webhooks: Vec::new(),
            next_webhook_id: 1,
            jobs: HashMap::new(),
            next_token: 445_630_631,
            deliveries: Vec::new(),
            counts: [[0; 2]; 2],
            requests: 0,
            request_log: std::collections::VecDeque::new(),
            faults_injected: 0,
            throttled: 0,
            remote_keys: HashSet::new(),
            addon_runs: HashMap::new(),
            converted_groups: HashMap::new(),
            multipart: HashMap::new(),
            from_url: HashMap::new(),
            url_files: HashMap::new(),
            last_moment: 0,
            uuid_rng: fastrand::Rng::new(),
        }
    }

    /// A fresh random (v4) UUID.
    pub fn new_uuid(&mut self) -> String {
        let mut bytes: [u8; 16] = self.uuid_rng.u128(..).to_le_bytes();
        bytes[6] = (bytes[6] & 0x0f) | 0x40;
        bytes[8] = (bytes[8] & 0x3f) | 0x80;
        let h = hex::encode(bytes);
        format!("{}-{}-{}-{}-{}", &h[0..8], &h[8..12], &h[12..16], &h[16..20], &h[20..32])
    }

    /// A moment for a new file or group: now, or just after the last one handed out, so no
    /// two uploads share an upload time (the service's microsecond times do not collide in
    /// practice, and a client that drops `offset` from a cursor relies on it).
    pub fn fresh_moment(&mut self) -> Micros {
        let at = now_micros().max(self.last_moment + 1);
        self.last_moment = at;
        at
    }

    /// Adds a file and indexes it; returns its sequence number.
    pub fn add_file(&mut self, new: NewFile) -> u64 {
        let seq = self.files.len() as u64;
        let uuid = new.uuid.unwrap_or_else(|| self.new_uuid());
        self.file_by_uuid.insert(uuid.clone(), seq);
        self.by_uploaded.insert((new.uploaded, seq));
        self.by_size.insert((new.size as i64, seq));
        self.counts[0][new.stored as usize] += 1;
        self.files.push(FileRecord {
            seq,
            uuid,
            original_filename: new.original_filename,
            mime_type: new.mime_type,
            size: new.size,
            image_info: new.image_info,
            uploaded: new.uploaded,
            stored: new.stored.then_some(new.uploaded),
            removed: None,
            source: new.source,
            content: new.content,
            content_path: new.content_path,
            metadata: new.metadata,
            appdata: BTreeMap::new(),
        });
        seq
    }

    pub fn file(&self, uuid: &str) -> Option<&FileRecord> {
        self.file_by_uuid.get(&uuid.to_ascii_lowercase()).map(|&seq| &self.files[seq as usize])
    }

    /// Stores a file (a removed file stays removed and is not stored).
    pub fn store_file(&mut self, seq: u64, at: Micros) {
        let file = &mut self.files[seq as usize];
        if file.removed.is_none() && file.stored.is_none() {
            file.stored = Some(at);
            self.counts[0][0] -= 1;
            self.counts[0][1] += 1;
        }
    }

    /// Removes a file: it keeps its record (listed with `removed=true`) but loses storage.
    pub fn remove_file(&mut self, seq: u64, at: Micros) {
        let file = &mut self.files[seq as usize];
        if file.removed.is_none() {
            let was_stored = file.stored.is_some() as usize;
            file.removed = Some(at);
            file.content = None;
            self.counts[0][was_stored] -= 1;
            self.counts[1][was_stored] += 1;
        }
    }

    /// Deletes a group (v0.7); its files stay.
    pub fn delete_group(&mut self, id: &str) -> bool {
        let Some(seq) = self.group_by_id.remove(id) else { return false };
        let created = self.groups[seq as usize].created;
        self.groups_by_created.remove(&(created, seq));
        true
    }

    /// Creates a group of existing files.
    pub fn add_group(&mut self, members: Vec<(String, String)>, created: Micros, uuid: Option<String>) -> u64 {
        let seq = self.groups.len() as u64;
        let id = format!("{}~{}", uuid.unwrap_or_else(|| self.new_uuid()), members.len());
        self.group_by_id.insert(id.clone(), seq);
        self.groups_by_created.insert((created, seq));
        self.groups.push(GroupRecord { id, created, stored: None, members });
        seq
    }

    /// The API's JSON for a group; with `with_files`, its files too. v0.7 groups have no
    /// `datetime_stored`.
    pub fn group_json(&self, group: &GroupRecord, base: &str, cdn: &str, with_files: bool, version: Version) -> Value {
        let mut value = json!({
            "id": group.id,
            "datetime_created": format_datetime(group.created),
            "datetime_stored": group.stored.map(format_datetime),
            "files_count": group.members.len(),
            "cdn_url": format!("{cdn}{}/", group.id),
            "url": format!("{base}groups/{}/", group.id),
        });
        if version == Version::V07 {
            value.as_object_mut().expect("an object").remove("datetime_stored");
        }
        if with_files {
            let files: Vec<Value> = group
                .members
                .iter()
                .map(|(uuid, effects)| match self.file(uuid) {
                    Some(file) if file.removed.is_none() => {
                        let mut v = file.to_json(base, version);
                        v["default_effects"] = json!(effects);
                        v
                    }
                    _ => Value::Null,
                })
                .collect();
            value["files"] = json!(files);
        }
        value
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file with every optional part, written by `write_json` (which listings use) and
    /// read back as `to_json_with` does (which single answers use).
    #[test]
    fn a_file_is_written_whole_in_both_versions() {
        let mut file = FileRecord {
            seq: 0,
            uuid: "00000000-0000-4000-8000-000000000001".into(),
            original_filename: "a \"b\"\nü.png".into(),
            mime_type: "image/png".into(),
            size: 12,
            image_info: Some(json!({"width": 4, "height": 2})),
            uploaded: 1_543_236_550_477_888,
            stored: Some(1_543_236_551_000_000),
            removed: None,
            source: Some("local".into()),
            content: None,
            content_path: None,
            metadata: BTreeMap::from([("k".to_string(), "v\"".to_string())]),
            appdata: BTreeMap::from([("remove_bg".to_string(), json!({"data": {}}))]),
        };
        let base = "http://h:1/";
        let cdn = "http://h:1/00000000-0000-4000-8000-000000000001/a%20%22b%22%0A%C3%BC.png";
        let api = "http://h:1/files/00000000-0000-4000-8000-000000000001/";
        let v05 = json!({
            "datetime_removed": null, "datetime_stored": "2018-11-26T12:49:11.000000Z", "datetime_uploaded": "2018-11-26T12:49:10.477888Z",
            "image_info": {"width": 4, "height": 2}, "is_image": true, "is_ready": true, "mime_type": "image/png",
            "original_file_url": cdn, "original_filename": "a \"b\"\nü.png", "size": 12, "url": api,
            "uuid": "00000000-0000-4000-8000-000000000001", "source": "local", "variations": null, "rekognition_info": {}
        });
        assert_eq!(file.to_json_with(base, Version::V05, false), v05);
        let mut v07 = json!({
            "datetime_removed": null, "datetime_stored": "2018-11-26T12:49:11.000000Z", "datetime_uploaded": "2018-11-26T12:49:10.477888Z",
            "is_image": true, "is_ready": true, "mime_type": "image/png", "original_file_url": cdn,
            "original_filename": "a \"b\"\nü.png", "size": 12, "url": api, "uuid": "00000000-0000-4000-8000-000000000001", "variations": null,
            "content_info": {"mime": {"mime": "image/png", "type": "image", "subtype": "png"}, "image": {"width": 4, "height": 2}},
            "metadata": {"k": "v\""}
        });
        assert_eq!(file.to_json_with(base, Version::V07, false), v07);
        v07["appdata"] = json!({"remove_bg": {"data": {}}});
        assert_eq!(file.to_json_with(base, Version::V07, true), v07);
        // Removed: v0.7 drops the stored time and the CDN URL; v0.5 keeps both.
        file.removed = Some(1_543_236_552_000_000);
        let removed = file.to_json_with(base, Version::V07, false);
        assert_eq!((&removed["datetime_stored"], &removed["original_file_url"]), (&Value::Null, &Value::Null));
        assert_eq!(removed["datetime_removed"], "2018-11-26T12:49:12.000000Z");
        let old = file.to_json_with(base, Version::V05, false);
        assert_eq!((&old["datetime_stored"], &old["original_file_url"]), (&v05["datetime_stored"], &v05["original_file_url"]));
    }
}
