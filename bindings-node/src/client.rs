//! `NativeClient` and `NativePager`: every call returns a Promise resolved on the core's
//! tokio runtime, so the event loop never waits; a `CancelToken` (fired by an
//! `AbortSignal`) drops the call's future, which ends its request and its retries.

use std::future::Future;
use std::sync::Arc;

use napi::bindgen_prelude::{Buffer, Either, FnArgs, Null, PromiseRaw};
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use napi::{Env, Status};
use napi_derive::napi;
use ucare::uploads::Source;
use ucare_bindings::{self as ops, AnyClient, ListPager};

use crate::errors::{aborted_description, guard, invalid, parse, settled, to_js};

/// Cancels the calls it is passed to; the JS layer fires it from an `AbortSignal`.
#[napi]
pub struct CancelToken {
    fired: tokio::sync::watch::Sender<bool>,
}

#[napi]
impl CancelToken {
    /// A token not yet fired.
    #[napi(constructor)]
    pub fn new() -> Self {
        CancelToken { fired: tokio::sync::watch::Sender::new(false) }
    }

    /// Cancels every call made with this token, now and later.
    #[napi]
    pub fn cancel(&self) {
        self.fired.send_replace(true);
    }
}

impl Default for CancelToken {
    fn default() -> Self {
        Self::new()
    }
}

/// Runs a core future as a Promise that resolves to its answer, or to a [`Failure`]
/// carrying the error as a structured value (kind, message, status, detail, retryAfter,
/// snippet, fields, batch): napi rejections can carry only a message, and the error's fields
/// must not travel as text to be parsed again. When `token` fires first the future is
/// dropped and the failure is an abort.
fn promise<'env, T, F>(env: &'env Env, token: Option<&CancelToken>, future: F) -> napi::Result<Settled<'env, T>>
where
    T: napi::bindgen_prelude::ToNapiValue + Send + 'static,
    F: Future<Output = ucare::Result<T>> + Send + 'static,
{
    let mut fired = token.map(|t| t.fired.subscribe());
    env.spawn_future(async move {
        let outcome = match fired.as_mut() {
            None => settled(future).await,
            Some(fired) => {
                tokio::select! {
                    biased;
                    _ = fired.wait_for(|fired| *fired) => Err(aborted_description()),
                    outcome = settled(future) => outcome,
                }
            }
        };
        Ok(match outcome {
            Ok(value) => Either::A(value),
            Err(failure) => Either::B(Failure { failure }),
        })
    })
}

/// The Promise of a call: its answer, or a [`Failure`].
type Settled<'env, T> = PromiseRaw<'env, Either<T, Failure>>;

/// What a Promise of the native module resolves to when its call failed: `{ failure }`, the
/// error's description, which the JS layer throws as the matching error class.
#[napi(object)]
pub struct Failure {
    /// The error: `kind`, `message`, `status`, `detail`, `retryAfter`, `snippet`, `fields`, `batch`.
    pub failure: serde_json::Value,
}

/// The core client.
#[napi]
pub struct NativeClient {
    client: AnyClient,
}

impl NativeClient {
    /// The client with one call's options (`{"timeout", "max_retries"}` as JSON), if any.
    fn client_for(&self, options: Option<String>) -> napi::Result<AnyClient> {
        match options {
            None => Ok(self.client.clone()),
            Some(text) => self.client.with_call_options(parse(&text)?).map_err(|e| to_js(&e)),
        }
    }
}

/// One attempt of the request log, as `onRequest` receives it.
#[napi(object)]
pub struct RequestEntry {
    pub method: String,
    pub path: String,
    /// Null when no answer came (see `error`).
    pub status: Either<u32, Null>,
    pub attempt: u32,
    pub elapsed_ms: f64,
    /// Why the attempt failed without an answer, redacted by the core.
    pub error: Either<String, Null>,
}

/// The request log hook, called on the JS thread; weak, so it does not keep the process alive.
type RequestHook = ThreadsafeFunction<RequestEntry, (), RequestEntry, Status, false, true>;

/// Calls to JS from the core's threads: the request log.
fn request_hook(hook: RequestHook) -> impl Fn(&ucare::RequestLog) + Send + Sync + 'static {
    move |entry: &ucare::RequestLog| {
        let entry = RequestEntry {
            method: entry.method.clone(),
            path: entry.path.clone(),
            status: entry.status.map_or(Either::B(Null), |status| Either::A(status.into())),
            attempt: entry.attempt,
            elapsed_ms: entry.elapsed.as_secs_f64() * 1000.0,
            error: entry.error.clone().map_or(Either::B(Null), Either::A),
        };
        hook.call(entry, ThreadsafeFunctionCallMode::NonBlocking);
    }
}

/// Upload progress `(sent, total)`, called on the JS thread.
type ProgressHook = ThreadsafeFunction<FnArgs<(f64, f64)>, (), FnArgs<(f64, f64)>, Status, false>;

#[napi]
impl NativeClient {
    /// Builds a client from JSON options (`public_key`, `secret_key`, `auth`, `base_url`,
    /// `api_version`, `timeout` in seconds, `max_retries`, `user_agent_suffix`);
    /// `on_request` receives the request log.
    #[napi(constructor)]
    pub fn new(env: Env, options: String, on_request: Option<RequestHook>) -> napi::Result<Self> {
        guard(&env, || {
            let options = ops::client_options(parse(&options)?).map_err(|e| to_js(&e))?;
            let hook = on_request.map(request_hook);
            let client = ops::build_client(&options, "node", hook).map_err(|e| to_js(&e))?;
            Ok(NativeClient { client })
        })
    }

    /// `0.7` or `0.5`.
    #[napi(getter)]
    pub fn api_version(&self) -> String {
        self.client.version().to_string()
    }

    /// Runs an operation of `ucare_bindings::Op` with JSON arguments and this call's
    /// options; resolves to its JSON answer. A fired `cancel` token drops it.
    #[napi(ts_return_type = "Promise<string | Failure>")]
    pub fn call<'env>(
        &self,
        env: &'env Env,
        op: String,
        arguments: String,
        options: Option<String>,
        cancel: Option<&CancelToken>,
    ) -> napi::Result<Settled<'env, String>> {
        guard(env, || {
            let arguments = parse(&arguments)?;
            let client = self.client_for(options)?;
            promise(env, cancel, async move { ops::call(&client, &op, arguments, serde_json::Value::Null).await })
        })
    }

    /// Stores (`store` true) or removes the files of the JSON arguments (`{"uuids": [...]}`)
    /// in batches; resolves to the merged answer with its files packed (see `packed.rs`).
    #[napi(ts_return_type = "Promise<string | Failure>")]
    pub fn file_batch<'env>(
        &self,
        env: &'env Env,
        arguments: String,
        store: bool,
        options: Option<String>,
        cancel: Option<&CancelToken>,
    ) -> napi::Result<Settled<'env, String>> {
        guard(env, || {
            let arguments = parse(&arguments)?;
            let client = self.client_for(options)?;
            promise(env, cancel, async move { crate::packed::file_batch(&ops::file_batch(&client, arguments, store).await?) })
        })
    }

    /// Uploads `source` (a Buffer, or a path as a string) with JSON arguments (see
    /// `ops::UploadArgs`); `progress(sent, total)` is called on the JS thread as parts are
    /// acknowledged. Resolves to the REST File as JSON; a fired `cancel` token stops it.
    #[napi(ts_return_type = "Promise<string | Failure>")]
    pub fn upload<'env>(
        &self,
        env: &'env Env,
        source: Either<Buffer, String>,
        arguments: String,
        progress: Option<ProgressHook>,
        options: Option<String>,
        cancel: Option<&CancelToken>,
    ) -> napi::Result<Settled<'env, String>> {
        guard(env, || {
            let (source, args) = upload_input(source, &arguments)?;
            let progress = progress_fn(progress);
            let client = self.client_for(options)?;
            promise(env, cancel, async move { ops::upload(&client, source, args, progress).await })
        })
    }

    /// Many uploads (`[[source, argumentsJson], ...]`), `concurrency` at a time; resolves to
    /// JSON `{"files": [File JSON or null], "errors": [[index, error description], ...]}`.
    #[napi(ts_return_type = "Promise<string | Failure>")]
    pub fn upload_many<'env>(
        &self,
        env: &'env Env,
        sources: Vec<Either<Buffer, String>>,
        arguments: Vec<String>,
        concurrency: u32,
        cancel: Option<&CancelToken>,
    ) -> napi::Result<Settled<'env, String>> {
        guard(env, || {
            if sources.len() != arguments.len() {
                return Err(invalid("one arguments object per source"));
            }
            let inputs = sources.into_iter().zip(arguments).map(|(s, a)| upload_input(s, &a)).collect::<napi::Result<Vec<_>>>()?;
            let client = self.client.clone();
            promise(env, cancel, async move {
                let (files, errors) = ops::upload_many(&client, inputs, concurrency as usize).await?;
                // Each file is already JSON from the core: spliced in as it is, not parsed
                // and written again.
                let files: Vec<&str> = files.iter().map(|f| f.as_deref().unwrap_or("null")).collect();
                let errors: Vec<serde_json::Value> =
                    errors.iter().map(|(i, e)| serde_json::json!([i, crate::errors::describe(e)])).collect();
                Ok(format!(r#"{{"files":[{}],"errors":{}}}"#, files.join(","), serde_json::Value::from(errors)))
            })
        })
    }

    /// Uploads from a URL and waits; resolves to the REST File as JSON.
    #[napi(ts_return_type = "Promise<string | Failure>")]
    pub fn upload_from_url<'env>(
        &self,
        env: &'env Env,
        url: String,
        arguments: String,
        options: Option<String>,
        cancel: Option<&CancelToken>,
    ) -> napi::Result<Settled<'env, String>> {
        guard(env, || {
            let arguments = parse(&arguments)?;
            let client = self.client_for(options)?;
            promise(env, cancel, async move { ops::upload_from_url(&client, &url, arguments).await })
        })
    }

    /// Makes a group of uploaded files through the Upload API; resolves to the REST group as JSON.
    #[napi(ts_return_type = "Promise<string | Failure>")]
    pub fn create_group<'env>(
        &self,
        env: &'env Env,
        files: Vec<String>,
        cancel: Option<&CancelToken>,
    ) -> napi::Result<Settled<'env, String>> {
        guard(env, || {
            let client = self.client.clone();
            promise(env, cancel, async move { ops::create_group(&client, files).await })
        })
    }

    /// A pager over `files` or `groups`; arguments are checked before anything is sent.
    #[napi]
    pub fn pager(&self, env: Env, what: String, arguments: String, options: Option<String>) -> napi::Result<NativePager> {
        guard(&env, || {
            let pager = ListPager::new(&self.client_for(options)?, &what, parse(&arguments)?).map_err(|e| to_js(&e))?;
            Ok(NativePager { inner: Arc::new(tokio::sync::Mutex::new(pager)) })
        })
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
    /// The next page as JSON text, or null when the listing is done: a page of files
    /// packed (see `packed.rs`; decoded by the core off this thread), a page of groups as
    /// the server sent it (checked whole by the core). The next page is already on its way.
    /// A fired `cancel` token drops the fetch; the listing can go on from the same page.
    #[napi(ts_return_type = "Promise<string | null | Failure>")]
    pub fn next_page<'env>(&self, env: &'env Env, cancel: Option<&CancelToken>) -> napi::Result<Settled<'env, Option<String>>> {
        let inner = self.inner.clone();
        promise(env, cancel, async move {
            let mut pager = inner.lock().await;
            if matches!(*pager, ListPager::Files05(_) | ListPager::Files07(_)) {
                let Some(page) = pager.next_files().await? else { return Ok(None) };
                let packed = crate::packed::file_page(&page).map(Some);
                // Freeing a thousand decoded files takes a tenth of a millisecond: done
                // beside, so that the text reaches JavaScript first.
                tokio::spawn(async move { drop(page) });
                return packed;
            }
            let Some(page) = pager.next_page_raw().await? else { return Ok(None) };
            String::from_utf8(page.body.to_vec()).map(Some).map_err(|e| ucare::Error::Decode {
                status: 200,
                message: format!("the page is not UTF-8: {e}"),
                snippet: String::from_utf8_lossy(&page.body[..page.body.len().min(200)]).into_owned(),
            })
        })
    }
}

/// A page of files as JSON (`files/` of `apiVersion`, the server's shape) decoded by the
/// core, then packed as `NativePager.nextPage` sends it; for the parity tests of
/// `models.js`.
#[napi]
pub fn pack_file_page(env: Env, api_version: String, page: String) -> napi::Result<String> {
    guard(&env, || crate::packed::file_page(&file_page(&api_version, &page)?).map_err(|e| to_js(&e)))
}

/// The files of a page (as `packFilePage` takes it) decoded by the core and written back
/// as JSON, as `files.info` answers a file; for the parity tests of `models.js`.
#[napi]
pub fn file_page_results(env: Env, api_version: String, page: String) -> napi::Result<String> {
    guard(&env, || {
        let json = match file_page(&api_version, &page)? {
            ucare_bindings::FilePage::V05(p) => serde_json::to_string(&p.results),
            ucare_bindings::FilePage::V07(p) => serde_json::to_string(&p.results),
        };
        json.map_err(|e| invalid(e.to_string()))
    })
}

fn file_page(api_version: &str, page: &str) -> napi::Result<ucare_bindings::FilePage> {
    let bad = |e: serde_json::Error| invalid(format!("not a page of files: {e}"));
    match api_version {
        "0.5" => Ok(ucare_bindings::FilePage::V05(serde_json::from_str(page).map_err(bad)?)),
        "0.7" => Ok(ucare_bindings::FilePage::V07(serde_json::from_str(page).map_err(bad)?)),
        other => Err(invalid(format!("no API version {other}"))),
    }
}

/// Whether `name` is an operation of the core (the test suite checks every name sent).
#[napi]
pub fn is_operation(name: String) -> bool {
    ops::is_operation(&name)
}

/// The JSON Schemas of the models, made from the Rust definitions (for the parity tests).
#[napi]
pub fn models_schema() -> String {
    ucare_bindings::schema::models().to_string()
}

/// The path of a document conversion described as JSON, after the core's checks.
#[napi]
pub fn document_path(env: Env, spec: String) -> napi::Result<String> {
    guard(&env, || ops::document_path(parse(&spec)?).map_err(|e| to_js(&e)))
}

/// The path of a video conversion described as JSON, after the core's checks.
#[napi]
pub fn video_path(env: Env, spec: String) -> napi::Result<String> {
    guard(&env, || ops::video_path(parse(&spec)?).map_err(|e| to_js(&e)))
}

/// Whether `header` is the right `X-Uc-Signature` of `body`, compared in constant time; an
/// empty secret is an error, never a match.
#[napi]
pub fn verify_webhook(env: Env, signing_secret: String, body: napi::bindgen_prelude::Buffer, header: String) -> napi::Result<bool> {
    guard(&env, || ucare::webhook::verify(&signing_secret, &body, &header).map_err(|e| to_js(&e)))
}

/// The `X-Uc-Signature` value of a body; an empty secret is an error.
#[napi]
pub fn sign_webhook(env: Env, signing_secret: String, body: napi::bindgen_prelude::Buffer) -> napi::Result<String> {
    guard(&env, || ucare::webhook::sign(&signing_secret, &body).map_err(|e| to_js(&e)))
}

/// Parses a delivered event (checked by the core's typed parser) into JSON.
#[napi]
pub fn parse_webhook_event(env: Env, body: napi::bindgen_prelude::Buffer) -> napi::Result<String> {
    guard(&env, || {
        let event = ucare::webhook::parse_event_as::<ucare::v05::File>(&body).map_err(|e| to_js(&e))?;
        serde_json::to_string(&event).map_err(invalid)
    })
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

/// What to upload: a Buffer's bytes (copied, the JS side may reuse it) or a path.
fn upload_input(source: Either<Buffer, String>, arguments: &str) -> napi::Result<(Source, ops::UploadArgs)> {
    let value = parse(arguments)?;
    let name = value.get("name").and_then(|n| n.as_str()).unwrap_or("file").to_string();
    let args = ops::UploadArgs::from_json(value).map_err(|e| to_js(&e))?;
    let source = match source {
        Either::A(bytes) => Source::bytes(bytes.to_vec(), name),
        Either::B(path) => Source::path(path),
    };
    Ok((source, args))
}

/// A JS function as a progress report, called on the JS thread.
fn progress_fn(progress: Option<ProgressHook>) -> Option<ops::ProgressFn> {
    let hook = progress?;
    Some(Arc::new(move |sent, total| {
        hook.call((sent as f64, total as f64).into(), ThreadsafeFunctionCallMode::NonBlocking);
    }))
}
