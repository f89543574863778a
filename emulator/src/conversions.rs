//! `/convert/document/` and `/convert/video/`: jobs that finish after a delay and make
//! real result files.

use std::time::Instant;

use axum::body::Bytes;
use axum::extract::{Path, State as AxumState};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::{json, Map, Value};

use crate::files::split_ext;
use crate::server::{as_bool, detail, json_body, not_found, reply, reply_plain_json, App, Version};
use crate::state::{Job, JobKind, NewFile, State};
use crate::upload::TINY_PNG;

const DOCUMENT_TARGETS: [&str; 11] = ["doc", "docx", "xls", "xlsx", "odt", "ods", "rtf", "txt", "pdf", "jpg", "png"];
const DOCUMENT_SOURCES: [&str; 33] = [
    "doc", "docx", "xls", "xlsx", "pps", "ppsx", "ppt", "pptx", "vsd", "vsdx", "skw", "wpd", "wps", "xlr", "pub", "mpp", "key", "msg",
    "numbers", "pages", "odt", "ods", "odp", "txt", "rtf", "pdf", "djvu", "eml", "csv", "xps", "ps", "eps", "md",
];

/// What a path asks for, once parsed.
struct Request {
    uuid: String,
    target: String,
    thumbs: u32,
}

/// Splits `<uuid>/<kind>/<operations...>` into the UUID and the operations' segments.
fn split_path<'a>(path: &'a str, kind: &str) -> Option<(&'a str, Vec<&'a str>)> {
    let mut parts = path.strip_suffix('/').unwrap_or(path).split('/');
    let uuid = parts.next()?;
    (ucare::validate::is_uuid(uuid) && parts.next()? == kind).then(|| (uuid, parts.collect()))
}

/// `<uuid>/document/[-/format/<fmt>/][-/page/<n>/]`.
fn parse_document(path: &str) -> Option<Request> {
    let (uuid, ops) = split_path(path, "document")?;
    let mut target = "pdf".to_string();
    let mut ops = ops.as_slice();
    while !ops.is_empty() {
        match ops {
            ["-", "format", fmt, tail @ ..] if DOCUMENT_TARGETS.contains(&fmt.to_ascii_lowercase().as_str()) => {
                target = fmt.to_ascii_lowercase();
                ops = tail;
            }
            ["-", "page", n, tail @ ..] if n.parse::<u32>().is_ok_and(|n| n > 0) => ops = tail,
            _ => return None,
        }
    }
    Some(Request { uuid: uuid.to_ascii_lowercase(), target, thumbs: 0 })
}

/// `<uuid>/video/` with `format`, `quality`, `size`, `cut` and `thumbs~N` operations.
fn parse_video(path: &str) -> Option<Request> {
    let (uuid, ops) = split_path(path, "video")?;
    let mut target = "mp4".to_string();
    let mut thumbs = 1;
    let mut ops = ops.as_slice();
    let is_time = |s: &str| !s.is_empty() && s.split(':').count() <= 3 && s.chars().all(|c| c.is_ascii_digit() || c == ':' || c == '.');
    while !ops.is_empty() {
        match ops {
            ["-", "format", fmt @ ("mp4" | "webm" | "ogg"), tail @ ..] => {
                target = fmt.to_string();
                ops = tail;
            }
            ["-", "quality", "normal" | "better" | "best" | "lighter" | "lightest", tail @ ..] => ops = tail,
            ["-", "size", dims, mode, tail @ ..]
                if dims
                    .split_once('x')
                    .is_some_and(|(w, h)| w.parse::<u32>().is_ok_and(|w| w > 0) && h.parse::<u32>().is_ok_and(|h| h > 0))
                    && matches!(*mode, "preserve_ratio" | "change_ratio" | "scale_crop" | "add_padding") =>
            {
                ops = tail
            }
            ["-", "cut", start, length, tail @ ..] if is_time(start) && (is_time(length) || *length == "end") => ops = tail,
            ["-", thumb, tail @ ..]
                if thumb.strip_prefix("thumbs~").and_then(|n| n.parse::<u32>().ok()).is_some_and(|n| (1..=50).contains(&n)) =>
            {
                thumbs = thumb["thumbs~".len()..].parse().unwrap_or(1);
                ops = tail;
            }
            _ => return None,
        }
    }
    Some(Request { uuid: uuid.to_ascii_lowercase(), target, thumbs })
}

/// Why a source cannot be converted, decided when the job starts.
fn failure(state: &State, kind: JobKind, uuid: &str) -> Option<String> {
    let file = state.file(uuid)?;
    let ext = split_ext(&file.original_filename).1.trim_start_matches('.').to_ascii_lowercase();
    match kind {
        JobKind::Video if !file.mime_type.starts_with("video/") => {
            Some(format!("CONVERSION_ERROR: {} is not a video file", file.original_filename))
        }
        JobKind::Document if file.is_image() || !(DOCUMENT_SOURCES.contains(&ext.as_str()) || file.mime_type.starts_with("text/")) => {
            Some(format!("CONVERSION_ERROR: {} is not a document this service converts", file.original_filename))
        }
        _ => None,
    }
}

async fn start(app: App, kind: JobKind, version: Version, headers: HeaderMap, body: Bytes) -> Response {
    let Some(Value::Object(body)) = json_body(&headers, &body) else {
        return detail(StatusCode::BAD_REQUEST, "Expected JSON object.");
    };
    let paths: Vec<String> = match body.get("paths") {
        None => return detail(StatusCode::BAD_REQUEST, "“paths” parameter is required."),
        Some(Value::Array(items)) if !items.is_empty() => match items.iter().map(|v| v.as_str().map(str::to_string)).collect() {
            Some(paths) => paths,
            None => return detail(StatusCode::BAD_REQUEST, "“paths” must be a list of strings."),
        },
        Some(_) => return detail(StatusCode::BAD_REQUEST, "“paths” must be a non-empty list of strings."),
    };
    let store = match body.get("store") {
        None | Some(Value::Null) => false,
        Some(v) => match as_bool(v) {
            Some(b) => b,
            None => return detail(StatusCode::BAD_REQUEST, "“store” must be one of 0, 1, true, false."),
        },
    };
    // v0.7 documents may save a multi-page result as a group, one file per page.
    let save_in_group = match body.get("save_in_group") {
        None | Some(Value::Null) => false,
        Some(_) if version == Version::V05 || kind == JobKind::Video => false,
        Some(v) => match as_bool(v) {
            Some(b) => b,
            None => return detail(StatusCode::BAD_REQUEST, "“save_in_group” must be one of 0, 1, true, false."),
        },
    };
    let mut problems = Map::new();
    let mut result = Vec::new();
    let mut state = app.lock();
    for path in paths {
        let parsed = match kind {
            JobKind::Document => parse_document(&path),
            JobKind::Video => parse_video(&path),
        };
        let Some(request) = parsed else {
            problems.insert(path.clone(), json!(format!("Bad path \"{path}\". Use UUID or CDN URL")));
            continue;
        };
        if state.file(&request.uuid).is_none_or(|f| f.removed.is_some()) {
            problems.insert(path.clone(), json!(format!("File {} not found", request.uuid)));
            continue;
        }
        let token = state.next_token;
        state.next_token += 1;
        let result_uuid = state.new_uuid();
        let thumbnails_group = (kind == JobKind::Video).then(|| format!("{}~{}", state.new_uuid(), request.thumbs));
        let mut item = json!({ "original_source": path, "token": token, "uuid": result_uuid });
        if let Some(group) = &thumbnails_group {
            item["thumbnails_group_uuid"] = json!(group);
        }
        result.push(item);
        let job = Job {
            kind,
            failure: failure(&state, kind, &request.uuid),
            source_uuid: request.uuid,
            result_uuid,
            thumbnails_group,
            thumbs: request.thumbs,
            target: request.target,
            store,
            save_in_group,
            started: Instant::now(),
            finalized: false,
        };
        state.jobs.insert(token, job);
        let (app, delay) = (app.clone(), app.config.conversion_delay);
        app.runtime.clone().spawn(async move {
            tokio::time::sleep(delay).await;
            finalize(&mut app.lock(), token, delay);
        });
    }
    let answer = json!({ "result": result, "problems": problems });
    match version {
        Version::V05 => reply(StatusCode::OK, answer),
        // As recorded: plain JSON with spaced separators.
        Version::V07 => reply_plain_json(StatusCode::OK, &answer),
    }
}

/// Makes a finished job's result files, once.
fn finalize(state: &mut State, token: u64, delay: std::time::Duration) {
    let Some(job) = state.jobs.get(&token).cloned() else { return };
    if job.finalized || job.failure.is_some() || job.started.elapsed() < delay {
        return;
    }
    let Some(source) = state.file(&job.source_uuid).cloned() else { return };
    let now = state.fresh_moment();
    let stem = split_ext(&source.original_filename).0.to_string();
    state.add_file(NewFile {
        uuid: Some(job.result_uuid.clone()),
        original_filename: format!("{stem}.{}", job.target),
        mime_type: crate::upload::mime_for_extension(&job.target).unwrap_or("application/octet-stream").to_string(),
        size: source.size,
        image_info: None,
        uploaded: now,
        stored: job.store,
        source: Some(format!("/{}/", source.uuid)),
        content: source.content.clone(),
        content_path: source.content_path.clone(),
        metadata: Default::default(),
    });
    if job.save_in_group {
        // The pages of the result, as a group named in the source's document info.
        let pages: Vec<(String, String)> = (1..=2)
            .map(|page| {
                let seq = state.add_file(NewFile {
                    original_filename: format!("{stem}-page{page}.{}", job.target),
                    mime_type: crate::upload::mime_for_extension(&job.target).unwrap_or("application/octet-stream").to_string(),
                    size: source.size / 2 + 1,
                    uploaded: now,
                    stored: job.store,
                    content: source.content.clone(),
                    ..NewFile::default()
                });
                (state.files[seq as usize].uuid.clone(), String::new())
            })
            .collect();
        let group = state.add_group(pages, now, None);
        let id = state.groups[group as usize].id.clone();
        state.converted_groups.entry(source.uuid.clone()).or_default().insert(job.target.clone(), id);
    }
    if let Some(group_id) = &job.thumbnails_group {
        let members = (1..=job.thumbs)
            .map(|n| {
                let seq = state.add_file(NewFile {
                    original_filename: format!("{stem}~thumb{n}.png"),
                    mime_type: "image/png".into(),
                    size: TINY_PNG.len() as u64,
                    image_info: crate::upload::image_info(TINY_PNG),
                    uploaded: now,
                    stored: job.store,
                    content: Some(Bytes::from_static(TINY_PNG)),
                    ..NewFile::default()
                });
                (state.files[seq as usize].uuid.clone(), String::new())
            })
            .collect();
        let uuid = group_id.split('~').next().map(str::to_string);
        state.add_group(members, now, uuid);
    }
    if let Some(job) = state.jobs.get_mut(&token) {
        job.finalized = true;
    }
}

fn status(app: &App, kind: JobKind, token: &str) -> Response {
    let delay = app.config.conversion_delay;
    let mut state = app.lock();
    let Some(token) = token.parse::<u64>().ok().filter(|t| state.jobs.get(t).is_some_and(|j| j.kind == kind)) else {
        return not_found();
    };
    finalize(&mut state, token, delay);
    let job = &state.jobs[&token];
    let elapsed = job.started.elapsed();
    let status = if elapsed < delay / 3 {
        "pending"
    } else if elapsed < delay {
        "processing"
    } else if job.failure.is_some() {
        "failed"
    } else {
        "finished"
    };
    let mut result = json!({ "uuid": job.result_uuid });
    if let Some(group) = &job.thumbnails_group {
        result["thumbnails_group_uuid"] = json!(group);
    }
    let error = if status == "failed" { job.failure.clone() } else { None };
    reply(StatusCode::OK, json!({ "status": status, "error": error, "result": result }))
}

/// `POST /convert/document/` (v0.7: `save_in_group`).
pub async fn start_document(AxumState(app): AxumState<App>, version: Version, headers: HeaderMap, body: Bytes) -> Response {
    start(app, JobKind::Document, version, headers, body).await
}

/// `POST /convert/video/`.
pub async fn start_video(AxumState(app): AxumState<App>, version: Version, headers: HeaderMap, body: Bytes) -> Response {
    start(app, JobKind::Video, version, headers, body).await
}

/// `GET /convert/document/<uuid>/` (v0.7): the document's format, what it converts to, and
/// the groups that `save_in_group` conversions made.
pub async fn document_info(AxumState(app): AxumState<App>, Path(uuid): Path<String>) -> Response {
    let state = app.lock();
    let Some(file) = state.file(&uuid).filter(|f| f.removed.is_none()) else { return not_found() };
    if let Some(problem) = failure(&state, JobKind::Document, &file.uuid) {
        return detail(StatusCode::BAD_REQUEST, problem);
    }
    let ext = split_ext(&file.original_filename).1.trim_start_matches('.').to_ascii_lowercase();
    let formats: Vec<Value> = DOCUMENT_TARGETS.iter().map(|name| json!({ "name": name })).collect();
    // The OpenAPI document puts `converted_groups` beside `format`; pyuploadcare's model
    // (checked against its recordings) requires it inside `format`. Both readers are served.
    let groups = state.converted_groups.get(&file.uuid).cloned().unwrap_or_default();
    let name = if ext.is_empty() { "txt".to_string() } else { ext };
    let mut answer = json!({ "error": null, "format": { "name": name, "conversion_formats": formats, "converted_groups": groups } });
    if !groups.is_empty() {
        answer["converted_groups"] = json!(groups);
    }
    reply(StatusCode::OK, answer)
}

/// `GET /convert/document/status/<token>/`.
pub async fn document_status(AxumState(app): AxumState<App>, Path(token): Path<String>) -> Response {
    status(&app, JobKind::Document, &token)
}

/// `GET /convert/video/status/<token>/`.
pub async fn video_status(AxumState(app): AxumState<App>, Path(token): Path<String>) -> Response {
    status(&app, JobKind::Video, &token)
}

#[cfg(test)]
mod tests {
    use super::*;

    const UUID: &str = "21975c81-7f57-4c7a-aef9-acfe28779f78";

    #[test]
    fn document_paths() {
        assert_eq!(parse_document(&format!("{UUID}/document/")).unwrap().target, "pdf");
        assert_eq!(parse_document(&format!("{UUID}/document/-/format/png/-/page/2/")).unwrap().target, "png");
        assert!(parse_document(UUID).is_none());
        assert!(parse_document(&format!("{UUID}/document/-/format/gif/")).is_none());
        assert!(parse_document(&format!("{UUID}/document/-/page/0/")).is_none());
    }

    #[test]
    fn video_paths() {
        let r = parse_video(&format!("{UUID}/video/-/format/webm/-/quality/best/-/size/640x480/add_padding/-/cut/0:0:10/end/-/thumbs~5/"))
            .unwrap();
        assert_eq!((r.target.as_str(), r.thumbs), ("webm", 5));
        assert!(parse_video(&format!("{UUID}/video/-/thumbs~51/")).is_none());
        assert!(parse_video(&format!("{UUID}/document/")).is_none());
    }
}

#[cfg(test)]
mod fuzz {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Any path: no panic; and every path the client's builders make is one this
        /// emulator accepts.
        #[test]
        fn any_path_and_every_built_path(text in ".{0,120}", thumbs in 1u32..=50, width in 1u32..=10_000, page in 1u32..100) {
            let _ = parse_document(&text);
            let _ = parse_video(&text);
            let uuid = "21975c81-7f57-4c7a-aef9-acfe28779f78";
            let video = ucare::conversions::VideoConversion::new(uuid)
                .format(ucare::conversions::VideoFormat::Ogg)
                .size(width, width, ucare::conversions::ResizeMode::AddPadding)
                .cut("0:0:1.5", "end")
                .thumbs(thumbs)
                .path()
                .unwrap();
            prop_assert_eq!(parse_video(&video).map(|r| r.thumbs), Some(thumbs));
            let document = ucare::conversions::DocumentConversion::new(uuid)
                .format(ucare::conversions::DocumentFormat::Jpg)
                .page(page)
                .path()
                .unwrap();
            prop_assert_eq!(parse_document(&document).map(|r| r.target), Some("jpg".to_string()));
        }
    }
}
