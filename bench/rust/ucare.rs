//! The Rust contender: the `ucare` core crate (REST API v0.7), used as its users would.
//! `UCARE_BENCH_API=0.5` runs the listing with the v0.5 client, to compare the versions.

#[path = "common.rs"]
mod common;

use std::time::{Duration, Instant};

use futures_util::{stream, StreamExt, TryStreamExt};
use ucare::conversions::{ConversionKind, DocumentConversion, DocumentFormat};
use ucare::uploads::{Source, UploadOptions};

#[tokio::main]
async fn main() -> ucare::Result<()> {
    let a = common::args();
    let client = ucare::Client::builder().public_key(&a.public_key).secret_key(&a.secret_key).base_url(&a.base).build()?;
    let started = Instant::now();
    match a.workload.as_str() {
        "list" if std::env::var("UCARE_BENCH_API").as_deref() == Ok("0.5") => {
            let client = ucare::v05::Client::builder().public_key(&a.public_key).secret_key(&a.secret_key).base_url(&a.base).build()?;
            let mut pager = client.files().list().limit(1000).pager()?;
            let (mut items, mut checksum) = (0, 0u64);
            while let Some(page) = pager.next_page().await? {
                for file in &page.results {
                    items += 1;
                    checksum = checksum.wrapping_add(file.size).wrapping_add(file.uuid.len() as u64);
                }
            }
            common::report(started, items, checksum, 0);
        }
        "list" => {
            let mut pager = client.files().list().limit(1000).pager()?;
            let (mut items, mut checksum, mut first_peak) = (0, 0u64, 0);
            while let Some(page) = pager.next_page().await? {
                for file in &page.results {
                    items += 1;
                    checksum = checksum.wrapping_add(file.size).wrapping_add(file.uuid.len() as u64);
                }
                if first_peak == 0 {
                    first_peak = common::peak_rss_kib();
                }
            }
            common::report(started, items, checksum, first_peak);
        }
        "info-seq" => {
            let mut checksum = 0u64;
            for uuid in &a.uuids {
                checksum = checksum.wrapping_add(client.files().info(uuid).await?.size);
            }
            common::report(started, a.uuids.len(), checksum, 0);
        }
        "info-c16" => {
            let sizes: Vec<u64> =
                stream::iter(&a.uuids).map(|uuid| client.files().info(uuid)).buffer_unordered(16).map_ok(|f| f.size).try_collect().await?;
            common::report(started, sizes.len(), sizes.iter().sum(), 0);
        }
        "store" => {
            let batch = client.files().store_many(&a.uuids).await?;
            common::report(started, batch.result.len(), batch.problems.len() as u64, 0);
        }
        "convert" => {
            let conversions: Vec<_> = a.uuids.iter().map(|u| DocumentConversion::new(u).format(DocumentFormat::Pdf)).collect();
            let started_jobs = client.conversions().document(&conversions, Default::default()).await?;
            let done: Vec<_> = stream::iter(&started_jobs.result)
                .map(|job| client.conversions().wait(ConversionKind::Document, job.token, Duration::from_secs(120)))
                .buffer_unordered(16)
                .try_collect()
                .await?;
            let finished = done.iter().filter(|s| s.status == ucare::JobStatus::Finished).count();
            common::report(started, done.len(), finished as u64, 0);
        }
        "upload-big" => {
            let client = ucare::Client::builder()
                .public_key(&a.public_key)
                .secret_key(&a.secret_key)
                .base_url(&a.base)
                .upload_base_url(&a.base)
                .timeout(Duration::from_secs(300))
                .build()?;
            let file = client.uploads().upload(Source::path(&a.uuids[0]), UploadOptions::default()).await?;
            common::report(started, 1, file.size, 0);
        }
        "upload-many" => {
            let client = ucare::Client::builder()
                .public_key(&a.public_key)
                .secret_key(&a.secret_key)
                .base_url(&a.base)
                .upload_base_url(&a.base)
                .build()?;
            let sizes: Vec<u64> = stream::iter(&a.uuids)
                .map(|path| client.uploads().upload(Source::path(path), UploadOptions::default()))
                .buffer_unordered(16)
                .map_ok(|f| f.size)
                .try_collect()
                .await?;
            common::report(started, sizes.len(), sizes.iter().sum(), 0);
        }
        other => panic!("unknown workload {other}"),
    }
    Ok(())
}
