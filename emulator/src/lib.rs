//! # ucare-emulator
//!
//! A faithful local Uploadcare: the REST API v0.7 and v0.5 at once, each request answered
//! in the version its `Accept` names (both auth schemes with real signature and date checks,
//! cursor pagination, every endpoint of each version with its shapes, statuses, content
//! types and error bodies, metadata, add-ons writing `appdata`, five webhook events), the
//! Upload API calls that create content, a CDN for the bytes, webhook
//! deliveries signed with `X-Uc-Signature`, conversion jobs that finish over time, and
//! optional throttling and fault injection.
//!
//! Start it in-process for tests:
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")] async fn main() -> std::io::Result<()> {
//! let emulator = ucare_emulator::Emulator::start(ucare_emulator::Config::default()).await?;
//! let uuid = emulator.upload("hello.txt", b"hello".to_vec(), Some(true));
//! assert!(emulator.base_url().starts_with("http://127.0.0.1:"));
//! assert_eq!(uuid.len(), 36);
//! emulator.stop().await;
//! # Ok(()) }
//! ```

// Handlers use a ready `Response` as their error type, built at most once per request;
// its size is no cost worth boxing for.
#![allow(clippy::result_large_err)]
#![deny(missing_docs)]

mod addons;
mod config;
mod conversions;
mod files;
mod from_url;
mod groups;
mod inspect;
mod json;
mod metadata;
mod multipart;
mod paging;
mod server;
mod state;
mod upload;
mod webhooks;

use std::net::SocketAddr;

use bytes::Bytes;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use config::{Config, FaultKind, Faults};
pub use state::{Delivery, RecordedRequest};

/// Counters of what a running emulator has seen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct Stats {
    /// REST requests received (throttled and faulted ones included).
    pub requests: u64,
    /// Answers replaced by an injected fault.
    pub faults_injected: u64,
    /// Requests answered 429.
    pub throttled: u64,
    /// Files in the project, removed ones included.
    pub files: u64,
    /// Stored files that are not removed.
    pub stored_files: u64,
}

/// A running emulator. Dropping it without [`Emulator::stop`] stops it too.
pub struct Emulator {
    addr: SocketAddr,
    app: server::App,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for Emulator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Emulator")
            .field("base_url", &self.base_url())
            .field("public_key", &self.app.config.public_key)
            .finish_non_exhaustive()
    }
}

impl Emulator {
    /// Binds, seeds the project as `config` says, and serves in the background on the
    /// current tokio runtime.
    pub async fn start(config: Config) -> std::io::Result<Emulator> {
        let listener = tokio::net::TcpListener::bind((config.host, config.port)).await?;
        let addr = listener.local_addr()?;
        let upload_dir = config.upload_dir.clone();
        let app = server::App::new(config);
        seed(&app);
        if let Some(dir) = upload_dir {
            let mut entries: Vec<_> = std::fs::read_dir(&dir)?.filter_map(|e| e.ok()).filter(|e| e.path().is_file()).collect();
            entries.sort_by_key(|e| e.file_name());
            for entry in entries {
                let bytes = std::fs::read(entry.path())?;
                let mut state = app.lock();
                let name = entry.file_name().to_string_lossy().into_owned();
                upload::add_upload(&app, &mut state, &format!("http://{addr}/"), &name, None, Bytes::from(bytes), app.config.autostore);
            }
        }
        let (shutdown, signal) = oneshot::channel::<()>();
        let router = server::router(app.clone());
        let idle = app.config.idle_timeout;
        let task = tokio::spawn(server::serve(listener, router, idle, signal));
        Ok(Emulator { addr, app, shutdown: Some(shutdown), task: Some(task) })
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:<port>/`: the REST, upload and CDN root alike.
    pub fn base_url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    /// The project's public key.
    pub fn public_key(&self) -> &str {
        &self.app.config.public_key
    }

    /// The project's secret key.
    pub fn secret_key(&self) -> &str {
        &self.app.config.secret_key
    }

    /// Uploads a file as `POST /base/` would (webhooks included) and answers its UUID;
    /// `store: None` follows the project's autostore.
    pub fn upload(&self, name: &str, content: impl Into<Bytes>, store: Option<bool>) -> String {
        let mut state = self.app.lock();
        let store = store.unwrap_or(self.app.config.autostore);
        upload::add_upload(&self.app, &mut state, &self.base_url(), name, None, content.into(), store)
    }

    /// Makes a group of existing files, as `POST /group/` would; answers its id, or `None`
    /// when a UUID is not in the project.
    pub fn create_group(&self, uuids: &[&str]) -> Option<String> {
        inspect::create_group(&mut self.app.lock(), uuids)
    }

    /// Every webhook delivery made so far, in order.
    pub fn deliveries(&self) -> Vec<Delivery> {
        self.app.lock().deliveries.clone()
    }

    /// The REST requests received (after throttling and faults; the newest 10,000), as
    /// they arrived.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.app.lock().request_log.iter().cloned().collect()
    }

    /// What the emulator has seen.
    pub fn stats(&self) -> Stats {
        inspect::stats(&self.app.lock())
    }

    /// Stops serving and waits for open connections to finish; its work directory (parts and
    /// large uploads) is removed.
    pub async fn stop(mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(task) = self.task.take() {
            // Connections kept alive by clients would hold a graceful shutdown open; the
            // server is ours to end.
            if tokio::time::timeout(std::time::Duration::from_secs(2), task).await.is_err() {
                eprintln!("ucare-emulator: connections still open after 2 s; stopping anyway");
            }
        }
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
        }
        if self.app.config.work_dir.is_none() {
            // Our own temporary directory; a configured one is the caller's.
            let _ = std::fs::remove_dir_all(&self.app.work_dir);
        }
    }
}

/// Synthetic files for benchmarks and paging tests, a second apart and in the past; a third
/// are stored. Sizes repeat on purpose (ties, which the `offset` of a cursor resolves);
/// upload times do not, as on the service, whose microsecond times do not collide in
/// practice: seeded ties there made the official JS paginator, which drops `offset`, lose
/// files that it does not lose against the service.
fn seed(app: &server::App) {
    let count = app.config.seed_files;
    if count == 0 {
        return;
    }
    let start = state::now_micros() - (count as i64) * 1_000_000;
    let mut state = app.lock();
    for i in 0..count {
        let size = 1_000 + (i as u64 * 7_919) % 5_000;
        state.add_file(state::NewFile {
            original_filename: format!("synthetic-{i:06}.bin"),
            mime_type: "application/octet-stream".into(),
            size,
            uploaded: start + i as i64 * 1_000_000,
            stored: i % 3 == 0,
            ..state::NewFile::default()
        });
    }
}
