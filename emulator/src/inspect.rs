//! The inspection endpoint, `/__emulator/`: what tests of any language ask the emulator
//! program (the `ucare.testing` and `ucare/testing` helpers among them), outside the
//! Upload and REST APIs, so never throttled, faulted or signed:
//!
//! - `GET /__emulator/`: the counters and the webhook deliveries made;
//! - `GET /__emulator/requests`: the REST requests received (never a credential);
//! - `POST /__emulator/uploads?name=<name>[&store=true|false]`: the body becomes a file, as
//!   an upload would make it (webhooks are delivered); answers `{"uuid": ...}`;
//! - `POST /__emulator/groups` with `{"files": [uuid, ...]}`: a group of those files;
//!   answers `{"id": ...}`, or 400 when a UUID is not a file of the project.

use axum::body::Bytes;
use axum::extract::{Query, State as AxumState};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{json, Value};

use crate::server::{detail, App, Origin};
use crate::state::State;
use crate::upload::{add_upload, json_answer};
use crate::Stats;

/// The counters of the project.
pub(crate) fn stats(state: &State) -> Stats {
    Stats {
        requests: state.requests,
        faults_injected: state.faults_injected,
        throttled: state.throttled,
        files: state.files.len() as u64,
        stored_files: state.counts[0][1],
    }
}

/// A group of existing files, as `POST /group/` would make it; `None` when a UUID is not
/// a file of the project.
pub(crate) fn create_group(state: &mut State, uuids: &[&str]) -> Option<String> {
    if uuids.is_empty() || uuids.iter().any(|u| state.file(u).is_none()) {
        return None;
    }
    let members = uuids.iter().map(|u| (u.to_ascii_lowercase(), String::new())).collect();
    let created = state.fresh_moment();
    let seq = state.add_group(members, created, None);
    Some(state.groups[seq as usize].id.clone())
}

/// `GET /__emulator/`.
pub async fn overview(AxumState(app): AxumState<App>) -> Response {
    let state = app.lock();
    let mut answer = serde_json::to_value(stats(&state)).expect("counters serialize");
    answer["groups"] = json!(state.groups.len());
    answer["webhooks"] = json!(state.webhooks.len());
    answer["deliveries"] = json!(state.deliveries);
    json_answer(answer)
}

/// `GET /__emulator/requests`.
pub async fn requests(AxumState(app): AxumState<App>) -> Response {
    let state = app.lock();
    json_answer(json!(state.request_log))
}

#[derive(serde::Deserialize)]
pub struct UploadQuery {
    name: String,
    store: Option<bool>,
}

/// `POST /__emulator/uploads`.
pub async fn upload(AxumState(app): AxumState<App>, Origin(origin): Origin, Query(query): Query<UploadQuery>, body: Bytes) -> Response {
    let mut state = app.lock();
    let store = query.store.unwrap_or(app.config.autostore);
    let uuid = add_upload(&app, &mut state, &origin, &query.name, None, body, store);
    json_answer(json!({ "uuid": uuid }))
}

/// `POST /__emulator/groups`.
pub async fn group(AxumState(app): AxumState<App>, body: Bytes) -> Response {
    let files: Option<Vec<String>> = serde_json::from_slice::<Value>(&body)
        .ok()
        .and_then(|v| v.get("files").cloned())
        .and_then(|files| serde_json::from_value(files).ok());
    let Some(files) = files else {
        return detail(StatusCode::BAD_REQUEST, r#"the body must be {"files": [uuid, ...]}"#);
    };
    let uuids: Vec<&str> = files.iter().map(String::as_str).collect();
    match create_group(&mut app.lock(), &uuids) {
        Some(id) => json_answer(json!({ "id": id })),
        None => detail(StatusCode::BAD_REQUEST, "every UUID must be a file of the emulator"),
    }
}
