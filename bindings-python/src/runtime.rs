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
use pyo3::sync::PyOnceLock;

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
/// The future runs as a task of the runtime and this thread waits for its outcome on a
/// channel, waking every [`SIGNAL_CHECK`] to take the GIL for a moment and run Python's
/// signal handlers: on Ctrl-C the `KeyboardInterrupt` is raised at once and the task is
/// aborted, which closes its connection and ends its retries. (Checking with a tokio timer
/// beside the future instead cost each call a timer of the runtime's: about 10% of a
/// sequential `files.info` loop against a local server.)
pub fn block_on<T, F>(py: Python<'_>, future: F) -> PyResult<T>
where
    F: Future<Output = ucare::Result<T>> + Send + 'static,
    T: Send + 'static,
{
    if tokio::runtime::Handle::try_current().is_ok() {
        // On one of the runtime's own threads (inside an `on_progress` or request-log
        // callback): waiting here would hold a thread the call itself may need.
        let refused = "a blocking call cannot be made inside a ucare callback (on_progress, the request log); \
                       make it after the call that runs the callback returns, or use AsyncClient";
        return Err(to_py_err(py, &ucare::Error::InvalidInput(refused.into())));
    }
    let (sender, outcome) = std::sync::mpsc::sync_channel(1);
    let task = runtime().spawn(async move {
        // The receiver is gone only when the caller was interrupted: nobody to answer.
        let _ = sender.send(AssertUnwindSafe(future).catch_unwind().await);
    });
    let outcome = py.detach(move || loop {
        match outcome.recv_timeout(SIGNAL_CHECK) {
            Ok(outcome) => return Ok(outcome),
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                if let Err(interrupted) = Python::attach(|py| py.check_signals()) {
                    task.abort();
                    return Err(interrupted);
                }
            }
            // The task ended without answering: only a runtime shutting down does that.
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
                return Ok(Err(Box::new("the runtime stopped before the call answered") as Box<dyn std::any::Any + Send>));
            }
        }
    });
    match outcome {
        Err(interrupted) => Err(interrupted),
        Ok(Ok(Ok(value))) => Ok(value),
        Ok(Ok(Err(error))) => Err(to_py_err(py, &error)),
        Ok(Err(panic)) => Err(internal_error(py, &panic)),
    }
}

static RESOLVE: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static COMPLETIONS_FOR: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

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

/// A result waiting to be handed to its asyncio future, on the loop's thread.
type Completion = Box<dyn FnOnce(Python<'_>) + Send>;

/// The results of one event loop's calls: the runtime's threads queue them and write a
/// byte to a socket the loop watches (`loop.add_reader`); the loop's own thread turns them
/// into Python objects and resolves the futures.
///
/// So the runtime's threads never take the GIL to complete a call. A thread that takes the
/// GIL can lose it inside Python code (`call_soon_threadsafe` writes to a socket); if the
/// program ends meanwhile, the interpreter kills the thread when it asks for the GIL back,
/// which crashed the process at exit (`make bench` saw 1 run in 5 of 50 concurrent waits
/// end in SIGSEGV or SIGABRT).
#[pyclass(module = "ucare._native", frozen)]
pub struct Completions {
    queue: Mutex<Vec<Completion>>,
    #[cfg(unix)]
    wake: (std::os::unix::net::UnixStream, std::os::unix::net::UnixStream),
}

#[pymethods]
impl Completions {
    /// A socket pair and an empty queue; an `OSError` where there are no Unix sockets (the
    /// caller then completes calls with `call_soon_threadsafe`).
    #[new]
    fn new() -> PyResult<Self> {
        #[cfg(unix)]
        {
            let (reader, writer) = std::os::unix::net::UnixStream::pair()?;
            reader.set_nonblocking(true)?;
            writer.set_nonblocking(true)?;
            Ok(Completions { queue: Mutex::new(Vec::new()), wake: (reader, writer) })
        }
        #[cfg(not(unix))]
        Err(pyo3::exceptions::PyOSError::new_err("no Unix sockets here"))
    }

    /// The socket the loop watches.
    fn fileno(&self) -> i64 {
        #[cfg(unix)]
        {
            use std::os::fd::AsRawFd;
            i64::from(self.wake.0.as_raw_fd())
        }
        #[cfg(not(unix))]
        -1
    }

    /// Called by the loop when the socket is readable: empties it and completes every
    /// queued call.
    fn drain(&self, py: Python<'_>) {
        #[cfg(unix)]
        {
            use std::io::Read;
            let mut buffer = [0u8; 256];
            while matches!((&self.wake.0).read(&mut buffer), Ok(n) if n > 0) {}
        }
        let queued = std::mem::take(&mut *self.queue.lock().unwrap_or_else(|p| p.into_inner()));
        for complete in queued {
            complete(py);
        }
    }
}

impl Completions {
    /// Queues a completion and wakes the loop; no GIL needed.
    fn push(&self, completion: Completion) {
        self.queue.lock().unwrap_or_else(|p| p.into_inner()).push(completion);
        #[cfg(unix)]
        {
            use std::io::Write;
            // A full socket already holds a wake-up: the loop will drain the whole queue.
            let _ = (&self.wake.1).write(&[1]);
        }
    }
}

/// Runs `future` to its answer converted by `convert`: blocking with the GIL released, or,
/// when `awaitable`, as an asyncio future (see [`spawn`]).
pub fn run<T, F, C>(py: Python<'_>, awaitable: bool, future: F, convert: C) -> PyResult<Py<PyAny>>
where
    F: Future<Output = ucare::Result<T>> + Send + 'static,
    T: Send + 'static,
    C: FnOnce(Python<'_>, T) -> PyResult<Py<PyAny>> + Send + 'static,
{
    if awaitable {
        spawn(py, future, convert)
    } else {
        let value = block_on(py, future)?;
        convert(py, value)
    }
}

/// Starts a future on the runtime and answers an asyncio future of the running loop that
/// it resolves: the event loop is never blocked. Cancelling the asyncio future drops the
/// Rust future.
pub fn spawn<T, F, C>(py: Python<'_>, future: F, convert: C) -> PyResult<Py<PyAny>>
where
    F: Future<Output = ucare::Result<T>> + Send + 'static,
    T: Send + 'static,
    C: FnOnce(Python<'_>, T) -> PyResult<Py<PyAny>> + Send + 'static,
{
    let event_loop = py.import("asyncio")?.call_method0("get_running_loop")?;
    let py_future = event_loop.call_method0("create_future")?;
    let resolve =
        RESOLVE.get_or_try_init(py, || py.import("ucare._asyncio").and_then(|m| m.getattr("resolve")).map(|f| f.unbind()))?.clone_ref(py);
    let completions_for = COMPLETIONS_FOR
        .get_or_try_init(py, || py.import("ucare._asyncio").and_then(|m| m.getattr("completions")).map(|f| f.unbind()))?
        .bind(py);
    let completions: Option<Py<Completions>> = completions_for.call1((&event_loop,))?.extract()?;
    let (event_loop, target) = (event_loop.unbind(), py_future.clone().unbind());
    let task = runtime().spawn(async move {
        let outcome = AssertUnwindSafe(future).catch_unwind().await;
        let complete = move |py: Python<'_>| {
            let (ok, value) = match outcome {
                Ok(Ok(value)) => match convert(py, value) {
                    Ok(object) => (true, object),
                    Err(error) => (false, error.into_value(py).into_any()),
                },
                Ok(Err(error)) => (false, to_py_err(py, &error).into_value(py).into_any()),
                Err(panic) => (false, internal_error(py, &panic).into_value(py).into_any()),
            };
            (ok, value)
        };
        match completions {
            // On the loop's thread, later: resolve at once.
            Some(completions) => completions.get().push(Box::new(move |py| {
                let (ok, value) = complete(py);
                if let Err(error) = resolve.call1(py, (target, ok, value)) {
                    error.write_unraisable(py, None);
                }
            })),
            // No socket to watch (a loop without add_reader): the loop is told from here.
            None => Python::attach(|py| {
                let (ok, value) = complete(py);
                // A closed loop has nobody waiting; there is nothing to tell.
                let _ = event_loop.call_method1(py, "call_soon_threadsafe", (resolve, target, ok, value));
            }),
        }
    });
    py_future.call_method1("add_done_callback", (AbortOnCancel { task: task.abort_handle() },))?;
    Ok(py_future.unbind())
}
