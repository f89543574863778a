//! `/files/`: list, info, store, delete, batches, copies.

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State as AxumState};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use serde_json::{json, Value};

use crate::paging::{self, Cursor};
use crate::server::{as_bool, detail, json_body, not_found, query_pairs, reply, reply_bytes, App, Origin, Version};
use crate::state::{format_cursor, now_micros, parse_datetime, NewFile, State};
use crate::webhooks::{deliver, Initiator};

/// The parameters of a listing, as both files and groups take them.
pub struct ListParams {
    pub limit: usize,
    pub cursor: Cursor,
    /// The request's own parameters to carry into `next` and `previous`.
    pub carried: Vec<(String, String)>,
}

/// Reads `limit`, `from`/`to` and `offset`; `key_of` turns a `from`/`to` value into a key.
pub fn list_params(pairs: &[(String, String)], key_of: &dyn Fn(&str) -> Option<i64>, from_hint: &str) -> Result<ListParams, Response> {
    let get = |name: &str| pairs.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
    let limit = match get("limit") {
        None => 100,
        Some(raw) => match raw.parse::<usize>() {
            Ok(n) if (1..=1000).contains(&n) => n,
            _ => {
                return Err(detail(StatusCode::BAD_REQUEST, format!("Invalid \"limit\" value {raw:?}: must be an integer within 1..1000.")))
            }
        },
    };
    let offset = match get("offset") {
        None => 0,
        Some(raw) => raw.parse::<u64>().map_err(|_| detail(StatusCode::BAD_REQUEST, format!("Invalid \"offset\" value {raw:?}.")))?,
    };
    let key = |name: &str, raw: &str| {
        key_of(raw).ok_or_else(|| detail(StatusCode::BAD_REQUEST, format!("Invalid \"{name}\" value {raw:?}: {from_hint}.")))
    };
    let cursor = match (get("from"), get("to")) {
        (Some(raw), _) => Cursor::From { key: key("from", raw)?, offset },
        (None, Some(raw)) => Cursor::To { key: key("to", raw)?, offset },
        (None, None) => Cursor::Start,
    };
    let carried = pairs.iter().filter(|(k, _)| !matches!(k.as_str(), "from" | "to" | "offset")).cloned().collect();
    Ok(ListParams { limit, cursor, carried })
}

/// The `next`/`previous` URL for a cursor.
pub fn page_url(origin: &str, path: &str, carried: &[(String, String)], direction: &str, cursor: String, offset: u64) -> String {
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in carried {
        query.append_pair(k, v);
    }
    query.append_pair(direction, &cursor);
    query.append_pair("offset", &offset.to_string());
    format!("{origin}{path}?{}", query.finish())
}

/// Whether the query asks for `appdata` (`include=appdata`, v0.7).
fn include_appdata(pairs: &[(String, String)]) -> bool {
    pairs.iter().any(|(k, v)| k == "include" && v.split(',').any(|part| part.trim() == "appdata"))
}

/// `GET /files/`; v0.7 pages carry `totals` and take no size ordering.
pub async fn list(AxumState(app): AxumState<App>, version: Version, Origin(origin): Origin, RawQuery(raw): RawQuery) -> Response {
    let pairs = query_pairs(raw.as_deref());
    let get = |name: &str| pairs.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
    let flag = |name: &str| -> Result<Option<bool>, Response> {
        match get(name) {
            None => Ok(None),
            Some("true") | Some("1") => Ok(Some(true)),
            Some("false") | Some("0") => Ok(Some(false)),
            Some(other) => Err(detail(StatusCode::BAD_REQUEST, format!("Invalid \"{name}\" value {other:?}: use true or false."))),
        }
    };
    let (removed, stored) = match (flag("removed"), flag("stored")) {
        (Ok(removed), Ok(stored)) => (removed.unwrap_or(false), stored),
        (Err(e), _) | (_, Err(e)) => return e,
    };
    let ordering = get("ordering").unwrap_or("datetime_uploaded");
    let (by_size, desc) = match (ordering, version) {
        ("datetime_uploaded", _) => (false, false),
        ("-datetime_uploaded", _) => (false, true),
        ("size", Version::V05) => (true, false),
        ("-size", Version::V05) => (true, true),
        (other, Version::V07) => {
            return detail(
                StatusCode::BAD_REQUEST,
                format!("Invalid \"ordering\" value {other:?}: use datetime_uploaded or -datetime_uploaded."),
            )
        }
        (other, Version::V05) => {
            return detail(
                StatusCode::BAD_REQUEST,
                format!("Invalid \"ordering\" value {other:?}: use datetime_uploaded, -datetime_uploaded, size or -size."),
            )
        }
    };
    let key_of = |raw: &str| if by_size { raw.parse::<u64>().ok().map(|n| n as i64) } else { parse_datetime(raw) };
    let hint = if by_size { "a size in bytes for size orderings" } else { "an ISO-8601 datetime for datetime orderings" };
    let params = match list_params(&pairs, &key_of, hint) {
        Ok(params) => params,
        Err(e) => return e,
    };
    let state = app.lock();
    let matches = |seq: u64| {
        let file = &state.files[seq as usize];
        file.removed.is_some() == removed && stored.is_none_or(|s| file.stored.is_some() == s)
    };
    let index = if by_size { &state.by_size } else { &state.by_uploaded };
    let page = paging::page(index, desc, params.cursor, params.limit, &matches);
    let counts = state.counts[removed as usize];
    let total = match stored {
        Some(s) => counts[s as usize],
        None => counts[0] + counts[1],
    };
    let cursor_text = |key: i64| if by_size { key.to_string() } else { format_cursor(key) };
    let next = page.next.map(|(k, o)| page_url(&origin, "files/", &params.carried, "from", cursor_text(k), o));
    let previous = page.previous.map(|(k, o)| page_url(&origin, "files/", &params.carried, "to", cursor_text(k), o));
    // A page is written straight into its body: a thousand files per page, no `Value` tree.
    let mut body = Vec::with_capacity(256 + page.seqs.len() * 640);
    body.extend_from_slice(b"{\"next\":");
    serde_json::to_writer(&mut body, &next).expect("strings serialize");
    body.extend_from_slice(b",\"previous\":");
    serde_json::to_writer(&mut body, &previous).expect("strings serialize");
    body.extend_from_slice(format!(",\"total\":{total},").as_bytes());
    if version == Version::V07 {
        let [present, removed_counts] = state.counts;
        let totals = format!(
            "\"totals\":{{\"removed\":{},\"stored\":{},\"unstored\":{}}},",
            removed_counts[0] + removed_counts[1],
            present[1],
            present[0]
        );
        body.extend_from_slice(totals.as_bytes());
    }
    body.extend_from_slice(format!("\"per_page\":{},\"results\":[", params.limit).as_bytes());
    let appdata = include_appdata(&pairs);
    for (i, &seq) in page.seqs.iter().enumerate() {
        if i > 0 {
            body.push(b',');
        }
        state.files[seq as usize].write_json(&origin, version, appdata, &mut body);
    }
    body.extend_from_slice(b"]}");
    drop(state);
    reply_bytes(StatusCode::OK, body)
}

/// `GET /files/<uuid>/` (v0.7: `include=appdata`).
pub async fn info(
    AxumState(app): AxumState<App>,
    version: Version,
    Origin(origin): Origin,
    Path(uuid): Path<String>,
    RawQuery(raw): RawQuery,
) -> Response {
    let appdata = include_appdata(&query_pairs(raw.as_deref()));
    match app.lock().file(&uuid) {
        Some(file) => {
            let mut body = Vec::with_capacity(640);
            file.write_json(&origin, version, appdata, &mut body);
            reply_bytes(StatusCode::OK, body)
        }
        None => not_found(),
    }
}

/// `PUT /files/<uuid>/storage/`.
pub async fn store(AxumState(app): AxumState<App>, version: Version, Origin(origin): Origin, Path(uuid): Path<String>) -> Response {
    let mut state = app.lock();
    match state.file(&uuid).filter(|f| f.removed.is_none()).map(|f| (f.seq, f.stored.is_none())) {
        Some((seq, newly)) => {
            state.store_file(seq, now_micros());
            if newly {
                deliver(&app, &mut state, "file.stored", seq, &origin, Initiator::Api, None);
            }
            reply(StatusCode::OK, state.files[seq as usize].to_json(&origin, version))
        }
        None => not_found(),
    }
}

/// `DELETE /files/<uuid>/storage/` and (v0.5) `DELETE /files/<uuid>/`.
pub async fn delete(AxumState(app): AxumState<App>, version: Version, Origin(origin): Origin, Path(uuid): Path<String>) -> Response {
    let mut state = app.lock();
    match state.file(&uuid).map(|f| (f.seq, f.removed.is_none())) {
        Some((seq, newly)) => {
            state.remove_file(seq, now_micros());
            if newly {
                deliver(&app, &mut state, "file.deleted", seq, &origin, Initiator::Api, None);
            }
            reply(StatusCode::OK, state.files[seq as usize].to_json(&origin, version))
        }
        None => not_found(),
    }
}

/// `PUT /files/storage/`.
pub async fn store_batch(AxumState(app): AxumState<App>, version: Version, Origin(origin): Origin, body: Bytes) -> Response {
    batch(&app, &origin, &body, true, version)
}

/// `DELETE /files/storage/`.
pub async fn delete_batch(AxumState(app): AxumState<App>, version: Version, Origin(origin): Origin, body: Bytes) -> Response {
    batch(&app, &origin, &body, false, version)
}

fn batch(app: &App, origin: &str, body: &[u8], store: bool, version: Version) -> Response {
    let ids: Vec<String> = match serde_json::from_slice::<Value>(body) {
        Ok(Value::Array(items)) => match items.into_iter().map(|v| v.as_str().map(str::to_string)).collect::<Option<Vec<_>>>() {
            Some(ids) => ids,
            None => return detail(StatusCode::BAD_REQUEST, "Expected list of UUIDs"),
        },
        _ => return detail(StatusCode::BAD_REQUEST, "Expected list of UUIDs"),
    };
    if ids.is_empty() {
        return detail(StatusCode::BAD_REQUEST, "List of UUIDs can not be empty");
    }
    if ids.len() > 100 {
        return detail(StatusCode::BAD_REQUEST, "Maximum UUIDs per request is exceeded. The limit is 100");
    }
    let now = now_micros();
    let mut state = app.lock();
    let mut problems = serde_json::Map::new();
    let mut done = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for id in ids {
        if !seen.insert(id.clone()) {
            continue;
        }
        if !ucare::validate::is_uuid(&id) {
            problems.insert(id, json!("Invalid"));
            continue;
        }
        let found = state.file(&id).filter(|f| !store || f.removed.is_none()).map(|f| (f.seq, f.stored.is_none(), f.removed.is_none()));
        match found {
            Some((seq, unstored, present)) => {
                if store {
                    state.store_file(seq, now);
                    if unstored {
                        deliver(app, &mut state, "file.stored", seq, origin, Initiator::Api, None);
                    }
                } else {
                    state.remove_file(seq, now);
                    if present {
                        deliver(app, &mut state, "file.deleted", seq, origin, Initiator::Api, None);
                    }
                }
                done.push(seq);
            }
            None => {
                problems.insert(id, json!("Missing in the project"));
            }
        }
    }
    // Up to 100 files: written straight into the body, as a page is.
    let mut body = Vec::with_capacity(64 + done.len() * 640);
    body.extend_from_slice(b"{\"status\":\"ok\",\"problems\":");
    serde_json::to_writer(&mut body, &problems).expect("problems serialize");
    body.extend_from_slice(b",\"result\":[");
    for (i, &seq) in done.iter().enumerate() {
        if i > 0 {
            body.push(b',');
        }
        state.files[seq as usize].write_json(origin, version, false, &mut body);
    }
    body.extend_from_slice(b"]}");
    reply_bytes(StatusCode::OK, body)
}

/// The file a copy `source` names: a UUID, or a CDN URL or path with one, plus the
/// operations after it.
fn parse_source<'a>(state: &'a State, source: &str) -> Option<(&'a crate::state::FileRecord, String)> {
    let path = match url::Url::parse(source) {
        Ok(url) => url.path().to_string(),
        Err(_) => source.to_string(),
    };
    let mut segments = path.trim_matches('/').splitn(2, '/');
    let uuid = segments.next()?;
    let effects = segments.next().unwrap_or("");
    if !ucare::validate::is_uuid(uuid) || (!effects.is_empty() && !effects.starts_with("-/")) {
        return None;
    }
    let file = state.file(uuid).filter(|f| f.removed.is_none())?;
    Some((file, effects.to_string()))
}

/// A copy request's body, its `source` file and operations, and a reader of its flags.
struct CopyRequest {
    body: serde_json::Map<String, Value>,
    file: crate::state::FileRecord,
    effects: String,
}

impl CopyRequest {
    fn read(state: &State, headers: &HeaderMap, body: &[u8]) -> Result<CopyRequest, Response> {
        let Some(Value::Object(body)) = json_body(headers, body) else {
            return Err(detail(StatusCode::BAD_REQUEST, "Expected JSON object."));
        };
        let Some(source) = body.get("source").and_then(Value::as_str) else {
            return Err(detail(StatusCode::BAD_REQUEST, "“source” parameter is required."));
        };
        let Some((file, effects)) = parse_source(state, source) else {
            return Err(detail(StatusCode::BAD_REQUEST, "Bad `source` parameter. Use UUID or CDN URL."));
        };
        Ok(CopyRequest { file: file.clone(), effects, body })
    }

    fn flag(&self, name: &str, default: bool) -> Result<bool, Response> {
        match self.body.get(name) {
            None | Some(Value::Null) => Ok(default),
            Some(v) => as_bool(v)
                .ok_or_else(|| detail(StatusCode::BAD_REQUEST, format!("“{name}” parameter must be either \"true\" or \"false\"."))),
        }
    }
}

/// `POST /files/` (v0.5): a copy to the project's storage, or to a custom storage with
/// `target`.
pub async fn copy(AxumState(app): AxumState<App>, Origin(origin): Origin, headers: HeaderMap, body: Bytes) -> Response {
    let mut state = app.lock();
    let request = match CopyRequest::read(&state, &headers, &body) {
        Ok(request) => request,
        Err(e) => return e,
    };
    if request.body.get("target").is_some() {
        return copy_remote(&app, &mut state, request).0;
    }
    copy_local(&app, &mut state, &origin, request, Version::V05)
}

/// `POST /files/local_copy/` (v0.7): a copy in the project's storage, with `metadata`.
pub async fn local_copy(AxumState(app): AxumState<App>, Origin(origin): Origin, headers: HeaderMap, body: Bytes) -> Response {
    let mut state = app.lock();
    match CopyRequest::read(&state, &headers, &body) {
        Ok(request) => copy_local(&app, &mut state, &origin, request, Version::V07),
        Err(e) => e,
    }
}

/// `POST /files/remote_copy/` (v0.7): a copy to a custom storage; 201 for a new key, 200
/// when the key exists already.
pub async fn remote_copy(AxumState(app): AxumState<App>, headers: HeaderMap, body: Bytes) -> Response {
    let mut state = app.lock();
    let request = match CopyRequest::read(&state, &headers, &body) {
        Ok(request) => request,
        Err(e) => return e,
    };
    if request.body.get("target").and_then(Value::as_str).is_none() {
        return detail(StatusCode::BAD_REQUEST, "“target” parameter is required.");
    }
    let (mut response, existed) = copy_remote(&app, &mut state, request);
    if existed {
        *response.status_mut() = StatusCode::OK;
    }
    response
}

/// A copy to the storage named by `target`; answers the copy and whether its key existed.
fn copy_remote(app: &App, state: &mut State, request: CopyRequest) -> (Response, bool) {
    let make_public = match request.flag("make_public", true) {
        Ok(flag) => flag,
        Err(e) => return (e, false),
    };
    let target = request.body.get("target").and_then(Value::as_str).unwrap_or_default();
    if !app.config.storages.iter().any(|s| s == target) {
        return (detail(StatusCode::BAD_REQUEST, "Project has no storage with provided name."), false);
    }
    let (file, effects) = (&request.file, &request.effects);
    let pattern = request.body.get("pattern").and_then(Value::as_str).unwrap_or("${default}");
    let (stem, ext) = split_ext(&file.original_filename);
    let auto_filename = if effects.is_empty() { file.original_filename.clone() } else { format!("{stem}{ext}") };
    let name = pattern
        .replace("${default}", "${uuid}/${auto_filename}")
        .replace("${auto_filename}", &auto_filename)
        .replace("${effects}", effects.trim_end_matches('/'))
        .replace("${filename}", stem)
        .replace("${uuid}", &file.uuid)
        .replace("${ext}", ext);
    let _ = make_public; // a real bucket would get a public-read ACL; nothing to keep here
    let existed = !state.remote_keys.insert((target.to_string(), name.clone()));
    (reply(StatusCode::CREATED, json!({ "type": "url", "result": format!("s3://{target}/{name}") })), existed)
}

/// A copy in the project: a new file answered before it is processed, as the service does.
fn copy_local(app: &App, state: &mut State, origin: &str, request: CopyRequest, version: Version) -> Response {
    let store = match request.flag("store", false) {
        Ok(store) => store,
        Err(e) => return e,
    };
    let metadata = match request.body.get("metadata") {
        None | Some(Value::Null) => Default::default(),
        Some(value) if version == Version::V07 => match crate::metadata::read_all(value) {
            Ok(metadata) => metadata,
            Err(e) => return e,
        },
        Some(_) => Default::default(),
    };
    let (file, effects) = (request.file, request.effects);
    let now = state.fresh_moment();
    let seq = state.add_file(NewFile {
        uuid: None,
        original_filename: file.original_filename.clone(),
        mime_type: file.mime_type.clone(),
        size: file.size,
        image_info: file.image_info.clone(),
        uploaded: now,
        stored: store,
        source: Some(format!("/{}/{}", file.uuid, effects)),
        content: file.content.clone(),
        content_path: file.content_path.clone(),
        metadata,
    });
    deliver(app, state, "file.uploaded", seq, origin, Initiator::Api, None);
    // The real service answers before it has processed the copy: no size, type or image
    // info yet (`is_image` null). Later reads show the processed file.
    let mut answer = state.files[seq as usize].to_json(origin, version);
    answer["size"] = json!(0);
    answer["is_image"] = Value::Null;
    answer["mime_type"] = json!("application/octet-stream");
    match version {
        Version::V05 => answer["image_info"] = Value::Null,
        Version::V07 => answer["content_info"] = Value::Null,
    }
    let location = format!("{origin}files/{}/", state.files[seq as usize].uuid);
    let mut response = reply(StatusCode::CREATED, json!({ "type": "file", "result": answer }));
    if let Ok(value) = HeaderValue::from_str(&location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
}

/// `photo.jpg` → (`photo`, `.jpg`).
pub fn split_ext(name: &str) -> (&str, &str) {
    match name.rfind('.') {
        Some(i) if i > 0 => (&name[..i], &name[i..]),
        _ => (name, ""),
    }
}
