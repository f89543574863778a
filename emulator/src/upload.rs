//! The Upload API calls that create content (`POST /base/`, `POST /group/`), the CDN that
//! serves it (`GET /<uuid>/`), and what an image's header says.

use axum::body::{Body, Bytes};
use axum::extract::{FromRequest, Multipart, Path, RawQuery, Request, State as AxumState};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

use crate::groups::cdn;
use crate::server::{App, Origin, Version};
use crate::state::{NewFile, State};
use crate::webhooks::{deliver, Initiator};

/// A 1×1 transparent PNG: what video thumbnails are made of.
pub const TINY_PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00,
    0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4, 0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63,
    0x00, 0x01, 0x00, 0x00, 0x05, 0x00, 0x01, 0x0d, 0x0a, 0x2d, 0xb4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60,
    0x82,
];

pub(crate) fn upload_error(status: StatusCode, text: &str) -> Response {
    (status, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], text.to_string()).into_response()
}

pub(crate) fn json_answer(body: Value) -> Response {
    (StatusCode::OK, [(header::CONTENT_TYPE, "application/json")], body.to_string()).into_response()
}

/// What an image's header says: format, size and color mode, for PNG, JPEG, GIF and WebP.
pub fn image_info(bytes: &[u8]) -> Option<Value> {
    let (format, width, height, mode, sequence) = parse_image(bytes)?;
    Some(json!({
        "color_mode": mode,
        "orientation": null,
        "format": format,
        "sequence": sequence,
        "height": height,
        "width": width,
        "geo_location": null,
        "datetime_original": null,
        "dpi": null,
    }))
}

fn be16(b: &[u8], at: usize) -> Option<u32> {
    Some(u16::from_be_bytes(b.get(at..at + 2)?.try_into().ok()?) as u32)
}

fn le16(b: &[u8], at: usize) -> Option<u32> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?) as u32)
}

fn le24(b: &[u8], at: usize) -> Option<u32> {
    let s = b.get(at..at + 3)?;
    Some(s[0] as u32 | (s[1] as u32) << 8 | (s[2] as u32) << 16)
}

fn parse_image(b: &[u8]) -> Option<(&'static str, u32, u32, &'static str, bool)> {
    if b.starts_with(b"\x89PNG\r\n\x1a\n") && b.get(12..16)? == b"IHDR" {
        let width = u32::from_be_bytes(b.get(16..20)?.try_into().ok()?);
        let height = u32::from_be_bytes(b.get(20..24)?.try_into().ok()?);
        let mode = match *b.get(25)? {
            0 => "L",
            2 => "RGB",
            3 => "P",
            4 => "LA",
            6 => "RGBA",
            _ => "RGB",
        };
        let animated = b.windows(4).take(4096).any(|w| w == b"acTL");
        return Some(("PNG", width, height, mode, animated));
    }
    if b.starts_with(b"GIF87a") || b.starts_with(b"GIF89a") {
        return Some(("GIF", le16(b, 6)?, le16(b, 8)?, "P", false));
    }
    if b.starts_with(b"RIFF") && b.get(8..12)? == b"WEBP" {
        return match b.get(12..16)? {
            b"VP8 " => Some(("WEBP", le16(b, 26)? & 0x3fff, le16(b, 28)? & 0x3fff, "RGB", false)),
            b"VP8L" => {
                let bits = u32::from_le_bytes(b.get(21..25)?.try_into().ok()?);
                Some(("WEBP", (bits & 0x3fff) + 1, ((bits >> 14) & 0x3fff) + 1, "RGBA", false))
            }
            b"VP8X" => {
                let animated = b.get(20)? & 0x02 != 0;
                Some(("WEBP", le24(b, 24)? + 1, le24(b, 27)? + 1, "RGBA", animated))
            }
            _ => None,
        };
    }
    if b.starts_with(&[0xff, 0xd8]) {
        // Walk the JPEG segments to the first start-of-frame marker.
        let mut at = 2;
        while at + 9 < b.len() {
            if b[at] != 0xff {
                return None;
            }
            let marker = b[at + 1];
            if marker == 0xff {
                at += 1;
                continue;
            }
            let length = be16(b, at + 2)? as usize;
            if (0xc0..=0xcf).contains(&marker) && !matches!(marker, 0xc4 | 0xc8 | 0xcc) {
                let height = be16(b, at + 5)?;
                let width = be16(b, at + 7)?;
                let mode = match b.get(at + 9)? {
                    1 => "L",
                    4 => "CMYK",
                    _ => "RGB",
                };
                return Some(("JPEG", width, height, mode, false));
            }
            at += 2 + length;
        }
        return None;
    }
    None
}

/// The MIME type of a file extension (without the dot), when it is a known one.
pub fn mime_for_extension(ext: &str) -> Option<&'static str> {
    Some(match ext {
        "txt" | "md" => "text/plain",
        "csv" => "text/csv",
        "html" | "htm" => "text/html",
        "json" => "application/json",
        "pdf" => "application/pdf",
        "doc" => "application/msword",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xls" => "application/vnd.ms-excel",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "odt" => "application/vnd.oasis.opendocument.text",
        "ods" => "application/vnd.oasis.opendocument.spreadsheet",
        "rtf" => "application/rtf",
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "ogv" | "ogg" => "video/ogg",
        "mov" => "video/quicktime",
        "mp3" => "audio/mpeg",
        "zip" => "application/zip",
        "svg" => "image/svg+xml",
        _ => return None,
    })
}

/// A MIME type from the bytes, the name, or what the uploader said.
fn mime_type(name: &str, declared: Option<&str>, info: Option<&Value>) -> String {
    if let Some(format) = info.and_then(|i| i["format"].as_str()) {
        return format!("image/{}", format.to_ascii_lowercase());
    }
    let ext = crate::files::split_ext(name).1.trim_start_matches('.').to_ascii_lowercase();
    let by_ext = mime_for_extension(&ext).unwrap_or("");
    match (by_ext, declared) {
        ("", Some(declared)) if !declared.is_empty() => declared.to_string(),
        ("", _) => "application/octet-stream".to_string(),
        (known, _) => known.to_string(),
    }
}

/// Adds an uploaded file, sets off its webhook deliveries, and answers its UUID.
pub fn add_upload(app: &App, state: &mut State, origin: &str, name: &str, declared: Option<&str>, content: Bytes, store: bool) -> String {
    add_upload_with(app, state, origin, name, declared, content, store, Default::default())
}

/// [`add_upload`] with metadata (`metadata[key]` fields of the upload).
#[allow(clippy::too_many_arguments)]
pub fn add_upload_with(
    app: &App,
    state: &mut State,
    origin: &str,
    name: &str,
    declared: Option<&str>,
    content: Bytes,
    store: bool,
    metadata: std::collections::BTreeMap<String, String>,
) -> String {
    let info = image_info(&content);
    let uploaded = state.fresh_moment();
    let seq = state.add_file(NewFile {
        uuid: None,
        original_filename: name.to_string(),
        mime_type: mime_type(name, declared, info.as_ref()),
        size: content.len() as u64,
        image_info: info,
        uploaded,
        stored: store,
        source: None,
        content: Some(content),
        content_path: None,
        metadata,
    });
    let uuid = state.files[seq as usize].uuid.clone();
    deliver(app, state, "file.uploaded", seq, cdn(origin), Initiator::Api, None);
    uuid
}

/// The signed-upload check, when the project requires signed uploads: `signature` is the
/// hex HMAC-SHA256 of `expire` (UNIX seconds, in the future) under the secret key.
pub(crate) fn check_signature(app: &App, signature: Option<&str>, expire: Option<&str>) -> Result<(), Response> {
    use hmac::{Hmac, KeyInit, Mac};
    if !app.config.signed_uploads {
        return Ok(());
    }
    let Some(signature) = signature.filter(|s| !s.is_empty()) else {
        return Err(upload_error(StatusCode::BAD_REQUEST, "`signature` is required."));
    };
    let Some(expire) = expire.filter(|e| !e.is_empty()) else {
        return Err(upload_error(StatusCode::BAD_REQUEST, "`expire` is required."));
    };
    let Ok(at) = expire.parse::<i64>() else {
        return Err(upload_error(StatusCode::BAD_REQUEST, "`expire` must be a UNIX timestamp."));
    };
    if at < chrono::Utc::now().timestamp() {
        return Err(upload_error(StatusCode::FORBIDDEN, "Expired signature."));
    }
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(app.config.secret_key.as_bytes()).expect("HMAC takes any key");
    mac.update(expire.as_bytes());
    if hex::encode(mac.finalize().into_bytes()) != signature.to_ascii_lowercase() {
        return Err(upload_error(StatusCode::FORBIDDEN, "Invalid signature."));
    }
    Ok(())
}

/// `UPLOADCARE_STORE`: `auto` (the project's setting), `1`/`true`, `0`/`false`.
pub(crate) fn store_flag(app: &App, value: Option<&str>) -> bool {
    match value {
        Some("1") | Some("true") => true,
        Some("0") | Some("false") => false,
        _ => app.config.autostore,
    }
}

/// `POST /base/`: a multipart upload of one or more files; answers `{field: uuid}`.
pub async fn base(AxumState(app): AxumState<App>, Origin(origin): Origin, mut multipart: Multipart) -> Response {
    let mut pub_key = None;
    let mut store = None;
    let mut files = Vec::new();
    let mut metadata = std::collections::BTreeMap::new();
    let (mut signature, mut expire) = (None, None);
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(e) => return upload_error(StatusCode::BAD_REQUEST, &format!("Malformed multipart body: {e}")),
        };
        let name = field.name().unwrap_or_default().to_string();
        let file_name = field.file_name().map(str::to_string);
        let declared = field.content_type().map(str::to_string);
        let data = match field.bytes().await {
            Ok(data) => data,
            Err(e) => return upload_error(StatusCode::BAD_REQUEST, &format!("Malformed multipart body: {e}")),
        };
        match (name.as_str(), file_name) {
            ("UPLOADCARE_PUB_KEY", None) => pub_key = Some(String::from_utf8_lossy(&data).into_owned()),
            ("UPLOADCARE_STORE", None) => store = Some(String::from_utf8_lossy(&data).into_owned()),
            ("signature", None) => signature = Some(String::from_utf8_lossy(&data).into_owned()),
            ("expire", None) => expire = Some(String::from_utf8_lossy(&data).into_owned()),
            (key, None) if key.starts_with("metadata[") && key.ends_with(']') => {
                let key = key["metadata[".len()..key.len() - 1].to_string();
                let value = String::from_utf8_lossy(&data).into_owned();
                if let Err(problem) = crate::metadata::check(&key, &value) {
                    return upload_error(StatusCode::BAD_REQUEST, &problem);
                }
                metadata.insert(key, value);
            }
            (_, Some(file_name)) => files.push((name, file_name, declared, data)),
            _ => {}
        }
    }
    match pub_key {
        None => return upload_error(StatusCode::BAD_REQUEST, "UPLOADCARE_PUB_KEY is required."),
        Some(key) if key != app.config.public_key => return upload_error(StatusCode::FORBIDDEN, "UPLOADCARE_PUB_KEY is invalid."),
        Some(_) => {}
    }
    if let Err(e) = check_signature(&app, signature.as_deref(), expire.as_deref()) {
        return e;
    }
    if files.is_empty() {
        return upload_error(StatusCode::BAD_REQUEST, "Request does not contain files.");
    }
    let store = store_flag(&app, store.as_deref());
    let mut answer = serde_json::Map::new();
    let mut state = app.lock();
    for (field, file_name, declared, data) in files {
        let uuid = add_upload_with(&app, &mut state, &origin, &file_name, declared.as_deref(), data, store, metadata.clone());
        answer.insert(field, json!(uuid));
    }
    json_answer(Value::Object(answer))
}

/// `POST /group/`: `pub_key` and `files[N]` (form or multipart); answers the group.
pub async fn group(AxumState(app): AxumState<App>, Origin(origin): Origin, request: Request) -> Response {
    let is_multipart =
        request.headers().get(header::CONTENT_TYPE).and_then(|h| h.to_str().ok()).is_some_and(|ct| ct.starts_with("multipart/"));
    let mut fields: Vec<(String, String)> = Vec::new();
    if is_multipart {
        let Ok(mut multipart) = Multipart::from_request(request, &()).await else {
            return upload_error(StatusCode::BAD_REQUEST, "Malformed multipart body.");
        };
        while let Ok(Some(field)) = multipart.next_field().await {
            let name = field.name().unwrap_or_default().to_string();
            if let Ok(text) = field.text().await {
                fields.push((name, text));
            }
        }
    } else {
        let Ok(body) = axum::body::to_bytes(request.into_body(), 1 << 20).await else {
            return upload_error(StatusCode::PAYLOAD_TOO_LARGE, "Request body is too large.");
        };
        fields = url::form_urlencoded::parse(&body).into_owned().collect();
    }
    match fields.iter().find(|(k, _)| k == "pub_key") {
        None => return upload_error(StatusCode::BAD_REQUEST, "pub_key is required."),
        Some((_, key)) if *key != app.config.public_key => return upload_error(StatusCode::FORBIDDEN, "pub_key is invalid."),
        Some(_) => {}
    }
    let field = |name: &str| fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
    if let Err(e) = check_signature(&app, field("signature"), field("expire")) {
        return e;
    }
    // Members as `files[N]` (pyuploadcare, docs) or repeated `files[]` (upload-client), in order.
    let mut numbered: Vec<(usize, String)> = fields
        .into_iter()
        .enumerate()
        .filter_map(|(at, (k, v))| {
            let index = k.strip_prefix("files[")?.strip_suffix(']')?;
            if index.is_empty() {
                Some((at, v))
            } else {
                index.parse().ok().map(|n| (n, v))
            }
        })
        .collect();
    numbered.sort_by_key(|(n, _)| *n);
    if numbered.is_empty() {
        return upload_error(StatusCode::BAD_REQUEST, "No files[N] parameters found.");
    }
    let mut state = app.lock();
    let mut members = Vec::new();
    for (_, value) in numbered {
        let path = url::Url::parse(&value).map(|u| u.path().to_string()).unwrap_or(value.clone());
        let trimmed = path.trim_matches('/');
        let (uuid, effects) = trimmed.split_once('/').unwrap_or((trimmed, ""));
        if state.file(uuid).is_none_or(|f| f.removed.is_some()) {
            return upload_error(StatusCode::BAD_REQUEST, &format!("this is not valid file url: {value}."));
        }
        // `default_effects` are the operations without their leading `-/`.
        let effects = effects.trim_start_matches("-/").trim_end_matches('/');
        let effects = if effects.is_empty() { String::new() } else { format!("{effects}/") };
        members.push((uuid.to_ascii_lowercase(), effects));
    }
    let created = state.fresh_moment();
    let seq = state.add_group(members, created, None);
    let group = state.groups[seq as usize].clone();
    json_answer(upload_group_json(&state, &group, &origin))
}

/// A group as the Upload API answers it: its members as file info objects.
fn upload_group_json(state: &State, group: &crate::state::GroupRecord, origin: &str) -> Value {
    let mut value = state.group_json(group, origin, cdn(origin), false, Version::V05);
    let files: Vec<Value> = group
        .members
        .iter()
        .map(|(uuid, effects)| match state.file(uuid).filter(|f| f.removed.is_none()) {
            Some(file) => {
                let mut info = file_info(file);
                info["default_effects"] = json!(effects);
                info
            }
            None => Value::Null,
        })
        .collect();
    value["files"] = json!(files);
    value
}

/// The Upload API's file info object (`/info/`, group members).
pub(crate) fn file_info(file: &crate::state::FileRecord) -> Value {
    let sanitized: String = file.original_filename.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '.' || *c == '_').collect();
    let content = file.to_json("", Version::V07)["content_info"].clone();
    json!({
        "size": file.size,
        "total": file.size,
        "done": file.size,
        "uuid": file.uuid,
        "file_id": file.uuid,
        "original_filename": file.original_filename,
        "filename": sanitized,
        "mime_type": file.mime_type,
        "is_image": file.is_image(),
        "is_stored": file.stored.is_some(),
        "is_ready": true,
        "image_info": file.image_info,
        "video_info": null,
        "content_info": content,
        "metadata": file.metadata,
    })
}

pub(crate) fn query_field<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

/// Checks `pub_key` of a query, as `/info/` and `/group/info/` take it.
pub(crate) fn check_pub_key(app: &App, pairs: &[(String, String)]) -> Result<(), Response> {
    match query_field(pairs, "pub_key") {
        None | Some("") => Err(upload_error(StatusCode::FORBIDDEN, "pub_key is required.")),
        Some(key) if key != app.config.public_key => Err(upload_error(StatusCode::FORBIDDEN, "pub_key is invalid.")),
        Some(_) => Ok(()),
    }
}

/// `GET /info/?pub_key=&file_id=`: a file's info object.
pub async fn info(AxumState(app): AxumState<App>, RawQuery(raw): RawQuery) -> Response {
    let pairs = crate::server::query_pairs(raw.as_deref());
    if let Err(e) = check_pub_key(&app, &pairs) {
        return e;
    }
    let Some(id) = query_field(&pairs, "file_id").filter(|v| !v.is_empty()) else {
        return upload_error(StatusCode::BAD_REQUEST, "file_id is required.");
    };
    if !ucare::validate::is_uuid(id) {
        return upload_error(StatusCode::BAD_REQUEST, "file_id is invalid.");
    }
    match app.lock().file(id).filter(|f| f.removed.is_none()) {
        Some(file) => json_answer(file_info(file)),
        None => upload_error(StatusCode::NOT_FOUND, "File is not found."),
    }
}

/// `GET /group/info/?pub_key=&group_id=`.
pub async fn group_info(AxumState(app): AxumState<App>, Origin(origin): Origin, RawQuery(raw): RawQuery) -> Response {
    let pairs = crate::server::query_pairs(raw.as_deref());
    if let Err(e) = check_pub_key(&app, &pairs) {
        return e;
    }
    let Some(id) = query_field(&pairs, "group_id").filter(|v| !v.is_empty()) else {
        return upload_error(StatusCode::BAD_REQUEST, "group_id is required.");
    };
    let state = app.lock();
    match state.group_by_id.get(id) {
        Some(&seq) => json_answer(upload_group_json(&state, &state.groups[seq as usize], &origin)),
        None => upload_error(StatusCode::NOT_FOUND, "group_id is invalid."),
    }
}

/// With `jsonerrors=1` (upload-client asks so on every call), an error is a 200 with
/// `{"error": {"content", "status_code"}}` instead of plain text with its status.
pub async fn json_errors(request: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let wants_json =
        request.uri().query().is_some_and(|q| url::form_urlencoded::parse(q.as_bytes()).any(|(k, v)| k == "jsonerrors" && v == "1"));
    let response = next.run(request).await;
    let plain = response.headers().get(header::CONTENT_TYPE).is_some_and(|ct| ct.as_bytes().starts_with(b"text/plain"));
    if !wants_json || response.status().is_success() || !plain {
        return response;
    }
    let status = response.status().as_u16();
    let text = axum::body::to_bytes(response.into_body(), 64 << 10).await.unwrap_or_default();
    json_answer(json!({ "error": { "content": String::from_utf8_lossy(&text), "status_code": status } }))
}

/// `GET /<uuid>/[...]`: the file's bytes, as the CDN serves them.
pub async fn serve(AxumState(app): AxumState<App>, Path(params): Path<Vec<(String, String)>>) -> Response {
    let uuid = params.first().map(|(_, v)| v.as_str()).unwrap_or_default();
    let (content, path, size, mime) = {
        let state = app.lock();
        let Some(file) = state.file(uuid).filter(|f| f.removed.is_none()) else {
            return crate::server::not_found();
        };
        (file.content.clone(), file.content_path.clone(), file.size, file.mime_type.clone())
    };
    let body = match (content, path) {
        (Some(bytes), _) => Body::from(bytes),
        // A large upload is streamed from its file, never read whole.
        (None, Some(path)) => match tokio::fs::File::open(&path).await {
            Ok(handle) => Body::from_stream(file_chunks(handle)),
            Err(_) => return crate::server::not_found(),
        },
        // Synthetic files have no bytes of their own; they serve zeros of their size.
        (None, None) => Body::from(vec![0u8; size.min(16 << 20) as usize]),
    };
    let mut response = Response::new(body);
    if let Ok(value) = HeaderValue::from_str(&mime) {
        response.headers_mut().insert(header::CONTENT_TYPE, value);
    }
    response
}

/// A file's bytes as a stream of 64 KiB chunks.
fn file_chunks(handle: tokio::fs::File) -> impl futures_util::Stream<Item = std::io::Result<Bytes>> {
    use tokio::io::AsyncReadExt;
    futures_util::stream::try_unfold(handle, |mut handle| async move {
        let mut buffer = vec![0u8; 64 << 10];
        let read = handle.read(&mut buffer).await?;
        if read == 0 {
            return Ok(None);
        }
        buffer.truncate(read);
        Ok(Some((Bytes::from(buffer), handle)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn png_header() {
        let info = image_info(TINY_PNG).unwrap();
        assert_eq!((info["format"].as_str(), info["width"].as_u64(), info["height"].as_u64()), (Some("PNG"), Some(1), Some(1)));
        assert_eq!(info["color_mode"], "RGBA");
    }

    #[test]
    fn gif_jpeg_webp_headers() {
        let gif = b"GIF89a\x0a\x00\x14\x00\x00\x00\x00";
        assert_eq!(parse_image(gif), Some(("GIF", 10, 20, "P", false)));
        // SOI, an APP0 segment of length 4, then SOF0 with height 300 and width 400, 3 components.
        let jpeg = [0xff, 0xd8, 0xff, 0xe0, 0x00, 0x04, 0x00, 0x00, 0xff, 0xc0, 0x00, 0x11, 0x08, 0x01, 0x2c, 0x01, 0x90, 0x03, 0, 0, 0, 0];
        assert_eq!(parse_image(&jpeg), Some(("JPEG", 400, 300, "RGB", false)));
        let mut webp = b"RIFF\x00\x00\x00\x00WEBPVP8X\x0a\x00\x00\x00\x00\x00\x00\x00".to_vec();
        webp.extend_from_slice(&[0x1f, 0x00, 0x00, 0x0f, 0x00, 0x00]); // 32 x 16
        assert_eq!(parse_image(&webp), Some(("WEBP", 32, 16, "RGBA", false)));
        assert_eq!(parse_image(b"hello"), None);
    }
}
