//! `ucare-hostile`: serves the hostile modes (see the library) on a free loopback port,
//! prints its root URL on the first line of stdout, and exits when stdin closes, so a
//! test's child process never outlives the test.

use tokio::io::AsyncReadExt;

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let (url, _server) = ucare_hostile::start().await?;
    println!("{url}");
    let mut sink = Vec::new();
    let _ = tokio::io::stdin().read_to_end(&mut sink).await;
    Ok(())
}
