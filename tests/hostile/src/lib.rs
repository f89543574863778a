//! A server that misbehaves on purpose, for the client tests of every language.
//!
//! The first path segment picks the misbehaviour, so a client configured with the base
//! URL `http://<addr>/<mode>/` meets it on every call:
//!
//! | mode | answer |
//! |---|---|
//! | `endless` | 200 whose body never ends |
//! | `declared` | 200 declaring a 100 GB `Content-Length` |
//! | `trickle` | 200 whose body comes one byte every 200 ms, forever |
//! | `silent` | nothing, ever |
//! | `unavailable` | 503 after 50 ms, every time |
//! | `repeat` | a page whose `next` is the page itself |
//! | `cycle` | pages whose `next` links go a → b → a |
//! | `userinfo` | a page whose `next` carries `user:password@` |
//! | `echo` | 400 whose `detail` is the request's `Authorization` header |
//! | `echo-page` | 200 that is not JSON and contains the `Authorization` header |
//! | `badpage` | a page whose items are not files |
//! | `badutf8` | a page with bytes that are not UTF-8 |
//! | `batch` | batch store/delete: the third request answers 400, the others succeed |
//! | `upload` | an Upload API whose multipart part URLs (`flakypart`) fail each part's first `PUT` with 503 |
//!
//! `GET /__count/<mode>` answers how many requests that mode has had.
//!
//! Beside it, [`tls::start_tls`] and [`tls::start_proxy`] serve the connection options (a
//! private CA, a forward proxy).

#![deny(missing_docs)]

pub mod tls;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Path, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde_json::{json, Value};

type Counts = Arc<Mutex<HashMap<String, u64>>>;

/// Starts the server on a free loopback port; answers its root URL (`http://127.0.0.1:N/`).
pub async fn start() -> std::io::Result<(String, tokio::task::JoinHandle<()>)> {
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0)).await?;
    let addr = listener.local_addr()?;
    let counts: Counts = Arc::default();
    let app = Router::new().route("/__count/{mode}", get(count)).fallback(misbehave).with_state(counts);
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    Ok((format!("http://{addr}/"), task))
}

async fn count(State(counts): State<Counts>, Path(mode): Path<String>) -> String {
    counts.lock().unwrap().get(&mode).copied().unwrap_or(0).to_string()
}

fn json_response(status: StatusCode, body: Value) -> Response {
    (status, [(header::CONTENT_TYPE, "application/json")], body.to_string()).into_response()
}

fn page(next: Option<String>, results: Value) -> Response {
    json_response(StatusCode::OK, json!({"next": next, "previous": null, "total": 1, "per_page": 1, "results": results}))
}

fn file(uuid: &str) -> Value {
    json!({"uuid": uuid, "original_filename": "a.txt", "mime_type": "text/plain", "size": 1, "is_image": false, "is_ready": true,
           "datetime_uploaded": "2024-01-01T00:00:00Z", "datetime_stored": "2024-01-01T00:00:00Z", "datetime_removed": null,
           "image_info": null, "original_file_url": null, "url": null, "source": null})
}

async fn misbehave(State(counts): State<Counts>, headers: HeaderMap, request: Request) -> Response {
    let path = request.uri().path().to_string();
    let query = request.uri().query().unwrap_or("").to_string();
    let mode = path.trim_start_matches('/').split('/').next().unwrap_or("").to_string();
    let seen = {
        let mut counts = counts.lock().unwrap();
        let n = counts.entry(mode.clone()).or_insert(0);
        *n += 1;
        *n
    };
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("127.0.0.1").to_string();
    let here = format!("http://{host}{path}");
    let authorization = headers.get(header::AUTHORIZATION).and_then(|h| h.to_str().ok()).unwrap_or("").to_string();
    match mode.as_str() {
        "endless" => {
            let chunk = Bytes::from(vec![b' '; 64 * 1024]);
            let body = futures_util::stream::repeat_with(move || Ok::<_, std::io::Error>(chunk.clone()));
            (StatusCode::OK, [(header::CONTENT_TYPE, "application/json")], Body::from_stream(body)).into_response()
        }
        "declared" => {
            let mut response = Response::new(Body::from_stream(futures_util::stream::pending::<Result<Bytes, std::io::Error>>()));
            response.headers_mut().insert(header::CONTENT_LENGTH, HeaderValue::from_static("100000000000"));
            response
        }
        "trickle" => {
            let body = futures_util::stream::unfold((), |()| async {
                tokio::time::sleep(Duration::from_millis(200)).await;
                Some((Ok::<_, std::io::Error>(Bytes::from_static(b" ")), ()))
            });
            (StatusCode::OK, [(header::CONTENT_TYPE, "application/json")], Body::from_stream(body)).into_response()
        }
        "silent" => std::future::pending().await,
        "unavailable" => {
            tokio::time::sleep(Duration::from_millis(50)).await;
            json_response(StatusCode::SERVICE_UNAVAILABLE, json!({"detail": "Service unavailable."}))
        }
        "repeat" => page(Some(format!("{here}?{query}")), json!([file("21975c81-7f57-4c7a-aef9-acfe28779f78")])),
        "cycle" => {
            let next = if query.contains("page=b") { "a" } else { "b" };
            page(Some(format!("{here}?page={next}")), json!([file("21975c81-7f57-4c7a-aef9-acfe28779f78")]))
        }
        "userinfo" => {
            page(Some(format!("http://user:password@{host}{path}?page=2")), json!([file("21975c81-7f57-4c7a-aef9-acfe28779f78")]))
        }
        "echo" => json_response(StatusCode::BAD_REQUEST, json!({"detail": format!("bad header: {authorization}")})),
        "echo-page" => {
            (StatusCode::OK, [(header::CONTENT_TYPE, "application/json")], format!("<html>{authorization}</html>")).into_response()
        }
        "badpage" => page(None, json!([{"uuid": 5, "size": "big"}, [1, 2]])),
        "badutf8" => {
            let mut body = br#"{"next": null, "total": 1, "per_page": 1, "results": [{"uuid": "21975c81-7f57-4c7a-aef9-acfe28779f78", "original_filename": ""#.to_vec();
            body.extend_from_slice(&[0xff, 0xfe, b'"', b'}', b']', b'}']);
            (StatusCode::OK, [(header::CONTENT_TYPE, "application/json")], body).into_response()
        }
        "upload" if path.ends_with("/multipart/start/") => {
            let body = axum::body::to_bytes(request.into_body(), 1 << 20).await.unwrap_or_default();
            let text = String::from_utf8_lossy(&body);
            let size: u64 = text
                .split("name=\"size\"")
                .nth(1)
                .and_then(|rest| rest.trim_start_matches(['\r', '\n']).lines().find(|l| !l.trim().is_empty()).map(|l| l.trim().to_string()))
                .and_then(|n| n.parse().ok())
                .unwrap_or(0);
            let parts: Vec<String> = (0..size.div_ceil(5_242_880)).map(|n| format!("http://{host}/flakypart/{n}")).collect();
            json_response(StatusCode::OK, json!({"uuid": "21975c81-7f57-4c7a-aef9-acfe28779f78", "parts": parts}))
        }
        "upload" if path.ends_with("/multipart/complete/") => {
            json_response(StatusCode::OK, json!({"uuid": "21975c81-7f57-4c7a-aef9-acfe28779f78", "size": 1, "is_ready": true}))
        }
        "flakypart" => {
            let attempts = {
                let mut counts = counts.lock().unwrap();
                let n = counts.entry(path.clone()).or_insert(0);
                *n += 1;
                *n
            };
            if attempts == 1 {
                json_response(StatusCode::SERVICE_UNAVAILABLE, json!({}))
            } else {
                StatusCode::OK.into_response()
            }
        }
        "batch" => {
            if seen == 3 {
                return json_response(StatusCode::BAD_REQUEST, json!({"detail": "Expected list of UUIDs"}));
            }
            let body = axum::body::to_bytes(request.into_body(), 1 << 20).await.unwrap_or_default();
            let uuids: Vec<String> = serde_json::from_slice(&body).unwrap_or_default();
            let result: Vec<Value> = uuids.iter().map(|u| file(u)).collect();
            json_response(StatusCode::OK, json!({"status": "ok", "problems": {}, "result": result}))
        }
        _ => json_response(StatusCode::NOT_FOUND, json!({"detail": "Not found."})),
    }
}
