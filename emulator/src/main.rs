//! `ucare-emulator`: a local Uploadcare for tests, demos and benchmarks.

use std::net::IpAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::Parser;
use ucare_emulator::{Config, Emulator, FaultKind, Faults};

/// A faithful local Uploadcare: REST API v0.7 and v0.5 (by the request's Accept), the upload
/// calls that create content, a CDN,
/// webhook deliveries and conversions, all in memory.
#[derive(Debug, Parser)]
#[command(name = "ucare-emulator", version)]
struct Args {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    host: IpAddr,
    /// Port to listen on; 0 takes a free port (printed on start).
    #[arg(long, default_value_t = 8000)]
    port: u16,
    /// The project's public key.
    #[arg(long, default_value = "demopublickey", env = "UPLOADCARE_PUBLIC_KEY")]
    public_key: String,
    /// The project's secret key.
    #[arg(long, default_value = "demoprivatekey", env = "UPLOADCARE_SECRET_KEY", hide_env_values = true)]
    secret_key: String,
    /// The project's name.
    #[arg(long, default_value = "demo")]
    project_name: String,
    /// Whether uploads are stored unless they say otherwise.
    #[arg(long, default_value_t = true, action = clap::ArgAction::Set)]
    autostore: bool,
    /// Create N synthetic files at start (for benchmarks and paging).
    #[arg(long, default_value_t = 0)]
    seed_files: usize,
    /// Upload every file of this directory at start.
    #[arg(long)]
    upload_dir: Option<PathBuf>,
    /// A custom storage name that copies may target (repeatable).
    #[arg(long = "storage")]
    storages: Vec<String>,
    /// REST requests per second before answering 429 with Retry-After.
    #[arg(long)]
    rate_limit: Option<u32>,
    /// Fraction of REST answers that meet an injected fault, 0..1.
    #[arg(long, default_value_t = 0.0)]
    fault_rate: f64,
    /// Which faults to inject: comma-separated of 500, 503, drop, slow.
    #[arg(long, value_delimiter = ',', default_value = "500,503,drop,slow")]
    faults: Vec<FaultKind>,
    /// How long a slow answer waits, in milliseconds.
    #[arg(long, default_value_t = 3000)]
    slow_ms: u64,
    /// Seed of the fault generator (the same seed gives the same faults).
    #[arg(long, default_value_t = 1)]
    fault_seed: u64,
    /// How long a conversion job takes, in milliseconds.
    #[arg(long, default_value_t = 300)]
    conversion_delay_ms: u64,
    /// Answer 403 to webhook calls, as for a plan without webhooks.
    #[arg(long)]
    no_webhooks: bool,
    /// Refuse Uploadcare.Simple auth over plain HTTP (400), as the real service does.
    #[arg(long)]
    forbid_simple_over_http: bool,
    /// Send webhook deliveries to hosts other than loopback too (recorded either way).
    #[arg(long)]
    deliver_external: bool,
    /// Close a connection that takes longer than this to send a request's head, or stays
    /// idle this long between requests, in milliseconds.
    #[arg(long, default_value_t = 15_000, value_parser = clap::value_parser!(u64).range(1..=86_400_000))]
    idle_timeout_ms: u64,
    /// The largest upload taken, in bytes (direct and multipart).
    #[arg(long, default_value_t = 100 << 20)]
    max_upload_bytes: usize,
    /// Require signed uploads (`signature` and `expire` on /base/, /multipart/start/,
    /// /from_url/ and /group/), as a project with signed uploads on does.
    #[arg(long)]
    signed_uploads: bool,
    /// Stop when stdin closes: a test helper that starts the emulator keeps a pipe to its
    /// stdin open and never writes to it, so the emulator ends with the process that started
    /// it, even one that was killed.
    #[arg(long)]
    exit_with_stdin: bool,
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let args = Args::parse();
    if !(0.0..=1.0).contains(&args.fault_rate) {
        eprintln!("--fault-rate must be within 0..1");
        std::process::exit(2);
    }
    let config = Config {
        host: args.host,
        port: args.port,
        public_key: args.public_key,
        secret_key: args.secret_key,
        project_name: args.project_name,
        autostore: args.autostore,
        seed_files: args.seed_files,
        upload_dir: args.upload_dir,
        storages: args.storages,
        rate_limit: args.rate_limit,
        faults: Faults { rate: args.fault_rate, kinds: args.faults, slow: Duration::from_millis(args.slow_ms), seed: args.fault_seed },
        conversion_delay: Duration::from_millis(args.conversion_delay_ms),
        webhooks_enabled: !args.no_webhooks,
        simple_auth_over_http: !args.forbid_simple_over_http,
        deliver_external: args.deliver_external,
        idle_timeout: Duration::from_millis(args.idle_timeout_ms),
        signed_uploads: args.signed_uploads,
        max_upload: args.max_upload_bytes,
        ..Config::default()
    };
    let emulator = Emulator::start(config).await?;
    println!("ucare-emulator listening on {} (public key {})", emulator.base_url(), emulator.public_key());
    stop_requested(args.exit_with_stdin).await?;
    // Stopping (rather than dying) removes the work directory, which holds every multipart
    // upload: a benchmark's 200 MB files would otherwise stay in the temp dir for good.
    emulator.stop().await;
    Ok(())
}

/// Ctrl-C, or SIGTERM (what `kill`, `Popen.terminate()`, `child.kill()` and service
/// managers send), or with `--exit-with-stdin` the end of stdin.
async fn stop_requested(exit_with_stdin: bool) -> std::io::Result<()> {
    let stdin_closed = async {
        if !exit_with_stdin {
            return std::future::pending().await;
        }
        // A blocking read on its own thread: stdin may be a pipe, a file or a terminal.
        let (closed, on_close) = tokio::sync::oneshot::channel::<()>();
        std::thread::spawn(move || {
            let _ = std::io::copy(&mut std::io::stdin().lock(), &mut std::io::sink());
            let _ = closed.send(());
        });
        let _ = on_close.await;
    };
    #[cfg(unix)]
    {
        let mut terminate = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
        tokio::select! {
            interrupted = tokio::signal::ctrl_c() => interrupted,
            _ = terminate.recv() => Ok(()),
            _ = stdin_closed => Ok(()),
        }
    }
    #[cfg(not(unix))]
    {
        tokio::select! {
            interrupted = tokio::signal::ctrl_c() => interrupted,
            _ = stdin_closed => Ok(()),
        }
    }
}
