//! The Rust floor: the leanest hand-written loop (reqwest + serde_json, no models, no
//! retries) doing the same requests, to show how close the crate is to the limit. It speaks
//! REST API v0.7 as the Rust contender does (`UCARE_BENCH_API=0.5` for v0.5).

#[path = "common.rs"]
mod common;

use std::time::{Duration, Instant, SystemTime};

use futures_util::{stream, StreamExt};
use serde_json::Value;

struct Floor {
    accept: String,
    http: reqwest::Client,
    base: String,
    public_key: String,
    secret_key: String,
}

impl Floor {
    async fn send(&self, method: reqwest::Method, url: String, body: String) -> Value {
        let uri = &url[self.base.trim_end_matches('/').len()..];
        let date = httpdate(SystemTime::now());
        let signature = ucare::auth::signature(&self.secret_key, method.as_str(), body.as_bytes(), "application/json", &date, uri);
        let response = self
            .http
            .request(method, &url)
            .header("Accept", &self.accept)
            .header("Content-Type", "application/json")
            .header("Date", date)
            .header("Authorization", format!("Uploadcare {}:{signature}", self.public_key))
            .body(body)
            .send()
            .await
            .expect("request");
        let bytes = response.bytes().await.expect("body");
        serde_json::from_slice(&bytes).expect("json")
    }

    fn url(&self, path: &str) -> String {
        format!("{}/{path}", self.base.trim_end_matches('/'))
    }
}

fn httpdate(at: SystemTime) -> String {
    ucare::auth::http_date(at)
}

#[tokio::main]
async fn main() {
    let a = common::args();
    let version = std::env::var("UCARE_BENCH_API").unwrap_or_else(|_| "0.7".into());
    let floor = Floor {
        accept: format!("application/vnd.uploadcare-v{version}+json"),
        http: common::plain_http(),
        base: a.base.clone(),
        public_key: a.public_key.clone(),
        secret_key: a.secret_key.clone(),
    };
    let started = Instant::now();
    match a.workload.as_str() {
        "list" => {
            let mut next = Some(floor.url("files/?limit=1000"));
            let (mut items, mut checksum, mut first_peak) = (0, 0u64, 0);
            while let Some(url) = next {
                let page = floor.send(reqwest::Method::GET, url, String::new()).await;
                for file in page["results"].as_array().expect("results") {
                    items += 1;
                    checksum = checksum
                        .wrapping_add(file["size"].as_u64().unwrap_or(0))
                        .wrapping_add(file["uuid"].as_str().unwrap_or("").len() as u64);
                }
                if first_peak == 0 {
                    first_peak = common::peak_rss_kib();
                }
                next = page["next"].as_str().map(str::to_string);
            }
            common::report(started, items, checksum, first_peak);
        }
        "info-seq" => {
            let mut checksum = 0u64;
            for uuid in &a.uuids {
                checksum += floor.send(reqwest::Method::GET, floor.url(&format!("files/{uuid}/")), String::new()).await["size"]
                    .as_u64()
                    .unwrap_or(0);
            }
            common::report(started, a.uuids.len(), checksum, 0);
        }
        "info-c16" => {
            let sizes: Vec<u64> = stream::iter(&a.uuids)
                .map(|uuid| floor.send(reqwest::Method::GET, floor.url(&format!("files/{uuid}/")), String::new()))
                .buffer_unordered(16)
                .map(|f| f["size"].as_u64().unwrap_or(0))
                .collect()
                .await;
            common::report(started, sizes.len(), sizes.iter().sum(), 0);
        }
        "store" => {
            let mut stored = 0;
            for chunk in a.uuids.chunks(100) {
                let answer = floor.send(reqwest::Method::PUT, floor.url("files/storage/"), serde_json::to_string(chunk).unwrap()).await;
                stored += answer["result"].as_array().map_or(0, Vec::len);
            }
            common::report(started, stored, 0, 0);
        }
        "convert" => {
            let paths: Vec<String> = a.uuids.iter().map(|u| format!("{u}/document/-/format/pdf/")).collect();
            let answer =
                floor.send(reqwest::Method::POST, floor.url("convert/document/"), serde_json::json!({ "paths": paths }).to_string()).await;
            let tokens: Vec<u64> = answer["result"].as_array().unwrap().iter().map(|j| j["token"].as_u64().unwrap()).collect();
            let done: Vec<bool> = stream::iter(tokens)
                .map(|token| {
                    let floor = &floor;
                    async move {
                        loop {
                            let status = floor
                                .send(reqwest::Method::GET, floor.url(&format!("convert/document/status/{token}/")), String::new())
                                .await;
                            match status["status"].as_str() {
                                Some("finished") => return true,
                                Some("failed" | "cancelled") => return false,
                                _ => tokio::time::sleep(Duration::from_millis(100)).await,
                            }
                        }
                    }
                })
                .buffer_unordered(16)
                .collect()
                .await;
            common::report(started, done.len(), done.iter().filter(|d| **d).count() as u64, 0);
        }
        // The raw sender: the same bytes, the same requests, no client logic (no checks, no
        // retries, no progress): the limit an upload client can approach.
        "upload-big" => {
            let path = &a.uuids[0];
            let size = std::fs::metadata(path).expect("the big file").len();
            let form = reqwest::multipart::Form::new()
                .text("UPLOADCARE_PUB_KEY", floor.public_key.clone())
                .text("filename", "big.bin")
                .text("size", size.to_string())
                .text("content_type", "application/octet-stream");
            let started_upload: Value =
                floor.http.post(floor.url("multipart/start/")).multipart(form).send().await.expect("start").json().await.expect("json");
            let parts: Vec<String> =
                started_upload["parts"].as_array().expect("parts").iter().map(|p| p.as_str().unwrap().to_string()).collect();
            let part_size = 5_242_880u64;
            stream::iter(parts.into_iter().enumerate())
                .map(|(n, url)| {
                    let (http, path) = (&floor.http, path.clone());
                    async move {
                        use std::io::{Read, Seek};
                        let offset = n as u64 * part_size;
                        let length = part_size.min(size - offset) as usize;
                        let bytes = tokio::task::spawn_blocking(move || {
                            let mut file = std::fs::File::open(path).expect("open");
                            file.seek(std::io::SeekFrom::Start(offset)).expect("seek");
                            let mut buffer = vec![0u8; length];
                            file.read_exact(&mut buffer).expect("read");
                            buffer
                        })
                        .await
                        .expect("read task");
                        http.put(url).body(bytes).send().await.expect("part");
                    }
                })
                .buffer_unordered(4)
                .collect::<Vec<()>>()
                .await;
            let form = reqwest::multipart::Form::new()
                .text("UPLOADCARE_PUB_KEY", floor.public_key.clone())
                .text("uuid", started_upload["uuid"].as_str().unwrap().to_string());
            let done: Value = floor
                .http
                .post(floor.url("multipart/complete/"))
                .multipart(form)
                .send()
                .await
                .expect("complete")
                .json()
                .await
                .expect("json");
            common::report(started, 1, done["size"].as_u64().unwrap_or(0), 0);
        }
        "upload-many" => {
            let sizes: Vec<u64> = stream::iter(a.uuids.iter())
                .map(|path| {
                    let floor = &floor;
                    async move {
                        let bytes = tokio::fs::read(path).await.expect("read");
                        let size = bytes.len() as u64;
                        let form = reqwest::multipart::Form::new()
                            .text("UPLOADCARE_PUB_KEY", floor.public_key.clone())
                            .part("file", reqwest::multipart::Part::bytes(bytes).file_name("small.bin"));
                        floor.http.post(floor.url("base/")).multipart(form).send().await.expect("upload").bytes().await.expect("answer");
                        size
                    }
                })
                .buffer_unordered(16)
                .collect()
                .await;
            common::report(started, sizes.len(), sizes.iter().sum(), 0);
        }
        other => panic!("unknown workload {other}"),
    }
}
