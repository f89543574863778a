//! `/groups/` and `/project/`.

use axum::extract::{Path, RawQuery, State as AxumState};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{json, Value};

use crate::files::{list_params, page_url};
use crate::paging;
use crate::server::{detail, no_content, not_found, query_pairs, reply, App, Origin, Version};
use crate::state::{format_cursor, now_micros, parse_datetime};

/// The CDN root for a server: the emulator serves the CDN itself.
pub fn cdn(origin: &str) -> &str {
    origin
}

/// `GET /groups/`.
pub async fn list(AxumState(app): AxumState<App>, version: Version, Origin(origin): Origin, RawQuery(raw): RawQuery) -> Response {
    let pairs = query_pairs(raw.as_deref());
    let desc = match pairs.iter().rev().find(|(k, _)| k == "ordering").map(|(_, v)| v.as_str()) {
        None | Some("datetime_created") => false,
        Some("-datetime_created") => true,
        Some(other) => {
            return detail(
                StatusCode::BAD_REQUEST,
                format!("Invalid \"ordering\" value {other:?}: use datetime_created or -datetime_created."),
            )
        }
    };
    let params = match list_params(&pairs, &parse_datetime, "an ISO-8601 datetime") {
        Ok(params) => params,
        Err(e) => return e,
    };
    let state = app.lock();
    let page = paging::page(&state.groups_by_created, desc, params.cursor, params.limit, &|_| true);
    let results: Vec<Value> =
        page.seqs.iter().map(|&seq| state.group_json(&state.groups[seq as usize], &origin, cdn(&origin), false, version)).collect();
    reply(
        StatusCode::OK,
        json!({
            "next": page.next.map(|(k, o)| page_url(&origin, "groups/", &params.carried, "from", format_cursor(k), o)),
            "previous": page.previous.map(|(k, o)| page_url(&origin, "groups/", &params.carried, "to", format_cursor(k), o)),
            "total": state.groups_by_created.len(),
            "per_page": params.limit,
            "results": results,
        }),
    )
}

/// `GET /groups/<id>/`.
pub async fn info(AxumState(app): AxumState<App>, version: Version, Origin(origin): Origin, Path(id): Path<String>) -> Response {
    let state = app.lock();
    match state.group_by_id.get(&id) {
        Some(&seq) => reply(StatusCode::OK, state.group_json(&state.groups[seq as usize], &origin, cdn(&origin), true, version)),
        None => not_found(),
    }
}

/// `DELETE /groups/<id>/` (v0.7): 204; the files stay.
pub async fn delete(AxumState(app): AxumState<App>, Path(id): Path<String>) -> Response {
    if app.lock().delete_group(&id) {
        no_content()
    } else {
        not_found()
    }
}

/// `PUT /groups/<id>/storage/`: stores every file of the group.
pub async fn store(AxumState(app): AxumState<App>, Origin(origin): Origin, Path(id): Path<String>) -> Response {
    let mut state = app.lock();
    let Some(&seq) = state.group_by_id.get(&id) else { return not_found() };
    let now = now_micros();
    let members: Vec<String> = state.groups[seq as usize].members.iter().map(|(uuid, _)| uuid.clone()).collect();
    for uuid in members {
        if let Some(file_seq) = state.file(&uuid).map(|f| f.seq) {
            state.store_file(file_seq, now);
        }
    }
    let group = &mut state.groups[seq as usize];
    group.stored.get_or_insert(now);
    let group = group.clone();
    reply(StatusCode::OK, state.group_json(&group, &origin, cdn(&origin), true, Version::V05))
}

/// `GET /project/`.
pub async fn project(AxumState(app): AxumState<App>) -> Response {
    reply(
        StatusCode::OK,
        json!({
            "collaborators": [],
            "name": app.config.project_name,
            "pub_key": app.config.public_key,
            "autostore_enabled": app.config.autostore,
        }),
    )
}
