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
    /// How long a connection may take to send a request's head, and stay idle between
    /// requests, before it is closed.
    pub idle_timeout: Duration,
    /// Whether uploads must be signed (`signature` and `expire`), as a project with signed
    /// uploads on requires. Off by default, as on the service.
    pub signed_uploads: bool,
    /// Where multipart parts and large uploads are kept; a fresh temporary directory when
    /// unset.
    pub work_dir: Option<PathBuf>,
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
            idle_timeout: Duration::from_secs(15),
            signed_uploads: false,
            work_dir: None,
        }
    }
}

/// The options the language bindings' testing helpers take, as JSON; every field is
/// optional and times are in seconds.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
struct JsonOptions {
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
    idle_timeout: Option<f64>,
    signed_uploads: Option<bool>,
}

/// The most synthetic files an emulator seeds (a few hundred MB of memory).
pub const MAX_SEED_FILES: usize = 2_000_000;

/// A number of seconds from a helper's options: finite, not negative, at most a day.
fn seconds(name: &str, value: f64) -> Result<Duration, String> {
    if !(0.0..=86_400.0).contains(&value) {
        return Err(format!("{name} must be a number of seconds within 0..=86400, got {value}"));
    }
    Duration::try_from_secs_f64(value).map_err(|_| format!("{name} must be a non-negative number of seconds"))
}

impl Config {
    /// A configuration from the JSON options of the testing helpers: `public_key`,
    /// `secret_key`, `project_name`, `autostore`, `seed_files`, `storages`, `rate_limit`,
    /// `fault_rate`, `faults` (`"500"`, `"503"`, `"drop"`, `"slow"`), `slow` and
    /// `conversion_delay` (seconds), `fault_seed`, `webhooks_enabled`, `idle_timeout`
    /// (seconds), `signed_uploads`. Numbers out of range are refused.
    pub fn from_json(value: serde_json::Value) -> Result<Config, String> {
        let o: JsonOptions = serde_json::from_value(value).map_err(|e| e.to_string())?;
        let defaults = Config::default();
        if !(0.0..=1.0).contains(&o.fault_rate) {
            return Err("fault_rate must be within 0..1".into());
        }
        let mut faults = Faults { rate: o.fault_rate, seed: o.fault_seed.unwrap_or(1), ..Faults::default() };
        if let Some(kinds) = o.faults {
            faults.kinds = kinds.iter().map(|k| k.parse::<FaultKind>()).collect::<Result<_, _>>()?;
        }
        if let Some(slow) = o.slow {
            faults.slow = seconds("slow", slow)?;
        }
        if o.seed_files > MAX_SEED_FILES {
            return Err(format!("seed_files must be at most {MAX_SEED_FILES}, got {}", o.seed_files));
        }
        let idle_timeout = match o.idle_timeout {
            Some(idle) if idle > 0.0 => seconds("idle_timeout", idle)?,
            Some(idle) => return Err(format!("idle_timeout must be more than zero, got {idle}")),
            None => defaults.idle_timeout,
        };
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
                Some(delay) => seconds("conversion_delay", delay)?,
                None => defaults.conversion_delay,
            },
            webhooks_enabled: o.webhooks_enabled.unwrap_or(true),
            idle_timeout,
            signed_uploads: o.signed_uploads.unwrap_or(false),
            ..defaults
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_options() {
        let config =
            Config::from_json(serde_json::json!({"seed_files": 3, "faults": ["drop", "slow"], "slow": 0.5, "fault_rate": 0.2})).unwrap();
        assert_eq!((config.seed_files, config.faults.kinds.len(), config.faults.slow), (3, 2, Duration::from_millis(500)));
        assert!(Config::from_json(serde_json::json!({"fault_rate": 2})).is_err());
        assert!(Config::from_json(serde_json::json!({"faults": ["boom"]})).is_err());
        assert!(Config::from_json(serde_json::json!({"seed_file": 3})).is_err(), "a misspelt option is refused");
    }
}
