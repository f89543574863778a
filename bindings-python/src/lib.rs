//! `ucare._native`: the Rust core as a Python extension module. The typed package
//! `ucare` (in `python/`) is the public face; this layer only converts.

mod client;
mod convert;
mod files;
mod runtime;

use pyo3::prelude::*;

// The wheel is abi3, which free-threaded interpreters (3.13t, 3.14t) do not load, and the
// module has never run without the GIL: it says so rather than claim otherwise.
#[pymodule(gil_used = true)]
fn _native(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add_class::<client::NativeClient>()?;
    module.add_class::<client::NativePager>()?;
    module.add_class::<runtime::AbortOnCancel>()?;
    module.add_class::<runtime::Completions>()?;
    module.add_class::<files::NativeFile>()?;
    module.add_function(wrap_pyfunction!(client::is_operation, module)?)?;
    module.add_function(wrap_pyfunction!(client::models_schema, module)?)?;
    module.add_function(wrap_pyfunction!(client::document_path, module)?)?;
    module.add_function(wrap_pyfunction!(client::video_path, module)?)?;
    module.add_function(wrap_pyfunction!(client::verify_webhook, module)?)?;
    module.add_function(wrap_pyfunction!(client::sign_webhook, module)?)?;
    module.add_function(wrap_pyfunction!(client::parse_webhook_event, module)?)?;
    module.add_function(wrap_pyfunction!(client::request_signature, module)?)?;
    module.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
