//! The v0.7 client (the default `ucare::Client`) against the emulator over loopback: every
//! endpoint, its answers and errors, and the exact requests on the wire (method, path,
//! query, `Accept`, body), as the emulator recorded them.

mod common;

use std::time::Duration;

use futures_util::TryStreamExt;
use ucare::conversions::{ConversionKind, DocumentConversion, DocumentFormat, VideoConversion};
use ucare::files::{FileOrdering, LocalCopy, RemoteCopy};
use ucare::metadata::MetadataWrite;
use ucare::v07::addons::{AddonState, RemoveBgParams, VirusScanParams};
use ucare::v07::conversions::DocumentOptions;
use ucare::v07::models::Event;
use ucare::webhooks::{NewWebhook, WebhookUpdate};
use ucare::Error;
use ucare_emulator::{Config, Emulator};

use common::*;

const V07: &str = "application/vnd.uploadcare-v0.7+json";

fn v07_config() -> Config {
    Config { storages: vec!["backup".into()], ..config() }
}

/// The requests the emulator received since `from`, as `METHOD uri body`.
fn wire(emu: &Emulator, from: usize) -> Vec<String> {
    emu.requests()[from..].iter().map(|r| format!("{} {} {}", r.method, r.uri, r.body).trim_end().to_string()).collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_default_client_speaks_v07() {
    let emu = emulator(v07_config()).await;
    let client = client_v07(&emu);
    client.project().await.unwrap();
    let request = emu.requests().pop().unwrap();
    assert_eq!(request.accept.as_deref(), Some(V07));
    assert_eq!(request.content_type.as_deref(), Some("application/json"));
    assert_eq!(ucare::DEFAULT_API_VERSION, "0.7");
    assert!(format!("{client:?}").contains("api_version: \"0.7\""));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_file_lives_and_dies_in_v07_shape() {
    let emu = emulator(v07_config()).await;
    let client = client_v07(&emu);
    let uuid = emu.upload("photo.png", png(3, 2), Some(false));
    let start = emu.requests().len();
    let file = client.files().info(&uuid).await.unwrap();
    let content = file.content_info.as_ref().expect("content_info");
    assert_eq!(content.mime.as_ref().map(|m| (m.kind.as_str(), m.subtype.as_str())), Some(("image", "png")));
    assert_eq!(file.image_info().map(|i| (i.width, i.height)), Some((Some(3), Some(2))));
    assert!(file.metadata.is_empty() && file.appdata.is_none() && !file.is_stored());
    let with = client.files().info_with_appdata(&uuid).await.unwrap();
    assert!(with.appdata.is_some());
    let stored = client.files().store(&uuid).await.unwrap();
    assert!(stored.is_stored());
    let removed = client.files().delete(&uuid).await.unwrap();
    assert!(removed.is_removed() && removed.original_file_url.is_none() && !removed.is_stored());
    assert_eq!(
        wire(&emu, start),
        [
            format!("GET /files/{uuid}/"),
            format!("GET /files/{uuid}/?include=appdata"),
            format!("PUT /files/{uuid}/storage/"),
            format!("DELETE /files/{uuid}/storage/"),
        ]
    );
    assert!(client.files().info("nope").await.is_err_and(|e| matches!(e, Error::InvalidInput(_))));
    let missing = client.files().info("21975c81-7f57-4c7a-aef9-acfe28779f78").await.unwrap_err();
    assert!(missing.is_not_found());
}

#[tokio::test(flavor = "multi_thread")]
async fn listings_walk_every_file_once_with_totals_and_appdata() {
    let emu = emulator(Config { seed_files: 250, ..v07_config() }).await;
    let client = client_v07(&emu);
    let all: Vec<ucare::File> = client.files().list().limit(100).stream().try_collect().await.unwrap();
    assert_eq!(all.len(), 250);
    let unique: std::collections::HashSet<_> = all.iter().map(|f| &f.uuid).collect();
    assert_eq!(unique.len(), 250);
    let desc: Vec<ucare::File> =
        client.files().list().ordering(FileOrdering::DatetimeUploadedDesc).limit(1000).stream().try_collect().await.unwrap();
    assert!(desc.windows(2).all(|w| w[0].datetime_uploaded >= w[1].datetime_uploaded));
    let page = client.files().list().limit(5).include_appdata(true).first_page().await.unwrap();
    let totals = page.totals.expect("v0.7 pages carry totals");
    assert_eq!(totals.stored + totals.unstored, 250);
    assert!(page.results.iter().all(|f| f.appdata.is_some()));
    let request = emu.requests().pop().unwrap();
    assert_eq!(request.uri, "/files/?limit=5&include=appdata");
    let later = all[100].datetime_uploaded.unwrap();
    let from: Vec<ucare::File> = client.files().list().from(later).limit(1000).stream().try_collect().await.unwrap();
    assert!(from.iter().all(|f| f.datetime_uploaded.unwrap() >= later));
    assert!("size".parse::<FileOrdering>().is_err(), "v0.7 has no size ordering");
}

#[tokio::test(flavor = "multi_thread")]
async fn batches_report_problems_in_v07() {
    let emu = emulator(v07_config()).await;
    let client = client_v07(&emu);
    let uuids: Vec<String> = (0..3).map(|i| emu.upload(&format!("{i}.txt"), "x", Some(false))).collect();
    let mut ids = uuids.clone();
    ids.extend(["not-a-uuid".to_string(), "21975c81-7f57-4c7a-aef9-acfe28779f78".to_string()]);
    let batch = client.files().store_many(&ids).await.unwrap();
    assert_eq!(batch.result.len(), 3);
    assert!(batch.result.iter().all(|f| f.is_stored() && f.content_info.is_some()));
    assert_eq!(batch.problems["not-a-uuid"], "Invalid");
    assert_eq!(batch.problems["21975c81-7f57-4c7a-aef9-acfe28779f78"], "Missing in the project");
    let removed = client.files().delete_many(&uuids).await.unwrap();
    assert!(removed.result.iter().all(|f| f.is_removed()));
}

#[tokio::test(flavor = "multi_thread")]
async fn local_and_remote_copies() {
    let emu = emulator(v07_config()).await;
    let client = client_v07(&emu);
    let uuid = emu.upload("photo.png", png(3, 2), Some(true));
    let start = emu.requests().len();
    let metadata: ucare::v07::models::Metadata = [("kind".to_string(), "copy".to_string())].into_iter().collect();
    let copy = client.files().local_copy(&uuid, LocalCopy { store: Some(true), metadata: Some(metadata.clone()) }).await.unwrap();
    assert_ne!(copy.uuid, uuid);
    assert!(copy.content_info.is_none() && !copy.is_image, "answered before processing, nulls and all");
    assert_eq!(copy.metadata, metadata);
    assert!(client.files().info(&copy.uuid).await.unwrap().is_stored());
    let options = RemoteCopy { make_public: Some(false), pattern: Some("${uuid}${ext}".into()) };
    let first = client.files().remote_copy(&uuid, "backup", options.clone()).await.unwrap();
    assert_eq!((first.url.as_str(), first.created), (format!("s3://backup/{uuid}.png").as_str(), true));
    let again = client.files().remote_copy(&uuid, "backup", options).await.unwrap();
    assert!(!again.created, "the name existed: 200");
    let sent = wire(&emu, start);
    assert_eq!(sent[0], format!(r#"POST /files/local_copy/ {{"source":"{uuid}","store":"true","metadata":{{"kind":"copy"}}}}"#));
    assert_eq!(
        sent[2],
        format!(r#"POST /files/remote_copy/ {{"source":"{uuid}","target":"backup","make_public":false,"pattern":"${{uuid}}${{ext}}"}}"#)
    );
    let err = client.files().remote_copy(&uuid, "nowhere", RemoteCopy::default()).await.unwrap_err();
    assert!(matches!(&err, Error::Api { status: 400, detail, .. } if detail == "Project has no storage with provided name."));
    let before = emu.requests().len();
    let bad: ucare::v07::models::Metadata = [("a b".to_string(), "v".to_string())].into_iter().collect();
    assert!(client.files().local_copy(&uuid, LocalCopy { metadata: Some(bad), ..LocalCopy::default() }).await.is_err());
    assert!(client
        .files()
        .remote_copy(&uuid, "backup", RemoteCopy { pattern: Some("plain".into()), ..RemoteCopy::default() })
        .await
        .is_err());
    assert_eq!(emu.requests().len(), before, "refused before sending");
}

#[tokio::test(flavor = "multi_thread")]
async fn metadata_is_set_read_and_deleted() {
    let emu = emulator(v07_config()).await;
    let client = client_v07(&emu);
    let uuid = emu.upload("a.txt", "a", None);
    let meta = client.metadata();
    assert_eq!(meta.set(&uuid, "subsystem", "uploader").await.unwrap(), MetadataWrite::Created);
    assert_eq!(meta.set(&uuid, "subsystem", "tests").await.unwrap(), MetadataWrite::Replaced);
    assert_eq!(meta.get(&uuid, "subsystem").await.unwrap(), "tests");
    assert_eq!(meta.list(&uuid).await.unwrap().get("subsystem").map(String::as_str), Some("tests"));
    assert_eq!(client.files().info(&uuid).await.unwrap().metadata["subsystem"], "tests");
    let put = emu.requests().iter().find(|r| r.method == "PUT").cloned().unwrap();
    assert_eq!((put.uri.as_str(), put.body.as_str()), (format!("/files/{uuid}/metadata/subsystem/").as_str(), "\"uploader\""));
    meta.delete(&uuid, "subsystem").await.unwrap();
    assert!(meta.get(&uuid, "subsystem").await.unwrap_err().is_not_found());
    assert!(meta.delete(&uuid, "subsystem").await.unwrap_err().is_not_found());
    let before = emu.requests().len();
    for (key, value) in [("a b", "v"), ("ключ", "v"), ("k", ""), ("k", &"v".repeat(513) as &str)] {
        assert!(matches!(meta.set(&uuid, key, value).await, Err(Error::InvalidInput(_))), "{key:?}");
    }
    assert_eq!(emu.requests().len(), before);
}

#[tokio::test(flavor = "multi_thread")]
async fn addons_run_and_their_results_are_typed() {
    let emu = emulator(Config { conversion_delay: Duration::from_millis(100), ..v07_config() }).await;
    let client = client_v07(&emu);
    let image = emu.upload("photo.png", png(3, 2), Some(true));
    let run = client.addons().detect_labels(&image).await.unwrap();
    let conflict = client.addons().detect_labels(&image).await.unwrap_err();
    assert!(matches!(&conflict, Error::Api { status: 409, detail, .. } if detail == "Concurrent call attempted"));
    assert_eq!(client.addons().status(&run).await.unwrap().status, AddonState::InProgress);
    let done = client.addons().wait(&run, Duration::from_secs(10)).await.unwrap();
    assert_eq!(done.status, AddonState::Done);
    let file = client.files().info_with_appdata(&image).await.unwrap();
    let labels = file.appdata.unwrap().aws_rekognition_detect_labels.unwrap();
    assert_eq!(labels.version, "2016-06-27");
    assert!(!labels.data.labels.is_empty() && labels.data.labels[0].confidence > 0.0);
    let bg = client.addons().remove_bg(&image, RemoveBgParams { crop: Some(true), ..RemoveBgParams::default() }).await.unwrap();
    let request = emu.requests().pop().unwrap();
    assert_eq!(request.body, format!(r#"{{"target":"{image}","params":{{"crop":true}}}}"#));
    let made = client.addons().wait(&bg, Duration::from_secs(10)).await.unwrap().result.unwrap().file_id.unwrap();
    assert!(client.files().info(&made).await.is_ok());
    let scan = client.addons().virus_scan(&image, VirusScanParams { purge_infected: Some(true) }).await.unwrap();
    client.addons().wait(&scan, Duration::from_secs(10)).await.unwrap();
    let scanned = client.files().info_with_appdata(&image).await.unwrap().appdata.unwrap().uc_clamav_virus_scan.unwrap();
    assert!(!scanned.data.infected);
    let bad = RemoveBgParams { type_level: Some("3".into()), ..RemoveBgParams::default() };
    assert!(matches!(client.addons().remove_bg(&image, bad).await, Err(Error::InvalidInput(_))));
    // A text file is no image: the run ends in error.
    let text = emu.upload("a.txt", "a", Some(true));
    let run = client.addons().detect_labels(&text).await.unwrap();
    assert_eq!(client.addons().wait(&run, Duration::from_secs(10)).await.unwrap().status, AddonState::Error);
}

#[tokio::test(flavor = "multi_thread")]
async fn groups_list_info_and_delete() {
    let emu = emulator(v07_config()).await;
    let client = client_v07(&emu);
    let a = emu.upload("a.txt", "a", Some(false));
    let b = emu.upload("b.txt", "b", Some(false));
    let id = emu.create_group(&[&a, &b]).unwrap();
    let groups: Vec<ucare::Group> = client.groups().list().stream().try_collect().await.unwrap();
    assert_eq!(groups.len(), 1);
    let group = client.groups().info(&id).await.unwrap();
    assert_eq!(group.files_count, 2);
    assert!(!group.extra.contains_key("datetime_stored"));
    let members: Vec<String> = group.files.iter().flatten().flatten().map(|f| f.uuid.clone()).collect();
    client.files().store_many(&members).await.unwrap();
    client.groups().delete(&id).await.unwrap();
    assert_eq!(emu.requests().pop().unwrap().method, "DELETE");
    assert!(client.groups().info(&id).await.unwrap_err().is_not_found());
    assert!(client.files().info(&a).await.unwrap().is_stored(), "the files stay");
}

#[tokio::test(flavor = "multi_thread")]
async fn webhooks_subscribe_to_each_event_and_deliver_v07_payloads() {
    let emu = emulator(v07_config()).await;
    let client = client_v07(&emu);
    let target = "http://127.0.0.1:9/hook";
    let hook = client.webhooks().create(NewWebhook::new(target, Event::FileStored).signing_secret("s3cr3t")).await.unwrap();
    assert_eq!((hook.event.clone(), hook.version.as_deref()), (Event::FileStored, Some("0.7")));
    for event in [Event::FileUploaded, Event::FileDeleted, Event::FileInfoUpdated, Event::FileInfected] {
        client.webhooks().create(NewWebhook::new(format!("{target}/{}", event.as_str()), event)).await.unwrap();
    }
    assert_eq!(client.webhooks().list().await.unwrap().len(), 5);
    let updated = client.webhooks().update(hook.id, WebhookUpdate { is_active: Some(true), ..Default::default() }).await.unwrap();
    assert_eq!(updated.id, hook.id);
    assert_eq!(emu.requests().pop().unwrap().method, "PUT");
    let uuid = emu.upload("a.txt", "a", Some(false));
    client.files().store(&uuid).await.unwrap();
    client.metadata().set(&uuid, "k", "v").await.unwrap();
    let deliveries = emu.deliveries();
    let stored = deliveries.iter().find(|d| d.event == "file.stored").unwrap();
    let event = ucare::webhook::verify_and_parse("s3cr3t", stored.body.as_bytes(), stored.signature.as_deref().unwrap()).unwrap();
    assert_eq!(event.data.uuid, uuid);
    assert_eq!(event.initiator.unwrap().kind, "api");
    let info = deliveries.iter().find(|d| d.event == "file.info_updated").unwrap();
    let event = ucare::webhook::parse_event(info.body.as_bytes()).unwrap();
    assert!(event.previous_values.unwrap().metadata.unwrap().is_empty());
    assert_eq!(event.data.metadata["k"], "v");
    client.webhooks().unsubscribe(&format!("{target}/file.deleted")).await.unwrap();
    assert_eq!(emu.requests().pop().map(|r| (r.method, r.uri)), Some(("DELETE".into(), "/webhooks/unsubscribe/".into())));
    client.webhooks().delete(hook.id).await.unwrap();
    assert_eq!(client.webhooks().list().await.unwrap().len(), 3);
    let before = emu.requests().len();
    assert!(client.webhooks().create(NewWebhook::new(target, Event::Other("file.exploded".into()))).await.is_err());
    assert_eq!(emu.requests().len(), before);
}

#[tokio::test(flavor = "multi_thread")]
async fn conversions_save_in_group_and_report_document_info() {
    let emu = emulator(v07_config()).await;
    let client = client_v07(&emu);
    let doc = emu.upload("report.pdf", "%PDF-1.4", Some(true));
    let options = DocumentOptions { store: Some(true), save_in_group: Some(true) };
    let started = client.conversions().document(&[DocumentConversion::new(&doc).format(DocumentFormat::Png)], options).await.unwrap();
    let request = emu.requests().pop().unwrap();
    assert_eq!(request.body, format!(r#"{{"paths":["{doc}/document/-/format/png/"],"store":"true","save_in_group":"true"}}"#));
    let job = &started.result[0];
    let done = client.conversions().wait(ConversionKind::Document, job.token, Duration::from_secs(10)).await.unwrap();
    assert!(done.status.is_final());
    let info = client.conversions().document_info(&doc).await.unwrap();
    assert_eq!(info.format.name, "pdf");
    assert!(info.format.conversion_formats.iter().any(|f| f.name == "png"));
    let group = &info.groups()["png"];
    assert_eq!(info.groups(), &info.format.converted_groups);
    assert_eq!(client.groups().info(group).await.unwrap().files_count, 2);
    let video = emu.upload("clip.txt", "not a video", Some(true));
    let started = client.conversions().video(&[VideoConversion::new(&video).thumbs(2)], None).await.unwrap();
    let done = client.conversions().wait(ConversionKind::Video, started.result[0].token, Duration::from_secs(10)).await.unwrap();
    assert_eq!(done.status, ucare::JobStatus::Failed);
}
