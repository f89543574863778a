//! Shared by the integration tests: an emulator on a free port and a client for it.
#![allow(dead_code)]

use std::time::Duration;

use ucare::{ClientBuilder, V05, V07};
use ucare_emulator::{Config, Emulator};

pub const SECRET: &str = "emulator-secret-for-tests";

pub fn config() -> Config {
    Config { secret_key: SECRET.into(), conversion_delay: Duration::from_millis(150), ..Config::default() }
}

pub async fn emulator(config: Config) -> Emulator {
    Emulator::start(config).await.expect("the emulator starts on a free port")
}

/// A v0.5 client builder for the emulator (the v0.5 suites).
pub fn builder(emulator: &Emulator) -> ClientBuilder<V05> {
    settings(ucare::v05::Client::builder(), emulator)
}

/// A v0.7 client builder for the emulator.
pub fn builder_v07(emulator: &Emulator) -> ClientBuilder<V07> {
    settings(ucare::Client::builder(), emulator)
}

fn settings<V: ucare::ApiVersion>(builder: ClientBuilder<V>, emulator: &Emulator) -> ClientBuilder<V> {
    builder
        .public_key(emulator.public_key())
        .secret_key(emulator.secret_key())
        .base_url(emulator.base_url())
        .timeout(Duration::from_secs(5))
        .retry_policy(ucare::RetryPolicy {
            initial_backoff: Duration::from_millis(5),
            max_backoff: Duration::from_millis(50),
            ..Default::default()
        })
}

pub fn client(emulator: &Emulator) -> ucare::v05::Client {
    builder(emulator).build().expect("a valid configuration")
}

pub fn client_v07(emulator: &Emulator) -> ucare::Client {
    builder_v07(emulator).build().expect("a valid configuration")
}

/// The signature vectors: the shared copy when it is beside the repository, else ours.
pub fn vectors() -> serde_json::Value {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    let shared = format!("{root}/../shared/vectors/signatures.json");
    let ours = format!("{root}/tests/vectors/signatures.json");
    let text = std::fs::read_to_string(&shared).or_else(|_| std::fs::read_to_string(&ours)).expect("signature vectors");
    serde_json::from_str(&text).expect("vectors are JSON")
}

/// A real 3x2 PNG header (enough for image_info).
pub fn png(width: u32, height: u32) -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR".to_vec();
    bytes.extend_from_slice(&width.to_be_bytes());
    bytes.extend_from_slice(&height.to_be_bytes());
    bytes.extend_from_slice(&[8, 2, 0, 0, 0, 0, 0, 0, 0]);
    bytes
}
