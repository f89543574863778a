//! `/webhooks/`: subscriptions, and the deliveries an upload sets off.

use axum::body::Bytes;
use axum::extract::{Path, State as AxumState};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Map, Value};

use crate::server::{as_bool, detail, json_body, not_found, reply, App};
use crate::state::{format_datetime, now_micros, Delivery, State, WebhookRecord};

const EVENT: &str = "file.uploaded";

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
fn validate(state: &State, body: &Map<String, Value>, current: Option<&WebhookRecord>) -> Result<(), Response> {
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
        if event.as_str() != Some(EVENT) {
            return bad("`event` must be file.uploaded.");
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
pub async fn list(AxumState(app): AxumState<App>) -> Response {
    if let Err(e) = forbidden_unless_enabled(&app) {
        return e;
    }
    let state = app.lock();
    reply(StatusCode::OK, Value::Array(state.webhooks.iter().map(|w| w.to_json(state.project_id)).collect()))
}

/// `POST /webhooks/`.
pub async fn create(AxumState(app): AxumState<App>, headers: HeaderMap, body: Bytes) -> Response {
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
    let version = match body.get("version").map(|v| v.as_str()) {
        None => "0.5",
        Some(Some(v @ ("0.5" | "0.6" | "0.7"))) => v,
        Some(_) => return detail(StatusCode::BAD_REQUEST, "`version` must be one of 0.5, 0.6, 0.7."),
    };
    let mut state = app.lock();
    if let Err(e) = validate(&state, &body, None) {
        return e;
    }
    let now = now_micros();
    let hook = WebhookRecord {
        id: state.next_webhook_id,
        created: now,
        updated: now,
        event: EVENT.into(),
        target_url: body["target_url"].as_str().unwrap_or_default().to_string(),
        is_active: body.get("is_active").and_then(as_bool).unwrap_or(true),
        signing_secret: body.get("signing_secret").and_then(Value::as_str).map(str::to_string),
        version: version.to_string(),
    };
    state.next_webhook_id += 1;
    let answer = hook.to_json(state.project_id);
    state.webhooks.push(hook);
    reply(StatusCode::CREATED, answer)
}

/// `POST /webhooks/<id>/`: v0.5 updates with POST.
pub async fn update(AxumState(app): AxumState<App>, Path(id): Path<String>, headers: HeaderMap, body: Bytes) -> Response {
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
    if let Err(e) = validate(&state, &body, Some(&current)) {
        return e;
    }
    let project_id = state.project_id;
    let hook = &mut state.webhooks[index];
    if let Some(url) = body.get("target_url").and_then(Value::as_str) {
        hook.target_url = url.to_string();
    }
    if let Some(active) = body.get("is_active").and_then(as_bool) {
        hook.is_active = active;
    }
    if let Some(secret) = body.get("signing_secret") {
        hook.signing_secret = secret.as_str().map(str::to_string);
    }
    hook.updated = now_micros();
    reply(StatusCode::OK, hook.to_json(project_id))
}

/// `POST /webhooks/unsubscribe/`: removes the subscriptions of a target URL.
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
    StatusCode::NO_CONTENT.into_response()
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

/// Sends `file.uploaded` for a new file to every active subscription, in the background.
/// Each delivery is recorded at once and completed with the target's answer.
pub fn deliver_uploaded(app: &App, state: &mut State, file: Value, cdn_url: String) {
    for hook in state.webhooks.iter().filter(|w| w.is_active && w.event == EVENT) {
        let payload = json!({
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
            "data": file,
            "file": cdn_url,
        })
        .to_string();
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
