//! Shared by the emulator's HTTP tests: a plain signed client (reqwest) for either API
//! version, and an emulator to point it at.
#![allow(dead_code)]

use std::time::SystemTime;

use reqwest::{Method, StatusCode};
use serde_json::Value;
use ucare_emulator::{Config, Emulator};

/// The v0.7 `Accept`.
pub const V07: &str = "application/vnd.uploadcare-v0.7+json";

pub const ACCEPT: &str = "application/vnd.uploadcare-v0.5+json";

pub struct Raw {
    pub http: reqwest::Client,
    pub base: String,
    pub public_key: String,
    pub secret: String,
    /// The `Accept` sent: the API version spoken.
    pub accept: &'static str,
}

impl Raw {
    pub fn new(emulator: &Emulator) -> Self {
        Raw {
            http: reqwest::Client::new(),
            base: emulator.base_url(),
            public_key: emulator.public_key().into(),
            secret: emulator.secret_key().into(),
            accept: ACCEPT,
        }
    }

    /// The same client speaking v0.7.
    pub fn v07(&self) -> Raw {
        Raw {
            accept: V07,
            http: self.http.clone(),
            base: self.base.clone(),
            public_key: self.public_key.clone(),
            secret: self.secret.clone(),
        }
    }

    /// A request signed for `signed_uri` at `date` but sent to `sent_uri` (the same one,
    /// except in tests of tampering).
    pub fn request(&self, method: Method, signed_uri: &str, sent_uri: &str, body: &str, date: SystemTime) -> reqwest::RequestBuilder {
        let date = httpdate::fmt_http_date(date);
        let signature = ucare::auth::signature(&self.secret, method.as_str(), body.as_bytes(), "application/json", &date, signed_uri);
        self.http
            .request(method, format!("{}{}", self.base.trim_end_matches('/'), sent_uri))
            .header("Accept", self.accept)
            .header("Content-Type", "application/json")
            .header("Date", date)
            .header("Authorization", format!("Uploadcare {}:{signature}", self.public_key))
            .body(body.to_string())
    }

    /// A signed request to `uri` (path and query, as sent), at `date`.
    pub async fn signed_at(&self, method: Method, uri: &str, body: &str, date: SystemTime) -> reqwest::Response {
        self.request(method, uri, uri, body, date).send().await.unwrap()
    }

    /// A signed request to `uri`, not yet sent (to add headers).
    pub fn signed_request(&self, method: Method, uri: &str) -> reqwest::RequestBuilder {
        self.request(method, uri, uri, "", SystemTime::now())
    }

    pub async fn signed(&self, method: Method, uri: &str, body: &str) -> reqwest::Response {
        self.signed_at(method, uri, body, SystemTime::now()).await
    }

    pub async fn json(&self, method: Method, uri: &str, body: &str) -> (StatusCode, Value) {
        let response = self.signed(method, uri, body).await;
        let status = response.status();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    /// Follows an absolute `next`/`previous` URL as given.
    pub async fn follow(&self, url: &str) -> Value {
        let uri = &url[self.base.trim_end_matches('/').len()..];
        let (status, page) = self.json(Method::GET, uri, "").await;
        assert_eq!(status, StatusCode::OK, "{url}");
        page
    }

    pub async fn upload(&self, name: &str, bytes: Vec<u8>, store: &str) -> String {
        let form = reqwest::multipart::Form::new()
            .text("UPLOADCARE_PUB_KEY", self.public_key.clone())
            .text("UPLOADCARE_STORE", store.to_string())
            .part("file", reqwest::multipart::Part::bytes(bytes).file_name(name.to_string()));
        let answer: Value = self.http.post(format!("{}base/", self.base)).multipart(form).send().await.unwrap().json().await.unwrap();
        answer["file"].as_str().unwrap().to_string()
    }
}

pub async fn start(config: Config) -> (Emulator, Raw) {
    let emulator = Emulator::start(config).await.unwrap();
    let raw = Raw::new(&emulator);
    (emulator, raw)
}
