//! Between Python and Rust: JSON-like values both ways, and core errors as the
//! `ucare` exception classes (defined in Python, raised from here).

use std::panic::AssertUnwindSafe;

use pyo3::exceptions::{PyException, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyByteArray, PyBytes, PyDict, PyFloat, PyInt, PyList, PyString};
use pyo3::BoundObject;
use serde_json::{Map, Number, Value};

/// How deep an argument may nest. Real arguments nest two or three levels; a limit keeps a
/// self-referencing list or a pathological nesting from exhausting the stack.
const MAX_DEPTH: usize = 32;

/// A JSON value as Python objects (dicts, lists, str, int, float, bool, None).
pub fn to_py(py: Python<'_>, value: &Value) -> PyResult<Py<PyAny>> {
    Ok(match value {
        Value::Null => py.None(),
        Value::Bool(b) => PyBool::new(py, *b).to_owned().into_any().unbind(),
        Value::Number(n) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => i.into_pyobject(py)?.into_any().unbind(),
            (None, Some(u)) => u.into_pyobject(py)?.into_any().unbind(),
            _ => PyFloat::new(py, n.as_f64().unwrap_or(f64::NAN)).into_any().unbind(),
        },
        Value::String(s) => PyString::new(py, s).into_any().unbind(),
        Value::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(to_py(py, item)?)?;
            }
            list.into_any().unbind()
        }
        Value::Object(map) => {
            let dict = PyDict::new(py);
            for (k, v) in map {
                dict.set_item(k, to_py(py, v)?)?;
            }
            dict.into_any().unbind()
        }
    })
}

/// A serializable Rust value as Python objects.
pub fn model_to_py<T: serde::Serialize>(py: Python<'_>, value: &T) -> PyResult<Py<PyAny>> {
    let json = serde_json::to_value(value).map_err(|e| PyValueError::new_err(e.to_string()))?;
    to_py(py, &json)
}

/// Python arguments as JSON, for typed decoding in Rust. Datetimes become ISO strings.
///
/// Anything that cannot be an argument is an `InvalidInputError` naming where it is
/// (`uuids[3]`): NaN and infinities, integers beyond 64 bits, bytes, nesting deeper than
/// [`MAX_DEPTH`] (a list that contains itself), text that is not Unicode.
pub fn from_py(value: &Bound<'_, PyAny>) -> PyResult<Value> {
    let mut path = Vec::new();
    convert(value, &mut path).map_err(|problem| {
        let py = value.py();
        match problem {
            Problem::Python(error) if !error.is_instance_of::<PyException>(py) => error, // KeyboardInterrupt, SystemExit
            Problem::Python(error) => invalid(py, &format!("{}: {}", where_(&path), error.value(py))),
            Problem::Refused(message) => invalid(py, &format!("{}: {message}", where_(&path))),
        }
    })
}

enum Problem {
    Refused(String),
    Python(PyErr),
}

impl From<PyErr> for Problem {
    fn from(error: PyErr) -> Self {
        Problem::Python(error)
    }
}

fn where_(path: &[String]) -> String {
    let text = match path.len() {
        0 => return "argument".to_string(),
        1..=6 => path.concat(),
        _ => format!("{}…", path[..6].concat()),
    };
    text.trim_start_matches('.').to_string()
}

fn convert(value: &Bound<'_, PyAny>, path: &mut Vec<String>) -> Result<Value, Problem> {
    if path.len() > MAX_DEPTH {
        return Err(Problem::Refused(format!("nested deeper than {MAX_DEPTH} levels (does it contain itself?)")));
    }
    if value.is_none() {
        return Ok(Value::Null);
    }
    if let Ok(b) = value.cast::<PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    if value.is_instance_of::<PyInt>() {
        if let Ok(i) = value.extract::<i64>() {
            return Ok(Value::from(i));
        }
        if let Ok(u) = value.extract::<u64>() {
            return Ok(Value::from(u));
        }
        return Err(Problem::Refused("an integer out of the 64-bit range".into()));
    }
    if let Ok(f) = value.cast::<PyFloat>() {
        let number = f.value();
        return Number::from_f64(number).map(Value::Number).ok_or_else(|| Problem::Refused(format!("{number} is not a finite number")));
    }
    if let Ok(s) = value.cast::<PyString>() {
        return Ok(Value::String(s.to_cow()?.into_owned()));
    }
    if value.is_instance_of::<PyBytes>() || value.is_instance_of::<PyByteArray>() {
        return Err(Problem::Refused("bytes where text or a number belongs".into()));
    }
    if let Ok(dict) = value.cast::<PyDict>() {
        let mut map = Map::new();
        for (k, v) in dict.iter() {
            let key = k.str()?.to_cow()?.into_owned();
            path.push(format!(".{key}"));
            let item = convert(&v, path)?;
            path.pop();
            map.insert(key, item);
        }
        return Ok(Value::Object(map));
    }
    if value.hasattr("isoformat")? {
        return Ok(Value::String(value.call_method0("isoformat")?.extract()?));
    }
    if let Ok(iter) = value.try_iter() {
        let mut items = Vec::new();
        for (index, item) in iter.enumerate() {
            path.push(format!("[{index}]"));
            items.push(convert(&item?, path)?);
            path.pop();
        }
        return Ok(Value::Array(items));
    }
    Err(Problem::Refused(format!("cannot use a {} here", value.get_type().name()?)))
}

fn raise(py: Python<'_>, class: &str, message: String, fields: &[(&str, Py<PyAny>)]) -> PyErr {
    let build = || -> PyResult<PyErr> {
        let class = py.import("ucare.errors")?.getattr(class)?;
        let kwargs = PyDict::new(py);
        for (k, v) in fields {
            kwargs.set_item(k, v)?;
        }
        let instance = class.call((message.clone(),), Some(&kwargs))?;
        Ok(PyErr::from_value(instance))
    };
    build().unwrap_or_else(|e| e)
}

/// The exception for refused input.
pub fn invalid(py: Python<'_>, message: &str) -> PyErr {
    raise(py, "InvalidInputError", format!("invalid input: {message}"), &[])
}

fn object<T: for<'py> IntoPyObject<'py>>(py: Python<'_>, value: T) -> Py<PyAny> {
    value.into_pyobject(py).map(|o| o.into_any().unbind()).unwrap_or_else(|_| py.None())
}

/// A core error as the matching `ucare.errors` class.
pub fn to_py_err(py: Python<'_>, error: &ucare::Error) -> PyErr {
    exception(py, error, error.to_string(), Vec::new())
}

/// The exception of `error`'s kind with `message`; `fields` go to its constructor too.
fn exception(py: Python<'_>, error: &ucare::Error, message: String, mut fields: Vec<(&str, Py<PyAny>)>) -> PyErr {
    match error {
        ucare::Error::Api { status, detail, retry_after, .. } => {
            let class = match status {
                401 | 403 => "AuthenticationError",
                404 => "NotFoundError",
                429 => "ThrottledError",
                400 => "BadRequestError",
                _ => "ApiError",
            };
            fields.push(("status", object(py, *status)));
            fields.push(("detail", object(py, detail.as_str())));
            fields.push(("retry_after", object(py, retry_after.map(|d| d.as_secs_f64()))));
            if let Some(errors) = error.field_errors() {
                match to_py(py, &serde_json::json!(errors)) {
                    Ok(errors) => fields.push(("field_errors", errors)),
                    Err(e) => return e,
                }
            }
            raise(py, class, message, &fields)
        }
        ucare::Error::Transport(_) => raise(py, "TransportError", message, &fields),
        ucare::Error::Timeout(_) => raise(py, "TimeoutError", message, &fields),
        ucare::Error::InvalidInput(_) => raise(py, "InvalidInputError", message, &fields),
        ucare::Error::OutcomeUnknown { .. } => raise(py, "OutcomeUnknownError", message, &fields),
        ucare::Error::Decode { status, snippet, .. } => {
            fields.push(("status", object(py, *status)));
            fields.push(("snippet", object(py, snippet.as_str())));
            raise(py, "DecodeError", message, &fields)
        }
        ucare::Error::BatchIncomplete(failure) => {
            // The class of what stopped the batch (so `except NotFoundError` still works),
            // carrying what was done and what is left.
            let progress = serde_json::json!({
                "partial": failure.partial, "failed": failure.failed, "not_attempted": failure.not_attempted,
            });
            match to_py(py, &progress) {
                Ok(progress) => fields.push(("batch", progress)),
                Err(e) => return e,
            }
            exception(py, &failure.cause, message, fields)
        }
        _ => raise(py, "UploadcareError", message, &fields),
    }
}

/// A Rust panic as an `UploadcareError`, never a `PanicException`.
pub fn internal_error(py: Python<'_>, panic: &Box<dyn std::any::Any + Send>) -> PyErr {
    let what =
        panic.downcast_ref::<String>().map(String::as_str).or_else(|| panic.downcast_ref::<&str>().copied()).unwrap_or("unknown panic");
    raise(py, "UploadcareError", format!("internal error in ucare (please report it): {what}"), &[])
}

/// Runs a synchronous entry point; a panic inside becomes an `UploadcareError` rather than
/// a `PanicException` (which escapes `except Exception`).
pub fn guard<T>(py: Python<'_>, f: impl FnOnce() -> PyResult<T>) -> PyResult<T> {
    std::panic::catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|panic| Err(internal_error(py, &panic)))
}
