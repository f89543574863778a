//! What both Rust contenders share: arguments, the workload list, and the report.

use std::time::Instant;

/// `<workload> <uuids file>` from the command line, keys and base from the environment.
pub struct Args {
    pub workload: String,
    pub uuids: Vec<String>,
    pub base: String,
    pub public_key: String,
    pub secret_key: String,
}

pub fn args() -> Args {
    let mut argv = std::env::args().skip(1);
    let workload = argv.next().expect("workload: list, info-seq, info-c16, store, convert");
    let uuids = argv
        .next()
        .map(|path| std::fs::read_to_string(path).expect("uuids file").lines().map(str::to_string).collect())
        .unwrap_or_default();
    Args {
        workload,
        uuids,
        base: std::env::var("UPLOADCARE_API_BASE").expect("UPLOADCARE_API_BASE"),
        public_key: std::env::var("UPLOADCARE_PUBLIC_KEY").expect("UPLOADCARE_PUBLIC_KEY"),
        secret_key: std::env::var("UPLOADCARE_SECRET_KEY").expect("UPLOADCARE_SECRET_KEY"),
    }
}

/// The peak resident set so far, in KiB (VmHWM).
pub fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| l.split_whitespace().nth(1)?.parse().ok()))
        .unwrap_or(0)
}

/// Prints the one JSON line the orchestrator reads.
pub fn report(started: Instant, items: usize, checksum: u64, first_page_peak: u64) {
    println!(
        "{}",
        serde_json::json!({
            "seconds": started.elapsed().as_secs_f64(),
            "items": items,
            "checksum": checksum,
            "peak_rss_first_page_kib": first_page_peak,
            "peak_rss_kib": peak_rss_kib(),
        })
    );
}

/// A plain reqwest client, as the floors use. reqwest is built without a TLS crypto
/// provider here (see the workspace's Cargo.toml): ring is installed first.
#[allow(dead_code)]
pub fn plain_http() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::new()
}
