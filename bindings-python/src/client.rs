//! The native client: the operations of `ucare_bindings::Op` by name, blocking with the
//! GIL released or as asyncio awaitables, and the pagers behind lazy listings.

use std::sync::{Arc, Mutex};

use pyo3::prelude::*;
use pyo3::types::PyDict;
use ucare::uploads::Source;
use ucare_bindings::{self as ops, AnyClient, ClientOptions, ListPager};

use crate::convert::{from_py, guard, model_to_py, to_py_err};
use crate::runtime::{block_on, run, spawn};

/// The core client of this process: rebuilt in a forked child, whose inherited
/// connections belong to the parent.
#[pyclass(module = "ucare._native", frozen)]
pub struct NativeClient {
    options: ClientOptions,
    on_request: Option<Arc<Py<PyAny>>>,
    client: Mutex<(u32, AnyClient)>,
}

impl NativeClient {
    fn client(&self, py: Python<'_>) -> PyResult<AnyClient> {
        let mut slot = self.client.lock().unwrap_or_else(|p| p.into_inner());
        if slot.0 != std::process::id() {
            *slot = (std::process::id(), build(py, &self.options, self.on_request.clone())?);
        }
        Ok(slot.1.clone())
    }

    /// The client with this call's options (`{"timeout", "max_retries"}` or None).
    fn client_for(&self, py: Python<'_>, options: Option<&Bound<'_, PyDict>>) -> PyResult<AnyClient> {
        let client = self.client(py)?;
        match options {
            None => Ok(client),
            Some(options) => client.with_call_options(from_py(options.as_any())?).map_err(|e| to_py_err(py, &e)),
        }
    }
}

/// The bodies of the methods that come as a blocking and an awaitable pair.
impl NativeClient {
    fn run_call(
        &self,
        py: Python<'_>,
        awaitable: bool,
        op: String,
        arguments: &Bound<'_, PyDict>,
        options: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Py<PyAny>> {
        let arguments = from_py(arguments.as_any())?;
        let client = self.client_for(py, options)?;
        run(py, awaitable, async move { ops::call(&client, &op, arguments, serde_json::Value::Null).await }, text)
    }

    fn run_file_batch(
        &self,
        py: Python<'_>,
        awaitable: bool,
        arguments: &Bound<'_, PyDict>,
        store: bool,
        options: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Py<PyAny>> {
        let arguments = from_py(arguments.as_any())?;
        let client = self.client_for(py, options)?;
        run(py, awaitable, async move { ops::file_batch(&client, arguments, store).await }, crate::files::batch_to_py)
    }

    fn run_upload(
        &self,
        py: Python<'_>,
        awaitable: bool,
        source: &Bound<'_, PyAny>,
        arguments: &Bound<'_, PyDict>,
        progress: Option<Py<PyAny>>,
        options: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Py<PyAny>> {
        let (source, args) = upload_input(py, source, arguments)?;
        let client = self.client_for(py, options)?;
        run(py, awaitable, async move { ops::upload(&client, source, args, progress_fn(progress)).await }, text)
    }

    fn run_upload_many(
        &self,
        py: Python<'_>,
        awaitable: bool,
        items: &Bound<'_, pyo3::types::PyList>,
        concurrency: usize,
    ) -> PyResult<Py<PyAny>> {
        let inputs = upload_inputs(py, items)?;
        let client = self.client(py)?;
        run(py, awaitable, async move { ops::upload_many(&client, inputs, concurrency).await }, many_to_py)
    }

    fn run_upload_from_url(
        &self,
        py: Python<'_>,
        awaitable: bool,
        url: String,
        arguments: &Bound<'_, PyDict>,
        options: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Py<PyAny>> {
        let arguments = from_py(arguments.as_any())?;
        let client = self.client_for(py, options)?;
        run(py, awaitable, async move { ops::upload_from_url(&client, &url, arguments).await }, text)
    }
}

/// JSON text as a Python str.
fn text(py: Python<'_>, text: String) -> PyResult<Py<PyAny>> {
    Ok(pyo3::types::PyString::new(py, &text).into_any().unbind())
}

/// Builds the core client; `on_request(method, path, status, attempt, elapsed_ms, error)`
/// receives the request log (the Python side hands it to `logging`).
fn build(py: Python<'_>, options: &ClientOptions, on_request: Option<Arc<Py<PyAny>>>) -> PyResult<AnyClient> {
    let hook = on_request.map(|callback| {
        move |entry: &ucare::RequestLog| {
            Python::attach(|py| {
                let args =
                    (&entry.method, &entry.path, entry.status, entry.attempt, entry.elapsed.as_secs_f64() * 1000.0, entry.error.as_deref());
                if let Err(error) = callback.call1(py, args) {
                    error.write_unraisable(py, None);
                }
            })
        }
    });
    ops::build_client(options, "python", hook).map_err(|e| to_py_err(py, &e))
}

/// A listing being walked; one page in memory at a time.
#[pyclass(module = "ucare._native", frozen)]
pub struct NativePager {
    inner: Arc<tokio::sync::Mutex<ListPager>>,
}

async fn next_page_raw(inner: Arc<tokio::sync::Mutex<ListPager>>) -> ucare::Result<Option<bytes::Bytes>> {
    Ok(inner.lock().await.next_page_raw().await?.map(|page| page.body))
}

async fn next_files(inner: Arc<tokio::sync::Mutex<ListPager>>) -> ucare::Result<Option<ucare_bindings::FilePage>> {
    inner.lock().await.next_files().await
}

fn raw_to_py(py: Python<'_>, body: Option<bytes::Bytes>) -> PyResult<Py<PyAny>> {
    Ok(match body {
        Some(body) => pyo3::types::PyBytes::new(py, &body).into_any().unbind(),
        None => py.None(),
    })
}

#[pymethods]
impl NativePager {
    /// The next page's JSON body as bytes (decoded by `json.loads`, the fastest reader
    /// Python has), or None when the listing is done.
    fn next_page_raw(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let body = block_on(py, next_page_raw(self.inner.clone()))?;
        raw_to_py(py, body)
    }

    /// The same, as an awaitable.
    fn next_page_raw_async(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        spawn(py, next_page_raw(self.inner.clone()), raw_to_py)
    }

    /// The next page of a file listing, decoded by the core off the GIL, as
    /// `(files, total, per_page, next, previous)` with native files; None when done.
    fn next_files(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let page = block_on(py, next_files(self.inner.clone()))?;
        crate::files::page_to_py(py, page)
    }

    /// The same, as an awaitable.
    fn next_files_async(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        spawn(py, next_files(self.inner.clone()), crate::files::page_to_py)
    }
}

#[pymethods]
impl NativeClient {
    #[new]
    #[pyo3(signature = (options, on_request=None))]
    fn new(py: Python<'_>, options: &Bound<'_, PyDict>, on_request: Option<Py<PyAny>>) -> PyResult<Self> {
        guard(py, || {
            let options: ClientOptions = ops::client_options(from_py(options.as_any())?).map_err(|e| to_py_err(py, &e))?;
            let on_request = on_request.map(Arc::new);
            let client = build(py, &options, on_request.clone())?;
            Ok(NativeClient { options, on_request, client: Mutex::new((std::process::id(), client)) })
        })
    }

    /// `0.7` or `0.5`.
    #[getter]
    fn api_version(&self) -> &'static str {
        match self.options.api_version() {
            "0.5" => "0.5",
            _ => "0.7",
        }
    }

    /// Runs an operation (with this call's `options`, if any) and answers its result as
    /// JSON text, with the GIL released while waiting.
    #[pyo3(signature = (op, arguments, options=None))]
    fn call(&self, py: Python<'_>, op: String, arguments: &Bound<'_, PyDict>, options: Option<&Bound<'_, PyDict>>) -> PyResult<Py<PyAny>> {
        self.run_call(py, false, op, arguments, options)
    }

    /// The same, as an awaitable.
    #[pyo3(signature = (op, arguments, options=None))]
    fn call_async(
        &self,
        py: Python<'_>,
        op: String,
        arguments: &Bound<'_, PyDict>,
        options: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Py<PyAny>> {
        self.run_call(py, true, op, arguments, options)
    }

    /// Stores (`store` true) or removes the files of `arguments` (`{"uuids": [...]}`) in
    /// batches, with the GIL released; answers `(status, problems, files)` with native
    /// files (see `files.rs`).
    #[pyo3(signature = (arguments, store, options=None))]
    fn file_batch(
        &self,
        py: Python<'_>,
        arguments: &Bound<'_, PyDict>,
        store: bool,
        options: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Py<PyAny>> {
        self.run_file_batch(py, false, arguments, store, options)
    }

    /// The same, as an awaitable.
    #[pyo3(signature = (arguments, store, options=None))]
    fn file_batch_async(
        &self,
        py: Python<'_>,
        arguments: &Bound<'_, PyDict>,
        store: bool,
        options: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Py<PyAny>> {
        self.run_file_batch(py, true, arguments, store, options)
    }

    /// A pager over files or groups; arguments are checked before anything is sent.
    #[pyo3(signature = (what, arguments, options=None))]
    fn pager(
        &self,
        py: Python<'_>,
        what: &str,
        arguments: &Bound<'_, PyDict>,
        options: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<NativePager> {
        guard(py, || {
            let arguments = from_py(arguments.as_any())?;
            let pager = ListPager::new(&self.client_for(py, options)?, what, arguments).map_err(|e| to_py_err(py, &e))?;
            Ok(NativePager { inner: Arc::new(tokio::sync::Mutex::new(pager)) })
        })
    }

    /// Uploads `source` (bytes, or a path as str) with `arguments` (see `ops::UploadArgs`);
    /// `progress(sent, total)` is called as parts are acknowledged. Answers the REST File as
    /// JSON text. The GIL is released while bytes move.
    #[pyo3(signature = (source, arguments, progress=None, options=None))]
    fn upload(
        &self,
        py: Python<'_>,
        source: &Bound<'_, PyAny>,
        arguments: &Bound<'_, PyDict>,
        progress: Option<Py<PyAny>>,
        options: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Py<PyAny>> {
        self.run_upload(py, false, source, arguments, progress, options)
    }

    /// The same, as an awaitable.
    #[pyo3(signature = (source, arguments, progress=None, options=None))]
    fn upload_async(
        &self,
        py: Python<'_>,
        source: &Bound<'_, PyAny>,
        arguments: &Bound<'_, PyDict>,
        progress: Option<Py<PyAny>>,
        options: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Py<PyAny>> {
        self.run_upload(py, true, source, arguments, progress, options)
    }

    /// Many uploads (`[(source, arguments)]`), `concurrency` at a time; answers
    /// `(files, errors)`: the File JSON or None per input, and `(index, exception)` pairs.
    fn upload_many(&self, py: Python<'_>, items: &Bound<'_, pyo3::types::PyList>, concurrency: usize) -> PyResult<Py<PyAny>> {
        self.run_upload_many(py, false, items, concurrency)
    }

    /// The same, as an awaitable.
    fn upload_many_async(&self, py: Python<'_>, items: &Bound<'_, pyo3::types::PyList>, concurrency: usize) -> PyResult<Py<PyAny>> {
        self.run_upload_many(py, true, items, concurrency)
    }

    /// Uploads from a URL and waits; answers the REST File as JSON text.
    #[pyo3(signature = (url, arguments, options=None))]
    fn upload_from_url(
        &self,
        py: Python<'_>,
        url: String,
        arguments: &Bound<'_, PyDict>,
        options: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Py<PyAny>> {
        self.run_upload_from_url(py, false, url, arguments, options)
    }

    /// The same, as an awaitable.
    #[pyo3(signature = (url, arguments, options=None))]
    fn upload_from_url_async(
        &self,
        py: Python<'_>,
        url: String,
        arguments: &Bound<'_, PyDict>,
        options: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Py<PyAny>> {
        self.run_upload_from_url(py, true, url, arguments, options)
    }

    /// Makes a group of uploaded files through the Upload API; answers the REST group as JSON.
    fn create_group(&self, py: Python<'_>, files: Vec<String>) -> PyResult<Py<PyAny>> {
        let client = self.client(py)?;
        run(py, false, async move { ops::create_group(&client, files).await }, text)
    }

    /// The same, as an awaitable.
    fn create_group_async(&self, py: Python<'_>, files: Vec<String>) -> PyResult<Py<PyAny>> {
        let client = self.client(py)?;
        run(py, true, async move { ops::create_group(&client, files).await }, text)
    }

    /// How many requests and retries this client has made.
    fn stats(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let stats = self.client(py)?.stats();
        let dict = PyDict::new(py);
        dict.set_item("requests", stats.requests)?;
        dict.set_item("retries", stats.retries)?;
        Ok(dict.into_any().unbind())
    }
}

/// Whether `name` is an operation of the core (the test suite checks every name sent).
#[pyfunction]
pub fn is_operation(name: &str) -> bool {
    ops::is_operation(name)
}

/// The JSON Schemas of the models, made from the Rust definitions (for the parity tests).
#[pyfunction]
pub fn models_schema() -> String {
    ucare_bindings::schema::models().to_string()
}

/// The path a document conversion sends, after the core's checks.
#[pyfunction]
pub fn document_path(py: Python<'_>, spec: &Bound<'_, PyDict>) -> PyResult<String> {
    guard(py, || ops::document_path(from_py(spec.as_any())?).map_err(|e| to_py_err(py, &e)))
}

/// The path a video conversion sends, after the core's checks.
#[pyfunction]
pub fn video_path(py: Python<'_>, spec: &Bound<'_, PyDict>) -> PyResult<String> {
    guard(py, || ops::video_path(from_py(spec.as_any())?).map_err(|e| to_py_err(py, &e)))
}

/// Whether `header` is the right `X-Uc-Signature` of `body`; an empty secret is an
/// `InvalidInputError`, never a match.
#[pyfunction]
pub fn verify_webhook(py: Python<'_>, signing_secret: &str, body: &[u8], header: &str) -> PyResult<bool> {
    guard(py, || ucare::webhook::verify(signing_secret, body, header).map_err(|e| to_py_err(py, &e)))
}

/// The `X-Uc-Signature` value of a body; an empty secret is an `InvalidInputError`.
#[pyfunction]
pub fn sign_webhook(py: Python<'_>, signing_secret: &str, body: &[u8]) -> PyResult<String> {
    guard(py, || ucare::webhook::sign(signing_secret, body).map_err(|e| to_py_err(py, &e)))
}

/// Parses a delivered event into a dict (the core's typed parser checks its shape).
#[pyfunction]
pub fn parse_webhook_event(py: Python<'_>, body: &[u8]) -> PyResult<Py<PyAny>> {
    guard(py, || {
        let event = ucare::webhook::parse_event_as::<ucare::v05::File>(body).map_err(|e| to_py_err(py, &e))?;
        model_to_py(py, &event)
    })
}

/// The request signature of the `Uploadcare` scheme (for checking the vectors).
#[pyfunction]
pub fn request_signature(secret_key: &str, method: &str, body: &[u8], content_type: &str, date: &str, uri: &str) -> String {
    ucare::auth::signature(secret_key, method, body, content_type, date, uri)
}

/// What to upload, from Python: `bytes` (copied: the GIL is released while they move) or
/// a path as `str`; the arguments checked.
fn upload_input(py: Python<'_>, source: &Bound<'_, PyAny>, arguments: &Bound<'_, PyDict>) -> PyResult<(Source, ops::UploadArgs)> {
    let args = ops::UploadArgs::from_json(from_py(arguments.as_any())?).map_err(|e| to_py_err(py, &e))?;
    let name = arguments.get_item("name")?.and_then(|n| n.extract::<String>().ok()).unwrap_or_else(|| "file".into());
    let source = if let Ok(bytes) = source.cast::<pyo3::types::PyBytes>() {
        Source::bytes(bytes.as_bytes().to_vec(), name)
    } else if let Ok(path) = source.extract::<std::path::PathBuf>() {
        Source::path(path)
    } else {
        return Err(crate::convert::invalid(py, "an upload source is bytes or a path"));
    };
    Ok((source, args))
}

fn upload_inputs(py: Python<'_>, items: &Bound<'_, pyo3::types::PyList>) -> PyResult<Vec<(Source, ops::UploadArgs)>> {
    items
        .iter()
        .map(|item| {
            let (source, arguments): (Bound<'_, PyAny>, Bound<'_, PyDict>) = item.extract()?;
            upload_input(py, &source, &arguments)
        })
        .collect()
}

/// A Python callable as a progress report; an exception in it is reported, not raised.
fn progress_fn(progress: Option<Py<PyAny>>) -> Option<ops::ProgressFn> {
    progress.map(|callback| -> ops::ProgressFn {
        std::sync::Arc::new(move |sent, total| {
            Python::attach(|py| {
                if let Err(error) = callback.call1(py, (sent, total)) {
                    error.write_unraisable(py, None);
                }
            })
        })
    })
}

type Many = (Vec<Option<String>>, Vec<(usize, ucare::Error)>);

fn many_to_py(py: Python<'_>, (files, errors): Many) -> PyResult<Py<PyAny>> {
    let files = pyo3::types::PyList::new(py, files.iter().map(|f| f.as_deref()))?;
    let errors = pyo3::types::PyList::new(py, errors.iter().map(|(index, error)| (*index, to_py_err(py, error).into_value(py))))?;
    Ok(pyo3::types::PyTuple::new(py, [files.into_any(), errors.into_any()])?.into_any().unbind())
}
