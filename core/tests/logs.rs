//! The secret key appears in no log line, even at the most verbose level, through retries,
//! errors and both auth schemes. (A file of its own: it installs the global subscriber.)

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use ucare_emulator::{Config, FaultKind, Faults};

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn no_log_line_holds_the_secret() {
    let captured = Captured::default();
    let writer = captured.clone();
    tracing_subscriber::fmt().with_max_level(tracing::Level::TRACE).with_writer(move || writer.clone()).with_ansi(false).init();

    let faults = Faults { rate: 0.5, kinds: vec![FaultKind::Unavailable, FaultKind::Drop], seed: 5, ..Faults::default() };
    let emu = common::emulator(Config { seed_files: 50, faults, ..common::config() }).await;
    for scheme in [ucare::AuthScheme::Signed, ucare::AuthScheme::Simple] {
        let client = common::builder(&emu).auth(scheme).max_retries(6).build().unwrap();
        let _ = client.files().list().limit(10).first_page().await;
        let _ = client.project().await;
        let _ = client.files().info("21975c81-7f57-4c7a-aef9-acfe28779f78").await;
        let _ = client.files().copy("21975c81-7f57-4c7a-aef9-acfe28779f78", None).await;
        // v0.5 client
    }
    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(logs.contains("retrying"), "the retries were logged: {logs}");
    assert!(!logs.contains(common::SECRET), "the secret leaked into the logs");
}
