//! Between Python and Rust: JSON-like values both ways, and core errors as the
//! `ucare` exception classes (defined in Python, raised from here).

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyList, PyString};
use serde_json::{Map, Number, Value};

/// A JSON value as Python objects (dicts, lists, str, int, float, bool, None).
pub fn to_py(py: Python<'_>, value: &Value) -> PyResult<PyObject> {
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
pub fn model_to_py<T: serde::Serialize>(py: Python<'_>, value: &T) -> PyResult<PyObject> {
    let json = serde_json::to_value(value).map_err(|e| PyValueError::new_err(e.to_string()))?;
    to_py(py, &json)
}

/// Python arguments as JSON, for typed decoding in Rust. Datetimes become ISO strings.
pub fn from_py(value: &Bound<'_, PyAny>) -> PyResult<Value> {
    if value.is_none() {
        return Ok(Value::Null);
    }
    if let Ok(b) = value.downcast::<PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    if let Ok(i) = value.extract::<i64>() {
        return Ok(Value::from(i));
    }
    if let Ok(f) = value.downcast::<PyFloat>() {
        return Ok(Number::from_f64(f.value()).map(Value::Number).unwrap_or(Value::Null));
    }
    if let Ok(s) = value.downcast::<PyString>() {
        return Ok(Value::String(s.to_cow()?.into_owned()));
    }
    if let Ok(dict) = value.downcast::<PyDict>() {
        let mut map = Map::new();
        for (k, v) in dict.iter() {
            map.insert(k.str()?.to_cow()?.into_owned(), from_py(&v)?);
        }
        return Ok(Value::Object(map));
    }
    if value.hasattr("isoformat")? {
        return Ok(Value::String(value.call_method0("isoformat")?.extract()?));
    }
    if let Ok(iter) = value.try_iter() {
        return iter.map(|item| from_py(&item?)).collect::<PyResult<Vec<_>>>().map(Value::Array);
    }
    Err(invalid(value.py(), &format!("cannot use a {} here", value.get_type().name()?)))
}

/// Decodes arguments; a wrong type is an `InvalidInputError` naming the field.
pub fn args<T: serde::de::DeserializeOwned>(py: Python<'_>, value: Value) -> PyResult<T> {
    serde_json::from_value(value).map_err(|e| invalid(py, &e.to_string()))
}

fn raise(py: Python<'_>, class: &str, message: String, fields: &[(&str, PyObject)]) -> PyErr {
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

/// A core error as the matching `ucare.errors` class.
pub fn to_py_err(py: Python<'_>, error: &ucare::Error) -> PyErr {
    let message = error.to_string();
    match error {
        ucare::Error::Api { status, detail, retry_after } => {
            let class = match status {
                401 | 403 => "AuthenticationError",
                404 => "NotFoundError",
                429 => "ThrottledError",
                400 => "BadRequestError",
                _ => "ApiError",
            };
            let retry_after =
                retry_after.map(|d| d.as_secs_f64()).into_pyobject(py).map(|o| o.into_any().unbind()).unwrap_or_else(|_| py.None());
            let status = status.into_pyobject(py).map(|o| o.into_any().unbind()).unwrap_or_else(|_| py.None());
            raise(
                py,
                class,
                message,
                &[("status", status), ("detail", PyString::new(py, detail).into_any().unbind()), ("retry_after", retry_after)],
            )
        }
        ucare::Error::Transport(_) => raise(py, "TransportError", message, &[]),
        ucare::Error::Timeout(_) => raise(py, "TimeoutError", message, &[]),
        ucare::Error::InvalidInput(_) => raise(py, "InvalidInputError", message, &[]),
        ucare::Error::OutcomeUnknown { .. } => raise(py, "OutcomeUnknownError", message, &[]),
        ucare::Error::Decode { status, snippet, .. } => {
            let status = status.into_pyobject(py).map(|o| o.into_any().unbind()).unwrap_or_else(|_| py.None());
            raise(py, "DecodeError", message, &[("status", status), ("snippet", PyString::new(py, snippet).into_any().unbind())])
        }
        _ => raise(py, "UploadcareError", message, &[]),
    }
}

/// A Rust panic as an `UploadcareError`, never a `PanicException`.
pub fn internal_error(py: Python<'_>, panic: &Box<dyn std::any::Any + Send>) -> PyErr {
    let what =
        panic.downcast_ref::<String>().map(String::as_str).or_else(|| panic.downcast_ref::<&str>().copied()).unwrap_or("unknown panic");
    raise(py, "UploadcareError", format!("internal error in ucare (please report it): {what}"), &[])
}
