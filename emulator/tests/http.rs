//! The emulator over HTTP with a plain client (reqwest), checked against the spec: every
//! endpoint's answers and errors, auth, pagination invariants, throttling, each fault
//! mode, the upload calls, and concurrency.

use std::collections::HashSet;
use std::time::{Duration, SystemTime};

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use ucare_emulator::{Config, Emulator, FaultKind, Faults};

mod common;
use common::{start, Raw, ACCEPT};

fn detail(body: &Value) -> &str {
    body["detail"].as_str().unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread")]
async fn answers_carry_the_api_headers() {
    let (_emu, raw) = start(Config::default()).await;
    let response = raw.signed(Method::GET, "/project/", "").await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], ACCEPT);
    assert_eq!(response.headers()["vary"], "Accept");
    assert!(response.headers()["warning"].to_str().unwrap().contains("You should use secure requests to Uploadcare"));
    let body: Value = response.json().await.unwrap();
    assert_eq!(body, json!({"collaborators": [], "name": "demo", "pub_key": "demopublickey", "autostore_enabled": true}));
}

#[tokio::test(flavor = "multi_thread")]
async fn accept_and_auth_failures_have_the_real_details() {
    let (_emu, raw) = start(Config::default()).await;
    let no_accept = raw.http.get(format!("{}project/", raw.base)).send().await.unwrap();
    assert_eq!(no_accept.status(), 406);
    assert!(detail(&no_accept.json().await.unwrap()).starts_with("Incorrect Accept header provided."));
    let no_auth = raw.http.get(format!("{}project/", raw.base)).header("Accept", ACCEPT).send().await.unwrap();
    assert_eq!(no_auth.status(), 401);
    assert_eq!(detail(&no_auth.json().await.unwrap()), "Incorrect authentication credentials.");
    let stale = raw.signed_at(Method::GET, "/project/", "", SystemTime::now() - Duration::from_secs(16 * 60)).await;
    assert_eq!(stale.status(), 401);
    let fresh_enough = raw.signed_at(Method::GET, "/project/", "", SystemTime::now() - Duration::from_secs(14 * 60)).await;
    assert_eq!(fresh_enough.status(), 200);
    let wrong = Raw { secret: "nope".into(), ..Raw::new(&_emu) };
    let (status, body) = wrong.json(Method::GET, "/project/", "").await;
    assert_eq!((status.as_u16(), detail(&body)), (401, "Invalid signature. Please check your secret key."));
    let unknown = Raw { public_key: "stranger".into(), ..Raw::new(&_emu) };
    let (status, body) = unknown.json(Method::GET, "/project/", "").await;
    assert_eq!((status.as_u16(), detail(&body)), (401, "Public key stranger not found."));
    // The signature covers the query as sent: a changed query is refused.
    let tampered = raw.request(Method::GET, "/files/?limit=1", "/files/?limit=2", "", SystemTime::now()).send().await.unwrap();
    assert_eq!(tampered.status(), 401);
    let simple = raw
        .http
        .get(format!("{}project/", raw.base))
        .header("Accept", ACCEPT)
        .header("Authorization", "Uploadcare.Simple demopublickey:demoprivatekey");
    assert_eq!(simple.send().await.unwrap().status(), 200);
}

#[tokio::test(flavor = "multi_thread")]
async fn simple_auth_over_http_can_be_refused_as_the_real_service_does() {
    let (_emu, raw) = start(Config { simple_auth_over_http: false, ..Config::default() }).await;
    let response = raw
        .http
        .get(format!("{}project/", raw.base))
        .header("Accept", ACCEPT)
        .header("Authorization", "Uploadcare.Simple demopublickey:demoprivatekey")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    assert!(detail(&response.json().await.unwrap()).starts_with("Simple authentication over HTTP is forbidden."));
}

/// Walks `next` from the first page, then `previous` back, for one listing.
async fn walk(raw: &Raw, first: &str) -> Vec<String> {
    let mut pages = vec![raw.follow(&format!("{}{}", raw.base.trim_end_matches('/'), first)).await];
    while let Some(next) = pages.last().unwrap()["next"].as_str().map(str::to_string) {
        assert!(next.contains("offset="), "{next}");
        pages.push(raw.follow(&next).await);
    }
    let forward: Vec<Vec<String>> =
        pages.iter().map(|p| p["results"].as_array().unwrap().iter().map(|f| f["uuid"].as_str().unwrap().to_string()).collect()).collect();
    let mut index = pages.len() - 1;
    let mut page = pages.pop().unwrap();
    while let Some(previous) = page["previous"].as_str().map(str::to_string) {
        page = raw.follow(&previous).await;
        index -= 1;
        let uuids: Vec<String> = page["results"].as_array().unwrap().iter().map(|f| f["uuid"].as_str().unwrap().to_string()).collect();
        assert_eq!(uuids, forward[index], "walking back gives the same pages");
    }
    assert_eq!(index, 0, "previous leads back to the first page");
    forward.into_iter().flatten().collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn seeded_files_have_their_own_upload_moments_so_cursors_carry_offset_0() {
    // As on the service: a client that drops `offset` from a cursor (the official JS
    // paginator does) must not lose files of a seeded project.
    let (_emu, raw) = start(Config { seed_files: 45, ..Config::default() }).await;
    let mut moments = HashSet::new();
    let mut next = Some(format!("{}files/?limit=10", raw.base));
    while let Some(url) = next {
        let page = raw.follow(&url).await;
        for file in page["results"].as_array().unwrap() {
            assert!(moments.insert(file["datetime_uploaded"].as_str().unwrap().to_string()), "a shared upload moment: {file}");
        }
        next = page["next"].as_str().map(str::to_string);
        if let Some(link) = &next {
            assert!(link.ends_with("&offset=0"), "{link}");
        }
    }
    assert_eq!(moments.len(), 45);
}

#[tokio::test(flavor = "multi_thread")]
async fn pagination_visits_every_file_once_for_every_ordering_and_filter() {
    // Synthetic files share sizes (many ties); each has its own upload time.
    let (emu, raw) = start(Config { seed_files: 301, ..Config::default() }).await;
    let removed: Vec<String> = walk(&raw, "/files/?limit=1000").await.into_iter().step_by(10).collect();
    let body = serde_json::to_string(&removed).unwrap();
    assert_eq!(raw.json(Method::DELETE, "/files/storage/", &body).await.0, 200);
    for ordering in ["datetime_uploaded", "-datetime_uploaded", "size", "-size"] {
        for (filter, expected) in [("", 270), ("&stored=true", 90), ("&stored=false", 180), ("&removed=true", 31)] {
            let uuids = walk(&raw, &format!("/files/?ordering={ordering}&limit=7{filter}")).await;
            let unique: HashSet<&String> = uuids.iter().collect();
            assert_eq!((uuids.len(), unique.len()), (expected, expected), "{ordering}{filter}");
            let (_, first) = raw.json(Method::GET, &format!("/files/?ordering={ordering}&limit=7{filter}"), "").await;
            assert_eq!(first["total"], expected, "{ordering}{filter}");
            assert_eq!(first["per_page"], 7);
        }
    }
    assert_eq!(emu.stats().files, 301);
}

#[tokio::test(flavor = "multi_thread")]
async fn from_cursors_fit_the_ordering() {
    let (_emu, raw) = start(Config { seed_files: 50, ..Config::default() }).await;
    let (status, page) = raw.json(Method::GET, "/files/?ordering=size&from=3000&limit=100", "").await;
    assert_eq!(status, 200);
    assert!(page["results"].as_array().unwrap().iter().all(|f| f["size"].as_u64().unwrap() >= 3000));
    let (status, page) = raw.json(Method::GET, "/files/?ordering=-size&from=3000&limit=100", "").await;
    assert_eq!(status, 200);
    assert!(page["results"].as_array().unwrap().iter().all(|f| f["size"].as_u64().unwrap() <= 3000));
    let (status, page) = raw.json(Method::GET, "/files/?from=2022-09-28T15%3A53%3A36.082137%2B00%3A00&limit=1", "").await;
    assert_eq!((status.as_u16(), page["total"].as_u64()), (200, Some(50)));
    let next = page["next"].as_str().unwrap();
    assert!(next.contains("from=") && next.contains("%3A"), "datetime cursors are encoded timestamps: {next}");
    for bad in [
        "/files/?ordering=size&from=yesterday",
        "/files/?from=4394",
        "/files/?limit=0",
        "/files/?limit=1001",
        "/files/?ordering=name",
        "/files/?stored=maybe",
    ] {
        let (status, body) = raw.json(Method::GET, bad, "").await;
        assert_eq!(status, 400, "{bad}: {body}");
        assert!(!detail(&body).is_empty());
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn file_endpoints_and_their_errors() {
    let (_emu, raw) = start(Config::default()).await;
    let uuid = raw.upload("a.txt", b"hello".to_vec(), "0").await;
    let (status, file) = raw.json(Method::GET, &format!("/files/{uuid}/"), "").await;
    assert_eq!((status.as_u16(), file["size"].as_u64(), file["datetime_stored"].is_null()), (200, Some(5), true));
    for field in [
        "uuid",
        "original_filename",
        "mime_type",
        "size",
        "is_image",
        "is_ready",
        "datetime_uploaded",
        "datetime_stored",
        "datetime_removed",
        "image_info",
        "original_file_url",
        "url",
        "source",
    ] {
        assert!(file.get(field).is_some(), "files have {field}");
    }
    let (status, file) = raw.json(Method::PUT, &format!("/files/{uuid}/storage/"), "").await;
    assert_eq!((status.as_u16(), file["datetime_stored"].is_string()), (200, true));
    let (status, file) = raw.json(Method::DELETE, &format!("/files/{uuid}/"), "").await;
    assert_eq!((status.as_u16(), file["datetime_removed"].is_string()), (200, true));
    for uri in
        ["/files/21975c81-7f57-4c7a-aef9-acfe28779f78/", "/files/not-a-uuid/", "/files/21975c81-7f57-4c7a-aef9-acfe28779f78/storage/"]
    {
        let (status, body) = raw.json(Method::GET, uri, "").await;
        let expected = if uri.ends_with("storage/") { 405 } else { 404 };
        assert_eq!(status.as_u16(), expected, "{uri}: {body}");
    }
    let (status, body) = raw.json(Method::GET, "/nothing/here/", "").await;
    assert_eq!((status.as_u16(), detail(&body)), (404, "Not found."));
}

#[tokio::test(flavor = "multi_thread")]
async fn batches_answer_problems_and_refuse_bad_bodies() {
    let (_emu, raw) = start(Config::default()).await;
    let uuid = raw.upload("a.txt", b"a".to_vec(), "0").await;
    let missing = "21975c81-7f57-4c7a-aef9-acfe28779f78";
    let body = json!([uuid, uuid, "4j334o01-8bs3", missing]).to_string();
    let (status, answer) = raw.json(Method::PUT, "/files/storage/", &body).await;
    assert_eq!(status, 200);
    assert_eq!(answer["status"], "ok");
    assert_eq!(answer["problems"], json!({"4j334o01-8bs3": "Invalid", missing: "Missing in the project"}));
    assert_eq!(answer["result"].as_array().unwrap().len(), 1, "a repeated id is done once");
    let (_, all_bad) = raw.json(Method::DELETE, "/files/storage/", &json!([missing]).to_string()).await;
    assert_eq!(all_bad["result"], json!([]));
    let too_many = serde_json::to_string(&vec![missing; 101]).unwrap();
    for (body, text) in [
        ("{}", "Expected list of UUIDs"),
        ("not json", "Expected list of UUIDs"),
        ("[1, 2]", "Expected list of UUIDs"),
        ("[]", "List of UUIDs can not be empty"),
        (too_many.as_str(), "Maximum UUIDs per request is exceeded. The limit is 100"),
    ] {
        let (status, answer) = raw.json(Method::PUT, "/files/storage/", body).await;
        assert_eq!((status.as_u16(), detail(&answer)), (400, text));
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn copies_to_the_project_and_to_storages() {
    let (_emu, raw) = start(Config { storages: vec!["bucket".into()], ..Config::default() }).await;
    let uuid = raw.upload("photo.png", tiny_png(), "1").await;
    let response = raw.signed(Method::POST, "/files/", &json!({"source": uuid, "store": "true"}).to_string()).await;
    assert_eq!(response.status(), 201);
    let location = response.headers()["location"].to_str().unwrap().to_string();
    let answer: Value = response.json().await.unwrap();
    assert_eq!(answer["type"], "file");
    assert_eq!((answer["result"]["size"].as_u64(), answer["result"]["mime_type"].as_str()), (Some(0), Some("application/octet-stream")));
    assert!(location.ends_with(&format!("/files/{}/", answer["result"]["uuid"].as_str().unwrap())));
    let (status, answer) = raw
        .json(
            Method::POST,
            "/files/",
            &json!({"source": format!("https://ucarecdn.com/{uuid}/-/resize/10x/"), "target": "bucket"}).to_string(),
        )
        .await;
    assert_eq!((status.as_u16(), answer["type"].as_str()), (201, Some("url")));
    assert!(answer["result"].as_str().unwrap().starts_with(&format!("s3://bucket/{uuid}/")));
    let (status, answer) = raw.json(Method::POST, "/files/", &json!({"source": uuid, "target": "other"}).to_string()).await;
    assert_eq!((status.as_u16(), detail(&answer)), (400, "Project has no storage with provided name."));
    let (status, answer) = raw.json(Method::POST, "/files/", &json!({"source": "nonsense"}).to_string()).await;
    assert_eq!((status.as_u16(), detail(&answer)), (400, "Bad `source` parameter. Use UUID or CDN URL."));
    let (status, _) = raw.json(Method::POST, "/files/", "[]").await;
    assert_eq!(status, 400);
}

#[tokio::test(flavor = "multi_thread")]
async fn groups_from_the_upload_api() {
    let (_emu, raw) = start(Config::default()).await;
    let a = raw.upload("a.txt", b"a".to_vec(), "0").await;
    let b = raw.upload("b.txt", b"b".to_vec(), "0").await;
    let form = [("pub_key", "demopublickey".to_string()), ("files[0]", a.clone()), ("files[1]", format!("{b}/-/resize/10x/"))];
    let group: Value = raw.http.post(format!("{}group/", raw.base)).form(&form).send().await.unwrap().json().await.unwrap();
    let id = group["id"].as_str().unwrap().to_string();
    assert!(id.ends_with("~2"));
    let (status, info) = raw.json(Method::GET, &format!("/groups/{id}/"), "").await;
    assert_eq!((status.as_u16(), info["files_count"].as_u64()), (200, Some(2)));
    assert_eq!(info["files"][1]["default_effects"], "resize/10x/");
    let (status, stored) = raw.json(Method::PUT, &format!("/groups/{id}/storage/"), "").await;
    assert_eq!((status.as_u16(), stored["datetime_stored"].is_string()), (200, true));
    assert!(stored["files"].as_array().unwrap().iter().all(|f| f["datetime_stored"].is_string()));
    raw.json(Method::DELETE, &format!("/files/{a}/storage/"), "").await;
    let (_, info) = raw.json(Method::GET, &format!("/groups/{id}/"), "").await;
    assert!(info["files"][0].is_null(), "a removed file is null in its group");
    let (_, page) = raw.json(Method::GET, "/groups/?limit=1", "").await;
    assert_eq!((page["total"].as_u64(), page["next"].is_null()), (Some(1), true));
    let (status, _) = raw.json(Method::GET, "/groups/badfc9f7-f88f-4921-9cc0-22e2c08aa2da~1/", "").await;
    assert_eq!(status, 404);
    let bad =
        raw.http.post(format!("{}group/", raw.base)).form(&[("pub_key", "demopublickey"), ("files[0]", "nope")]).send().await.unwrap();
    assert_eq!(bad.status(), 400);
}

fn tiny_png() -> Vec<u8> {
    let mut png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR".to_vec();
    png.extend_from_slice(&640u32.to_be_bytes());
    png.extend_from_slice(&480u32.to_be_bytes());
    png.extend_from_slice(&[8, 6, 0, 0, 0]);
    png
}

#[tokio::test(flavor = "multi_thread")]
async fn uploads_read_image_headers_and_the_cdn_serves_bytes() {
    let (_emu, raw) = start(Config::default()).await;
    let jpeg = vec![0xff, 0xd8, 0xff, 0xc0, 0x00, 0x11, 0x08, 0x00, 0x20, 0x00, 0x40, 0x03, 0, 0, 0, 0, 0, 0, 0, 0];
    let gif = b"GIF89a\x10\x00\x08\x00\x00\x00\x00".to_vec();
    let mut webp = b"RIFF\x00\x00\x00\x00WEBPVP8X\x0a\x00\x00\x00\x00\x00\x00\x00".to_vec();
    webp.extend_from_slice(&[0x1f, 0x00, 0x00, 0x0f, 0x00, 0x00]);
    for (name, bytes, format, width, height) in [
        ("a.png", tiny_png(), "PNG", 640, 480),
        ("b.jpg", jpeg, "JPEG", 64, 32),
        ("c.gif", gif, "GIF", 16, 8),
        ("d.webp", webp, "WEBP", 32, 16),
    ] {
        let uuid = raw.upload(name, bytes.clone(), "auto").await;
        let (_, file) = raw.json(Method::GET, &format!("/files/{uuid}/"), "").await;
        assert_eq!(file["is_image"], true, "{name}");
        assert_eq!(file["image_info"]["format"], format, "{name}");
        assert_eq!((file["image_info"]["width"].as_u64(), file["image_info"]["height"].as_u64()), (Some(width), Some(height)), "{name}");
        assert!(file["datetime_stored"].is_string(), "autostore");
        let served = raw.http.get(file["original_file_url"].as_str().unwrap()).send().await.unwrap();
        assert_eq!(served.status(), 200);
        assert_eq!(served.bytes().await.unwrap().to_vec(), bytes);
    }
    let form = reqwest::multipart::Form::new()
        .text("UPLOADCARE_PUB_KEY", "wrong")
        .part("file", reqwest::multipart::Part::bytes(vec![1]).file_name("x"));
    assert_eq!(raw.http.post(format!("{}base/", raw.base)).multipart(form).send().await.unwrap().status(), 403);
}

#[tokio::test(flavor = "multi_thread")]
async fn webhooks_validate_and_deliver_signed_payloads() {
    let (emu, raw) = start(Config::default()).await;
    // A loopback receiver that answers 200.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let target = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else { return };
            tokio::spawn(async move {
                use tokio::io::{AsyncReadExt, AsyncWriteExt};
                let mut buffer = vec![0u8; 65536];
                let _ = socket.read(&mut buffer).await;
                let _ = socket.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n").await;
            });
        }
    });
    let (status, hook) = raw
        .json(Method::POST, "/webhooks/", &json!({"target_url": target, "event": "file.uploaded", "signing_secret": "sekret"}).to_string())
        .await;
    assert_eq!(status, 201);
    assert_eq!((hook["is_active"].as_bool(), hook["version"].as_str()), (Some(true), Some("0.5")));
    for (body, text) in [
        (json!({"event": "file.uploaded"}), "`target_url` is missing."),
        (json!({"target_url": target, "event": "file.uploaded"}), "A webhook with this `target_url` and `event` already exists."),
        (
            json!({"target_url": format!("https://e.com/{}", "x".repeat(250)), "event": "file.uploaded"}),
            "`target_url` must be at most 255 characters.",
        ),
        (
            json!({"target_url": "https://e.com/a", "event": "file.uploaded", "signing_secret": "s".repeat(33)}),
            "`signing_secret` must be at most 32 characters.",
        ),
        (json!({"target_url": "https://e.com/a", "event": "file.uploaded", "version": "0.4"}), "`version` must be one of 0.5, 0.6, 0.7."),
        (json!({"target_url": "https://e.com/a", "event": "file.deleted"}), "`event` must be file.uploaded."),
    ] {
        let (status, answer) = raw.json(Method::POST, "/webhooks/", &body.to_string()).await;
        assert_eq!((status.as_u16(), detail(&answer)), (400, text));
    }
    let uuid = raw.upload("a.txt", b"a".to_vec(), "1").await;
    let mut delivery = emu.deliveries().pop().unwrap();
    for _ in 0..50 {
        if delivery.status.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
        delivery = emu.deliveries().pop().unwrap();
    }
    assert_eq!(delivery.status, Some(200));
    assert_eq!(delivery.signature.as_deref(), Some(ucare::webhook::sign("sekret", delivery.body.as_bytes()).unwrap().as_str()));
    let payload: Value = serde_json::from_str(&delivery.body).unwrap();
    assert_eq!(payload["data"]["uuid"], uuid.as_str());
    assert_eq!(payload["hook"]["event"], "file.uploaded");
    assert_eq!(payload["hook"]["project_pub_key"], "demopublickey");
    let id = hook["id"].as_u64().unwrap();
    let (status, updated) = raw.json(Method::POST, &format!("/webhooks/{id}/"), &json!({"is_active": false}).to_string()).await;
    assert_eq!((status.as_u16(), updated["is_active"].as_bool()), (200, Some(false)));
    let response = raw.signed(Method::POST, "/webhooks/unsubscribe/", &json!({"target_url": target}).to_string()).await;
    assert_eq!(response.status(), 204);
    assert!(response.bytes().await.unwrap().is_empty());
    let (_, list) = raw.json(Method::GET, "/webhooks/", "").await;
    assert_eq!(list, json!([]));
    // A target off this machine is recorded but not sent.
    raw.json(Method::POST, "/webhooks/", &json!({"target_url": "https://example.com/hook", "event": "file.uploaded"}).to_string()).await;
    raw.upload("b.txt", b"b".to_vec(), "1").await;
    assert!(emu.deliveries().pop().unwrap().error.unwrap().contains("not sent"));
}

#[tokio::test(flavor = "multi_thread")]
async fn conversions_move_through_their_states() {
    let (_emu, raw) = start(Config { conversion_delay: Duration::from_millis(600), ..Config::default() }).await;
    let doc = raw.upload("report.docx", b"PK..".to_vec(), "1").await;
    let path = format!("{doc}/document/-/format/png/-/page/1/");
    let (status, answer) =
        raw.json(Method::POST, "/convert/document/", &json!({"paths": [path, doc, "nope/document/"], "store": "1"}).to_string()).await;
    assert_eq!(status, 200);
    assert_eq!(answer["problems"][&doc], format!("Bad path \"{doc}\". Use UUID or CDN URL"));
    assert_eq!(answer["problems"].as_object().unwrap().len(), 2);
    let token = answer["result"][0]["token"].as_u64().unwrap();
    let result_uuid = answer["result"][0]["uuid"].as_str().unwrap().to_string();
    let mut seen = Vec::new();
    for _ in 0..40 {
        let (_, status) = raw.json(Method::GET, &format!("/convert/document/status/{token}/"), "").await;
        let state = status["status"].as_str().unwrap().to_string();
        if seen.last() != Some(&state) {
            seen.push(state.clone());
        }
        if state == "finished" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(seen, vec!["pending", "processing", "finished"]);
    let (_, result) = raw.json(Method::GET, &format!("/files/{result_uuid}/"), "").await;
    assert_eq!((result["original_filename"].as_str(), result["mime_type"].as_str()), (Some("report.png"), Some("image/png")));
    assert!(result["datetime_stored"].is_string());
    let (status, _) = raw.json(Method::GET, "/convert/video/status/1/", "").await;
    assert_eq!(status, 404);
    let (status, _) = raw.json(Method::GET, &format!("/convert/video/status/{token}/"), "").await;
    assert_eq!(status, 404, "a document token is not a video token");
    let (status, answer) = raw.json(Method::POST, "/convert/video/", "{}").await;
    assert_eq!((status.as_u16(), detail(&answer)), (400, "“paths” parameter is required."));
}

#[tokio::test(flavor = "multi_thread")]
async fn throttling_answers_429_with_retry_after() {
    let (emu, raw) = start(Config { rate_limit: Some(5), ..Config::default() }).await;
    let mut throttled = None;
    for _ in 0..20 {
        let response = raw.signed(Method::GET, "/project/", "").await;
        if response.status() == 429 {
            throttled = Some(response);
            break;
        }
    }
    let response = throttled.expect("a burst over the limit is throttled");
    assert_eq!(response.headers()["retry-after"], "1");
    assert_eq!(detail(&response.json().await.unwrap()), "Request was throttled. Expected available in 1 seconds.");
    assert!(emu.stats().throttled >= 1);
    tokio::time::sleep(Duration::from_millis(1100)).await;
    assert_eq!(raw.signed(Method::GET, "/project/", "").await.status(), 200, "available again after Retry-After");
}

async fn with_fault(kind: FaultKind) -> (Emulator, Raw) {
    start(Config { faults: Faults { rate: 1.0, kinds: vec![kind], slow: Duration::from_millis(400), seed: 3 }, ..Config::default() }).await
}

#[tokio::test(flavor = "multi_thread")]
async fn each_fault_mode() {
    let (_emu, raw) = with_fault(FaultKind::ServerError).await;
    assert_eq!(raw.signed(Method::GET, "/project/", "").await.status(), 500);
    let (_emu, raw) = with_fault(FaultKind::Unavailable).await;
    assert_eq!(raw.signed(Method::GET, "/project/", "").await.status(), 503);
    let (_emu, raw) = with_fault(FaultKind::Slow).await;
    let started = std::time::Instant::now();
    assert_eq!(raw.signed(Method::GET, "/project/", "").await.status(), 200);
    assert!(started.elapsed() >= Duration::from_millis(400));
    let (_emu, raw) = with_fault(FaultKind::Drop).await;
    let sent = raw.request(Method::GET, "/project/", "/project/", "", SystemTime::now()).send().await;
    // The connection breaks before the answer is complete: at the head or in the body.
    let broken = match sent {
        Err(_) => true,
        Ok(response) => response.bytes().await.is_err(),
    };
    assert!(broken, "the answer breaks off");
}

#[tokio::test(flavor = "multi_thread")]
async fn faults_are_a_deterministic_fraction() {
    let config =
        || Config { faults: Faults { rate: 0.3, kinds: vec![FaultKind::ServerError], seed: 42, ..Faults::default() }, ..Config::default() };
    let mut runs = Vec::new();
    for _ in 0..2 {
        let (_emu, raw) = start(config()).await;
        let mut statuses = Vec::new();
        for _ in 0..200 {
            statuses.push(raw.signed(Method::GET, "/project/", "").await.status().as_u16());
        }
        runs.push(statuses);
    }
    assert_eq!(runs[0], runs[1], "the same seed gives the same faults");
    let failed = runs[0].iter().filter(|s| **s == 500).count();
    assert!((35..=85).contains(&failed), "{failed} of 200 failed");
}

#[tokio::test(flavor = "multi_thread")]
async fn oversized_bodies_and_unknown_methods() {
    let (_emu, raw) = start(Config { max_body: 1024, ..Config::default() }).await;
    let big = format!("[\"{}\"]", "x".repeat(4096));
    let (status, answer) = raw.json(Method::PUT, "/files/storage/", &big).await;
    assert_eq!((status.as_u16(), detail(&answer)), (413, "Request body is larger than 1024 bytes."));
    let (status, answer) = raw.json(Method::PATCH, "/project/", "").await;
    assert_eq!((status.as_u16(), detail(&answer)), (405, "Method \"PATCH\" not allowed."));
}

#[tokio::test(flavor = "multi_thread")]
async fn concurrent_requests_keep_the_state_consistent() {
    let (emu, raw) = start(Config::default()).await;
    let raw = std::sync::Arc::new(raw);
    let uploads = (0..100).map(|i| {
        let raw = raw.clone();
        tokio::spawn(async move { raw.upload(&format!("f{i}.txt"), vec![b'x'; i + 1], "0").await })
    });
    let uuids: Vec<String> = futures_util::future::join_all(uploads).await.into_iter().map(Result::unwrap).collect();
    let stores = uuids.iter().map(|uuid| {
        let (raw, uuid) = (raw.clone(), uuid.clone());
        tokio::spawn(async move { raw.json(Method::PUT, &format!("/files/{uuid}/storage/"), "").await.0 })
    });
    for status in futures_util::future::join_all(stores).await {
        assert_eq!(status.unwrap(), 200);
    }
    assert_eq!(emu.stats().stored_files, 100);
    let (_, page) = raw.json(Method::GET, "/files/?stored=true&limit=1000", "").await;
    assert_eq!(page["total"], 100);
}

#[tokio::test(flavor = "multi_thread")]
async fn malformed_http_and_a_thousand_connections_leave_it_standing() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let (emu, raw) = start(Config { seed_files: 10, ..Config::default() }).await;
    let addr = emu.addr();
    for garbage in [
        &b"\x00\x01\x02garbage\r\n\r\n"[..],
        b"GET /files/ HTTP/9.9\r\n\r\n",
        b"POST /files/ HTTP/1.1\r\nContent-Length: nope\r\n\r\n",
        b"GET",
    ] {
        let mut socket = tokio::net::TcpStream::connect(addr).await.unwrap();
        socket.write_all(garbage).await.unwrap();
        let _ = socket.shutdown().await;
        let mut answer = Vec::new();
        let _ = tokio::time::timeout(Duration::from_secs(2), socket.read_to_end(&mut answer)).await;
        let text = String::from_utf8_lossy(&answer);
        assert!(answer.is_empty() || text.starts_with("HTTP/1.1 4"), "{text}");
    }
    let connections = (0..1000).map(|_| {
        tokio::spawn(async move {
            let mut socket = tokio::net::TcpStream::connect(addr).await?;
            socket.write_all(b"GET /project/ HTTP/1.1\r\nHost: x\r\nAccept: application/vnd.uploadcare-v0.5+json\r\nAuthorization: Uploadcare.Simple demopublickey:demoprivatekey\r\nConnection: close\r\n\r\n").await?;
            let mut answer = Vec::new();
            socket.read_to_end(&mut answer).await?;
            Ok::<bool, std::io::Error>(answer.starts_with(b"HTTP/1.1 200"))
        })
    });
    let answered = futures_util::future::join_all(connections).await.into_iter().filter(|r| matches!(r, Ok(Ok(true)))).count();
    assert_eq!(answered, 1000);
    let (status, page) = raw.json(Method::GET, "/files/?limit=100", "").await;
    assert_eq!((status.as_u16(), page["total"].as_u64()), (200, Some(10)), "the state is intact");
}

/// Hostile clients: connections that never speak or go quiet are closed, an oversized
/// declared body is refused from the head, and two `Authorization` headers are refused.
mod hostile_clients {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    async fn closed_within(stream: &mut tokio::net::TcpStream, limit: Duration) -> bool {
        let mut sink = Vec::new();
        matches!(tokio::time::timeout(limit, stream.read_to_end(&mut sink)).await, Ok(Ok(_)))
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn silent_half_open_and_idle_connections_are_closed() {
        let config = Config { idle_timeout: Duration::from_millis(300), ..Config::default() };
        let (emulator, _) = start(config).await;
        let addr = emulator.addr();
        let mut silent: Vec<tokio::net::TcpStream> = Vec::new();
        for _ in 0..50 {
            silent.push(tokio::net::TcpStream::connect(addr).await.unwrap());
        }
        let mut half = tokio::net::TcpStream::connect(addr).await.unwrap();
        half.write_all(b"GET /project/ HTTP/1.1\r\nHost: x\r\n").await.unwrap();
        let mut idle = tokio::net::TcpStream::connect(addr).await.unwrap();
        idle.write_all(b"GET /__emulator/ HTTP/1.1\r\nHost: x\r\n\r\n").await.unwrap();
        let mut head = [0u8; 12];
        idle.read_exact(&mut head).await.unwrap();
        assert_eq!(&head, b"HTTP/1.1 200");
        let started = std::time::Instant::now();
        let mut closed = 0;
        for stream in silent.iter_mut().chain([&mut half]) {
            closed += closed_within(stream, Duration::from_secs(3)).await as usize;
        }
        assert_eq!(closed, 51, "every silent or half-sent connection is closed");
        assert!(closed_within(&mut idle, Duration::from_secs(3)).await, "an idle kept-alive connection is closed");
        assert!(started.elapsed() < Duration::from_secs(3), "{:?}", started.elapsed());
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn a_declared_body_over_the_limit_is_refused_from_the_head() {
        let (emulator, _) = start(Config::default()).await;
        let mut stream = tokio::net::TcpStream::connect(emulator.addr()).await.unwrap();
        let head =
            "PUT /files/storage/ HTTP/1.1\r\nHost: x\r\nAccept: application/vnd.uploadcare-v0.5+json\r\nContent-Length: 1000000000\r\n\r\n";
        stream.write_all(head.as_bytes()).await.unwrap();
        let mut answer = [0u8; 12];
        // No body byte was sent: the answer comes from the head alone.
        tokio::time::timeout(Duration::from_secs(2), stream.read_exact(&mut answer)).await.expect("an answer without the body").unwrap();
        assert_eq!(&answer, b"HTTP/1.1 413");
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn two_authorization_headers_are_refused() {
        let (_emulator, raw) = start(Config::default()).await;
        let simple = format!("Uploadcare.Simple {}:{}", raw.public_key, raw.secret);
        let response = raw.signed_request(Method::GET, "/project/").header("Authorization", simple).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        let body: Value = response.json().await.unwrap();
        assert_eq!(detail(&body), "More than one Authorization header.");
    }
}
