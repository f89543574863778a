//! Sending one request: signing, retries with backoff, and turning answers into errors.

use std::sync::atomic::Ordering;
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use reqwest::Method;
use serde::de::DeserializeOwned;
use url::Url;

use crate::auth::{self, AuthScheme};
use crate::client::{RequestLog, Runtime};
use crate::error::{snippet, Error, FieldErrors, Result};

/// The content type of every request body, and the one that requests are signed with.
const CONTENT_TYPE: &str = "application/json";

/// When and how often a failed request is repeated.
///
/// 429 is repeated for every method, after the server's `Retry-After` when it is at most
/// `max_retry_after` (a longer wait is handed to the caller as the throttled error).
/// 5xx answers, timeouts and dropped connections are repeated for GET, PUT and DELETE,
/// which are idempotent in this API. A POST is repeated only when it never reached the
/// server (the connection could not be made).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RetryPolicy {
    /// How many times a request is repeated at most.
    pub max_retries: u32,
    /// The first backoff; each next one doubles, with jitter.
    pub initial_backoff: Duration,
    /// The longest backoff between two attempts.
    pub max_backoff: Duration,
    /// The longest `Retry-After` that is waited out rather than returned.
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 3,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// The wait before retry number `retry` (1-based): exponential, capped, with jitter in
    /// [50%, 100%] so that many clients do not retry in step.
    pub fn backoff(&self, retry: u32) -> Duration {
        let exp = self.initial_backoff.saturating_mul(1u32 << retry.saturating_sub(1).min(16));
        let capped = exp.min(self.max_backoff);
        capped.mul_f64(0.5 + fastrand::f64() * 0.5)
    }
}

/// What the retry loop decided about one attempt's outcome.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Decision {
    Retry(Option<Duration>),
    GiveUp,
}

/// Whether to repeat after an answer with `status`.
pub(crate) fn decide_status(
    policy: &RetryPolicy,
    method: &Method,
    status: u16,
    retry_after: Option<Duration>,
    retries_done: u32,
) -> Decision {
    if retries_done >= policy.max_retries {
        return Decision::GiveUp;
    }
    match status {
        429 => match retry_after {
            Some(wait) if wait > policy.max_retry_after => Decision::GiveUp,
            wait => Decision::Retry(wait),
        },
        500..=599 if is_idempotent(method) => Decision::Retry(None),
        _ => Decision::GiveUp,
    }
}

/// Whether to repeat after a transport failure; `reached_server` is false when the
/// connection could not even be made.
pub(crate) fn decide_transport(policy: &RetryPolicy, method: &Method, reached_server: bool, retries_done: u32) -> Decision {
    if retries_done >= policy.max_retries {
        return Decision::GiveUp;
    }
    if is_idempotent(method) || !reached_server {
        Decision::Retry(None)
    } else {
        Decision::GiveUp
    }
}

fn is_idempotent(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::PUT | Method::DELETE | Method::HEAD)
}

fn parse_retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    let value = headers.get(reqwest::header::RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(SystemTime::now()).unwrap_or_default())
}

/// The `detail` of an error body (or, for a field-error body, the fields' messages as one
/// line), and the per-field messages; a snippet of the body when it is neither.
fn error_detail(body: &[u8]) -> (String, FieldErrors) {
    #[derive(serde::Deserialize)]
    struct Detail {
        detail: serde_json::Value,
    }
    if let Ok(Detail { detail }) = serde_json::from_slice::<Detail>(body) {
        let text = match detail {
            serde_json::Value::String(s) => s,
            other => other.to_string(),
        };
        return (text, FieldErrors::new());
    }
    // `{"target": ["Must be a valid UUID."]}`, `{"non_field_errors": [...]}`.
    if let Ok(fields) = serde_json::from_slice::<FieldErrors>(body) {
        if !fields.is_empty() {
            let text = fields.iter().map(|(field, messages)| format!("{field}: {}", messages.join(" "))).collect::<Vec<_>>().join("; ");
            return (text, fields);
        }
    }
    let text = if body.is_empty() { "(empty body)".to_string() } else { snippet(body) };
    (text, FieldErrors::new())
}

/// The message of a reqwest error with its causes, which carry the useful part
/// ("connection refused", "unexpected end of file").
fn describe(error: &reqwest::Error) -> String {
    let mut message = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    message
}

/// The path and query of a URL as they go on the wire, which is what gets signed.
fn path_and_query(url: &Url) -> String {
    match url.query() {
        Some(query) => format!("{}?{}", url.path(), query),
        None => url.path().to_string(),
    }
}

impl Runtime {
    /// An absolute URL for a path relative to the API root (`files/`, `groups/<id>/`).
    pub(crate) fn url(&self, path: &str) -> Url {
        self.inner.base.join(path).expect("paths built by this crate are valid")
    }

    /// A URL the server handed out (`next`, `previous`), accepted only on the API's host and
    /// without credentials of its own, so that a signed request never goes elsewhere nor
    /// carries a second `Authorization`.
    pub(crate) fn followed_url(&self, url: &str) -> Result<Url> {
        let refuse = |message: String| self.inner.redactor.error(Error::Decode { status: 200, message, snippet: snippet(url.as_bytes()) });
        if url.chars().any(char::is_control) {
            // The URL parser would silently drop tabs and newlines: refuse instead.
            return Err(refuse("page URL contains control characters".into()));
        }
        let parsed = Url::parse(url).map_err(|e| refuse(format!("bad page URL: {e}")))?;
        if parsed.origin() != self.inner.base.origin() {
            // With the simple scheme the secret travels in the header: never send it to a
            // host other than the one the client was configured with.
            return Err(refuse(format!("page URL points to another host than {}", self.inner.base.origin().ascii_serialization())));
        }
        if !parsed.username().is_empty() || parsed.password().is_some() {
            return Err(refuse("page URL carries a user name or password".into()));
        }
        Ok(parsed)
    }

    pub(crate) async fn get_json<T: DeserializeOwned>(&self, path: &str) -> Result<T> {
        let url = self.url(path);
        self.request_json(Method::GET, url, None).await
    }

    pub(crate) async fn request_json<T: DeserializeOwned>(&self, method: Method, url: Url, body: Option<Vec<u8>>) -> Result<T> {
        let (status, bytes) = self.send(method, url, body).await?;
        self.decode(status, &bytes)
    }

    /// The error with every server-given text cleared of the secret key.
    pub(crate) fn redact(&self, error: Error) -> Error {
        self.inner.redactor.error(error)
    }

    /// Parses a success body into `T`; the error's snippet is cleared of the secret key.
    pub(crate) fn decode<T: DeserializeOwned>(&self, status: u16, bytes: &[u8]) -> Result<T> {
        decode(status, bytes).map_err(|e| self.inner.redactor.error(e))
    }

    /// Sends with retries; returns the status and body of a 2xx answer, or the error, with
    /// every text that came from the server cleared of the secret key.
    pub(crate) async fn send(&self, method: Method, url: Url, body: Option<Vec<u8>>) -> Result<(u16, Bytes)> {
        self.send_unredacted(method, url, body).await.map_err(|e| self.inner.redactor.error(e))
    }

    async fn send_unredacted(&self, method: Method, url: Url, body: Option<Vec<u8>>) -> Result<(u16, Bytes)> {
        let inner = &self.inner;
        let uri = path_and_query(&url);
        let body = body.map(Bytes::from).unwrap_or_default();
        let path = url.path().to_string();
        self.with_retries(&method, &path, || {
            // Signed anew for each attempt: the date moves on.
            let date = auth::http_date(SystemTime::now());
            let authorization = match inner.auth {
                AuthScheme::Signed => {
                    let sig = auth::signature(inner.secret_key.expose(), method.as_str(), &body, CONTENT_TYPE, &date, &uri);
                    format!("Uploadcare {}:{}", inner.public_key, sig)
                }
                AuthScheme::Simple => format!("Uploadcare.Simple {}:{}", inner.public_key, inner.secret_key.expose()),
            };
            inner
                .http()
                .request(method.clone(), url.clone())
                .header(reqwest::header::ACCEPT, &inner.accept)
                .header(reqwest::header::CONTENT_TYPE, CONTENT_TYPE)
                .header(reqwest::header::DATE, date)
                .header(reqwest::header::AUTHORIZATION, authorization)
                .body(body.clone())
        })
        .await
    }

    /// Sends what `build` makes, with the retry policy: `method` decides what may be
    /// repeated, `path` names the request in errors. `build` is called for every attempt.
    pub(crate) async fn with_retries(
        &self,
        method: &Method,
        path: &str,
        build: impl Fn() -> reqwest::RequestBuilder,
    ) -> Result<(u16, Bytes)> {
        let inner = &self.inner;
        let (policy, timeout) = (self.retry(), self.timeout());
        let mut retries_done = 0u32;
        loop {
            // The client the request was built with sends it (one pid check per attempt).
            let (http, request) = build().build_split();
            let mut request = request
                // Nothing left the machine: this is bad input, never an unknown outcome, and
                // repeating it cannot help. (The builder checks headers, so this is a guard.)
                .map_err(|e| Error::invalid(format!("the request could not be built: {}", describe(&e))))?;
            *request.timeout_mut() = Some(timeout);
            inner.stats.requests.fetch_add(1, Ordering::Relaxed);
            let started = std::time::Instant::now();
            let outcome = match http.execute(request).await {
                Ok(response) => {
                    let status = response.status().as_u16();
                    let retry_after = parse_retry_after(response.headers());
                    match read_capped(response, inner.max_response_bytes).await {
                        Ok(bytes) => Ok((status, retry_after, bytes)),
                        Err(Read::TooLarge { head }) => {
                            return Err(Error::Decode {
                                status,
                                message: format!(
                                    "the answer is larger than {} bytes (the client's max_response_bytes); it was not read",
                                    inner.max_response_bytes
                                ),
                                snippet: snippet(&head),
                            })
                        }
                        Err(Read::Failed(e)) => Err((true, e)),
                    }
                }
                Err(e) => Err((!e.is_connect(), e)),
            };
            self.log(RequestLog {
                method: method.to_string(),
                path: path.to_string(),
                status: outcome.as_ref().ok().map(|(status, _, _)| *status),
                attempt: retries_done + 1,
                elapsed: started.elapsed(),
                error: outcome.as_ref().err().map(|(_, e)| inner.redactor.text(&describe(e))),
            });
            let decision = match &outcome {
                Ok((status, _, bytes)) if (200..300).contains(status) => return Ok((*status, bytes.clone())),
                Ok((status, retry_after, _)) => decide_status(&policy, method, *status, *retry_after, retries_done),
                Err((reached_server, _)) => decide_transport(&policy, method, *reached_server, retries_done),
            };
            match decision {
                Decision::Retry(wait) => {
                    retries_done += 1;
                    inner.stats.retries.fetch_add(1, Ordering::Relaxed);
                    let backoff = policy.backoff(retries_done);
                    tracing::debug!(%method, path = %path, retry = retries_done, "retrying");
                    tokio::time::sleep(wait.unwrap_or(backoff)).await;
                }
                Decision::GiveUp => {
                    return Err(match outcome {
                        Ok((status, retry_after, bytes)) => {
                            let (detail, fields) = error_detail(&bytes);
                            Error::Api { status, detail, retry_after, fields }
                        }
                        Err((reached_server, e)) if *method == Method::POST && reached_server => Error::OutcomeUnknown {
                            method: method.to_string(),
                            path: path.to_string(),
                            reason: if e.is_timeout() { format!("no answer within {timeout:?}") } else { describe(&e) },
                        },
                        Err((_, e)) if e.is_timeout() => Error::Timeout(timeout),
                        Err((_, e)) => Error::Transport(describe(&e)),
                    });
                }
            }
        }
    }
}

impl Runtime {
    /// Reports one attempt to the client's hook and as a `tracing` event.
    fn log(&self, entry: RequestLog) {
        tracing::debug!(
            target: "ucare::request",
            method = %entry.method,
            path = %entry.path,
            status = entry.status,
            attempt = entry.attempt,
            elapsed_ms = entry.elapsed.as_secs_f64() * 1000.0,
            error = entry.error.as_deref(),
        );
        if let Some(hook) = &self.inner.on_request {
            hook(&entry);
        }
    }
}

/// Why an answer's body was not read.
enum Read {
    /// It is bigger than the cap; `head` is what had come so far (at most the cap).
    TooLarge { head: Bytes },
    /// The connection failed while reading.
    Failed(reqwest::Error),
}

/// Reads a body, refusing one larger than `cap` bytes before buffering it: by its declared
/// `Content-Length` at once, or as soon as the bytes read pass the cap.
async fn read_capped(mut response: reqwest::Response, cap: usize) -> std::result::Result<Bytes, Read> {
    let declared = response.content_length();
    if declared.is_some_and(|len| len > cap as u64) {
        return Err(Read::TooLarge { head: Bytes::new() });
    }
    let mut body = bytes::BytesMut::with_capacity(declared.map_or(16 * 1024, |len| len as usize));
    while let Some(chunk) = response.chunk().await.map_err(Read::Failed)? {
        if body.len() + chunk.len() > cap {
            body.truncate(256);
            return Err(Read::TooLarge { head: body.freeze() });
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}

/// Parses a success body into `T`, or a decode error with a snippet of what came back.
///
/// A body that is UTF-8 as a whole is read as text: checking it once is cheaper than
/// checking each of its strings (a fifth of the time of a page of 1,000 files). Any other
/// body is read as bytes, so that the error is the one serde_json gives there.
pub(crate) fn decode<T: DeserializeOwned>(status: u16, bytes: &[u8]) -> Result<T> {
    let decoded = match std::str::from_utf8(bytes) {
        Ok(text) => serde_json::from_str(text),
        Err(_) => serde_json::from_slice(bytes),
    };
    decoded.map_err(|e| Error::Decode { status, message: e.to_string(), snippet: snippet(bytes) })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> RetryPolicy {
        RetryPolicy { max_retries: 2, ..RetryPolicy::default() }
    }

    #[test]
    fn throttled_is_retried_for_every_method_after_retry_after() {
        let wait = Some(Duration::from_secs(3));
        assert_eq!(decide_status(&policy(), &Method::POST, 429, wait, 0), Decision::Retry(wait));
        assert_eq!(decide_status(&policy(), &Method::GET, 429, None, 1), Decision::Retry(None));
    }

    #[test]
    fn a_retry_after_past_the_cap_is_handed_to_the_caller() {
        assert_eq!(decide_status(&policy(), &Method::GET, 429, Some(Duration::from_secs(3600)), 0), Decision::GiveUp);
    }

    #[test]
    fn server_errors_are_retried_only_for_idempotent_methods() {
        assert_eq!(decide_status(&policy(), &Method::GET, 503, None, 0), Decision::Retry(None));
        assert_eq!(decide_status(&policy(), &Method::PUT, 500, None, 0), Decision::Retry(None));
        assert_eq!(decide_status(&policy(), &Method::DELETE, 502, None, 0), Decision::Retry(None));
        assert_eq!(decide_status(&policy(), &Method::POST, 500, None, 0), Decision::GiveUp);
    }

    #[test]
    fn client_errors_are_not_retried() {
        for status in [400, 401, 403, 404, 406] {
            assert_eq!(decide_status(&policy(), &Method::GET, status, None, 0), Decision::GiveUp);
        }
    }

    #[test]
    fn retries_stop_at_the_bound() {
        assert_eq!(decide_status(&policy(), &Method::GET, 503, None, 2), Decision::GiveUp);
        assert_eq!(decide_transport(&policy(), &Method::GET, true, 2), Decision::GiveUp);
    }

    #[test]
    fn a_post_is_repeated_only_if_it_never_left() {
        assert_eq!(decide_transport(&policy(), &Method::POST, false, 0), Decision::Retry(None));
        assert_eq!(decide_transport(&policy(), &Method::POST, true, 0), Decision::GiveUp);
        assert_eq!(decide_transport(&policy(), &Method::GET, true, 0), Decision::Retry(None));
    }

    #[test]
    fn backoff_grows_is_capped_and_jittered() {
        let p = RetryPolicy { initial_backoff: Duration::from_millis(100), max_backoff: Duration::from_millis(350), ..policy() };
        for _ in 0..50 {
            let first = p.backoff(1);
            assert!(first >= Duration::from_millis(50) && first <= Duration::from_millis(100), "{first:?}");
            let third = p.backoff(3);
            assert!(third >= Duration::from_millis(175) && third <= Duration::from_millis(350), "{third:?}");
        }
    }

    #[test]
    fn error_detail_reads_the_body_or_shortens_it() {
        assert_eq!(error_detail(br#"{"detail": "Not found."}"#).0, "Not found.");
        assert_eq!(error_detail(b"<html>Bad gateway</html>").0, "<html>Bad gateway</html>");
        assert_eq!(error_detail(b"").0, "(empty body)");
        assert!(error_detail(&[b'x'; 1000]).0.chars().count() <= 201);
        let (text, fields) = error_detail(br#"{"target": ["Must be a valid UUID."]}"#);
        assert_eq!(text, "target: Must be a valid UUID.");
        assert_eq!(fields["target"], ["Must be a valid UUID."]);
    }

    #[test]
    fn signing_uses_the_path_and_query_as_sent() {
        let url =
            Url::parse("http://h:1/files/?ordering=-datetime_uploaded&from=2022-09-28T15%3A53%3A36.082137%2B00%3A00&limit=2&offset=0")
                .unwrap();
        assert_eq!(
            path_and_query(&url),
            "/files/?ordering=-datetime_uploaded&from=2022-09-28T15%3A53%3A36.082137%2B00%3A00&limit=2&offset=0"
        );
    }
}
