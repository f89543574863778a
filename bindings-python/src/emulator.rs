//! `ucare.testing.Emulator`'s engine: the Rust emulator, in-process on a free port.

use std::time::Duration;

use pyo3::prelude::*;
use pyo3::types::PyDict;
use serde::Deserialize;
use ucare_emulator::{Config, Emulator, FaultKind, Faults};

use crate::convert::{args, from_py, model_to_py};
use crate::runtime::runtime;

#[derive(Deserialize, Default)]
#[serde(default)]
struct Options {
    public_key: Option<String>,
    secret_key: Option<String>,
    project_name: Option<String>,
    autostore: Option<bool>,
    seed_files: usize,
    storages: Vec<String>,
    rate_limit: Option<u32>,
    fault_rate: f64,
    faults: Option<Vec<String>>,
    slow: Option<f64>,
    fault_seed: Option<u64>,
    conversion_delay: Option<f64>,
    webhooks_enabled: Option<bool>,
}

fn seconds(py: Python<'_>, name: &str, value: f64) -> PyResult<Duration> {
    Duration::try_from_secs_f64(value).map_err(|_| crate::convert::invalid(py, &format!("{name} must be a non-negative number of seconds")))
}

fn config(py: Python<'_>, o: Options) -> PyResult<Config> {
    let defaults = Config::default();
    if !(0.0..=1.0).contains(&o.fault_rate) {
        return Err(crate::convert::invalid(py, "fault_rate must be within 0..1"));
    }
    let mut faults = Faults { rate: o.fault_rate, seed: o.fault_seed.unwrap_or(1), ..Faults::default() };
    if let Some(kinds) = o.faults {
        faults.kinds =
            kinds.iter().map(|k| k.parse::<FaultKind>()).collect::<Result<_, _>>().map_err(|e| crate::convert::invalid(py, &e))?;
    }
    if let Some(slow) = o.slow {
        faults.slow = seconds(py, "slow", slow)?;
    }
    Ok(Config {
        public_key: o.public_key.unwrap_or(defaults.public_key),
        secret_key: o.secret_key.unwrap_or(defaults.secret_key),
        project_name: o.project_name.unwrap_or(defaults.project_name),
        autostore: o.autostore.unwrap_or(defaults.autostore),
        seed_files: o.seed_files,
        storages: o.storages,
        rate_limit: o.rate_limit,
        faults,
        conversion_delay: match o.conversion_delay {
            Some(delay) => seconds(py, "conversion_delay", delay)?,
            None => defaults.conversion_delay,
        },
        webhooks_enabled: o.webhooks_enabled.unwrap_or(true),
        ..defaults
    })
}

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
            None => Err(crate::convert::invalid(py, "the emulator was stopped")),
        }
    }
}

#[pymethods]
impl NativeEmulator {
    #[new]
    fn new(py: Python<'_>, options: &Bound<'_, PyDict>) -> PyResult<Self> {
        let config = config(py, args(py, from_py(options.as_any())?)?)?;
        let runtime = runtime();
        let emulator =
            py.allow_threads(|| runtime.block_on(Emulator::start(config))).map_err(|e| crate::convert::invalid(py, &e.to_string()))?;
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
        let dict = PyDict::new(py);
        dict.set_item("requests", stats.requests)?;
        dict.set_item("faults_injected", stats.faults_injected)?;
        dict.set_item("throttled", stats.throttled)?;
        dict.set_item("files", stats.files)?;
        dict.set_item("stored_files", stats.stored_files)?;
        Ok(dict.into_any().unbind())
    }

    fn stop(&self, py: Python<'_>) {
        let emulator = self.emulator.lock().unwrap_or_else(|p| p.into_inner()).take();
        if let Some(emulator) = emulator {
            let runtime = runtime();
            py.allow_threads(|| runtime.block_on(emulator.stop()));
        }
    }
}
