//! `/files/<uuid>/metadata/` (v0.7): a file's keys and values.

use std::collections::BTreeMap;

use axum::body::Bytes;
use axum::extract::{Path, State as AxumState};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{json, Value};

use crate::server::{detail, no_content, not_found, reply, App, Origin};
use crate::webhooks::{deliver, Initiator};

/// The most keys a file may carry.
pub const MAX_KEYS: usize = 50;

/// A key of 1..64 characters of `A-Z a-z 0-9 _ - . :`, a value of 1..512 characters.
pub fn check(key: &str, value: &str) -> Result<(), String> {
    let key_ok = (1..=64).contains(&key.chars().count()) && key.chars().all(|c| c.is_ascii_alphanumeric() || "_-.:".contains(c));
    if !key_ok {
        return Err(format!("Invalid metadata key {key:?}: 1 to 64 characters of A-Z a-z 0-9 _ - . :"));
    }
    if !(1..=512).contains(&value.chars().count()) {
        return Err(format!("Invalid value for metadata key {key:?}: 1 to 512 characters"));
    }
    Ok(())
}

/// A whole metadata object (of a copy or an upload), checked.
pub fn read_all(value: &Value) -> Result<BTreeMap<String, String>, Response> {
    let Value::Object(map) = value else { return Err(detail(StatusCode::BAD_REQUEST, "`metadata` must be an object.")) };
    if map.len() > MAX_KEYS {
        return Err(detail(StatusCode::BAD_REQUEST, format!("A file may have at most {MAX_KEYS} metadata keys.")));
    }
    map.iter()
        .map(|(key, value)| {
            let Some(value) = value.as_str() else { return Err(detail(StatusCode::BAD_REQUEST, "Metadata values must be strings.")) };
            check(key, value).map_err(|e| detail(StatusCode::BAD_REQUEST, e))?;
            Ok((key.clone(), value.to_string()))
        })
        .collect()
}

/// `GET /files/<uuid>/metadata/`.
pub async fn list(AxumState(app): AxumState<App>, Path(uuid): Path<String>) -> Response {
    match app.lock().file(&uuid) {
        Some(file) => reply(StatusCode::OK, json!(file.metadata)),
        None => not_found(),
    }
}

/// `GET /files/<uuid>/metadata/<key>/`: the value as a JSON string.
pub async fn get(AxumState(app): AxumState<App>, Path((uuid, key)): Path<(String, String)>) -> Response {
    match app.lock().file(&uuid).and_then(|f| f.metadata.get(&key)) {
        Some(value) => reply(StatusCode::OK, json!(value)),
        None => not_found(),
    }
}

/// `PUT /files/<uuid>/metadata/<key>/` with a JSON string: 201 when the key is new, 200 when
/// its value was replaced; `file.info_updated` goes out with the previous metadata.
pub async fn set(
    AxumState(app): AxumState<App>,
    Origin(origin): Origin,
    Path((uuid, key)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    let Ok(Value::String(value)) = serde_json::from_slice::<Value>(&body) else {
        return detail(StatusCode::BAD_REQUEST, "Expected a JSON string.");
    };
    if let Err(problem) = check(&key, &value) {
        return detail(StatusCode::BAD_REQUEST, problem);
    }
    let mut state = app.lock();
    let Some(seq) = state.file(&uuid).filter(|f| f.removed.is_none()).map(|f| f.seq) else { return not_found() };
    let file = &mut state.files[seq as usize];
    let created = !file.metadata.contains_key(&key);
    if created && file.metadata.len() >= MAX_KEYS {
        return detail(StatusCode::BAD_REQUEST, format!("A file may have at most {MAX_KEYS} metadata keys."));
    }
    let previous = json!({ "metadata": file.metadata });
    let changed = file.metadata.insert(key, value.clone()).as_ref() != Some(&value);
    if changed {
        deliver(&app, &mut state, "file.info_updated", seq, &origin, Initiator::Api, Some(previous));
    }
    reply(if created { StatusCode::CREATED } else { StatusCode::OK }, json!(value))
}

/// `DELETE /files/<uuid>/metadata/<key>/`: 204.
pub async fn delete(AxumState(app): AxumState<App>, Origin(origin): Origin, Path((uuid, key)): Path<(String, String)>) -> Response {
    let mut state = app.lock();
    let Some(seq) = state.file(&uuid).filter(|f| f.removed.is_none()).map(|f| f.seq) else { return not_found() };
    let file = &mut state.files[seq as usize];
    let previous = json!({ "metadata": file.metadata });
    if file.metadata.remove(&key).is_none() {
        return not_found();
    }
    deliver(&app, &mut state, "file.info_updated", seq, &origin, Initiator::Api, Some(previous));
    no_content()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_values_within_the_limits() {
        assert!(check("-:45az_", "x").is_ok());
        assert!(check(&"k".repeat(64), &"v".repeat(512)).is_ok());
        for (key, value) in
            [("", "v"), (&"k".repeat(65) as &str, "v"), ("a b", "v"), ("ключ", "v"), ("k", ""), ("k", &"v".repeat(513) as &str)]
        {
            assert!(check(key, value).is_err(), "{key:?} {value:?}");
        }
    }
}
