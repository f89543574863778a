//! `ucare-hostile`: serves the hostile modes (see the library) on a free loopback port and
//! prints its root URL on the first line of stdout; then `tls <https URL> <CA PEM file>` and
//! `proxy <URL>` (see `tls.rs`). Exits when stdin closes, so a test's child process never
//! outlives the test.

use tokio::io::AsyncReadExt;

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let (url, _server) = ucare_hostile::start().await?;
    println!("{url}");
    let (tls, _tls_server) = ucare_hostile::tls::start_tls().await?;
    let ca = std::env::temp_dir().join(format!("ucare-hostile-ca-{}.pem", std::process::id()));
    std::fs::write(&ca, &tls.ca_pem)?;
    println!("tls {} {}", tls.url, ca.display());
    let (proxy, _proxy_server) = ucare_hostile::tls::start_proxy().await?;
    println!("proxy {proxy}");
    let mut sink = Vec::new();
    let _ = tokio::io::stdin().read_to_end(&mut sink).await;
    let _ = std::fs::remove_file(&ca);
    Ok(())
}
