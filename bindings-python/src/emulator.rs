//! `ucare.testing.Emulator`'s engine: the Rust emulator, in-process on a free port.

use pyo3::prelude::*;
use pyo3::types::PyDict;
use ucare_emulator::{Config, Emulator};

use crate::convert::{from_py, invalid, model_to_py};
use crate::runtime::runtime;

/// A running emulator.
#[pyclass(module = "ucare._native", frozen)]
pub struct NativeEmulator {
    emulator: std::sync::Mutex<Option<Emulator>>,
    base_url: String,
    public_key: String,
    secret_key: String,
}

impl NativeEmulator {
    fn with<T>(&self, py: Python<'_>, f: impl FnOnce(&Emulator) -> T) -> PyResult<T> {
        let guard = self.emulator.lock().unwrap_or_else(|p| p.into_inner());
        match guard.as_ref() {
            Some(emulator) => Ok(f(emulator)),
            None => Err(invalid(py, "the emulator was stopped")),
        }
    }
}

#[pymethods]
impl NativeEmulator {
    #[new]
    fn new(py: Python<'_>, options: &Bound<'_, PyDict>) -> PyResult<Self> {
        let config = Config::from_json(from_py(options.as_any())?).map_err(|e| invalid(py, &e))?;
        let runtime = runtime();
        let emulator = py.allow_threads(|| runtime.block_on(Emulator::start(config))).map_err(|e| invalid(py, &e.to_string()))?;
        Ok(NativeEmulator {
            base_url: emulator.base_url(),
            public_key: emulator.public_key().to_string(),
            secret_key: emulator.secret_key().to_string(),
            emulator: std::sync::Mutex::new(Some(emulator)),
        })
    }

    #[getter]
    fn base_url(&self) -> &str {
        &self.base_url
    }

    #[getter]
    fn public_key(&self) -> &str {
        &self.public_key
    }

    #[getter]
    fn secret_key(&self) -> &str {
        &self.secret_key
    }

    #[pyo3(signature = (name, content, store=None))]
    fn upload(&self, py: Python<'_>, name: &str, content: Vec<u8>, store: Option<bool>) -> PyResult<String> {
        self.with(py, |e| e.upload(name, content, store))
    }

    fn create_group(&self, py: Python<'_>, uuids: Vec<String>) -> PyResult<Option<String>> {
        let refs: Vec<&str> = uuids.iter().map(String::as_str).collect();
        self.with(py, |e| e.create_group(&refs))
    }

    fn deliveries(&self, py: Python<'_>) -> PyResult<PyObject> {
        let deliveries = self.with(py, |e| e.deliveries())?;
        model_to_py(py, &deliveries)
    }

    fn requests(&self, py: Python<'_>) -> PyResult<PyObject> {
        let requests = self.with(py, |e| e.requests())?;
        model_to_py(py, &requests)
    }

    fn stats(&self, py: Python<'_>) -> PyResult<PyObject> {
        let stats = self.with(py, |e| e.stats())?;
        model_to_py(py, &stats)
    }

    fn stop(&self, py: Python<'_>) {
        let emulator = self.emulator.lock().unwrap_or_else(|p| p.into_inner()).take();
        if let Some(emulator) = emulator {
            let runtime = runtime();
            py.allow_threads(|| runtime.block_on(emulator.stop()));
        }
    }
}
