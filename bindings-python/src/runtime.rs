//! The tokio runtime the module runs on, made anew in a forked child (a runtime's threads
//! do not survive `fork()`), and the bridges from Rust futures to Python: blocking with the
//! GIL released (and Ctrl-C honoured), or an asyncio future resolved from the runtime (and
//! the Rust work dropped when the asyncio side cancels).

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::FutureExt;
use pyo3::prelude::*;
use pyo3::sync::GILOnceCell;

use crate::convert::{internal_error, to_py_err};

static RUNTIME: Mutex<Option<(u32, Arc<tokio::runtime::Runtime>)>> = Mutex::new(None);

/// How often a blocking call looks for signals (Ctrl-C) while it waits.
const SIGNAL_CHECK: Duration = Duration::from_millis(50);

/// The runtime of this process.
pub fn runtime() -> Arc<tokio::runtime::Runtime> {
    let mut slot = RUNTIME.lock().unwrap_or_else(|p| p.into_inner());
    let pid = std::process::id();
    match slot.as_ref() {
        Some((owner, runtime)) if *owner == pid => runtime.clone(),
        stale => {
            if let Some((_, parent)) = stale {
                // The parent's runtime has no threads here; dropping it would wait on them.
                std::mem::forget(parent.clone());
            }
            let runtime = Arc::new(
                tokio::runtime::Builder::new_multi_thread()
                    .worker_threads(2)
                    .thread_name("ucare")
                    .enable_all()
                    .build()
                    .expect("a tokio runtime starts"),
            );
            *slot = Some((pid, runtime.clone()));
            runtime
        }
    }
}

/// Runs a future to completion with the GIL released, turning errors and panics into
/// `ucare` exceptions.
///
/// Every [`SIGNAL_CHECK`] it takes the GIL for a moment to run Python's signal handlers:
/// on Ctrl-C the `KeyboardInterrupt` is raised at once and the future is dropped, which
/// closes its connection and ends its retries.
pub fn block_on<T, F>(py: Python<'_>, future: F) -> PyResult<T>
where
    F: Future<Output = ucare::Result<T>> + Send,
    T: Send,
{
    let runtime = runtime();
    let outcome = py.allow_threads(|| {
        runtime.block_on(async {
            let future = AssertUnwindSafe(future).catch_unwind();
            tokio::pin!(future);
            let start = tokio::time::Instant::now() + SIGNAL_CHECK;
            let mut ticks = tokio::time::interval_at(start, SIGNAL_CHECK);
            loop {
                tokio::select! {
                    biased;
                    outcome = &mut future => return Ok(outcome),
                    _ = ticks.tick() => Python::with_gil(|py| py.check_signals())?,
                }
            }
        })
    });
    match outcome {
        Err(interrupted) => Err(interrupted),
        Ok(Ok(Ok(value))) => Ok(value),
        Ok(Ok(Err(error))) => Err(to_py_err(py, &error)),
        Ok(Err(panic)) => Err(internal_error(py, &panic)),
    }
}

static RESOLVE: GILOnceCell<PyObject> = GILOnceCell::new();

/// Called when the asyncio future is done: if it was cancelled, the Rust task is dropped,
/// so no further request or retry is sent.
#[pyclass(module = "ucare._native", frozen)]
pub struct AbortOnCancel {
    task: tokio::task::AbortHandle,
}

#[pymethods]
impl AbortOnCancel {
    fn __call__(&self, future: &Bound<'_, PyAny>) -> PyResult<()> {
        if future.call_method0("cancelled")?.is_truthy()? {
            self.task.abort();
        }
        Ok(())
    }
}

/// Starts a future on the runtime and answers an asyncio future of the running loop that
/// it resolves: the event loop is never blocked. Cancelling the asyncio future drops the
/// Rust future.
pub fn spawn<T, F, C>(py: Python<'_>, future: F, convert: C) -> PyResult<PyObject>
where
    F: Future<Output = ucare::Result<T>> + Send + 'static,
    T: Send + 'static,
    C: FnOnce(Python<'_>, T) -> PyResult<PyObject> + Send + 'static,
{
    let event_loop = py.import("asyncio")?.call_method0("get_running_loop")?;
    let py_future = event_loop.call_method0("create_future")?;
    let resolve =
        RESOLVE.get_or_try_init(py, || py.import("ucare._asyncio").and_then(|m| m.getattr("resolve")).map(|f| f.unbind()))?.clone_ref(py);
    let (event_loop, target) = (event_loop.unbind(), py_future.clone().unbind());
    let task = runtime().spawn(async move {
        let outcome = AssertUnwindSafe(future).catch_unwind().await;
        Python::with_gil(|py| {
            let (ok, value) = match outcome {
                Ok(Ok(value)) => match convert(py, value) {
                    Ok(object) => (true, object),
                    Err(error) => (false, error.into_value(py).into_any()),
                },
                Ok(Err(error)) => (false, to_py_err(py, &error).into_value(py).into_any()),
                Err(panic) => (false, internal_error(py, &panic).into_value(py).into_any()),
            };
            // A closed loop has nobody waiting; there is nothing to tell.
            let _ = event_loop.call_method1(py, "call_soon_threadsafe", (resolve, target, ok, value));
        });
    });
    py_future.call_method1("add_done_callback", (AbortOnCancel { task: task.abort_handle() },))?;
    Ok(py_future.unbind())
}
