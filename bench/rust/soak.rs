//! Soak worker (Rust, REST API v0.7): list every file, batch-store, read infos and copy under faults;
//! prints one JSON line with what it met. Run by bench/soak.py.

use std::time::Duration;

use futures_util::{stream, StreamExt};

#[tokio::main]
async fn main() {
    let numbers: Vec<usize> = std::env::args().skip(1).map(|a| a.parse().expect("counts")).collect();
    let (store_count, info_count, copies) = (numbers[0], numbers[1], numbers[2]);
    let env = |name: &str| std::env::var(name).unwrap_or_else(|_| panic!("{name}"));
    let client = ucare::Client::builder()
        .from_env()
        .expect("keys")
        .timeout(Duration::from_secs_f64(env("SOAK_TIMEOUT").parse().unwrap()))
        .max_retries(env("SOAK_RETRIES").parse().unwrap())
        .build()
        .expect("client");
    let mut errors = 0;
    let mut uuids = Vec::new();
    let mut pager = client.files().list().limit(100).pager().expect("pager");
    loop {
        // A page that still fails after the retries is asked again: the cursor has not moved.
        match pager.next_page().await {
            Ok(Some(page)) => uuids.extend(page.results.into_iter().map(|f| f.uuid)),
            Ok(None) => break,
            Err(_) => errors += 1,
        }
    }
    let unique = uuids.iter().collect::<std::collections::HashSet<_>>().len();
    let batch = loop {
        match client.files().store_many(&uuids[..store_count.min(uuids.len())]).await {
            Ok(batch) => break batch,
            Err(_) => errors += 1,
        }
    };
    let infos: Vec<bool> = stream::iter(&uuids[..info_count.min(uuids.len())])
        .map(|uuid| {
            let client = &client;
            async move { client.files().info(uuid).await.map(|f| &f.uuid == uuid).unwrap_or(false) }
        })
        .buffer_unordered(16)
        .collect()
        .await;
    let (mut ok, mut unknown, mut failed) = (0, 0, 0);
    for uuid in uuids.iter().take(copies) {
        match client.files().local_copy(uuid, Default::default()).await {
            Ok(_) => ok += 1,
            Err(ucare::Error::OutcomeUnknown { .. }) => unknown += 1,
            Err(_) => failed += 1,
        }
    }
    let stats = client.stats();
    let info_ok = infos.iter().filter(|x| **x).count();
    println!(
        "{}",
        serde_json::json!({
            "errors": errors, "listed": uuids.len(), "unique": unique,
            "store_result": batch.result.len(), "store_problems": batch.problems.len(),
            "info_ok": info_ok, "info_failed": infos.len() - info_ok,
            "copies": {"ok": ok, "unknown": unknown, "failed": failed},
            "requests": stats.requests, "retries": stats.retries,
        })
    );
}
