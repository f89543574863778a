//! Uploads from a URL: `POST /from_url/` answers a token and fetches in the background
//! (loopback sources only, unless the emulator may reach other hosts); `GET
//! /from_url/status/` tells `progress`, `success` with the file info, or `error` with its
//! code, as the service does.

use axum::extract::{RawQuery, Request, State as AxumState};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::json;

use crate::multipart::{field, form_fields, metadata_fields};
use crate::server::{query_pairs, App, Origin};
use crate::state::FromUrlJob;
use crate::upload::{check_signature, file_info, json_answer, store_flag, upload_error};

fn flag(value: Option<&str>) -> bool {
    matches!(value, Some("1" | "true"))
}

/// `POST /from_url/`: parameters from the query (upload-client) or the body (pyuploadcare).
pub async fn start(AxumState(app): AxumState<App>, Origin(origin): Origin, RawQuery(raw): RawQuery, request: Request) -> Response {
    let mut fields = query_pairs(raw.as_deref());
    match form_fields(request).await {
        Ok(body) => fields.extend(body),
        Err(e) => return e,
    }
    match field(&fields, "pub_key") {
        None | Some("") => return upload_error(StatusCode::FORBIDDEN, "pub_key is required."),
        Some(key) if key != app.config.public_key => return upload_error(StatusCode::FORBIDDEN, "pub_key is invalid."),
        Some(_) => {}
    }
    if let Err(e) = check_signature(&app, field(&fields, "signature"), field(&fields, "expire")) {
        return e;
    }
    let Some(source) = field(&fields, "source_url").filter(|s| !s.is_empty()).map(str::to_string) else {
        return upload_error(StatusCode::BAD_REQUEST, "source_url is required.");
    };
    let url = match url::Url::parse(&source) {
        Ok(url) => url,
        Err(url::ParseError::RelativeUrlWithoutBase) => return upload_error(StatusCode::BAD_REQUEST, "No URL scheme supplied."),
        Err(_) => return upload_error(StatusCode::BAD_REQUEST, "Failed to parse URL."),
    };
    if !matches!(url.scheme(), "http" | "https") {
        return upload_error(StatusCode::BAD_REQUEST, "Invalid URL scheme.");
    }
    let loopback = match url.host() {
        None => return upload_error(StatusCode::BAD_REQUEST, "No URL host supplied."),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(name)) => name == "localhost",
    };
    if !loopback && !app.config.deliver_external {
        // A test never makes the emulator reach off the machine.
        return upload_error(StatusCode::BAD_REQUEST, "Source is blacklisted.");
    }
    let metadata = match metadata_fields(&fields) {
        Ok(metadata) => metadata,
        Err(e) => return e,
    };
    let check = flag(field(&fields, "check_URL_duplicates"));
    let save = field(&fields, "save_URL_duplicates").map(|v| flag(Some(v))).unwrap_or(check);
    let store = store_flag(&app, field(&fields, "store"));
    let name = field(&fields, "filename")
        .filter(|n| !n.is_empty())
        .map(str::to_string)
        .or_else(|| url.path_segments().and_then(|mut s| s.next_back()).filter(|s| !s.is_empty()).map(str::to_string))
        .unwrap_or_else(|| "original".to_string());
    let token = {
        let mut state = app.lock();
        if check {
            if let Some(file) = state.url_files.get(&source).and_then(|uuid| state.file(uuid)).filter(|f| f.removed.is_none()) {
                let mut info = file_info(file);
                info["type"] = json!("file_info");
                return json_answer(info);
            }
        }
        let token = state.new_uuid();
        state.from_url.insert(token.clone(), FromUrlJob::Progress { done: 0, total: None });
        token
    };
    let (task_app, task_token) = (app.clone(), token.clone());
    app.runtime.spawn(async move {
        let outcome = fetch(&task_app, &source).await;
        let mut state = task_app.lock();
        let job = match outcome {
            Ok((bytes, declared)) => {
                let uuid =
                    crate::upload::add_upload_with(&task_app, &mut state, &origin, &name, declared.as_deref(), bytes, store, metadata);
                if save {
                    state.url_files.insert(source, uuid.clone());
                }
                FromUrlJob::Success(uuid)
            }
            Err((text, code)) => FromUrlJob::Error(text, code),
        };
        state.from_url.insert(task_token, job);
    });
    json_answer(json!({ "type": "token", "token": token }))
}

/// Fetches a source: its bytes and declared type, or the service's error text and code.
async fn fetch(app: &App, source: &str) -> Result<(bytes::Bytes, Option<String>), (String, &'static str)> {
    let response = app.http.get(source).send().await.map_err(|e| (format!("HTTP network error: {e}."), "DownloadFileHTTPNetworkError"))?;
    let status = response.status();
    if status.is_client_error() {
        return Err((format!("HTTP client error: {}.", status.as_u16()), "DownloadFileHTTPClientError"));
    }
    if status.is_server_error() {
        return Err((format!("HTTP server error: {}.", status.as_u16()), "DownloadFileHTTPServerError"));
    }
    let declared =
        response.headers().get("content-type").and_then(|v| v.to_str().ok()).map(|v| v.split(';').next().unwrap_or(v).trim().to_string());
    let limit = app.config.max_upload as u64;
    if response.content_length().is_some_and(|n| n > limit) {
        return Err((
            format!("Downloaded file is too big: {} > {limit}.", response.content_length().unwrap_or(0)),
            "DownloadFileSizeLimitExceededError",
        ));
    }
    let bytes = response.bytes().await.map_err(|e| (format!("HTTP network error: {e}."), "DownloadFileHTTPNetworkError"))?;
    if bytes.len() as u64 > limit {
        return Err((format!("Downloaded file is too big: {} > {limit}.", bytes.len()), "DownloadFileSizeLimitExceededError"));
    }
    Ok((bytes, declared))
}

/// `GET /from_url/status/?token=`.
pub async fn status(AxumState(app): AxumState<App>, RawQuery(raw): RawQuery) -> Response {
    let pairs = query_pairs(raw.as_deref());
    let Some(token) = field(&pairs, "token").filter(|t| !t.is_empty()) else {
        return upload_error(StatusCode::BAD_REQUEST, "token is required.");
    };
    let state = app.lock();
    match state.from_url.get(token) {
        None => json_answer(json!({ "status": "unknown" })),
        // The first answers carry both numbers: pyuploadcare reads `done` and `total` from each.
        Some(FromUrlJob::Progress { done, total }) => {
            json_answer(json!({ "status": "progress", "done": done, "total": total.unwrap_or(0) }))
        }
        Some(FromUrlJob::Error(text, code)) => json_answer(json!({ "status": "error", "error": text, "error_code": code })),
        Some(FromUrlJob::Success(uuid)) => match state.file(uuid) {
            Some(file) => {
                let mut info = file_info(file);
                info["status"] = json!("success");
                json_answer(info)
            }
            None => json_answer(json!({ "status": "unknown" })),
        },
    }
}
