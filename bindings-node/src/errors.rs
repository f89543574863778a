//! Core errors as descriptions (kind, message, status, detail, retryAfter, snippet, fields,
//! batch), which the JS layer turns into the typed error classes: as a structured value
//! when a Promise settles (see `client::Failure`), and inside the message of the few
//! synchronous entry points, which can only throw; and panics kept from crashing the process.

use std::future::Future;
use std::panic::AssertUnwindSafe;

use futures_util::FutureExt;
use napi::{Env, Error, Status};
use serde_json::{json, Value};

/// The prefix that marks a message the JS layer should decode.
const MARK: &str = "ucare:";

/// The description of one error: its kind and fields.
pub fn describe(error: &ucare::Error) -> Value {
    let (kind, status, detail, retry_after, snippet) = match error {
        ucare::Error::Api { status, detail, retry_after, .. } => {
            ("api", Some(*status), Some(detail.clone()), retry_after.map(|d| d.as_secs_f64()), None)
        }
        ucare::Error::Transport(_) => ("transport", None, None, None, None),
        ucare::Error::Timeout(_) => ("timeout", None, None, None, None),
        ucare::Error::InvalidInput(_) => ("invalid_input", None, None, None, None),
        ucare::Error::OutcomeUnknown { .. } => ("outcome_unknown", None, None, None, None),
        ucare::Error::Decode { status, snippet, .. } => ("decode", Some(*status), None, None, Some(snippet.clone())),
        ucare::Error::BatchIncomplete(failure) => {
            // The kind of what stopped the batch, carrying what was done and what is left.
            let mut description = describe(&failure.cause);
            description["message"] = json!(error.to_string());
            description["batch"] = json!({ "partial": failure.partial, "failed": failure.failed, "notAttempted": failure.not_attempted });
            return description;
        }
        _ => ("internal", None, None, None, None),
    };
    json!({
        "kind": kind, "message": error.to_string(), "status": status, "detail": detail, "retryAfter": retry_after, "snippet": snippet,
        "fields": error.field_errors(),
    })
}

/// A core error as a napi error carrying its kind, status and detail.
pub fn to_js(error: &ucare::Error) -> Error {
    Error::new(Status::GenericFailure, format!("{MARK}{}", describe(error)))
}

/// Refused input, in the same form.
pub fn invalid(message: impl std::fmt::Display) -> Error {
    to_js(&ucare::Error::InvalidInput(message.to_string()))
}

/// The description of a cancelled call (an `AbortError` in JS).
pub fn aborted_description() -> Value {
    json!({ "kind": "aborted", "message": "the operation was aborted" })
}

fn panic_description(panic: Box<dyn std::any::Any + Send>) -> Value {
    let what =
        panic.downcast_ref::<String>().map(String::as_str).or_else(|| panic.downcast_ref::<&str>().copied()).unwrap_or("unknown panic");
    json!({ "kind": "internal", "message": format!("internal error in ucare (please report it): {what}") })
}

fn panicked(panic: Box<dyn std::any::Any + Send>) -> Error {
    Error::new(Status::GenericFailure, format!("{MARK}{}", panic_description(panic)))
}

/// Awaits a core future; its error, or a panic inside (never an abort), as a description.
pub async fn settled<T>(future: impl Future<Output = ucare::Result<T>>) -> Result<T, Value> {
    match AssertUnwindSafe(future).catch_unwind().await {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(error)) => Err(describe(&error)),
        Err(panic) => Err(panic_description(panic)),
    }
}

/// Runs a synchronous entry point. Its error is thrown in JS as `{ failure }`, the error's
/// description as a value (the JS layer throws the matching class), not as text to parse;
/// a panic inside becomes an `UploadcareError` rather than a process abort.
pub fn guard<T>(env: &Env, f: impl FnOnce() -> napi::Result<T>) -> napi::Result<T> {
    std::panic::catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|panic| Err(panicked(panic))).map_err(|error| thrown(env, error))
}

/// Throws a described error as `{ failure }`; napi-rs then leaves the pending exception as
/// it is. An error of napi-rs itself (a value of the wrong type) is left to napi-rs.
fn thrown(env: &Env, error: Error) -> Error {
    let Some(description) = error.reason.strip_prefix(MARK).and_then(|text| serde_json::from_str::<Value>(text).ok()) else {
        return error;
    };
    match env.to_js_value(&json!({ "failure": description })).and_then(|value| env.throw(value)) {
        Ok(()) => Error::from_status(Status::PendingException),
        Err(_) => error,
    }
}

/// Parses JSON arguments from the JS layer.
pub fn parse(text: &str) -> napi::Result<serde_json::Value> {
    serde_json::from_str(text).map_err(|e| invalid(format!("arguments are not JSON: {e}")))
}
