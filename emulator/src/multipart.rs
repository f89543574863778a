//! Multipart uploads: `POST /multipart/start/` hands out part URLs on the emulator itself,
//! `PUT /__parts/<uuid>/<n>` writes each part to the work directory (large uploads never
//! live in memory), `POST /multipart/complete/` joins them into the file.

use std::collections::BTreeMap;

use axum::body::Bytes;
use axum::extract::{Path, Request, State as AxumState};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::server::{App, Origin};
use crate::state::{MultipartUpload, NewFile};
use crate::upload::{check_signature, file_info, json_answer, store_flag, upload_error};
use crate::webhooks::{deliver, Initiator};

/// The smallest multipart upload and the default (and smallest) part size, as the service's.
pub const MIN_MULTIPART_SIZE: u64 = 10_485_760;
/// The default and smallest part.
pub const MIN_PART_SIZE: u64 = 5_242_880;
const MAX_PART_SIZE: u64 = 5_368_709_120;

/// The fields of a form, multipart or urlencoded, as (name, value) text pairs.
pub(crate) async fn form_fields(request: Request) -> Result<Vec<(String, String)>, Response> {
    use axum::extract::FromRequest;
    let multipart =
        request.headers().get(header::CONTENT_TYPE).and_then(|h| h.to_str().ok()).is_some_and(|ct| ct.starts_with("multipart/"));
    if multipart {
        let mut form = axum::extract::Multipart::from_request(request, &())
            .await
            .map_err(|_| upload_error(StatusCode::BAD_REQUEST, "HTTP POST request parsing failed."))?;
        let mut fields = Vec::new();
        while let Ok(Some(field)) = form.next_field().await {
            let name = field.name().unwrap_or_default().to_string();
            let text = field.text().await.map_err(|_| upload_error(StatusCode::BAD_REQUEST, "HTTP POST request parsing failed."))?;
            fields.push((name, text));
        }
        Ok(fields)
    } else {
        let body = axum::body::to_bytes(request.into_body(), 1 << 20)
            .await
            .map_err(|_| upload_error(StatusCode::PAYLOAD_TOO_LARGE, "The size of the request is too large."))?;
        Ok(url::form_urlencoded::parse(&body).into_owned().collect())
    }
}

pub(crate) fn field<'a>(fields: &'a [(String, String)], name: &str) -> Option<&'a str> {
    fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

/// `metadata[<key>]` fields, checked.
pub(crate) fn metadata_fields(fields: &[(String, String)]) -> Result<BTreeMap<String, String>, Response> {
    let mut metadata = BTreeMap::new();
    for (name, value) in fields {
        if let Some(key) = name.strip_prefix("metadata[").and_then(|k| k.strip_suffix(']')) {
            crate::metadata::check(key, value).map_err(|e| upload_error(StatusCode::BAD_REQUEST, &e))?;
            metadata.insert(key.to_string(), value.clone());
        }
    }
    Ok(metadata)
}

fn check_key(app: &App, fields: &[(String, String)]) -> Result<(), Response> {
    match field(fields, "UPLOADCARE_PUB_KEY") {
        None | Some("") => Err(upload_error(StatusCode::FORBIDDEN, "UPLOADCARE_PUB_KEY is required.")),
        Some(key) if key != app.config.public_key => Err(upload_error(StatusCode::FORBIDDEN, "UPLOADCARE_PUB_KEY is invalid.")),
        Some(_) => Ok(()),
    }
}

/// `POST /multipart/start/`: `filename`, `size`, `content_type` (required), `part_size`,
/// `UPLOADCARE_STORE`, `metadata[...]`, `signature`/`expire` → `{uuid, parts}`.
pub async fn start(AxumState(app): AxumState<App>, Origin(origin): Origin, request: Request) -> Response {
    let fields = match form_fields(request).await {
        Ok(fields) => fields,
        Err(e) => return e,
    };
    if let Err(e) = check_key(&app, &fields) {
        return e;
    }
    if let Err(e) = check_signature(&app, field(&fields, "signature"), field(&fields, "expire")) {
        return e;
    }
    for required in ["filename", "size", "content_type"] {
        if field(&fields, required).is_none_or(str::is_empty) {
            return upload_error(StatusCode::BAD_REQUEST, &format!("{required} is required."));
        }
    }
    let Some(size) = field(&fields, "size").and_then(|s| s.parse::<u64>().ok()) else {
        return upload_error(StatusCode::BAD_REQUEST, "size should be integer.");
    };
    let part_size = match field(&fields, "part_size") {
        None | Some("") => MIN_PART_SIZE,
        Some(raw) => match raw.parse::<u64>() {
            Err(_) => return upload_error(StatusCode::BAD_REQUEST, "Multipart Upload Part Size should be an integer."),
            Ok(n) if n < MIN_PART_SIZE => {
                return upload_error(StatusCode::BAD_REQUEST, "Multipart Upload Part Size can not be less than 5242880 bytes.")
            }
            Ok(n) if n > MAX_PART_SIZE => {
                return upload_error(StatusCode::BAD_REQUEST, "Multipart Upload Part Size can not be more than 5368709120 bytes.")
            }
            Ok(n) => n,
        },
    };
    if size < MIN_MULTIPART_SIZE {
        return upload_error(
            StatusCode::BAD_REQUEST,
            "File size can not be less than 10485760 bytes. Please use direct upload instead of multipart.",
        );
    }
    if size > app.config.max_upload as u64 {
        return upload_error(StatusCode::BAD_REQUEST, "File size exceeds project limit.");
    }
    let metadata = match metadata_fields(&fields) {
        Ok(metadata) => metadata,
        Err(e) => return e,
    };
    let mut state = app.lock();
    let uuid = state.new_uuid();
    let dir = app.work_dir.join(format!("parts-{uuid}"));
    if let Err(e) = std::fs::create_dir_all(&dir) {
        return upload_error(StatusCode::INTERNAL_SERVER_ERROR, &format!("Internal error: {e}"));
    }
    // pyuploadcare sends the whole local path: the file keeps its basename.
    let filename = field(&fields, "filename").unwrap_or_default().rsplit(['/', '\\']).next().unwrap_or_default().to_string();
    let upload = MultipartUpload {
        filename,
        content_type: field(&fields, "content_type").unwrap_or_default().to_string(),
        size,
        part_size,
        store: store_flag(&app, field(&fields, "UPLOADCARE_STORE")),
        metadata,
        dir,
    };
    let count = size.div_ceil(part_size);
    let parts: Vec<String> = (0..count).map(|n| format!("{origin}__parts/{uuid}/{n}")).collect();
    state.multipart.insert(uuid.clone(), upload);
    json_answer(json!({ "uuid": uuid, "parts": parts }))
}

/// `PUT /__parts/<uuid>/<n>`: one part's bytes, written to disk; 200 with an `ETag`, as S3.
pub async fn part(AxumState(app): AxumState<App>, Path((uuid, n)): Path<(String, u64)>, body: Bytes) -> Response {
    let Some(upload) = app.lock().multipart.get(&uuid).cloned() else {
        return (StatusCode::NOT_FOUND, "NoSuchUpload").into_response();
    };
    let count = upload.size.div_ceil(upload.part_size);
    let expected = if n + 1 == count { upload.size - upload.part_size * n } else { upload.part_size };
    if n >= count || body.len() as u64 != expected {
        return (StatusCode::BAD_REQUEST, "InvalidPart").into_response();
    }
    if let Err(e) = tokio::fs::write(upload.dir.join(n.to_string()), &body).await {
        return (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response();
    }
    let mut response = StatusCode::OK.into_response();
    let etag = format!("\"{}\"", hex::encode(&<sha2::Sha256 as sha2::Digest>::digest(&body)[..16]));
    if let Ok(value) = HeaderValue::from_str(&etag) {
        response.headers_mut().insert(header::ETAG, value);
    }
    response
}

/// `POST /multipart/complete/`: `UPLOADCARE_PUB_KEY`, `uuid` → the file info, once every
/// part is in.
pub async fn complete(AxumState(app): AxumState<App>, Origin(origin): Origin, request: Request) -> Response {
    let fields = match form_fields(request).await {
        Ok(fields) => fields,
        Err(e) => return e,
    };
    if let Err(e) = check_key(&app, &fields) {
        return e;
    }
    let Some(uuid) = field(&fields, "uuid").filter(|u| !u.is_empty()) else {
        return upload_error(StatusCode::BAD_REQUEST, "uuid is required.");
    };
    let Some(upload) = app.lock().multipart.get(uuid).cloned() else {
        return upload_error(StatusCode::NOT_FOUND, "File is not found.");
    };
    // Join the parts into one file, a part at a time.
    let count = upload.size.div_ceil(upload.part_size);
    let path = app.work_dir.join(format!("file-{uuid}"));
    let joined = async {
        use tokio::io::AsyncWriteExt;
        let mut out = tokio::fs::File::create(&path).await?;
        for n in 0..count {
            let bytes = tokio::fs::read(upload.dir.join(n.to_string())).await?;
            out.write_all(&bytes).await?;
        }
        out.flush().await?;
        std::io::Result::Ok(())
    };
    if joined.await.is_err() {
        return upload_error(StatusCode::BAD_REQUEST, "File size mismatch. Not all parts uploaded?");
    }
    let _ = tokio::fs::remove_dir_all(&upload.dir).await;
    // The image header, from the first bytes.
    let head = tokio::fs::read(&path).await.map(|b| b[..b.len().min(64 << 10)].to_vec()).unwrap_or_default();
    let mut state = app.lock();
    state.multipart.remove(uuid);
    let uploaded = state.fresh_moment();
    let info = crate::upload::image_info(&head);
    let seq = state.add_file(NewFile {
        uuid: Some(uuid.to_string()),
        original_filename: upload.filename.clone(),
        mime_type: upload.content_type.clone(),
        size: upload.size,
        image_info: info,
        uploaded,
        stored: upload.store,
        source: None,
        content: None,
        content_path: Some(path),
        metadata: upload.metadata,
    });
    deliver(&app, &mut state, "file.uploaded", seq, &origin, Initiator::Api, None);
    json_answer(file_info(&state.files[seq as usize]))
}
