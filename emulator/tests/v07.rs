//! The emulator speaking REST API v0.7 beside v0.5 on one running server, checked against
//! `shared/spec/rest-api-v0.7.md`: shapes, statuses, content types, the new endpoints
//! (copies, metadata, add-ons, group delete, webhook PUT and DELETE, document info) and the
//! v0.7 webhook payloads.

use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use ucare_emulator::{Config, Emulator};

mod common;
use common::{start, Raw, ACCEPT, V07};

/// A real PNG header, enough for `content_info.image`.
fn png() -> Vec<u8> {
    let mut png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR".to_vec();
    png.extend_from_slice(&4u32.to_be_bytes());
    png.extend_from_slice(&3u32.to_be_bytes());
    png.extend_from_slice(&[8, 6, 0, 0, 0, 0, 0, 0, 0]);
    png
}

async fn v07(config: Config) -> (Emulator, Raw, Raw) {
    let (emu, v05) = start(Config { conversion_delay: Duration::from_millis(100), storages: vec!["backup".into()], ..config }).await;
    let v07 = v05.v07();
    (emu, v05, v07)
}

fn content_type(response: &reqwest::Response) -> String {
    response.headers().get("content-type").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread")]
async fn one_server_answers_each_request_in_the_version_it_asks_for() {
    let (_emu, v05, v07) = v07(Config::default()).await;
    let uuid = v05.upload("photo.png", png(), "0").await;
    let old = v05.signed(Method::GET, &format!("/files/{uuid}/"), "").await;
    assert_eq!(content_type(&old), ACCEPT);
    let old: Value = old.json().await.unwrap();
    let new = v07.signed(Method::GET, &format!("/files/{uuid}/"), "").await;
    assert_eq!(content_type(&new), V07);
    let new: Value = new.json().await.unwrap();
    assert_eq!(old["image_info"]["width"], 4);
    assert!(old.get("content_info").is_none() && old.get("metadata").is_none());
    let keys: Vec<&str> = new.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "datetime_removed",
            "datetime_stored",
            "datetime_uploaded",
            "is_image",
            "is_ready",
            "mime_type",
            "original_file_url",
            "original_filename",
            "size",
            "url",
            "uuid",
            "variations",
            "content_info",
            "metadata"
        ],
        "the recorded key order"
    );
    assert_eq!(new["content_info"]["mime"], json!({"mime": "image/png", "type": "image", "subtype": "png"}));
    assert_eq!(new["content_info"]["image"]["width"], 4);
    assert_eq!(new["metadata"], json!({}));
    // Only the two versions exist.
    let v06 = v05.http.get(format!("{}project/", v05.base)).header("Accept", "application/vnd.uploadcare-v0.6+json").send().await.unwrap();
    assert_eq!(v06.status(), StatusCode::NOT_ACCEPTABLE);
}

#[tokio::test(flavor = "multi_thread")]
async fn v07_listings_carry_totals_and_take_no_size_ordering() {
    let (_emu, v05, v07) = v07(Config { seed_files: 30, ..Config::default() }).await;
    let (status, page) = v07.json(Method::GET, "/files/?limit=10", "").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(page["results"].as_array().unwrap().len(), 10);
    let totals = &page["totals"];
    assert_eq!(totals["stored"].as_u64().unwrap() + totals["unstored"].as_u64().unwrap(), 30);
    assert_eq!(totals["removed"], 0);
    assert!(page["results"][0].get("image_info").is_none() && page["results"][0].get("appdata").is_none());
    let (status, _) = v07.json(Method::GET, "/files/?ordering=size", "").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, old) = v05.json(Method::GET, "/files/?ordering=size", "").await;
    assert_eq!((status, old.get("totals")), (StatusCode::OK, None), "v0.5 unchanged");
    let (_, with) = v07.json(Method::GET, "/files/?limit=1&include=appdata", "").await;
    assert_eq!(with["results"][0]["appdata"], json!({}));
}

#[tokio::test(flavor = "multi_thread")]
async fn copies_are_two_endpoints_in_v07() {
    let (emu, v05, v07) = v07(Config::default()).await;
    let uuid = v05.upload("photo.png", png(), "1").await;
    let body = json!({"source": uuid, "store": true, "metadata": {"kind": "copy"}}).to_string();
    let response = v07.signed(Method::POST, "/files/local_copy/", &body).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let location = response.headers()["location"].to_str().unwrap().to_string();
    let copy: Value = response.json().await.unwrap();
    assert_eq!(copy["type"], "file");
    assert_eq!(copy["result"]["is_image"], Value::Null, "answered before it is processed, as recorded");
    assert_eq!(copy["result"]["content_info"], Value::Null);
    assert_eq!(copy["result"]["metadata"], json!({"kind": "copy"}));
    assert!(location.ends_with(&format!("files/{}/", copy["result"]["uuid"].as_str().unwrap())));
    let remote = json!({"source": uuid, "target": "backup", "pattern": "${uuid}${ext}"}).to_string();
    let (first, answer) = v07.json(Method::POST, "/files/remote_copy/", &remote).await;
    assert_eq!((first, answer["type"].as_str()), (StatusCode::CREATED, Some("url")));
    assert_eq!(answer["result"], format!("s3://backup/{uuid}.png"));
    let (again, _) = v07.json(Method::POST, "/files/remote_copy/", &remote).await;
    assert_eq!(again, StatusCode::OK, "the key exists");
    let (bad, body) = v07.json(Method::POST, "/files/remote_copy/", &json!({"source": uuid}).to_string()).await;
    assert_eq!(bad, StatusCode::BAD_REQUEST, "{body}");
    // v0.5's copy route and file delete are gone in v0.7.
    assert_eq!(v07.signed(Method::POST, "/files/", &body.to_string()).await.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(v07.signed(Method::DELETE, &format!("/files/{uuid}/"), "").await.status(), StatusCode::METHOD_NOT_ALLOWED);
    let (deleted, file) = v07.json(Method::DELETE, &format!("/files/{uuid}/storage/"), "").await;
    assert_eq!(deleted, StatusCode::OK);
    assert!(file["datetime_removed"].is_string() && file["datetime_stored"].is_null() && file["original_file_url"].is_null());
    drop(emu);
}

#[tokio::test(flavor = "multi_thread")]
async fn metadata_keys_are_created_replaced_read_and_deleted() {
    let (_emu, v05, v07) = v07(Config::default()).await;
    let uuid = v05.upload("a.txt", b"hello".to_vec(), "1").await;
    let key = format!("/files/{uuid}/metadata/-:45az_/");
    let (created, value) = v07.json(Method::PUT, &key, "\"one\"").await;
    assert_eq!((created, value), (StatusCode::CREATED, json!("one")));
    let (replaced, _) = v07.json(Method::PUT, &key, "\"two\"").await;
    assert_eq!(replaced, StatusCode::OK);
    assert_eq!(v07.json(Method::GET, &key, "").await, (StatusCode::OK, json!("two")));
    assert_eq!(v07.json(Method::GET, &format!("/files/{uuid}/metadata/"), "").await.1, json!({"-:45az_": "two"}));
    assert_eq!(v07.json(Method::GET, &format!("/files/{uuid}/"), "").await.1["metadata"], json!({"-:45az_": "two"}));
    let deleted = v07.signed(Method::DELETE, &key, "").await;
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    assert!(deleted.headers().get("content-type").is_none());
    assert!(deleted.bytes().await.unwrap().is_empty());
    assert_eq!(v07.json(Method::GET, &key, "").await.0, StatusCode::NOT_FOUND);
    assert_eq!(v07.json(Method::GET, "/files/nonexistent/metadata/", "").await.0, StatusCode::NOT_FOUND);
    for (bad_key, body) in [("a%20b", "\"v\""), ("%D0%BA", "\"v\""), (&"k".repeat(65) as &str, "\"v\""), ("k", "\"\""), ("k", "5")] {
        let (status, _) = v07.json(Method::PUT, &format!("/files/{uuid}/metadata/{bad_key}/"), body).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad_key} {body}");
    }
    // v0.5 has no metadata.
    assert_eq!(v05.json(Method::GET, &format!("/files/{uuid}/metadata/"), "").await.0, StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread")]
async fn groups_are_deleted_not_stored_in_v07() {
    let (emu, v05, v07) = v07(Config::default()).await;
    let a = v05.upload("a.txt", b"a".to_vec(), "0").await;
    let id = emu.create_group(&[&a]).unwrap();
    let (_, group) = v07.json(Method::GET, &format!("/groups/{id}/"), "").await;
    assert!(group.get("datetime_stored").is_none() && group["files"][0]["content_info"].is_object());
    assert_eq!(v07.signed(Method::PUT, &format!("/groups/{id}/storage/"), "").await.status(), StatusCode::NOT_FOUND);
    let deleted = v07.signed(Method::DELETE, &format!("/groups/{id}/"), "").await;
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    assert_eq!(v07.json(Method::GET, &format!("/groups/{id}/"), "").await.0, StatusCode::NOT_FOUND);
    assert_eq!(v07.json(Method::GET, "/groups/", "").await.1["total"], 0);
    assert_eq!(v07.json(Method::GET, &format!("/files/{a}/"), "").await.0, StatusCode::OK, "the files stay");
    assert_eq!(v07.signed(Method::DELETE, "/groups/nonexistent/", "").await.status(), StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread")]
async fn webhooks_take_five_events_put_and_delete_and_deliver_v07_payloads() {
    let (emu, v05, v07) = v07(Config::default()).await;
    let target = "http://127.0.0.1:9/hook";
    let (status, hook) = v07.json(Method::POST, "/webhooks/", &json!({"target_url": target, "event": "file.stored"}).to_string()).await;
    assert_eq!(status, StatusCode::CREATED, "{hook}");
    assert_eq!((hook["version"].as_str(), &hook["signing_secret"]), (Some("0.7"), &Value::Null));
    let (refused, _) = v05.json(Method::POST, "/webhooks/", &json!({"target_url": target, "event": "file.deleted"}).to_string()).await;
    assert_eq!(refused, StatusCode::BAD_REQUEST, "v0.5 knows file.uploaded only");
    // Form-encoded, as pyuploadcare sends it.
    let date = httpdate::fmt_http_date(std::time::SystemTime::now());
    let body = "target_url=http%3A%2F%2F127.0.0.1%3A9%2Fother&event=file.deleted&is_active=true";
    let signature = ucare::auth::signature(&v07.secret, "POST", body.as_bytes(), "application/x-www-form-urlencoded", &date, "/webhooks/");
    let response = v07
        .http
        .post(format!("{}webhooks/", v07.base))
        .header("Accept", V07)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("Date", date)
        .header("Authorization", format!("Uploadcare {}:{signature}", v07.public_key))
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    let id = hook["id"].as_u64().unwrap();
    let (updated, changed) = v07.json(Method::PUT, &format!("/webhooks/{id}/"), &json!({"signing_secret": "sekret"}).to_string()).await;
    assert_eq!((updated, changed["signing_secret"].as_str()), (StatusCode::OK, Some("sekret")));
    assert_eq!(v07.signed(Method::POST, &format!("/webhooks/{id}/"), "{}").await.status(), StatusCode::METHOD_NOT_ALLOWED);
    // A store sets off file.stored with the v0.7 payload.
    let uuid = v05.upload("a.txt", b"a".to_vec(), "0").await;
    v07.json(Method::PUT, &format!("/files/{uuid}/storage/"), "").await;
    let delivery = emu.deliveries().into_iter().find(|d| d.event == "file.stored").expect("a file.stored delivery");
    let payload: Value = serde_json::from_str(&delivery.body).unwrap();
    assert_eq!(payload["initiator"]["type"], "api");
    assert_eq!(payload["hook"]["event"], "file.stored");
    assert_eq!(payload["data"]["uuid"], uuid.as_str());
    assert!(payload["data"]["content_info"].is_object() && payload["data"].get("image_info").is_none());
    assert!(ucare::webhook::verify("sekret", delivery.body.as_bytes(), delivery.signature.as_deref().unwrap()).unwrap());
    // Unsubscribe with DELETE, and delete by id.
    let gone = v07.signed(Method::DELETE, "/webhooks/unsubscribe/", &json!({"target_url": "http://127.0.0.1:9/other"}).to_string()).await;
    assert_eq!(gone.status(), StatusCode::NO_CONTENT);
    assert_eq!(v07.signed(Method::DELETE, &format!("/webhooks/{id}/"), "").await.status(), StatusCode::NO_CONTENT);
    assert_eq!(v07.json(Method::GET, "/webhooks/", "").await.1, json!([]));
}

async fn addon_done(raw: &Raw, name: &str, request_id: &str) -> Value {
    for _ in 0..100 {
        let response = raw.signed(Method::GET, &format!("/addons/{name}/execute/status/?request_id={request_id}"), "").await;
        assert_eq!(content_type(&response), "application/json");
        let status: Value = response.json().await.unwrap();
        if status["status"] != "in_progress" {
            return status;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("the add-on never finished");
}

#[tokio::test(flavor = "multi_thread")]
async fn addons_run_write_appdata_and_refuse_what_the_service_refuses() {
    let (emu, v05, v07) = v07(Config::default()).await;
    let image = v05.upload("photo.png", png(), "1").await;
    let execute = |name: &str, body: Value| {
        let (raw, name) = (&v07, name.to_string());
        async move { raw.signed(Method::POST, &format!("/addons/{name}/execute/"), &body.to_string()).await }
    };
    let response = execute("aws_rekognition_detect_labels", json!({"target": image})).await;
    assert_eq!((response.status(), content_type(&response)), (StatusCode::OK, "application/json".into()));
    let request_id = response.json::<Value>().await.unwrap()["request_id"].as_str().unwrap().to_string();
    let again = execute("aws_rekognition_detect_labels", json!({"target": image})).await;
    assert_eq!(again.status(), StatusCode::CONFLICT, "a run is in progress");
    assert_eq!(addon_done(&v07, "aws_rekognition_detect_labels", &request_id).await, json!({"status": "done"}));
    let (_, file) = v07.json(Method::GET, &format!("/files/{image}/?include=appdata"), "").await;
    let labels = &file["appdata"]["aws_rekognition_detect_labels"];
    assert_eq!(labels["version"], "2016-06-27");
    assert!(labels["data"]["Labels"].as_array().is_some_and(|l| !l.is_empty()) && labels["datetime_created"].is_string());
    // remove.bg makes a new file.
    let id = execute("remove_bg", json!({"target": image, "params": {"crop": true}})).await.json::<Value>().await.unwrap()["request_id"]
        .as_str()
        .unwrap()
        .to_string();
    let done = addon_done(&v07, "remove_bg", &id).await;
    let new_file = done["result"]["file_id"].as_str().unwrap();
    assert_eq!(v07.json(Method::GET, &format!("/files/{new_file}/"), "").await.0, StatusCode::OK);
    // ClamAV finds the EICAR test file and, asked to, purges it.
    let eicar = v05.upload("eicar.txt", b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*".to_vec(), "1").await;
    let (_, hook) =
        v07.json(Method::POST, "/webhooks/", &json!({"target_url": "http://127.0.0.1:9/x", "event": "file.infected"}).to_string()).await;
    assert_eq!(hook["event"], "file.infected");
    let id =
        execute("uc_clamav_virus_scan", json!({"target": eicar, "params": {"purge_infected": true}})).await.json::<Value>().await.unwrap()
            ["request_id"]
            .as_str()
            .unwrap()
            .to_string();
    addon_done(&v07, "uc_clamav_virus_scan", &id).await;
    let (_, scanned) = v07.json(Method::GET, &format!("/files/{eicar}/?include=appdata"), "").await;
    assert_eq!(scanned["appdata"]["uc_clamav_virus_scan"]["data"]["infected"], true);
    assert!(scanned["datetime_removed"].is_string(), "purged");
    let infected = emu.deliveries().into_iter().find(|d| d.event == "file.infected").expect("a file.infected delivery");
    assert_eq!(serde_json::from_str::<Value>(&infected.body).unwrap()["initiator"]["detail"]["addon_name"], "uc_clamav_virus_scan");
    // Field errors, as recorded.
    let bad = execute("uc_clamav_virus_scan", json!({"target": "nope"})).await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    assert_eq!(bad.json::<Value>().await.unwrap(), json!({"target": ["Must be a valid UUID."]}));
    let (status, body) = v07.json(Method::GET, "/addons/remove_bg/execute/status/?request_id=nope", "").await;
    assert_eq!((status, body), (StatusCode::BAD_REQUEST, json!({"request_id": ["Must be a valid UUID."]})));
    assert_eq!(execute("no_such_addon", json!({"target": image})).await.status(), StatusCode::NOT_FOUND);
    let unknown = format!("/addons/remove_bg/execute/status/?request_id={image}");
    assert_eq!(v07.json(Method::GET, &unknown, "").await.1, json!({"status": "unknown"}));
}

#[tokio::test(flavor = "multi_thread")]
async fn document_conversions_save_in_group_and_report_document_info() {
    let (_emu, v05, v07) = v07(Config::default()).await;
    let doc = v05.upload("report.pdf", b"%PDF-1.4 two pages".to_vec(), "1").await;
    let body = json!({"paths": [format!("{doc}/document/-/format/png/")], "store": "1", "save_in_group": "1"}).to_string();
    let response = v07.signed(Method::POST, "/convert/document/", &body).await;
    assert_eq!(content_type(&response), "application/json");
    let text = response.text().await.unwrap();
    assert!(text.contains("\", \"") || text.contains("\": "), "spaced separators, as recorded: {text}");
    let answer: Value = serde_json::from_str(&text).unwrap();
    let token = answer["result"][0]["token"].as_u64().unwrap();
    tokio::time::sleep(Duration::from_millis(150)).await;
    let (_, status) = v07.json(Method::GET, &format!("/convert/document/status/{token}/"), "").await;
    assert_eq!(status["status"], "finished");
    let (status, info) = v07.json(Method::GET, &format!("/convert/document/{doc}/"), "").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(info["format"]["name"], "pdf");
    assert!(info["format"]["conversion_formats"].as_array().unwrap().iter().any(|f| f["name"] == "png"));
    let group = info["converted_groups"]["png"].as_str().expect("the saved group");
    assert_eq!(v07.json(Method::GET, &format!("/groups/{group}/"), "").await.1["files_count"], 2);
    assert_eq!(v05.json(Method::GET, &format!("/convert/document/{doc}/"), "").await.0, StatusCode::NOT_FOUND, "v0.7 only");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_date_may_come_in_x_uploadcare_date() {
    let (_emu, _v05, v07) = v07(Config::default()).await;
    let date = httpdate::fmt_http_date(std::time::SystemTime::now());
    let signature = ucare::auth::signature(&v07.secret, "GET", b"", "application/json", &date, "/project/");
    let response = v07
        .http
        .get(format!("{}project/", v07.base))
        .header("Accept", V07)
        .header("Content-Type", "application/json")
        .header("X-Uploadcare-Date", date)
        .header("Authorization", format!("Uploadcare {}:{signature}", v07.public_key))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
}
