//! Every endpoint of the core, against the emulator over loopback.

mod common;

use std::collections::HashSet;
use std::time::Duration;

use futures_util::TryStreamExt;
use ucare::conversions::{ConversionKind, DocumentConversion, DocumentFormat, VideoConversion};
use ucare::v05::files::{CopyToStorage, FileFrom, FileOrdering};
use ucare::v05::groups::GroupOrdering;
use ucare::v05::webhooks::{NewWebhook, WebhookUpdate};
use ucare::{Error, JobStatus};
use ucare_emulator::Config;

use common::*;

#[tokio::test(flavor = "multi_thread")]
async fn listing_visits_every_file_once_for_every_ordering_and_filter() {
    let emu = emulator(Config { seed_files: 250, ..config() }).await;
    let client = client(&emu);
    for ordering in [FileOrdering::DatetimeUploaded, FileOrdering::DatetimeUploadedDesc, FileOrdering::Size, FileOrdering::SizeDesc] {
        for stored in [None, Some(true), Some(false)] {
            let mut list = client.files().list().ordering(ordering).limit(7);
            if let Some(stored) = stored {
                list = list.stored(stored);
            }
            let files: Vec<ucare::v05::File> = list.stream().try_collect().await.unwrap();
            let unique: HashSet<&str> = files.iter().map(|f| f.uuid.as_str()).collect();
            assert_eq!(unique.len(), files.len(), "no file twice ({ordering:?}, stored {stored:?})");
            let expected = match stored {
                None => 250,
                Some(true) => 84,
                Some(false) => 166,
            };
            assert_eq!(files.len(), expected, "{ordering:?} stored {stored:?}");
            let keys: Vec<i64> = files
                .iter()
                .map(|f| match ordering {
                    FileOrdering::Size | FileOrdering::SizeDesc => f.size as i64,
                    _ => f.datetime_uploaded.unwrap().timestamp_micros(),
                })
                .collect();
            let sorted = keys.windows(2).all(|w| match ordering {
                FileOrdering::Size | FileOrdering::DatetimeUploaded => w[0] <= w[1],
                _ => w[0] >= w[1],
            });
            assert!(sorted, "{ordering:?} is sorted");
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn pager_reports_total_and_pages_and_from_cursor() {
    let emu = emulator(Config { seed_files: 25, ..config() }).await;
    let client = client(&emu);
    let mut pager = client.files().list().limit(10).pager().unwrap();
    assert_eq!(pager.total(), None);
    let mut sizes = Vec::new();
    while let Some(page) = pager.next_page().await.unwrap() {
        sizes.push(page.results.len());
        assert_eq!(pager.total(), Some(25));
    }
    assert_eq!(sizes, vec![10, 10, 5]);
    assert!(pager.is_done());
    let first = client.files().list().ordering(FileOrdering::Size).from(FileFrom::Size(3000)).first_page().await.unwrap();
    assert!(first.results.iter().all(|f| f.size >= 3000));
    assert!(first.previous.is_some(), "smaller files come before");
    let err = client.files().list().ordering(FileOrdering::Size).from(FileFrom::Datetime(chrono::Utc::now())).pager().unwrap_err();
    assert!(matches!(err, Error::InvalidInput(_)));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_file_goes_through_its_lifecycle() {
    let emu = emulator(config()).await;
    let client = client(&emu);
    let uuid = emu.upload("photo.png", png(3, 2), Some(false));
    let file = client.files().info(&uuid).await.unwrap();
    assert_eq!((file.original_filename.as_str(), file.mime_type.as_str(), file.is_image), ("photo.png", "image/png", true));
    let info = file.image_info.clone().unwrap();
    assert_eq!((info.width, info.height, info.format.as_deref()), (Some(3), Some(2), Some("PNG")));
    assert!(!file.is_stored());
    let stored = client.files().store(&uuid).await.unwrap();
    assert!(stored.is_stored());
    let removed = client.files().delete(&uuid).await.unwrap();
    assert!(removed.is_removed());
    let listed: Vec<ucare::v05::File> = client.files().list().removed(true).stream().try_collect().await.unwrap();
    assert_eq!(listed.len(), 1);
    let bytes = reqwest::get(file.original_file_url.unwrap()).await.unwrap();
    assert_eq!(bytes.status(), 404, "removed files are no longer served");
}

#[tokio::test(flavor = "multi_thread")]
async fn batches_split_and_report_every_problem() {
    let emu = emulator(config()).await;
    let client = client(&emu);
    let mut uuids: Vec<String> = (0..250).map(|i| emu.upload(&format!("f{i}.txt"), "x", Some(false))).collect();
    let missing = "21975c81-7f57-4c7a-aef9-acfe28779f78".to_string();
    uuids.push("4j334o01-8bs3".into());
    uuids.push(missing.clone());
    uuids.push(uuids[0].clone());
    let before = emu.requests().len();
    let result = client.files().store_many(&uuids).await.unwrap();
    assert_eq!(result.result.len(), 250);
    assert!(result.result.iter().all(|f| f.is_stored()));
    assert_eq!(result.problems.get("4j334o01-8bs3").map(String::as_str), Some("Invalid"));
    assert_eq!(result.problems.get(&missing).map(String::as_str), Some("Missing in the project"));
    assert_eq!(result.problems.len(), 2);
    let sent = &emu.requests()[before..];
    assert_eq!(sent.len(), 3, "251 valid ids go in 3 requests of at most 100");
    for request in sent {
        assert_eq!((request.method.as_str(), request.uri.as_str()), ("PUT", "/files/storage/"));
        let ids: Vec<String> = serde_json::from_str(&request.body).unwrap();
        assert!(ids.len() <= 100);
    }
    let deleted = client.files().delete_many(&uuids[..5]).await.unwrap();
    assert_eq!(deleted.result.len(), 5);
    assert!(deleted.result.iter().all(|f| f.is_removed()));
    assert!(matches!(client.files().store_many(Vec::<String>::new()).await, Err(Error::InvalidInput(_))));
}

#[tokio::test(flavor = "multi_thread")]
async fn copies_to_the_project_and_to_a_custom_storage() {
    let emu = emulator(Config { storages: vec!["backup".into()], ..config() }).await;
    let client = client(&emu);
    let uuid = emu.upload("photo.png", png(3, 2), Some(true));
    let copy = client.files().copy(&uuid, Some(true)).await.unwrap();
    assert_ne!(copy.uuid, uuid);
    assert_eq!(copy.source.as_deref(), Some(format!("/{uuid}/").as_str()));
    let processed = client.files().info(&copy.uuid).await.unwrap();
    assert_eq!(processed.original_filename, "photo.png");
    assert!(processed.is_stored());
    let url = client.files().copy_to_storage(&format!("{uuid}/-/resize/10x/"), "backup", CopyToStorage::default()).await.unwrap();
    assert!(url.starts_with(&format!("s3://backup/{uuid}/")), "{url}");
    let err = client.files().copy_to_storage(&uuid, "nope", CopyToStorage::default()).await.unwrap_err();
    assert!(err.is_bad_request(), "{err}");
    assert!(err.to_string().contains("Project has no storage with provided name."));
}

#[tokio::test(flavor = "multi_thread")]
async fn groups_list_info_and_store() {
    let emu = emulator(config()).await;
    let client = client(&emu);
    let a = emu.upload("a.txt", "a", Some(false));
    let b = emu.upload("b.txt", "b", Some(false));
    let first = emu.create_group(&[&a, &b]).unwrap();
    let second = emu.create_group(&[&a]).unwrap();
    let groups: Vec<ucare::v05::Group> =
        client.groups().list().limit(1).ordering(GroupOrdering::DatetimeCreatedDesc).stream().try_collect().await.unwrap();
    assert_eq!(groups.iter().map(|g| g.id.as_str()).collect::<Vec<_>>(), vec![second.as_str(), first.as_str()]);
    let info = client.groups().info(&first).await.unwrap();
    assert_eq!(info.files_count, 2);
    assert_eq!(info.files.as_ref().unwrap().len(), 2);
    let stored = client.groups().store(&first).await.unwrap();
    assert!(stored.datetime_stored.is_some());
    assert!(client.files().info(&b).await.unwrap().is_stored());
    assert!(client.groups().info(&format!("{}~9", &a)).await.unwrap_err().is_not_found());
}

#[tokio::test(flavor = "multi_thread")]
async fn project_answers() {
    let emu = emulator(Config { project_name: "tests".into(), ..config() }).await;
    let project = client(&emu).project().await.unwrap();
    assert_eq!((project.name.as_str(), project.pub_key.as_str()), ("tests", "demopublickey"));
}

#[tokio::test(flavor = "multi_thread")]
async fn webhooks_create_list_update_unsubscribe_and_deliver() {
    let emu = emulator(config()).await;
    let client = client(&emu);
    let hook = client.webhooks().create(NewWebhook::new("http://127.0.0.1:9/hook").signing_secret("s3cr3t")).await.unwrap();
    assert_eq!((hook.event.as_str(), hook.is_active), ("file.uploaded", true));
    let err = client.webhooks().create(NewWebhook::new("http://127.0.0.1:9/hook")).await.unwrap_err();
    assert!(err.is_bad_request(), "one subscription per URL and event: {err}");
    assert_eq!(client.webhooks().list().await.unwrap().len(), 1);
    let uuid = emu.upload("hello.txt", "hello", None);
    let delivery = emu.deliveries().pop().unwrap();
    assert!(ucare::webhook::verify("s3cr3t", delivery.body.as_bytes(), delivery.signature.as_deref().unwrap()).unwrap());
    assert_eq!(ucare::webhook::parse_event(delivery.body.as_bytes()).unwrap().data.uuid, uuid);
    let updated = client.webhooks().update(hook.id, WebhookUpdate { is_active: Some(false), ..Default::default() }).await.unwrap();
    assert!(!updated.is_active);
    emu.upload("quiet.txt", "no delivery", None);
    assert_eq!(emu.deliveries().len(), 1, "inactive hooks get nothing");
    client.webhooks().unsubscribe("http://127.0.0.1:9/hook").await.unwrap();
    assert!(client.webhooks().list().await.unwrap().is_empty());
    assert!(client
        .webhooks()
        .update(hook.id, WebhookUpdate { is_active: Some(true), ..Default::default() })
        .await
        .unwrap_err()
        .is_not_found());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_plan_without_webhooks_is_403() {
    let emu = emulator(Config { webhooks_enabled: false, ..config() }).await;
    let err = client(&emu).webhooks().list().await.unwrap_err();
    assert!(err.is_authentication() && err.status() == Some(403), "{err}");
    assert!(err.to_string().contains("You can't use webhooks"));
}

#[tokio::test(flavor = "multi_thread")]
async fn conversions_start_report_problems_and_finish() {
    let emu = emulator(config()).await;
    let client = client(&emu);
    let doc = emu.upload("report.txt", "hello", Some(true));
    let image = emu.upload("photo.png", png(4, 4), Some(true));
    let started = client.conversions().document(&[DocumentConversion::new(&doc).format(DocumentFormat::Pdf)], Some(true)).await.unwrap();
    assert!(started.problems.is_empty());
    let job = &started.result[0];
    let done = client.conversions().wait(ConversionKind::Document, job.token, Duration::from_secs(10)).await.unwrap();
    assert_eq!(done.status, JobStatus::Finished);
    let result = client.files().info(done.result.uuid.as_deref().unwrap()).await.unwrap();
    assert_eq!((result.original_filename.as_str(), result.mime_type.as_str()), ("report.pdf", "application/pdf"));

    let video = client.conversions().video(&[VideoConversion::new(&image).thumbs(3)], None).await.unwrap();
    let failed = client.conversions().wait(ConversionKind::Video, video.result[0].token, Duration::from_secs(10)).await.unwrap();
    assert_eq!(failed.status, JobStatus::Failed);
    assert!(failed.error.unwrap().contains("not a video"));

    let raw = client.conversions().start(ConversionKind::Document, &[doc.clone(), format!("{doc}/document/")], None).await.unwrap();
    assert_eq!(raw.problems[&doc], format!("Bad path \"{doc}\". Use UUID or CDN URL"));
    assert_eq!(raw.result.len(), 1);
    assert!(client.conversions().status(ConversionKind::Document, 1).await.unwrap_err().is_not_found());
}

#[tokio::test(flavor = "multi_thread")]
async fn video_jobs_make_a_result_and_a_thumbnails_group() {
    let emu = emulator(config()).await;
    let client = client(&emu);
    let clip = emu.upload("clip.mp4", vec![0u8; 64], Some(true));
    let started = client.conversions().video(&[VideoConversion::new(&clip).thumbs(3)], Some(true)).await.unwrap();
    let done = client.conversions().wait(ConversionKind::Video, started.result[0].token, Duration::from_secs(10)).await.unwrap();
    assert_eq!(done.status, JobStatus::Finished);
    let group = client.groups().info(done.result.thumbnails_group_uuid.as_deref().unwrap()).await.unwrap();
    assert_eq!(group.files_count, 3);
}

#[tokio::test(flavor = "multi_thread")]
async fn requests_on_the_wire_are_exactly_right() {
    let emu = emulator(Config { seed_files: 3, ..config() }).await;
    let client = common::builder(&emu).user_agent_suffix("tests").build().unwrap();
    let _ = client.files().list().stored(true).limit(1).first_page().await.unwrap();
    let request = emu.requests().pop().unwrap();
    assert_eq!(request.method, "GET");
    assert_eq!(request.uri, "/files/?stored=true&limit=1");
    assert_eq!(request.accept.as_deref(), Some("application/vnd.uploadcare-v0.5+json"));
    assert_eq!(request.content_type.as_deref(), Some("application/json"));
    assert_eq!(request.auth_scheme.as_deref(), Some("Uploadcare"));
    let agent = request.user_agent.unwrap();
    assert!(agent.starts_with("ucare/") && agent.contains("demopublickey") && agent.ends_with("(tests)"), "{agent}");
    client.webhooks().create(NewWebhook::new("http://127.0.0.1:9/x")).await.unwrap();
    let request = emu.requests().pop().unwrap();
    assert_eq!((request.method.as_str(), request.uri.as_str()), ("POST", "/webhooks/"));
    assert_eq!(request.body, r#"{"target_url":"http://127.0.0.1:9/x","event":"file.uploaded","is_active":true}"#);
}

#[tokio::test(flavor = "multi_thread")]
async fn simple_auth_works_and_base_urls_with_or_without_slash() {
    let emu = emulator(config()).await;
    let base = emu.base_url();
    for url in [base.clone(), base.trim_end_matches('/').to_string()] {
        let client = common::builder(&emu).base_url(url).auth(ucare::AuthScheme::Simple).build().unwrap();
        client.project().await.unwrap();
    }
    assert_eq!(emu.requests().pop().unwrap().auth_scheme.as_deref(), Some("Uploadcare.Simple"));
}

#[tokio::test(flavor = "multi_thread")]
async fn every_error_status_maps_to_its_error() {
    let emu = emulator(config()).await;
    let wrong_secret = common::builder(&emu).secret_key("not-the-secret").build().unwrap();
    let err = wrong_secret.project().await.unwrap_err();
    assert!(err.is_authentication());
    assert!(matches!(&err, Error::Api { status: 401, detail, .. } if detail == "Invalid signature. Please check your secret key."));
    let unknown_key = common::builder(&emu).public_key("nobody").build().unwrap();
    let err = unknown_key.project().await.unwrap_err();
    assert!(matches!(&err, Error::Api { status: 401, detail, .. } if detail == "Public key nobody not found."));
    let client = client(&emu);
    let err = client.files().info("21975c81-7f57-4c7a-aef9-acfe28779f78").await.unwrap_err();
    assert!(matches!(&err, Error::Api { status: 404, detail, .. } if detail == "Not found."));
    assert!(err.is_not_found());
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_input_is_refused_before_anything_is_sent() {
    let emu = emulator(config()).await;
    let client = client(&emu);
    let before = emu.stats().requests;
    let invalid = |r: Result<_, Error>| matches!(r, Err(Error::InvalidInput(_)));
    assert!(invalid(client.files().info("nope").await.map(|_| ())));
    assert!(invalid(client.files().store("").await.map(|_| ())));
    assert!(invalid(client.files().delete("21975c81-7f57-4c7a-aef9-acfe28779f7").await.map(|_| ())));
    assert!(invalid(client.files().list().limit(0).pager().map(|_| ())));
    assert!(invalid(client.files().list().limit(1001).first_page().await.map(|_| ())));
    assert!(invalid(client.files().copy("https://example.com/x.png", None).await.map(|_| ())));
    assert!(invalid(client.groups().info("21975c81-7f57-4c7a-aef9-acfe28779f78").await.map(|_| ())));
    assert!(invalid(client.groups().list().limit(5000).pager().map(|_| ())));
    assert!(invalid(client.webhooks().create(NewWebhook::new("not a url")).await.map(|_| ())));
    assert!(invalid(client.webhooks().create(NewWebhook::new("https://example.com/h").signing_secret("x".repeat(33))).await.map(|_| ())));
    assert!(invalid(client.webhooks().create(NewWebhook::new(format!("https://example.com/{}", "x".repeat(250)))).await.map(|_| ())));
    assert!(invalid(client.webhooks().update(1, WebhookUpdate::default()).await.map(|_| ())));
    assert!(invalid(client.conversions().document(&[DocumentConversion::new("nope")], None).await.map(|_| ())));
    assert!(invalid(client.conversions().video(&[], None).await.map(|_| ())));
    assert!("newest".parse::<FileOrdering>().is_err());
    assert_eq!(emu.stats().requests, before, "nothing was sent");
}

#[tokio::test(flavor = "multi_thread")]
async fn throttling_is_waited_out_or_reported_with_retry_after() {
    let emu = emulator(Config { rate_limit: Some(2), ..config() }).await;
    let no_retries = common::builder(&emu).max_retries(0).build().unwrap();
    let mut throttled = None;
    for _ in 0..5 {
        if let Err(err) = no_retries.project().await {
            throttled = Some(err);
            break;
        }
    }
    let err = throttled.expect("a burst over the limit is throttled");
    assert!(err.is_throttled());
    assert_eq!(err.retry_after(), Some(Duration::from_secs(1)));
    assert!(err.to_string().contains("Request was throttled. Expected available in 1 seconds."));
    let patient = client(&emu);
    for _ in 0..4 {
        patient.project().await.unwrap();
    }
    assert!(patient.stats().retries > 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn server_errors_are_retried_then_reported() {
    let faults = ucare_emulator::Faults { rate: 1.0, kinds: vec![ucare_emulator::FaultKind::Unavailable], ..Default::default() };
    let emu = emulator(Config { faults, ..config() }).await;
    let client = common::builder(&emu).max_retries(2).build().unwrap();
    let err = client.project().await.unwrap_err();
    assert_eq!(err.status(), Some(503));
    assert_eq!(client.stats(), ucare::ClientStats { requests: 3, retries: 2 });
    let err = client.webhooks().create(NewWebhook::new("http://127.0.0.1:9/p")).await.unwrap_err();
    assert_eq!(err.status(), Some(503));
    assert_eq!(client.stats().requests, 4, "a POST answered 503 is not repeated");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_listing_under_faults_yields_each_file_once() {
    let faults = ucare_emulator::Faults {
        rate: 0.3,
        kinds: vec![ucare_emulator::FaultKind::ServerError, ucare_emulator::FaultKind::Unavailable, ucare_emulator::FaultKind::Drop],
        seed: 7,
        ..Default::default()
    };
    let emu = emulator(Config { seed_files: 600, faults, ..config() }).await;
    let client = common::builder(&emu).max_retries(8).build().unwrap();
    let files: Vec<ucare::v05::File> = client.files().list().limit(20).stream().try_collect().await.unwrap();
    let unique: HashSet<&str> = files.iter().map(|f| f.uuid.as_str()).collect();
    assert_eq!((files.len(), unique.len()), (600, 600));
    assert!(emu.stats().faults_injected > 0 && client.stats().retries > 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_slow_server_ends_in_the_timeout_error() {
    let faults = ucare_emulator::Faults {
        rate: 1.0,
        kinds: vec![ucare_emulator::FaultKind::Slow],
        slow: Duration::from_secs(3),
        ..Default::default()
    };
    let emu = emulator(Config { faults, ..config() }).await;
    let client = common::builder(&emu).timeout(Duration::from_millis(300)).max_retries(0).build().unwrap();
    let started = std::time::Instant::now();
    let err = client.project().await.unwrap_err();
    assert!(matches!(err, Error::Timeout(t) if t == Duration::from_millis(300)), "{err}");
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_post_whose_answer_is_lost_is_not_repeated() {
    let faults = ucare_emulator::Faults { rate: 1.0, kinds: vec![ucare_emulator::FaultKind::Drop], ..Default::default() };
    let emu = emulator(Config { faults, ..config() }).await;
    let uuid = emu.upload("a.txt", "a", Some(true));
    let client = client(&emu);
    let files_before = emu.stats().files;
    let err = client.files().copy(&uuid, None).await.unwrap_err();
    assert!(matches!(err, Error::OutcomeUnknown { .. }), "{err}");
    assert!(err.to_string().contains("outcome of POST /files/ is unknown"));
    assert_eq!(emu.stats().files, files_before + 1, "exactly one copy was made");
    assert_eq!(client.stats().requests, 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_closed_port_is_a_transport_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let client = ucare::v05::Client::builder()
        .public_key("pk")
        .secret_key(SECRET)
        .base_url(format!("http://127.0.0.1:{port}/"))
        .max_retries(1)
        .build()
        .unwrap();
    let err = client.project().await.unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err}");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_secret_key_appears_nowhere() {
    let emu = emulator(config()).await;
    let client = client(&emu);
    let mut texts = vec![format!("{client:?}"), format!("{:?}", common::builder(&emu))];
    let simple = common::builder(&emu).auth(ucare::AuthScheme::Simple).timeout(Duration::from_millis(200)).max_retries(0);
    texts.push(format!("{simple:?}"));
    let wrong = common::builder(&emu).public_key("nobody").build().unwrap();
    let err = wrong.project().await.unwrap_err();
    texts.push(format!("{err:?}"));
    texts.push(err.to_string());
    let closed = ucare::v05::Client::builder()
        .public_key("pk")
        .secret_key(SECRET)
        .base_url("http://127.0.0.1:1/")
        .auth(ucare::AuthScheme::Simple)
        .max_retries(0)
        .build()
        .unwrap();
    let err = closed.project().await.unwrap_err();
    texts.push(format!("{err:?}"));
    texts.push(err.to_string());
    for text in texts {
        assert!(!text.contains(SECRET), "secret leaked in: {text}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn from_env_reads_the_three_variables() {
    let emu = emulator(config()).await;
    // Only this test touches these variables.
    std::env::set_var("UPLOADCARE_PUBLIC_KEY", emu.public_key());
    std::env::set_var("UPLOADCARE_SECRET_KEY", emu.secret_key());
    std::env::set_var("UPLOADCARE_API_BASE", emu.base_url());
    let client = ucare::v05::Client::from_env().unwrap();
    assert_eq!(client.base_url(), emu.base_url());
    client.project().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn raw_pages_with_prefetch_yield_each_file_once_under_faults() {
    let faults = ucare_emulator::Faults {
        rate: 0.3,
        kinds: vec![ucare_emulator::FaultKind::ServerError, ucare_emulator::FaultKind::Drop],
        seed: 11,
        ..Default::default()
    };
    let emu = emulator(Config { seed_files: 500, faults, ..config() }).await;
    let client = common::builder(&emu).max_retries(0).build().unwrap();
    let mut pager = client.files().list().limit(25).pager().unwrap().prefetch(true);
    let mut seen = Vec::new();
    let mut failures = 0;
    loop {
        match pager.next_page_raw().await {
            Ok(Some(page)) => {
                let body: serde_json::Value = serde_json::from_slice(&page.body).unwrap();
                let results = body["results"].as_array().unwrap();
                assert_eq!(results.len(), page.count);
                seen.extend(results.iter().map(|f| f["uuid"].as_str().unwrap().to_string()));
            }
            Ok(None) => break,
            // Without retries the faults reach the caller: asking again resumes at the same cursor.
            Err(_) => failures += 1,
        }
    }
    let unique: HashSet<&String> = seen.iter().collect();
    assert_eq!((seen.len(), unique.len()), (500, 500));
    assert_eq!(pager.total(), Some(500));
    assert!(failures > 0, "the faults reached the caller at least once");
}

/// A server that answers every request with one canned HTTP answer.
async fn canned(answer: &'static str) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut buffer = vec![0u8; 8192];
                let _ = socket.read(&mut buffer).await;
                let _ = socket.write_all(answer.as_bytes()).await;
                let _ = socket.shutdown().await;
            });
        }
    });
    format!("http://{addr}/")
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_answers_are_typed_errors_with_a_snippet() {
    let cases = [
        ("HTTP/1.1 200 OK\r\nContent-Length: 22\r\nConnection: close\r\n\r\n<html>Gateway</html>..", "decode"),
        ("HTTP/1.1 200 OK\r\nContent-Length: 12\r\nConnection: close\r\n\r\n{\"name\": \"de", "decode"),
        ("HTTP/1.1 200 OK\r\nContent-Length: 15\r\nConnection: close\r\n\r\n{\"name\": [1,2]}", "decode"),
        ("HTTP/1.1 502 Bad Gateway\r\nContent-Length: 24\r\nConnection: close\r\n\r\n<html>Bad gateway</html>", "api"),
        ("HTTP/1.1 418 I'm a teapot\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", "api"),
        ("HTTP/1.1 200 OK\r\nContent-Length: 100\r\nConnection: close\r\n\r\n{\"truncated", "transport"),
    ];
    for (answer, kind) in cases {
        let base = canned(answer).await;
        let client = ucare::v05::Client::builder().public_key("pk").secret_key(SECRET).base_url(base).max_retries(0).build().unwrap();
        let err = client.project().await.unwrap_err();
        match (kind, &err) {
            ("decode", Error::Decode { status: 200, snippet, .. }) => assert!(!snippet.is_empty() || answer.contains("Length: 0")),
            ("api", Error::Api { status, detail, .. }) => assert!(*status >= 400 && !detail.is_empty(), "{detail}"),
            ("transport", Error::Transport(_)) => {}
            _ => panic!("{answer:?} gave {err:?}"),
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_server_that_never_answers_ends_in_the_timeout() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket); // accepted, read by nobody, never answered
        }
    });
    let client = ucare::v05::Client::builder()
        .public_key("pk")
        .secret_key(SECRET)
        .base_url(format!("http://{addr}/"))
        .timeout(Duration::from_millis(400))
        .max_retries(0)
        .build()
        .unwrap();
    let started = std::time::Instant::now();
    let err = client.project().await.unwrap_err();
    assert!(matches!(err, Error::Timeout(_)), "{err}");
    assert!(started.elapsed() >= Duration::from_millis(380) && started.elapsed() < Duration::from_secs(2));
}
