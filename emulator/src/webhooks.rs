//! `/webhooks/`: subscriptions, and the deliveries an upload sets off.

use axum::body::Bytes;
use axum::extract::{Path, State as AxumState};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::{json, Map, Value};

use crate::server::{as_bool, detail, json_body, no_content, not_found, reply, App, Version};
use crate::state::{format_datetime, now_micros, Delivery, State, WebhookRecord};

const EVENT: &str = "file.uploaded";

/// The events v0.7 subscriptions may name; v0.5 knows only `file.uploaded`.
pub const EVENTS_V07: [&str; 5] = ["file.uploaded", "file.infected", "file.stored", "file.deleted", "file.info_updated"];

/// Who set an event off, as v0.7 payloads say (`initiator`).
#[derive(Debug, Clone)]
pub enum Initiator {
    /// A REST or upload call.
    Api,
    /// An add-on run: its request id, name and the file it ran on.
    Addon { request_id: String, addon_name: String, source_file_uuid: String },
}

impl Initiator {
    fn to_json(&self) -> Value {
        match self {
            Initiator::Api => json!({"type": "api", "detail": {}}),
            Initiator::Addon { request_id, addon_name, source_file_uuid } => json!({
                "type": "addon",
                "detail": {"request_id": request_id, "addon_name": addon_name, "source_file_uuid": source_file_uuid},
            }),
        }
    }
}

fn forbidden_unless_enabled(app: &App) -> Result<(), Response> {
    if app.config.webhooks_enabled {
        Ok(())
    } else {
        Err(detail(StatusCode::FORBIDDEN, "You can't use webhooks"))
    }
}

fn object(headers: &HeaderMap, body: &[u8]) -> Result<Map<String, Value>, Response> {
    match json_body(headers, body) {
        Some(Value::Object(map)) => Ok(map),
        _ => Err(detail(StatusCode::BAD_REQUEST, "Expected JSON object.")),
    }
}

/// Checks the fields a create or update may carry; `current` is the hook being updated.
fn validate(state: &State, body: &Map<String, Value>, current: Option<&WebhookRecord>, version: Version) -> Result<(), Response> {
    let bad = |text: &str| Err(detail(StatusCode::BAD_REQUEST, text));
    if let Some(url) = body.get("target_url") {
        let Some(url) = url.as_str() else { return bad("`target_url` must be a string.") };
        if url.chars().count() > 255 {
            return bad("`target_url` must be at most 255 characters.");
        }
        match url::Url::parse(url) {
            Ok(parsed) if matches!(parsed.scheme(), "http" | "https") && parsed.host().is_some() => {}
            _ => return bad("`target_url` must be a valid URL."),
        }
    }
    if let Some(event) = body.get("event") {
        let known = match version {
            Version::V05 => event.as_str() == Some(EVENT),
            Version::V07 => event.as_str().is_some_and(|e| EVENTS_V07.contains(&e)),
        };
        if !known {
            return bad(match version {
                Version::V05 => "`event` must be file.uploaded.",
                Version::V07 => "`event` must be one of file.uploaded, file.infected, file.stored, file.deleted, file.info_updated.",
            });
        }
    }
    if let Some(secret) = body.get("signing_secret") {
        match secret {
            Value::Null => {}
            Value::String(s) if s.chars().count() <= 32 => {}
            Value::String(_) => return bad("`signing_secret` must be at most 32 characters."),
            _ => return bad("`signing_secret` must be a string."),
        }
    }
    if let Some(active) = body.get("is_active") {
        if as_bool(active).is_none() {
            return bad("`is_active` must be true or false.");
        }
    }
    let target = body.get("target_url").and_then(Value::as_str).or(current.map(|c| c.target_url.as_str()));
    let event = body.get("event").and_then(Value::as_str).or(current.map(|c| c.event.as_str())).unwrap_or(EVENT);
    if let Some(target) = target {
        let taken = state.webhooks.iter().any(|w| w.target_url == target && w.event == event && Some(w.id) != current.map(|c| c.id));
        if taken {
            return bad("A webhook with this `target_url` and `event` already exists.");
        }
    }
    Ok(())
}

/// `GET /webhooks/`.
pub async fn list(AxumState(app): AxumState<App>, version: Version) -> Response {
    if let Err(e) = forbidden_unless_enabled(&app) {
        return e;
    }
    let state = app.lock();
    reply(StatusCode::OK, Value::Array(state.webhooks.iter().map(|w| w.to_json(state.project_id, version)).collect()))
}

/// `POST /webhooks/` (JSON or form-encoded).
pub async fn create(AxumState(app): AxumState<App>, version: Version, headers: HeaderMap, body: Bytes) -> Response {
    if let Err(e) = forbidden_unless_enabled(&app) {
        return e;
    }
    let body = match object(&headers, &body) {
        Ok(body) => body,
        Err(e) => return e,
    };
    if body.get("target_url").is_none() {
        return detail(StatusCode::BAD_REQUEST, "`target_url` is missing.");
    }
    if body.get("event").is_none() {
        return detail(StatusCode::BAD_REQUEST, "`event` is missing.");
    }
    let payload_version = match (body.get("version").map(|v| v.as_str()), version) {
        (None, Version::V05) => "0.5",
        (None, Version::V07) => "0.7",
        (Some(Some(v @ ("0.5" | "0.6" | "0.7"))), Version::V05) => v,
        (Some(Some("0.7")), Version::V07) => "0.7",
        (Some(_), Version::V05) => return detail(StatusCode::BAD_REQUEST, "`version` must be one of 0.5, 0.6, 0.7."),
        (Some(_), Version::V07) => return detail(StatusCode::BAD_REQUEST, "`version` must be 0.7."),
    };
    let mut state = app.lock();
    if let Err(e) = validate(&state, &body, None, version) {
        return e;
    }
    let now = now_micros();
    let hook = WebhookRecord {
        id: state.next_webhook_id,
        created: now,
        updated: now,
        event: body.get("event").and_then(Value::as_str).unwrap_or(EVENT).to_string(),
        target_url: body["target_url"].as_str().unwrap_or_default().to_string(),
        is_active: body.get("is_active").and_then(as_bool).unwrap_or(true),
        signing_secret: body.get("signing_secret").and_then(Value::as_str).filter(|s| !s.is_empty()).map(str::to_string),
        version: payload_version.to_string(),
    };
    state.next_webhook_id += 1;
    let answer = hook.to_json(state.project_id, version);
    state.webhooks.push(hook);
    reply(StatusCode::CREATED, answer)
}

/// `POST /webhooks/<id>/` (v0.5) and `PUT /webhooks/<id>/` (v0.7).
pub async fn update(AxumState(app): AxumState<App>, version: Version, Path(id): Path<String>, headers: HeaderMap, body: Bytes) -> Response {
    if let Err(e) = forbidden_unless_enabled(&app) {
        return e;
    }
    let body = match object(&headers, &body) {
        Ok(body) => body,
        Err(e) => return e,
    };
    let mut state = app.lock();
    let Some(index) = id.parse::<u64>().ok().and_then(|id| state.webhooks.iter().position(|w| w.id == id)) else {
        return not_found();
    };
    let current = state.webhooks[index].clone();
    if let Err(e) = validate(&state, &body, Some(&current), version) {
        return e;
    }
    let project_id = state.project_id;
    let hook = &mut state.webhooks[index];
    if let Some(url) = body.get("target_url").and_then(Value::as_str) {
        hook.target_url = url.to_string();
    }
    if let Some(event) = body.get("event").and_then(Value::as_str) {
        hook.event = event.to_string();
    }
    if let Some(active) = body.get("is_active").and_then(as_bool) {
        hook.is_active = active;
    }
    if let Some(secret) = body.get("signing_secret") {
        hook.signing_secret = secret.as_str().filter(|s| !s.is_empty()).map(str::to_string);
    }
    hook.updated = now_micros();
    reply(StatusCode::OK, hook.to_json(project_id, version))
}

/// `DELETE /webhooks/<id>/` (v0.7; undocumented, used by pyuploadcare): 204.
pub async fn delete_by_id(AxumState(app): AxumState<App>, Path(id): Path<String>) -> Response {
    if let Err(e) = forbidden_unless_enabled(&app) {
        return e;
    }
    let mut state = app.lock();
    match id.parse::<u64>().ok().and_then(|id| state.webhooks.iter().position(|w| w.id == id)) {
        Some(index) => {
            state.webhooks.remove(index);
            no_content()
        }
        None => not_found(),
    }
}

/// `POST /webhooks/unsubscribe/` (v0.5) and `DELETE /webhooks/unsubscribe/` (v0.7):
/// removes the subscriptions of a target URL.
pub async fn unsubscribe(AxumState(app): AxumState<App>, headers: HeaderMap, body: Bytes) -> Response {
    if let Err(e) = forbidden_unless_enabled(&app) {
        return e;
    }
    let body = match object(&headers, &body) {
        Ok(body) => body,
        Err(e) => return e,
    };
    let Some(target) = body.get("target_url").and_then(Value::as_str) else {
        return detail(StatusCode::BAD_REQUEST, "`target_url` is missing.");
    };
    let mut state = app.lock();
    let before = state.webhooks.len();
    state.webhooks.retain(|w| w.target_url != target);
    if state.webhooks.len() == before {
        return not_found();
    }
    no_content()
}

/// Whether a delivery may go to this URL: loopback only, unless the emulator was told
/// otherwise, so tests never send traffic off the machine.
fn may_deliver(app: &App, target: &str) -> bool {
    if app.config.deliver_external {
        return true;
    }
    match url::Url::parse(target).ok().and_then(|u| u.host().map(|h| h.to_owned())) {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(name)) => name == "localhost",
        None => false,
    }
}

/// Sends `event` about the file `seq` to every active subscription of that event, in the
/// background, each in the payload of its subscription's version (v0.7 adds `initiator`,
/// and `previous_values` for `file.info_updated`). Each delivery is recorded at once and
/// completed with the target's answer.
pub fn deliver(app: &App, state: &mut State, event: &str, seq: u64, origin: &str, initiator: Initiator, previous: Option<Value>) {
    let hooks: Vec<WebhookRecord> = state.webhooks.iter().filter(|w| w.is_active && w.event == event).cloned().collect();
    if hooks.is_empty() {
        return;
    }
    let file = &state.files[seq as usize];
    let cdn_url = format!("{origin}{}/", file.uuid);
    for hook in hooks {
        let v07 = hook.version == "0.7";
        let data = file.to_json(origin, if v07 { Version::V07 } else { Version::V05 });
        let mut payload = json!({
            "hook": {
                "id": hook.id,
                "project_id": state.project_id,
                "project_pub_key": app.config.public_key,
                "created_at": format_datetime(hook.created),
                "updated_at": format_datetime(hook.updated),
                "event": hook.event,
                "target": hook.target_url,
                "is_active": hook.is_active,
                "version": hook.version,
            },
            "data": data,
            "file": cdn_url,
        });
        if v07 {
            payload["initiator"] = initiator.to_json();
            if let Some(previous) = &previous {
                payload["previous_values"] = previous.clone();
            }
        }
        let payload = payload.to_string();
        // An empty secret signs nothing (the client refuses to verify with one).
        let signature = hook.signing_secret.as_deref().and_then(|secret| ucare::webhook::sign(secret, payload.as_bytes()).ok());
        let index = state.deliveries.len();
        let allowed = may_deliver(app, &hook.target_url);
        state.deliveries.push(Delivery {
            webhook_id: hook.id,
            target_url: hook.target_url.clone(),
            event: hook.event.clone(),
            body: payload.clone(),
            signature: signature.clone(),
            status: None,
            error: (!allowed).then(|| "not sent: only loopback targets are delivered (start with deliver_external to send)".to_string()),
        });
        if !allowed {
            continue;
        }
        let (app, target) = (app.clone(), hook.target_url.clone());
        app.runtime.clone().spawn(async move {
            let mut request = app.http.post(&target).header("Content-Type", "application/json").body(payload);
            if let Some(signature) = signature {
                request = request.header(ucare::webhook::SIGNATURE_HEADER, signature);
            }
            let outcome = request.send().await;
            let mut state = app.lock();
            let delivery = &mut state.deliveries[index];
            match outcome {
                Ok(response) => delivery.status = Some(response.status().as_u16()),
                Err(e) => delivery.error = Some(e.to_string()),
            }
        });
    }
}
