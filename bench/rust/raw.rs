//! The raw reader: downloads the same pages and infos, and sends the same batch stores, as
//! the contenders (signed, v0.7) and parses nothing (it finds `next` by searching the bytes), so its time is the server's own
//! share: the limit any client on this machine can approach. `make bench` reports each
//! contender's time over it.

#[path = "common.rs"]
mod common;

use std::time::{Instant, SystemTime};

use bytes::Bytes;
use futures_util::{stream, StreamExt};

struct Raw {
    http: reqwest::Client,
    base: String,
    public_key: String,
    secret_key: String,
}

impl Raw {
    async fn get(&self, url: &str) -> Bytes {
        self.send(reqwest::Method::GET, url, Vec::new()).await
    }

    async fn send(&self, method: reqwest::Method, url: &str, body: Vec<u8>) -> Bytes {
        let uri = &url[self.base.trim_end_matches('/').len()..];
        let date = ucare::auth::http_date(SystemTime::now());
        let signature = ucare::auth::signature(&self.secret_key, method.as_str(), &body, "application/json", &date, uri);
        let response = self
            .http
            .request(method, url)
            .body(body)
            .header("Accept", "application/vnd.uploadcare-v0.7+json")
            .header("Content-Type", "application/json")
            .header("Date", date)
            .header("Authorization", format!("Uploadcare {}:{signature}", self.public_key))
            .send()
            .await
            .expect("request");
        response.bytes().await.expect("body")
    }
}

/// The `next` link of a page, found in its bytes without parsing the page.
fn next_link(page: &[u8]) -> Option<String> {
    let key = b"\"next\":";
    let at = page.windows(key.len()).rposition(|w| w == key)? + key.len();
    let rest = &page[at..];
    let start = rest.iter().position(|b| !b.is_ascii_whitespace())?;
    if rest[start] != b'"' {
        return None; // null: the last page
    }
    let end = rest[start + 1..].iter().position(|b| *b == b'"')?;
    Some(String::from_utf8_lossy(&rest[start + 1..start + 1 + end]).replace("\\/", "/"))
}

#[tokio::main]
async fn main() {
    let a = common::args();
    let raw = Raw { http: common::plain_http(), base: a.base.clone(), public_key: a.public_key.clone(), secret_key: a.secret_key.clone() };
    let url = |path: &str| format!("{}/{path}", a.base.trim_end_matches('/'));
    let started = Instant::now();
    match a.workload.as_str() {
        "list" => {
            let (mut next, mut pages, mut bytes, mut first) = (Some(url("files/?limit=1000")), 0, 0u64, 0);
            while let Some(link) = next {
                let page = raw.get(&link).await;
                pages += 1;
                bytes += page.len() as u64;
                first = if first == 0 { common::peak_rss_kib() } else { first };
                next = next_link(&page);
            }
            // Items are not counted (that would be parsing); pages times the page size is.
            common::report(started, pages * 1000, bytes, first);
        }
        "info-seq" => {
            let mut bytes = 0u64;
            for uuid in &a.uuids {
                bytes += raw.get(&url(&format!("files/{uuid}/"))).await.len() as u64;
            }
            common::report(started, a.uuids.len(), bytes, 0);
        }
        "info-c16" => {
            let urls: Vec<String> = a.uuids.iter().map(|uuid| url(&format!("files/{uuid}/"))).collect();
            let sizes: Vec<usize> = stream::iter(&urls).map(|u| raw.get(u)).buffer_unordered(16).map(|b| b.len()).collect().await;
            common::report(started, sizes.len(), sizes.iter().sum::<usize>() as u64, 0);
        }
        "store" => {
            // The same requests as the clients' batches (100 UUIDs each), 4 at a time as
            // ucare sends them (faster here than one at a time); answers are not parsed.
            let bodies: Vec<Vec<u8>> = a.uuids.chunks(100).map(|chunk| serde_json::to_vec(chunk).expect("uuids")).collect();
            let target = url("files/storage/");
            let sizes: Vec<usize> = stream::iter(bodies)
                .map(|body| raw.send(reqwest::Method::PUT, &target, body))
                .buffer_unordered(4)
                .map(|b| b.len())
                .collect()
                .await;
            common::report(started, a.uuids.len(), sizes.iter().sum::<usize>() as u64, 0);
        }
        other => panic!("the raw reader does list, info-seq, info-c16 and store, not {other}"),
    }
}
