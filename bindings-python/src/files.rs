//! Files of a listing or a batch as native objects: a page (or a batch's answers) is
//! decoded by the core off the GIL, and Python reads each field on access instead of
//! `json.loads`-ing all of it under the GIL. `ucare.File` wraps them (`_NativeFile`) and
//! builds the full dict only when a field without a fast getter, `to_dict`, `extra` or
//! equality needs it.

use pyo3::prelude::*;
use pyo3::types::{IntoPyDict, PyList, PyTuple};
use ucare_bindings::{FileBatch, FilePage};

/// A file of either version. (Each lives in its own Python object on the heap; boxing the
/// larger variant would add an allocation per file for nothing.)
#[allow(clippy::large_enum_variant)]
enum AnyFile {
    V05(ucare::v05::File),
    V07(ucare::File),
}

/// One file of a listing, decoded by the core.
#[pyclass(module = "ucare._native", frozen)]
pub struct NativeFile {
    file: AnyFile,
}

macro_rules! field {
    ($file:expr, $name:ident) => {
        match &$file {
            AnyFile::V05(f) => &f.$name,
            AnyFile::V07(f) => &f.$name,
        }
    };
}

fn iso(at: &Option<ucare::chrono::DateTime<ucare::chrono::Utc>>) -> Option<String> {
    at.map(|at| at.to_rfc3339_opts(ucare::chrono::SecondsFormat::AutoSi, true))
}

#[pymethods]
impl NativeFile {
    #[getter]
    fn uuid(&self) -> &str {
        field!(self.file, uuid)
    }

    #[getter]
    fn size(&self) -> u64 {
        *field!(self.file, size)
    }

    #[getter]
    fn original_filename(&self) -> &str {
        field!(self.file, original_filename)
    }

    #[getter]
    fn mime_type(&self) -> &str {
        field!(self.file, mime_type)
    }

    #[getter]
    fn is_image(&self) -> bool {
        *field!(self.file, is_image)
    }

    #[getter]
    fn is_ready(&self) -> bool {
        *field!(self.file, is_ready)
    }

    #[getter]
    fn datetime_uploaded(&self) -> Option<String> {
        iso(field!(self.file, datetime_uploaded))
    }

    #[getter]
    fn datetime_stored(&self) -> Option<String> {
        iso(field!(self.file, datetime_stored))
    }

    #[getter]
    fn datetime_removed(&self) -> Option<String> {
        iso(field!(self.file, datetime_removed))
    }

    /// The whole file as the API's JSON (unknown fields included).
    fn to_json(&self) -> PyResult<String> {
        let text = match &self.file {
            AnyFile::V05(f) => serde_json::to_string(f),
            AnyFile::V07(f) => serde_json::to_string(f),
        };
        text.map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))
    }
}

/// The files as a list of native objects.
fn native_files<'py, F>(py: Python<'py>, files: Vec<F>, file: fn(F) -> AnyFile) -> PyResult<Bound<'py, PyList>> {
    let files = files.into_iter().map(|f| Py::new(py, NativeFile { file: file(f) })).collect::<PyResult<Vec<_>>>()?;
    PyList::new(py, files)
}

/// A decoded page as `(files, total, per_page, next, previous)`, the files as native
/// objects; `None` when the listing is done.
pub fn page_to_py(py: Python<'_>, page: Option<FilePage>) -> PyResult<Py<PyAny>> {
    let Some(page) = page else { return Ok(py.None()) };
    let (files, (total, per_page, next, previous)) = match page {
        FilePage::V05(p) => (native_files(py, p.results, AnyFile::V05)?, (p.total, p.per_page, p.next, p.previous)),
        FilePage::V07(p) => (native_files(py, p.results, AnyFile::V07)?, (p.total, p.per_page, p.next, p.previous)),
    };
    Ok(PyTuple::new(
        py,
        [
            files.into_any(),
            total.into_pyobject(py)?.into_any(),
            per_page.into_pyobject(py)?.into_any(),
            next.into_pyobject(py)?.into_any(),
            previous.into_pyobject(py)?.into_any(),
        ],
    )?
    .into_any()
    .unbind())
}

/// A batch's merged answer as `(status, problems, files)`, the files as native objects.
pub fn batch_to_py(py: Python<'_>, batch: FileBatch) -> PyResult<Py<PyAny>> {
    let (files, status, problems) = match batch {
        FileBatch::V05(b) => (native_files(py, b.result, AnyFile::V05)?, b.status, b.problems),
        FileBatch::V07(b) => (native_files(py, b.result, AnyFile::V07)?, b.status, b.problems),
    };
    let problems = problems.into_py_dict(py)?;
    Ok(PyTuple::new(py, [status.into_pyobject(py)?.into_any(), problems.into_any(), files.into_any()])?.into_any().unbind())
}
