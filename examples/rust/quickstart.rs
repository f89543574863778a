//! The Rust quickstart: every part of the REST API v0.7 client against a running
//! Uploadcare (the emulator in `make demo`). Reads UPLOADCARE_PUBLIC_KEY, UPLOADCARE_SECRET_KEY and
//! UPLOADCARE_API_BASE; the upload calls go to UPLOADCARE_UPLOAD_BASE.

use std::time::Duration;

use axum::{body::Bytes, http::HeaderMap, routing::post, Router};
use futures_util::TryStreamExt;
use tokio::sync::mpsc;
use ucare::conversions::{ConversionKind, DocumentConversion, DocumentFormat};
use ucare::files::{FileOrdering, LocalCopy};
use ucare::uploads::{FromUrlOptions, Source, Store, UploadOptions};
use ucare::v07::conversions::DocumentOptions;
use ucare::v07::models::Event;
use ucare::webhooks::NewWebhook;

/// A 1x1 PNG.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00,
    0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4, 0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63,
    0x00, 0x01, 0x00, 0x00, 0x05, 0x00, 0x01, 0x0d, 0x0a, 0x2d, 0xb4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60,
    0x82,
];
const SIGNING_SECRET: &str = "demo-signing-secret";

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = ucare::Client::builder().from_env()?.user_agent_suffix("quickstart").build()?;
    let upload_base = std::env::var("UPLOADCARE_UPLOAD_BASE")?;

    // A local receiver for the webhook, subscribed with a signing secret.
    let (deliveries, mut delivered) = mpsc::unbounded_channel::<(HeaderMap, Bytes)>();
    let receiver = Router::new().route(
        "/hook",
        post(move |headers: HeaderMap, body: Bytes| async move {
            deliveries.send((headers, body)).ok();
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let hook_url = format!("http://{}/hook", listener.local_addr()?);
    tokio::spawn(async move { axum::serve(listener, receiver).await.ok() });
    let hook = client.webhooks().create(NewWebhook::new(&hook_url, Event::FileUploaded).signing_secret(SIGNING_SECRET)).await?;
    println!("subscribed webhook {} -> {}", hook.id, hook.target_url);

    let unstored = || UploadOptions::default().store(Store::No);
    let image = client.uploads().upload(Source::bytes(PNG, "pixel.png"), unstored().content_type("image/png")).await?.uuid;
    let document = client.uploads().upload(Source::bytes(&b"Meeting notes: ship the Rust core."[..], "notes.txt"), unstored()).await?.uuid;
    let extra = client.uploads().upload(Source::bytes(&b"to be removed"[..], "extra.txt"), unstored()).await?.uuid;
    println!("uploaded pixel.png {image}, notes.txt {document}, extra.txt {extra}");
    let copy = client.uploads().from_url(&format!("{upload_base}{image}/pixel.png"), FromUrlOptions::default()).await?;
    println!("uploaded from a URL: {} {}", copy.original_filename, copy.uuid);

    let (headers, body) = tokio::time::timeout(Duration::from_secs(10), delivered.recv()).await?.ok_or("no delivery")?;
    let signature = headers.get("x-uc-signature").and_then(|v| v.to_str().ok()).unwrap_or_default();
    let event = ucare::webhook::verify_and_parse(SIGNING_SECRET, &body, signature)?;
    println!("webhook delivered for {} ({}), signature verified", event.data.original_filename, event.data.uuid);

    let info = client.files().info(&image).await?;
    let dims = info.image_info().map(|i| format!("{}x{}", i.width.unwrap_or(0), i.height.unwrap_or(0))).unwrap_or_default();
    println!("info: {} {} {} bytes, {} image", info.original_filename, info.mime_type, info.size, dims);

    client.metadata().set(&image, "subject", "pixel").await?;
    println!("metadata: {:?}", client.metadata().list(&image).await?);
    let run = client.addons().detect_labels(&image).await?;
    client.addons().wait(&run, Duration::from_secs(30)).await?;
    let labelled = client.files().info_with_appdata(&image).await?;
    let labels = labelled.appdata.and_then(|a| a.aws_rekognition_detect_labels).map(|l| l.data.labels).unwrap_or_default();
    println!("labels: {:?}", labels.iter().map(|l| l.name.as_str()).collect::<Vec<_>>());
    let copy = client.files().local_copy(&image, LocalCopy { store: Some(true), ..LocalCopy::default() }).await?;
    println!("copied to {}", copy.uuid);

    let batch = client.files().store_many([image.as_str(), document.as_str(), "not-a-uuid"]).await?;
    println!("batch store: {} stored, problems: {:?}", batch.result.len(), batch.problems);
    let removed = client.files().delete_many([extra.as_str()]).await?;
    println!("batch delete: {} removed", removed.result.len());

    println!("stored files, newest first:");
    let mut files = client.files().list().stored(true).ordering(FileOrdering::DatetimeUploadedDesc).limit(100).stream();
    while let Some(file) = files.try_next().await? {
        println!("  {}  {:>6} bytes  {}", file.uuid, file.size, file.original_filename);
    }

    let group = client.uploads().create_group([image.as_str(), document.as_str()], None).await?;
    let group = client.groups().info(&group.id).await?;
    println!("group {} has {} files", group.id, group.files_count);
    client.groups().delete(&group.id).await?;
    println!("group deleted; its files stay");

    let options = DocumentOptions { store: Some(true), ..DocumentOptions::default() };
    let started = client.conversions().document(&[DocumentConversion::new(&document).format(DocumentFormat::Pdf)], options).await?;
    let job = started.result.first().ok_or("no conversion job")?;
    let done = client.conversions().wait(ConversionKind::Document, job.token, Duration::from_secs(60)).await?;
    let pdf = client.files().info(done.result.uuid.as_deref().ok_or("no result")?).await?;
    println!("converted notes.txt -> {} ({}), status {}", pdf.original_filename, pdf.mime_type, done.status.as_str());

    let project = client.project().await?;
    println!("project {:?} ({}), autostore {}", project.name, project.pub_key, project.autostore_enabled);

    client.webhooks().unsubscribe(&hook_url).await?;
    println!("unsubscribed; {} requests made, {} retried", client.stats().requests, client.stats().retries);
    Ok(())
}
