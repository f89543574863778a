//! The Upload API client against the emulator over loopback: direct and multipart uploads
//! (parts concurrent, streamed from disk, with progress), uploads from a URL, groups, file
//! info, signed uploads, and bad input refused before sending.

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use ucare::uploads::{FromUrlOptions, FromUrlStarted, FromUrlStatus, Signature, Source, Store, UploadOptions};
use ucare::Error;
use ucare_emulator::{Config, Emulator};

use common::*;

fn uploader(emu: &Emulator) -> ucare::Client {
    builder_v07(emu).upload_base_url(emu.base_url()).build().unwrap()
}

fn metadata(pairs: &[(&str, &str)]) -> ucare::v07::models::Metadata {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_direct_upload_is_visible_through_the_rest_api_at_once() {
    let emu = emulator(config()).await;
    let client = uploader(&emu);
    let options = UploadOptions::default().store(Store::No).metadata(metadata(&[("kind", "pixel")])).content_type("image/png");
    let file = client.uploads().upload(Source::bytes(png(4, 3), "pixel.png"), options).await.unwrap();
    assert!(file.is_ready && !file.is_stored && file.is_image);
    assert_eq!((file.original_filename.as_str(), file.size), ("pixel.png", png(4, 3).len() as u64));
    let rest = client.files().info(&file.uuid).await.unwrap();
    assert_eq!(rest.metadata["kind"], "pixel");
    assert!(!rest.is_stored());
    assert_eq!(client.uploads().info(&file.uuid).await.unwrap(), file);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_large_file_goes_in_parts_from_disk_with_progress() {
    let emu = emulator(config()).await;
    let client = uploader(&emu);
    let size = 12 * 1024 * 1024 + 12_345;
    let content: Vec<u8> = (0..size).map(|i| (i % 251) as u8).collect();
    let path = std::env::temp_dir().join(format!("ucare-upload-test-{}.bin", std::process::id()));
    std::fs::write(&path, &content).unwrap();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let progress = seen.clone();
    let options = UploadOptions::default().store(Store::Yes).on_progress(move |p| progress.lock().unwrap().push((p.sent, p.total)));
    let file = client.uploads().upload(Source::path(&path), options).await.unwrap();
    std::fs::remove_file(&path).ok();
    assert_eq!(file.size, size as u64);
    assert!(file.is_stored);
    assert_eq!(file.original_filename, path.file_name().unwrap().to_string_lossy());
    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 3, "one report per part");
    assert!(seen.windows(2).all(|w| w[0].0 < w[1].0) && seen.last() == Some(&(size as u64, size as u64)));
    let served = reqwest::get(format!("{}{}/", emu.base_url(), file.uuid)).await.unwrap().bytes().await.unwrap();
    assert!(served.len() == content.len() && served.as_ref() == content.as_slice(), "the CDN serves the same bytes");
}

#[tokio::test(flavor = "multi_thread")]
async fn uploads_from_a_url_are_waited_for() {
    let emu = emulator(config()).await;
    let client = uploader(&emu);
    let source = client.uploads().upload(Source::bytes(b"fetched content".to_vec(), "a.txt"), UploadOptions::default()).await.unwrap();
    let url = format!("{}{}/a.txt", emu.base_url(), source.uuid);
    let options = FromUrlOptions {
        name: Some("copy.txt".into()),
        check_duplicates: true,
        metadata: metadata(&[("from", "url")]),
        ..Default::default()
    };
    let file = client.uploads().from_url(&url, options.clone()).await.unwrap();
    assert_eq!((file.original_filename.as_str(), file.size), ("copy.txt", 15));
    assert_eq!(file.metadata["from"], "url");
    // The same URL again, with duplicate checking: the file at once, no token.
    match client.uploads().from_url_start(&url, &options).await.unwrap() {
        FromUrlStarted::File(again) => assert_eq!(again.uuid, file.uuid),
        other => panic!("expected the known file, got {other:?}"),
    }
    let missing = format!("{}21975c81-7f57-4c7a-aef9-acfe28779f78/", emu.base_url());
    let err = client.uploads().from_url(&missing, FromUrlOptions::default()).await.unwrap_err();
    assert!(matches!(&err, Error::Api { detail, .. } if detail.contains("404") && detail.contains("DownloadFileHTTPClientError")), "{err}");
    let refused = client.uploads().from_url("http://example.com/x.png", FromUrlOptions::default()).await.unwrap_err();
    assert!(matches!(&refused, Error::Api { status: 400, detail, .. } if detail == "Source is blacklisted."), "{refused}");
    assert_eq!(client.uploads().from_url_status("21975c81-7f57-4c7a-aef9-acfe28779f78").await.unwrap(), FromUrlStatus::Unknown);
}

#[tokio::test(flavor = "multi_thread")]
async fn groups_through_the_upload_api() {
    let emu = emulator(config()).await;
    let client = uploader(&emu);
    let a = client.uploads().upload(Source::bytes(b"a".to_vec(), "a.txt"), UploadOptions::default()).await.unwrap();
    let b = client.uploads().upload(Source::bytes(b"b".to_vec(), "b.txt"), UploadOptions::default()).await.unwrap();
    let group = client.uploads().create_group([a.uuid.as_str(), &format!("{}/-/resize/10x/", b.uuid)], None).await.unwrap();
    assert_eq!(group.files_count, 2);
    assert_eq!(group.files[1].as_ref().unwrap().extra["default_effects"], "resize/10x/");
    assert_eq!(client.uploads().group_info(&group.id).await.unwrap().id, group.id);
    assert_eq!(client.groups().info(&group.id).await.unwrap().files_count, 2, "the REST API sees it too");
}

#[tokio::test(flavor = "multi_thread")]
async fn signed_uploads_are_signed_and_checked() {
    let emu = emulator(Config { signed_uploads: true, ..config() }).await;
    let client = uploader(&emu);
    let unsigned = client.uploads().upload(Source::bytes(b"x".to_vec(), "x.txt"), UploadOptions::default()).await.unwrap_err();
    assert!(matches!(&unsigned, Error::Api { status: 400, detail, .. } if detail == "`signature` is required."), "{unsigned}");
    let signed = UploadOptions::default().signature(Signature::Compute(Duration::from_secs(60)));
    client.uploads().upload(Source::bytes(b"x".to_vec(), "x.txt"), signed).await.unwrap();
    let expire = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() + 600;
    let given = Signature::Given { signature: ucare::uploads::signature(SECRET, expire), expire };
    client.uploads().upload(Source::bytes(b"y".to_vec(), "y.txt"), UploadOptions::default().signature(given)).await.unwrap();
    let wrong = Signature::Given { signature: ucare::uploads::signature("not-the-secret", expire), expire };
    let err = client.uploads().upload(Source::bytes(b"z".to_vec(), "z.txt"), UploadOptions::default().signature(wrong)).await.unwrap_err();
    assert!(matches!(&err, Error::Api { status: 403, detail, .. } if detail == "Invalid signature."), "{err}");
    let before = emu.requests().len();
    let expired = Signature::Given { signature: ucare::uploads::signature(SECRET, 60), expire: 60 };
    assert!(matches!(
        client.uploads().upload(Source::bytes(b"z".to_vec(), "z.txt"), UploadOptions::default().signature(expired)).await,
        Err(Error::InvalidInput(_))
    ));
    assert_eq!(emu.requests().len(), before);
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_input_is_refused_before_sending() {
    let emu = emulator(config()).await;
    let client = uploader(&emu);
    let uploads = client.uploads();
    let calls = [
        uploads.upload(Source::bytes(Vec::new(), "empty.txt"), UploadOptions::default()).await.err(),
        uploads.upload(Source::path("/nonexistent/file.bin"), UploadOptions::default()).await.err(),
        uploads.upload(Source::bytes(b"x".to_vec(), "x.txt"), UploadOptions::default().metadata(metadata(&[("a b", "v")]))).await.err(),
        uploads.upload(Source::bytes(b"x".to_vec(), "x\n.txt"), UploadOptions::default()).await.err(),
        uploads.upload(Source::bytes(b"x".to_vec(), "x.txt"), UploadOptions::default().content_type("a\r\nb")).await.err(),
        uploads.upload(Source::bytes(b"x".to_vec(), "x.txt"), UploadOptions::default().part_concurrency(0)).await.err(),
        uploads.from_url("ftp://example.com/x", FromUrlOptions::default()).await.err(),
        uploads.from_url("not a url", FromUrlOptions::default()).await.err(),
        uploads.create_group(Vec::<String>::new(), None).await.err(),
        // Endless: refused at the 1001st member, not collected forever.
        uploads.create_group(std::iter::repeat("21975c81-7f57-4c7a-aef9-acfe28779f78"), None).await.err(),
        uploads.info("nope").await.err(),
    ];
    for (n, error) in calls.into_iter().enumerate() {
        assert!(matches!(error, Some(Error::InvalidInput(_))), "call {n}: {error:?}");
    }
    assert_eq!(emu.stats().requests, 0, "nothing reached the REST side");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_async_reader_of_known_size_uploads_directly_and_in_parts() {
    let emu = emulator(config()).await;
    let client = uploader(&emu);
    let small = std::io::Cursor::new(b"from a reader".to_vec());
    let file = client.uploads().upload(Source::reader(small, 13, "r.txt"), UploadOptions::default()).await.unwrap();
    assert_eq!((file.original_filename.as_str(), file.size), ("r.txt", 13));
    let size = 11 * 1024 * 1024;
    let big: Vec<u8> = (0..size).map(|i| (i % 253) as u8).collect();
    let file = client
        .uploads()
        .upload(Source::reader(std::io::Cursor::new(big.clone()), size as u64, "big.bin"), UploadOptions::default())
        .await
        .unwrap();
    let served = reqwest::get(format!("{}{}/", emu.base_url(), file.uuid)).await.unwrap().bytes().await.unwrap();
    assert!(served.as_ref() == big.as_slice(), "parts read in order");
    // A reader that does not match its size is refused.
    for (bytes, size) in [(b"short".to_vec(), 10u64), (b"too long".to_vec(), 3)] {
        let error =
            client.uploads().upload(Source::reader(std::io::Cursor::new(bytes), size, "x"), UploadOptions::default()).await.unwrap_err();
        assert!(matches!(error, Error::InvalidInput(_)), "{error}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn every_upload_path_delivers_file_uploaded() {
    use ucare::v07::models::Event;
    use ucare::webhooks::NewWebhook;
    let emu = emulator(config()).await;
    let client = uploader(&emu);
    client.webhooks().create(NewWebhook::new("http://127.0.0.1:9/hook", Event::FileUploaded)).await.unwrap();
    let direct = client.uploads().upload(Source::bytes(b"direct".to_vec(), "d.txt"), UploadOptions::default()).await.unwrap();
    let size = 11 * 1024 * 1024;
    let reader = std::io::Cursor::new(vec![7u8; size]);
    let parts = client.uploads().upload(Source::reader(reader, size as u64, "p.bin"), UploadOptions::default()).await.unwrap();
    let url = format!("{}{}/d.txt", emu.base_url(), direct.uuid);
    let fetched = client.uploads().from_url(&url, FromUrlOptions::default()).await.unwrap();
    let delivered: Vec<String> = emu
        .deliveries()
        .iter()
        .filter(|d| d.event == "file.uploaded")
        .map(|d| ucare::webhook::parse_event(d.body.as_bytes()).unwrap().data.uuid)
        .collect();
    assert_eq!(delivered, [direct.uuid, parts.uuid, fetched.uuid]);
}
