//! `ucare/testing`'s engine: the Rust emulator in-process on a free port, served on the
//! addon's tokio runtime.

use std::sync::Mutex;

use napi_derive::napi;
use ucare_emulator::{Config, Emulator};

use crate::errors::{invalid, parse};

/// A running emulator.
#[napi]
pub struct NativeEmulator {
    emulator: Mutex<Option<Emulator>>,
    base_url: String,
    public_key: String,
    secret_key: String,
}

impl NativeEmulator {
    fn with<T>(&self, f: impl FnOnce(&Emulator) -> T) -> napi::Result<T> {
        let guard = self.emulator.lock().unwrap_or_else(|p| p.into_inner());
        guard.as_ref().map(f).ok_or_else(|| invalid("the emulator was stopped"))
    }
}

fn json<T: serde::Serialize>(value: &T) -> napi::Result<String> {
    serde_json::to_string(value).map_err(invalid)
}

/// Starts an emulator with JSON options (see `ucare_emulator::Config::from_json`).
#[napi]
pub async fn start_emulator(options: String) -> napi::Result<NativeEmulator> {
    let config = Config::from_json(parse(&options)?).map_err(invalid)?;
    let emulator = Emulator::start(config).await.map_err(invalid)?;
    Ok(NativeEmulator {
        base_url: emulator.base_url(),
        public_key: emulator.public_key().to_string(),
        secret_key: emulator.secret_key().to_string(),
        emulator: Mutex::new(Some(emulator)),
    })
}

#[napi]
impl NativeEmulator {
    /// `http://127.0.0.1:<port>/`.
    #[napi(getter)]
    pub fn base_url(&self) -> String {
        self.base_url.clone()
    }

    /// The project's public key.
    #[napi(getter)]
    pub fn public_key(&self) -> String {
        self.public_key.clone()
    }

    /// The project's secret key (for the clients the helper makes).
    #[napi(getter)]
    pub fn secret_key(&self) -> String {
        self.secret_key.clone()
    }

    /// Uploads a file as the Upload API would; answers its UUID.
    #[napi]
    pub fn upload(&self, name: String, content: napi::bindgen_prelude::Buffer, store: Option<bool>) -> napi::Result<String> {
        let bytes: Vec<u8> = content.into();
        self.with(|e| e.upload(&name, bytes, store))
    }

    /// Makes a group of uploaded files; answers its id, or null for an unknown UUID.
    #[napi]
    pub fn create_group(&self, uuids: Vec<String>) -> napi::Result<Option<String>> {
        let refs: Vec<&str> = uuids.iter().map(String::as_str).collect();
        self.with(|e| e.create_group(&refs))
    }

    /// The webhook deliveries made so far, as JSON.
    #[napi]
    pub fn deliveries(&self) -> napi::Result<String> {
        json(&self.with(|e| e.deliveries())?)
    }

    /// The REST requests received, as JSON.
    #[napi]
    pub fn requests(&self) -> napi::Result<String> {
        json(&self.with(|e| e.requests())?)
    }

    /// The counters, as JSON.
    #[napi]
    pub fn stats(&self) -> napi::Result<String> {
        json(&self.with(|e| e.stats())?)
    }

    /// Stops serving.
    #[napi]
    pub async fn stop(&self) -> napi::Result<()> {
        let emulator = self.emulator.lock().unwrap_or_else(|p| p.into_inner()).take();
        if let Some(emulator) = emulator {
            emulator.stop().await;
        }
        Ok(())
    }
}
