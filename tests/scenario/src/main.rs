//! The cross-language scenario, in Rust: one script of calls (upload, list, info, store,
//! batch, copy, metadata, group, webhook, conversion, add-on, an error) against the
//! emulator named by `UPLOADCARE_*`, each result printed as one line of canonical JSON
//! `[step, value]`. `scenario.py` and `scenario.js` make the same calls through the Python
//! and Node packages; `tests/python/test_scenario.py` compares the three outputs.

use std::time::Duration;

use serde_json::{json, Value};
use ucare::conversions::{ConversionKind, DocumentConversion, DocumentFormat};
use ucare::files::LocalCopy;
use ucare::uploads::{Source, Store, UploadOptions};
use ucare::v07::conversions::DocumentOptions;
use ucare::v07::models::Event;
use ucare::webhooks::{NewWebhook, WebhookUpdate};
use ucare::{Client, File};

const MISSING: &str = "21975c81-7f57-4c7a-aef9-acfe28779f78";

/// The header of a 3x2 PNG, as every language of the scenario writes it.
fn png() -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR".to_vec();
    bytes.extend_from_slice(&3u32.to_be_bytes());
    bytes.extend_from_slice(&2u32.to_be_bytes());
    bytes.extend_from_slice(&[8, 2, 0, 0, 0, 0, 0, 0, 0]);
    bytes
}

fn file(f: &File) -> Value {
    let image = f.image_info().map(|i| json!([i.width, i.height]));
    let mut appdata: Option<Vec<String>> = f.appdata.as_ref().map(|a| {
        let mut keys = serde_json::to_value(a).unwrap().as_object().unwrap().keys().cloned().collect::<Vec<_>>();
        keys.sort();
        keys
    });
    if appdata.as_ref().is_some_and(Vec::is_empty) {
        appdata = Some(Vec::new());
    }
    json!({
        "uuid": f.uuid, "original_filename": f.original_filename, "mime_type": f.mime_type, "size": f.size,
        "is_image": f.is_image, "is_ready": f.is_ready, "stored": f.is_stored(), "removed": f.is_removed(),
        "datetime_uploaded": f.datetime_uploaded.map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)),
        "metadata": f.metadata, "content_mime": f.content_info.as_ref().and_then(|c| c.mime.as_ref()).map(|m| m.mime.clone()),
        "image_size": image, "appdata_keys": appdata,
    })
}

fn error(e: &ucare::Error) -> Value {
    match e {
        ucare::Error::Api { status, detail, .. } => {
            let kind = match status {
                404 => "not_found",
                400 => "bad_request",
                401 | 403 => "authentication",
                429 => "throttled",
                _ => "api",
            };
            json!({ "error": kind, "status": status, "detail": detail })
        }
        other => json!({ "error": format!("{other:?}") }),
    }
}

fn step(name: &str, value: Value) {
    println!("{}", json!([name, value]));
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::builder().from_env()?.build()?;
    let project = client.project().await?;
    step("project", json!({ "name": project.name, "pub_key": project.pub_key, "autostore_enabled": project.autostore_enabled }));

    let options = UploadOptions::default().name("a.txt").store(Store::No).metadata([("k".to_string(), "v".to_string())].into());
    let uploaded = client.uploads().upload(Source::bytes(&b"hello"[..], "a.txt"), options).await?;
    let a = client.files().info(&uploaded.uuid).await?;
    step("upload", file(&a));
    step("info", file(&client.files().info(&a.uuid).await?));
    step("store", file(&client.files().store(&a.uuid).await?));
    let mut listed = Vec::new();
    let mut pages = client.files().list().stored(true).limit(10).pager()?;
    while let Some(page) = pages.next_page().await? {
        listed.extend(page.results.iter().map(file));
    }
    step("list", Value::from(listed));
    let batch = client.files().store_many([a.uuid.as_str(), "not-a-uuid"]).await?;
    step(
        "store_many",
        json!({ "status": batch.status, "problems": batch.problems, "result": batch.result.iter().map(|f| f.uuid.clone()).collect::<Vec<_>>() }),
    );
    let copy = client.files().local_copy(&a.uuid, LocalCopy { store: Some(true), ..LocalCopy::default() }).await?;
    step("local_copy", file(&copy));

    let write = client.metadata().set(&a.uuid, "subject", "cat").await?;
    step("metadata_set", json!(if write == ucare::metadata::MetadataWrite::Created { "created" } else { "replaced" }));
    step("metadata_get", json!(client.metadata().get(&a.uuid, "subject").await?));
    step("metadata_all", json!(client.metadata().list(&a.uuid).await?));

    let group = client.uploads().create_group([a.uuid.as_str(), copy.uuid.as_str()], None).await?;
    let group = client.groups().info(&group.id).await?;
    let members: Vec<Value> = group.files.iter().flatten().map(|f| f.as_ref().map_or(Value::Null, |f| json!(f.uuid))).collect();
    step("group", json!({ "id": group.id, "files_count": group.files_count, "files": members }));
    client.groups().delete(&group.id).await?;
    step("group_deleted", error(&client.groups().info(&group.id).await.unwrap_err()));

    let hook = client.webhooks().create(NewWebhook::new("https://example.com/hook", Event::FileStored).signing_secret("s3cret")).await?;
    let view = |h: &ucare::Webhook| json!({ "id": h.id, "event": h.event.as_str(), "target_url": h.target_url, "is_active": h.is_active, "has_secret": h.signing_secret.is_some() });
    step("webhook", view(&hook));
    let changed = client.webhooks().update(hook.id, WebhookUpdate { is_active: Some(false), ..WebhookUpdate::default() }).await?;
    step("webhook_update", view(&changed));
    client.webhooks().unsubscribe("https://example.com/hook").await?;
    step("webhooks_after", json!(client.webhooks().list().await?.len()));

    let doc = client
        .uploads()
        .upload(Source::bytes(&b"%PDF-1.4 a document"[..], "report.pdf"), UploadOptions::default().store(Store::Yes))
        .await?;
    let options = DocumentOptions { store: Some(true), save_in_group: Some(true) };
    let started = client.conversions().document(&[DocumentConversion::new(&doc.uuid).format(DocumentFormat::Png)], options).await?;
    step(
        "convert",
        json!({ "jobs": started.result.iter().map(|j| json!({ "token": j.token, "uuid": j.uuid })).collect::<Vec<_>>(), "problems": started.problems }),
    );
    let done = client.conversions().wait(ConversionKind::Document, started.result[0].token, Duration::from_secs(30)).await?;
    step("convert_wait", json!({ "status": done.status, "error": done.error, "uuid": done.result.uuid }));
    let info = client.conversions().document_info(&doc.uuid).await?;
    let mut groups: Vec<&String> = info.groups().keys().collect();
    groups.sort();
    let formats: Vec<&String> = info.format.conversion_formats.iter().map(|f| &f.name).collect();
    step("document_info", json!({ "format": info.format.name, "conversion_formats": formats, "converted_groups": groups }));

    let image = client.uploads().upload(Source::bytes(png(), "pixel.png"), UploadOptions::default().store(Store::Yes)).await?;
    step("upload_image", file(&client.files().info(&image.uuid).await?));
    let run = client.addons().detect_labels(&image.uuid).await?;
    step("addon_run", json!({ "addon": run.addon.as_str() }));
    let status = client.addons().wait(&run, Duration::from_secs(30)).await?;
    step("addon_wait", json!({ "status": status.status, "file_id": status.result.and_then(|r| r.file_id) }));
    step("info_appdata", file(&client.files().info_with_appdata(&image.uuid).await?));

    step("error", error(&client.files().info(MISSING).await.unwrap_err()));
    Ok(())
}
