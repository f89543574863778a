//! The emulator's Upload API with a plain client: multipart start, parts and complete, the
//! file info and group info calls, uploads from a URL and their statuses, signed-upload
//! refusals, both error modes, throttling and faults on upload calls.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::Value;
use ucare_emulator::{Config, Emulator, FaultKind, Faults};

mod common;
use common::start;

async fn form(http: &reqwest::Client, url: String, fields: &[(&str, String)]) -> reqwest::Response {
    let mut form = reqwest::multipart::Form::new();
    for (k, v) in fields {
        form = form.text(k.to_string(), v.clone());
    }
    http.post(url).multipart(form).send().await.unwrap()
}

fn key(emu: &Emulator) -> String {
    emu.public_key().to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn multipart_uploads_start_take_parts_and_complete() {
    let (emu, raw) = start(Config::default()).await;
    let base = emu.base_url();
    let size: u64 = 11 * 1024 * 1024;
    let small = form(
        &raw.http,
        format!("{base}multipart/start/"),
        &[
            ("UPLOADCARE_PUB_KEY", key(&emu)),
            ("filename", "a.bin".into()),
            ("size", "1290".into()),
            ("content_type", "application/octet-stream".into()),
        ],
    )
    .await;
    assert_eq!(small.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        small.text().await.unwrap(),
        "File size can not be less than 10485760 bytes. Please use direct upload instead of multipart."
    );
    let tiny_part = form(
        &raw.http,
        format!("{base}multipart/start/"),
        &[
            ("UPLOADCARE_PUB_KEY", key(&emu)),
            ("filename", "a.bin".into()),
            ("size", size.to_string()),
            ("content_type", "x/y".into()),
            ("part_size", "100".into()),
        ],
    )
    .await;
    assert_eq!(tiny_part.text().await.unwrap(), "Multipart Upload Part Size can not be less than 5242880 bytes.");
    let started: Value = form(
        &raw.http,
        format!("{base}multipart/start/"),
        &[
            ("UPLOADCARE_PUB_KEY", key(&emu)),
            ("filename", "/home/me/big.bin".into()),
            ("size", size.to_string()),
            ("content_type", "application/x-big".into()),
            ("metadata[kind]", "big".into()),
        ],
    )
    .await
    .json()
    .await
    .unwrap();
    let parts: Vec<String> = started["parts"].as_array().unwrap().iter().map(|p| p.as_str().unwrap().to_string()).collect();
    assert_eq!(parts.len(), 3, "ceil(size / 5 MiB)");
    let uuid = started["uuid"].as_str().unwrap().to_string();
    let complete_fields = [("UPLOADCARE_PUB_KEY", key(&emu)), ("uuid", uuid.clone())];
    let complete = || form(&raw.http, format!("{base}multipart/complete/"), &complete_fields);
    // Two parts only: not complete yet.
    for (n, url) in parts.iter().enumerate().take(2) {
        let answer = raw.http.put(url).body(vec![n as u8; 5_242_880]).send().await.unwrap();
        assert_eq!(answer.status(), StatusCode::OK);
        assert!(answer.headers().contains_key("etag"));
    }
    let early = complete().await;
    assert_eq!(
        (early.status(), early.text().await.unwrap()),
        (StatusCode::BAD_REQUEST, "File size mismatch. Not all parts uploaded?".to_string())
    );
    let wrong = raw.http.put(&parts[2]).body(vec![0u8; 10]).send().await.unwrap();
    assert_eq!(wrong.status(), StatusCode::BAD_REQUEST, "a part of the wrong length");
    raw.http.put(&parts[2]).body(vec![2u8; (size - 2 * 5_242_880) as usize]).send().await.unwrap();
    let done: Value = complete().await.json().await.unwrap();
    assert_eq!((done["size"].as_u64(), done["original_filename"].as_str()), (Some(size), Some("big.bin")));
    assert_eq!((done["is_ready"].as_bool(), done["metadata"]["kind"].as_str()), (Some(true), Some("big")));
    let served = raw.http.get(format!("{base}{uuid}/")).send().await.unwrap().bytes().await.unwrap();
    assert_eq!(served.len() as u64, size);
    assert!(served[..5_242_880].iter().all(|b| *b == 0) && served[2 * 5_242_880..].iter().all(|b| *b == 2));
    let (_, rest) = raw.v07().json(reqwest::Method::GET, &format!("/files/{uuid}/"), "").await;
    assert_eq!(rest["mime_type"], "application/x-big");
    let unknown =
        form(&raw.http, format!("{base}multipart/complete/"), &[("UPLOADCARE_PUB_KEY", key(&emu)), ("uuid", "nonexistent".into())]).await;
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread")]
async fn info_calls_and_both_error_modes() {
    let (emu, raw) = start(Config::default()).await;
    let base = emu.base_url();
    let uuid = emu.upload("a.txt", "hello", Some(true));
    let info: Value = raw.http.get(format!("{base}info/?pub_key={}&file_id={uuid}", key(&emu))).send().await.unwrap().json().await.unwrap();
    assert_eq!((info["uuid"].as_str(), info["size"].as_u64(), info["is_stored"].as_bool()), (Some(uuid.as_str()), Some(5), Some(true)));
    let plain = raw.http.get(format!("{base}info/?pub_key=&file_id={uuid}")).send().await.unwrap();
    assert_eq!(plain.status(), StatusCode::FORBIDDEN);
    assert_eq!(plain.headers()["content-type"], "text/plain; charset=utf-8");
    assert_eq!(plain.text().await.unwrap(), "pub_key is required.");
    let json = raw
        .http
        .get(format!("{base}info/?jsonerrors=1&pub_key={}&file_id=21975c81-7f57-4c7a-aef9-acfe28779f78", key(&emu)))
        .send()
        .await
        .unwrap();
    assert_eq!(json.status(), StatusCode::OK);
    let envelope: Value = json.json().await.unwrap();
    assert_eq!((envelope["error"]["content"].as_str(), envelope["error"]["status_code"].as_u64()), (Some("File is not found."), Some(404)));
}

#[tokio::test(flavor = "multi_thread")]
async fn uploads_from_a_url_report_progress_then_success_or_error() {
    let (emu, raw) = start(Config::default()).await;
    let base = emu.base_url();
    let source = emu.upload("src.txt", "from a url", Some(true));
    let started: Value = form(
        &raw.http,
        format!("{base}from_url/"),
        &[("pub_key", key(&emu)), ("source_url", format!("{base}{source}/src.txt")), ("store", "1".into())],
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(started["type"], "token");
    let token = started["token"].as_str().unwrap().to_string();
    let mut last = Value::Null;
    for _ in 0..100 {
        last = raw.http.get(format!("{base}from_url/status/?token={token}")).send().await.unwrap().json().await.unwrap();
        if last["status"] != "progress" {
            break;
        }
        assert!(last.get("done").is_some() && last.get("total").is_some(), "pyuploadcare reads both from every answer");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(
        (last["status"].as_str(), last["original_filename"].as_str(), last["size"].as_u64()),
        (Some("success"), Some("src.txt"), Some(10))
    );
    // Parameters in the query string, as upload-client sends them; a 404 source.
    let missing = format!("{base}21975c81-7f57-4c7a-aef9-acfe28779f78/");
    let query = format!("{base}from_url/?jsonerrors=1&pub_key={}&source_url={}", key(&emu), url_escape(&missing));
    let started: Value = raw.http.post(query).send().await.unwrap().json().await.unwrap();
    let token = started["token"].as_str().unwrap().to_string();
    tokio::time::sleep(Duration::from_millis(200)).await;
    let failed: Value = raw.http.get(format!("{base}from_url/status/?token={token}")).send().await.unwrap().json().await.unwrap();
    assert_eq!((failed["status"].as_str(), failed["error_code"].as_str()), (Some("error"), Some("DownloadFileHTTPClientError")));
    let unknown: Value = raw.http.get(format!("{base}from_url/status/?token=nope")).send().await.unwrap().json().await.unwrap();
    assert_eq!(unknown["status"], "unknown");
    let external =
        form(&raw.http, format!("{base}from_url/"), &[("pub_key", key(&emu)), ("source_url", "https://example.com/x.png".into())]).await;
    assert_eq!((external.status(), external.text().await.unwrap()), (StatusCode::BAD_REQUEST, "Source is blacklisted.".to_string()));
}

fn url_escape(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn signed_uploads_are_refused_as_the_service_refuses_them() {
    let (emu, raw) = start(Config { signed_uploads: true, ..Config::default() }).await;
    let base = emu.base_url();
    let now = chrono::Utc::now().timestamp();
    let sign = |expire: i64| ucare::uploads::signature(emu.secret_key(), expire as u64);
    let group = |extra: Vec<(&'static str, String)>| {
        let mut fields = vec![("pub_key", key(&emu)), ("files[0]", "21975c81-7f57-4c7a-aef9-acfe28779f78".to_string())];
        fields.extend(extra);
        fields
    };
    for (fields, status, text) in [
        (group(vec![]), 400, "`signature` is required."),
        (group(vec![("signature", sign(now + 60))]), 400, "`expire` is required."),
        (group(vec![("signature", sign(now + 60)), ("expire", "soon".into())]), 400, "`expire` must be a UNIX timestamp."),
        (group(vec![("signature", sign(60)), ("expire", "60".into())]), 403, "Expired signature."),
        (group(vec![("signature", "0".repeat(64)), ("expire", (now + 60).to_string())]), 403, "Invalid signature."),
    ] {
        let answer = form(&raw.http, format!("{base}group/"), &fields).await;
        assert_eq!((answer.status().as_u16(), answer.text().await.unwrap()), (status, text.to_string()));
    }
    let signed = group(vec![("signature", sign(now + 60)), ("expire", (now + 60).to_string())]);
    let answer = form(&raw.http, format!("{base}group/"), &signed).await;
    assert_eq!(
        answer.text().await.unwrap(),
        "this is not valid file url: 21975c81-7f57-4c7a-aef9-acfe28779f78.",
        "past the signature check"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn upload_calls_are_throttled_and_faulted_too() {
    let (emu, raw) = start(Config { rate_limit: Some(1), ..Config::default() }).await;
    let base = emu.base_url();
    let mut throttled = None;
    for _ in 0..5 {
        let answer =
            raw.http.get(format!("{base}info/?pub_key={}&file_id=21975c81-7f57-4c7a-aef9-acfe28779f78", key(&emu))).send().await.unwrap();
        if answer.status() == StatusCode::TOO_MANY_REQUESTS {
            throttled = Some(answer);
            break;
        }
    }
    let throttled = throttled.expect("a 429 within five calls at one per second");
    assert!(throttled.headers().contains_key("retry-after"));
    assert_eq!(throttled.text().await.unwrap(), "Request was throttled.");
    let faulty = Config { faults: Faults { rate: 1.0, kinds: vec![FaultKind::Unavailable], ..Faults::default() }, ..Config::default() };
    let (emu, raw) = start(faulty).await;
    let answer = raw.http.put(format!("{}__parts/21975c81-7f57-4c7a-aef9-acfe28779f78/0", emu.base_url())).body("x").send().await.unwrap();
    assert_eq!(answer.status(), StatusCode::SERVICE_UNAVAILABLE, "parts meet faults too");
}
