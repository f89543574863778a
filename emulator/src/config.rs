//! What an emulator is started with.

use std::net::IpAddr;
use std::path::PathBuf;
use std::time::Duration;

/// One kind of injected fault.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FaultKind {
    /// Answer 500 without doing the work.
    ServerError,
    /// Answer 503 without doing the work.
    Unavailable,
    /// Do the work, then drop the connection before the answer's body is complete.
    Drop,
    /// Do the work, then wait [`Faults::slow`] before answering.
    Slow,
}

impl std::str::FromStr for FaultKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "500" | "error" => Ok(FaultKind::ServerError),
            "503" | "unavailable" => Ok(FaultKind::Unavailable),
            "drop" => Ok(FaultKind::Drop),
            "slow" => Ok(FaultKind::Slow),
            other => Err(format!("unknown fault {other:?}: use 500, 503, drop or slow")),
        }
    }
}

/// Fault injection: a fraction of REST answers go wrong, chosen by a seeded generator so a
/// run can be repeated.
#[derive(Debug, Clone, PartialEq)]
pub struct Faults {
    /// The fraction of requests that meet a fault, 0.0..=1.0.
    pub rate: f64,
    /// The kinds to choose from, evenly.
    pub kinds: Vec<FaultKind>,
    /// How long a slow answer waits.
    pub slow: Duration,
    /// The generator's seed.
    pub seed: u64,
}

impl Default for Faults {
    fn default() -> Self {
        Faults {
            rate: 0.0,
            kinds: vec![FaultKind::ServerError, FaultKind::Unavailable, FaultKind::Drop, FaultKind::Slow],
            slow: Duration::from_secs(3),
            seed: 1,
        }
    }
}

/// Everything an emulator can be started with. `Config::default()` is a project named
/// `demo` with the keys `demopublickey` / `demoprivatekey` on a free loopback port.
#[derive(Debug, Clone)]
pub struct Config {
    /// The address to listen on.
    pub host: IpAddr,
    /// The port; 0 takes a free one.
    pub port: u16,
    /// The project's public key.
    pub public_key: String,
    /// The project's secret key.
    pub secret_key: String,
    /// The project's name.
    pub project_name: String,
    /// Whether uploads are stored when the upload does not say.
    pub autostore: bool,
    /// How many synthetic files to create at start (for benchmarks and paging tests).
    pub seed_files: usize,
    /// A directory whose files are uploaded at start.
    pub upload_dir: Option<PathBuf>,
    /// The names of custom storages that copies may target.
    pub storages: Vec<String>,
    /// Requests per second the REST API takes before answering 429; `None` for no limit.
    pub rate_limit: Option<u32>,
    /// Injected faults.
    pub faults: Faults,
    /// How long a conversion job takes from start to finish.
    pub conversion_delay: Duration,
    /// Whether the project's plan includes webhooks (otherwise 403).
    pub webhooks_enabled: bool,
    /// Whether `Uploadcare.Simple` auth is accepted over plain HTTP (the real service
    /// refuses it; a local emulator only speaks HTTP, so it is accepted by default).
    pub simple_auth_over_http: bool,
    /// Whether webhook deliveries may go to hosts other than loopback. Off by default so a
    /// test never sends traffic off the machine; deliveries are recorded either way.
    pub deliver_external: bool,
    /// Largest REST request body, in bytes (413 past it).
    pub max_body: usize,
    /// Largest upload, in bytes.
    pub max_upload: usize,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            host: IpAddr::from([127, 0, 0, 1]),
            port: 0,
            public_key: "demopublickey".into(),
            secret_key: "demoprivatekey".into(),
            project_name: "demo".into(),
            autostore: true,
            seed_files: 0,
            upload_dir: None,
            storages: Vec::new(),
            rate_limit: None,
            faults: Faults::default(),
            conversion_delay: Duration::from_millis(300),
            webhooks_enabled: true,
            simple_auth_over_http: true,
            deliver_external: false,
            max_body: 1 << 20,
            max_upload: 100 << 20,
        }
    }
}
