//! `/addons/<name>/execute/` (v0.7): add-on runs that move from `in_progress` to `done` (or
//! `error`) after the configured delay and write the file's `appdata`, as the service does.

use std::time::Instant;

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State as AxumState};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::{json, Value};

use crate::server::{as_bool, detail, json_body, query_pairs, reply, reply_plain_json, App, Origin};
use crate::state::{format_datetime, now_micros, AddonRun, NewFile, State};
use crate::webhooks::{deliver, Initiator};

/// The add-ons the service runs, and the `params` each takes.
const ADDONS: [(&str, &[&str]); 4] = [
    ("aws_rekognition_detect_labels", &[]),
    ("aws_rekognition_detect_moderation_labels", &[]),
    ("remove_bg", &["crop", "crop_margin", "scale", "add_shadow", "type_level", "type", "semitransparency", "channels", "roi", "position"]),
    ("uc_clamav_virus_scan", &["purge_infected"]),
];

/// The EICAR test signature: a file that contains it is reported infected by the scan.
const EICAR: &[u8] = b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE";

/// A field-error answer, as add-on validation gives: `{"field": ["message"]}`.
fn field_error(field: &str, message: &str) -> Response {
    reply(StatusCode::BAD_REQUEST, json!({ field: [message] }))
}

/// `POST /addons/<name>/execute/`: `{"target": <uuid>, "params": {...}}` → `{"request_id"}`.
pub async fn execute(
    AxumState(app): AxumState<App>,
    Origin(origin): Origin,
    Path(name): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Some(&(addon, allowed)) = ADDONS.iter().find(|(n, _)| *n == name) else { return crate::server::not_found() };
    let Some(Value::Object(body)) = json_body(&headers, &body) else {
        return detail(StatusCode::BAD_REQUEST, "Expected JSON object.");
    };
    let Some(target) = body.get("target").and_then(Value::as_str).filter(|t| ucare::validate::is_uuid(t)) else {
        return field_error("target", "Must be a valid UUID.");
    };
    let params = body.get("params").cloned().unwrap_or(json!({}));
    let Value::Object(param_map) = &params else { return field_error("params", "Must be an object.") };
    if let Some(unknown) = param_map.keys().find(|k| !allowed.contains(&k.as_str())) {
        return field_error("params", &format!("Unknown parameter {unknown:?} for {addon}."));
    }
    if let Some(purge) = param_map.get("purge_infected") {
        if as_bool(purge).is_none() {
            return field_error("purge_infected", "Must be a valid boolean.");
        }
    }
    let mut state = app.lock();
    let Some(target) = state.file(target).filter(|f| f.removed.is_none()).map(|f| f.uuid.clone()) else {
        return field_error("target", "File does not exist.");
    };
    let running = state.addon_runs.values().any(|r| r.addon == addon && r.target == target && r.outcome.is_none());
    if running {
        return detail(StatusCode::CONFLICT, "Concurrent call attempted");
    }
    let request_id = state.new_uuid();
    state.addon_runs.insert(
        request_id.clone(),
        AddonRun { addon: addon.into(), target, params, started: Instant::now(), outcome: None, result_file: None },
    );
    let (app2, id, delay) = (app.clone(), request_id.clone(), app.config.conversion_delay);
    app.runtime.clone().spawn(async move {
        tokio::time::sleep(delay).await;
        finish(&app2, &mut app2.lock(), &id, &origin);
    });
    reply_plain_json(StatusCode::OK, &json!({ "request_id": request_id }))
}

/// `GET /addons/<name>/execute/status/?request_id=<uuid>` → `{"status"}` (and remove.bg's
/// `result.file_id`).
pub async fn status(AxumState(app): AxumState<App>, Origin(origin): Origin, Path(name): Path<String>, RawQuery(raw): RawQuery) -> Response {
    if !ADDONS.iter().any(|(n, _)| *n == name) {
        return crate::server::not_found();
    }
    let pairs = query_pairs(raw.as_deref());
    let Some(request_id) = pairs.iter().find(|(k, _)| k == "request_id").map(|(_, v)| v.clone()).filter(|v| ucare::validate::is_uuid(v))
    else {
        return field_error("request_id", "Must be a valid UUID.");
    };
    let mut state = app.lock();
    let Some(run) = state.addon_runs.get(&request_id).filter(|r| r.addon == name) else {
        return reply_plain_json(StatusCode::OK, &json!({ "status": "unknown" }));
    };
    if run.outcome.is_none() && run.started.elapsed() >= app.config.conversion_delay {
        finish(&app, &mut state, &request_id, &origin);
    }
    let run = &state.addon_runs[&request_id];
    let mut answer = json!({ "status": run.outcome.unwrap_or("in_progress") });
    if let Some(file_id) = &run.result_file {
        answer["result"] = json!({ "file_id": file_id });
    }
    reply_plain_json(StatusCode::OK, &answer)
}

/// Ends a run once: writes the add-on's `appdata` (or fails), and tells the subscribers.
fn finish(app: &App, state: &mut State, request_id: &str, origin: &str) {
    let Some(run) = state.addon_runs.get(request_id).cloned().filter(|r| r.outcome.is_none()) else { return };
    let Some(seq) = state.file(&run.target).filter(|f| f.removed.is_none()).map(|f| f.seq) else {
        state.addon_runs.get_mut(request_id).expect("the run exists").outcome = Some("error");
        return;
    };
    let file = state.files[seq as usize].clone();
    let (data, version, mut result_file, mut infected) = match run.addon.as_str() {
        "aws_rekognition_detect_labels" if file.is_image() => {
            let labels = json!([{"Name": "Art", "Confidence": 96.5, "Instances": [], "Parents": []},
                                {"Name": "Pattern", "Confidence": 88.25, "Instances": [], "Parents": [{"Name": "Art"}]}]);
            (json!({ "Labels": labels, "LabelModelVersion": "2.0" }), "2016-06-27", None, false)
        }
        "aws_rekognition_detect_moderation_labels" if file.is_image() => {
            (json!({ "ModerationLabels": [], "ModerationModelVersion": "6.0" }), "2016-06-27", None, false)
        }
        "uc_clamav_virus_scan" => {
            let infected = file.content.as_ref().is_some_and(|c| c.windows(EICAR.len()).any(|w| w == EICAR));
            let data =
                if infected { json!({ "infected": true, "infected_with": "Win.Test.EICAR_HDB-1" }) } else { json!({ "infected": false }) };
            (data, "1.0.1", None, infected)
        }
        "remove_bg" if file.is_image() => {
            let (stem, _) = crate::files::split_ext(&file.original_filename);
            let uploaded = state.fresh_moment();
            let new = state.add_file(NewFile {
                original_filename: format!("{stem}.png"),
                mime_type: "image/png".into(),
                size: crate::upload::TINY_PNG.len() as u64,
                image_info: crate::upload::image_info(crate::upload::TINY_PNG),
                uploaded,
                stored: file.stored.is_some(),
                content: Some(Bytes::from_static(crate::upload::TINY_PNG)),
                ..NewFile::default()
            });
            (json!({ "foreground_type": "person" }), "1.0", Some(state.files[new as usize].uuid.clone()), false)
        }
        _ => {
            // Image add-ons on a file that is not an image.
            state.addon_runs.get_mut(request_id).expect("the run exists").outcome = Some("error");
            return;
        }
    };
    let now = now_micros();
    let target = &mut state.files[seq as usize];
    let previous = json!({ "appdata": target.appdata });
    let created = target.appdata.get(&run.addon).and_then(|a| a["datetime_created"].as_str().map(str::to_string));
    target.appdata.insert(
        run.addon.clone(),
        json!({
            "data": data,
            "version": version,
            "datetime_created": created.unwrap_or_else(|| format_datetime(now)),
            "datetime_updated": format_datetime(now),
        }),
    );
    let entry = state.addon_runs.get_mut(request_id).expect("the run exists");
    entry.outcome = Some("done");
    entry.result_file = result_file.take();
    let initiator = Initiator::Addon { request_id: request_id.into(), addon_name: run.addon.clone(), source_file_uuid: file.uuid.clone() };
    deliver(app, state, "file.info_updated", seq, origin, initiator.clone(), Some(previous));
    if std::mem::take(&mut infected) {
        deliver(app, state, "file.infected", seq, origin, initiator, None);
        if run.params.get("purge_infected").and_then(as_bool) == Some(true) {
            state.remove_file(seq, now);
        }
    }
}
