//! `NativeClient` and `NativePager`: every call returns a Promise resolved on the core's
//! tokio runtime, so the event loop never waits.

use std::sync::Arc;

use napi_derive::napi;
use ucare::ops::{self, ClientOptions, ListPager};

use crate::errors::{guarded, invalid, parse, to_js};

/// The core client.
#[napi]
pub struct NativeClient {
    client: ucare::Client,
}

#[napi]
impl NativeClient {
    /// Builds a client from JSON options (`public_key`, `secret_key`, `auth`, `base_url`,
    /// `api_version`, `timeout` in seconds, `max_retries`, `user_agent_suffix`).
    #[napi(constructor)]
    pub fn new(options: String) -> napi::Result<Self> {
        let options: ClientOptions = serde_json::from_str(&options).map_err(|e| invalid(format!("client options: {e}")))?;
        let client = ops::build_client(&options, "node").map_err(|e| to_js(&e))?;
        Ok(NativeClient { client })
    }

    /// Runs an operation of `ucare::ops` with JSON arguments; resolves to its JSON answer.
    #[napi]
    pub async fn call(&self, op: String, arguments: String) -> napi::Result<String> {
        let arguments = parse(&arguments)?;
        let client = self.client.clone();
        guarded(async move { ops::call(&client, &op, arguments).await }).await
    }

    /// A pager over `files` or `groups`; arguments are checked before anything is sent.
    #[napi]
    pub fn pager(&self, what: String, arguments: String) -> napi::Result<NativePager> {
        let pager = ListPager::new(&self.client, &what, parse(&arguments)?).map_err(|e| to_js(&e))?;
        Ok(NativePager { inner: Arc::new(tokio::sync::Mutex::new(pager)) })
    }

    /// Requests and retries made, as JSON.
    #[napi]
    pub fn stats(&self) -> String {
        let stats = self.client.stats();
        serde_json::json!({ "requests": stats.requests, "retries": stats.retries }).to_string()
    }
}

/// A listing being walked, one page in memory at a time.
#[napi]
pub struct NativePager {
    inner: Arc<tokio::sync::Mutex<ListPager>>,
}

#[napi]
impl NativePager {
    /// The next page as the server's JSON text (its frame checked by the core, the next
    /// page already on its way), or null when the listing is done.
    #[napi]
    pub async fn next_page(&self) -> napi::Result<Option<String>> {
        let inner = self.inner.clone();
        let page = guarded(async move { inner.lock().await.next_page_raw().await }).await?;
        page.map(|p| {
            String::from_utf8(p.body.to_vec())
                .map_err(|e| to_js(&ucare::Error::Decode { status: 200, message: e.to_string(), snippet: String::new() }))
        })
        .transpose()
    }
}

/// The path of a document conversion described as JSON, after the core's checks.
#[napi]
pub fn document_path(spec: String) -> napi::Result<String> {
    ops::document_path(parse(&spec)?).map_err(|e| to_js(&e))
}

/// The path of a video conversion described as JSON, after the core's checks.
#[napi]
pub fn video_path(spec: String) -> napi::Result<String> {
    ops::video_path(parse(&spec)?).map_err(|e| to_js(&e))
}

/// Whether `header` is the right `X-Uc-Signature` of `body`, compared in constant time.
#[napi]
pub fn verify_webhook(signing_secret: String, body: napi::bindgen_prelude::Buffer, header: String) -> bool {
    ucare::webhook::verify(&signing_secret, &body, &header)
}

/// The `X-Uc-Signature` value of a body.
#[napi]
pub fn sign_webhook(signing_secret: String, body: napi::bindgen_prelude::Buffer) -> String {
    ucare::webhook::sign(&signing_secret, &body)
}

/// Parses a delivered event (checked by the core's typed parser) into JSON.
#[napi]
pub fn parse_webhook_event(body: napi::bindgen_prelude::Buffer) -> napi::Result<String> {
    let event = ucare::webhook::parse_event(&body).map_err(|e| to_js(&e))?;
    serde_json::to_string(&event).map_err(invalid)
}

/// The request signature of the `Uploadcare` scheme (for checking the vectors).
#[napi]
pub fn request_signature(
    secret_key: String,
    method: String,
    body: napi::bindgen_prelude::Buffer,
    content_type: String,
    date: String,
    uri: String,
) -> String {
    ucare::auth::signature(&secret_key, &method, &body, &content_type, &date, &uri)
}
