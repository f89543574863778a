//! The HTTP side: the shared app, answers, the request guards (faults, throttling,
//! Accept, auth) and the router.

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant, SystemTime};

use axum::body::{Body, Bytes};
use axum::extract::{FromRequestParts, Request, State as AxumState};
use axum::http::{header, request::Parts, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post, put};
use axum::Router;
use serde_json::{json, Value};
use tower::Layer;

use crate::config::{Config, FaultKind};
pub use crate::state::Version;
use crate::state::{RecordedRequest, State, REQUEST_LOG};
use crate::{addons, conversions, files, from_url, groups, inspect, metadata, multipart, upload, webhooks};

/// The REST answers' content type for v0.5 requests; v0.7 answers are rewritten to
/// [`Version::media_type`] of v0.7 by that version's router.
pub const CONTENT_TYPE: &str = "application/vnd.uploadcare-v0.5+json";
/// The plain JSON type that some v0.7 answers carry (add-on and conversion submits).
pub const PLAIN_JSON: &str = "application/json";
/// How far a signed request's `Date` may be from the server's clock.
const DATE_WINDOW: Duration = Duration::from_secs(15 * 60);

/// What every handler shares.
#[derive(Clone)]
pub struct App {
    pub state: Arc<Mutex<State>>,
    pub config: Arc<Config>,
    pub guard: Arc<Mutex<Guard>>,
    pub http: reqwest::Client,
    /// The runtime the server runs on: deliveries and jobs are spawned there, also when an
    /// upload comes from a thread outside it (the bindings' testing helpers).
    pub runtime: tokio::runtime::Handle,
    /// Where multipart parts and large uploads are written.
    pub work_dir: std::path::PathBuf,
}

/// The fault generator and the rate limiter's bucket.
pub struct Guard {
    rng: fastrand::Rng,
    tokens: f64,
    refilled: Instant,
}

impl App {
    pub fn new(config: Config) -> Self {
        let work_dir = config
            .work_dir
            .clone()
            .unwrap_or_else(|| std::env::temp_dir().join(format!("ucare-emulator-{}-{:016x}", std::process::id(), fastrand::u64(..))));
        let guard = Guard {
            rng: fastrand::Rng::with_seed(config.faults.seed),
            tokens: config.rate_limit.unwrap_or(0) as f64,
            refilled: Instant::now(),
        };
        App {
            state: Arc::new(Mutex::new(State::new())),
            config: Arc::new(config),
            guard: Arc::new(Mutex::new(guard)),
            http: {
                // reqwest has no crypto provider of its own here (see the workspace's Cargo.toml).
                let _ = rustls::crypto::ring::default_provider().install_default();
                reqwest::Client::builder().timeout(Duration::from_secs(5)).build().expect("a plain client builds")
            },
            runtime: tokio::runtime::Handle::current(),
            work_dir,
        }
    }

    /// The project, locked. A panic in a handler must not wedge the emulator, so a
    /// poisoned lock is taken over rather than propagated.
    pub fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// A JSON answer of the REST API.
pub fn reply(status: StatusCode, body: Value) -> Response {
    reply_bytes(status, body.to_string().into_bytes())
}

/// A JSON answer of the REST API, already serialized.
pub fn reply_bytes(status: StatusCode, body: Vec<u8>) -> Response {
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE));
    headers.insert(header::VARY, HeaderValue::from_static("Accept"));
    response
}

/// An error answer: `{"detail": "..."}`.
pub fn detail(status: StatusCode, text: impl Into<String>) -> Response {
    reply(status, json!({ "detail": text.into() }))
}

/// The 404 the API gives for unknown and malformed ids alike.
pub fn not_found() -> Response {
    detail(StatusCode::NOT_FOUND, "Not found.")
}

impl<S: Send + Sync> FromRequestParts<S> for Version {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(parts.extensions.get::<Version>().copied().unwrap_or_default())
    }
}

/// A JSON answer with `Content-Type: application/json`, as v0.7 gives for add-on and
/// conversion submits (with `", "` and `": "` separators, as recorded).
pub fn reply_plain_json(status: StatusCode, body: &Value) -> Response {
    let mut text = Vec::new();
    let mut writer = serde_json::Serializer::with_formatter(&mut text, SpacedFormatter);
    serde::Serialize::serialize(body, &mut writer).expect("values serialize");
    let mut response = (status, text).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(PLAIN_JSON));
    response.headers_mut().insert(header::VARY, HeaderValue::from_static("Accept"));
    response
}

/// `", "` between items and `": "` after keys.
struct SpacedFormatter;

impl serde_json::ser::Formatter for SpacedFormatter {
    fn begin_array_value<W: ?Sized + std::io::Write>(&mut self, writer: &mut W, first: bool) -> std::io::Result<()> {
        if first {
            Ok(())
        } else {
            writer.write_all(b", ")
        }
    }
    fn begin_object_key<W: ?Sized + std::io::Write>(&mut self, writer: &mut W, first: bool) -> std::io::Result<()> {
        if first {
            Ok(())
        } else {
            writer.write_all(b", ")
        }
    }
    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        writer.write_all(b": ")
    }
}

/// A 204 with an empty body and no `Content-Type`.
pub fn no_content() -> Response {
    StatusCode::NO_CONTENT.into_response()
}

/// The root URL the request came to (`http://127.0.0.1:8000/`), so `next`, `url` and
/// `original_file_url` point back at the server the client used.
pub struct Origin(pub String);

impl<S: Send + Sync> FromRequestParts<S> for Origin {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let host = parts.headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("localhost");
        Ok(Origin(format!("{}://{host}/", scheme(&parts.headers))))
    }
}

fn scheme(headers: &HeaderMap) -> &'static str {
    match headers.get("x-forwarded-proto").and_then(|h| h.to_str().ok()) {
        Some("https") => "https",
        _ => "http",
    }
}

/// Reads a query string into pairs, decoded.
pub fn query_pairs(raw: Option<&str>) -> Vec<(String, String)> {
    url::form_urlencoded::parse(raw.unwrap_or("").as_bytes()).into_owned().collect()
}

/// A request body as JSON, or `None` when it is not JSON (also form-encoded bodies are read,
/// as some clients send them).
pub fn json_body(headers: &HeaderMap, body: &[u8]) -> Option<Value> {
    let form = headers
        .get(header::CONTENT_TYPE)
        .and_then(|h| h.to_str().ok())
        .is_some_and(|ct| ct.starts_with("application/x-www-form-urlencoded"));
    if form {
        let map: serde_json::Map<String, Value> =
            url::form_urlencoded::parse(body).into_owned().map(|(k, v)| (k, Value::String(v))).collect();
        return Some(Value::Object(map));
    }
    if body.is_empty() {
        return Some(json!({}));
    }
    serde_json::from_slice(body).ok()
}

/// Reads `"true"`, `"1"`, `true`, `1` and their opposites.
pub fn as_bool(value: &Value) -> Option<bool> {
    match value {
        Value::Bool(b) => Some(*b),
        Value::Number(n) => n.as_i64().map(|n| n != 0),
        Value::String(s) => match s.to_ascii_lowercase().as_str() {
            "true" | "1" => Some(true),
            "false" | "0" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// What the guard decided for one request.
enum Verdict {
    Pass,
    Throttled(u64),
    Fault(FaultKind),
}

/// The rate limiter and the fault generator, shared by the REST and the upload calls.
fn verdict(app: &App) -> Verdict {
    let mut guard = app.guard.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(limit) = app.config.rate_limit {
        let now = Instant::now();
        let limit = limit.max(1) as f64;
        guard.tokens = (guard.tokens + now.duration_since(guard.refilled).as_secs_f64() * limit).min(limit);
        guard.refilled = now;
        if guard.tokens < 1.0 {
            app.lock().throttled += 1;
            return Verdict::Throttled(((1.0 - guard.tokens) / limit).ceil().max(1.0) as u64);
        }
        guard.tokens -= 1.0;
    }
    let faults = &app.config.faults;
    if faults.rate > 0.0 && !faults.kinds.is_empty() && guard.rng.f64() < faults.rate {
        app.lock().faults_injected += 1;
        return Verdict::Fault(faults.kinds[guard.rng.usize(..faults.kinds.len())]);
    }
    Verdict::Pass
}

/// Runs a request under a fault: an error answer (`error` renders it for the API at hand), a
/// slow answer, or an answer whose body breaks off after the work is done.
async fn faulted(app: &App, fault: FaultKind, request: Request, next: Next, error: fn(StatusCode, &str) -> Response) -> Response {
    match fault {
        FaultKind::ServerError => error(StatusCode::INTERNAL_SERVER_ERROR, "Internal server error (injected)."),
        FaultKind::Unavailable => error(StatusCode::SERVICE_UNAVAILABLE, "Service unavailable (injected)."),
        FaultKind::Slow => {
            let response = next.run(request).await;
            tokio::time::sleep(app.config.faults.slow).await;
            response
        }
        FaultKind::Drop => {
            // The work is done; the answer is lost: the head goes out, then the body breaks
            // off, which the client sees as a connection closed mid-answer.
            let response = next.run(request).await;
            let (mut parts, _) = response.into_parts();
            parts.headers.remove(header::CONTENT_LENGTH);
            let broken =
                futures_util::stream::once(async { Err::<Bytes, std::io::Error>(std::io::Error::other("connection dropped (injected)")) });
            Response::from_parts(parts, Body::from_stream(broken))
        }
    }
}

/// Throttling and fault injection, before anything else of a REST request.
async fn guard(AxumState(app): AxumState<App>, request: Request, next: Next) -> Response {
    app.lock().requests += 1;
    match verdict(&app) {
        Verdict::Pass => next.run(request).await,
        Verdict::Throttled(wait) => {
            let mut response =
                detail(StatusCode::TOO_MANY_REQUESTS, format!("Request was throttled. Expected available in {wait} seconds."));
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(wait));
            response
        }
        Verdict::Fault(fault) => faulted(&app, fault, request, next, |status, text| detail(status, text)).await,
    }
}

/// The same for the upload calls (multipart parts included), with the Upload API's
/// plain-text errors.
pub(crate) async fn upload_guard(AxumState(app): AxumState<App>, request: Request, next: Next) -> Response {
    const UPLOAD_ROOTS: [&str; 6] = ["base", "multipart", "__parts", "from_url", "group", "info"];
    let root = request.uri().path().trim_start_matches('/').split('/').next().unwrap_or("");
    if !UPLOAD_ROOTS.contains(&root) {
        // The CDN and the inspection endpoint are not the Upload API.
        return next.run(request).await;
    }
    match verdict(&app) {
        Verdict::Pass => next.run(request).await,
        Verdict::Throttled(wait) => {
            let mut response = upload::upload_error(StatusCode::TOO_MANY_REQUESTS, "Request was throttled.");
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(wait));
            response
        }
        Verdict::Fault(fault) => faulted(&app, fault, request, next, upload::upload_error).await,
    }
}

/// The Accept header, then the `Authorization` of either scheme, checked as the real
/// service does; also buffers the body (413 past the limit) since the signature covers it.
async fn authenticate(AxumState(app): AxumState<App>, request: Request, next: Next) -> Response {
    let (parts, body) = request.into_parts();
    let declared = parts.headers.get(header::CONTENT_LENGTH).and_then(|h| h.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|length| length > app.config.max_body as u64) {
        // At once, from the head: the client need not send a body that will be refused.
        return detail(StatusCode::PAYLOAD_TOO_LARGE, format!("Request body is larger than {} bytes.", app.config.max_body));
    }
    let body = match axum::body::to_bytes(body, app.config.max_body).await {
        Ok(bytes) => bytes,
        Err(_) => return detail(StatusCode::PAYLOAD_TOO_LARGE, format!("Request body is larger than {} bytes.", app.config.max_body)),
    };
    record(&app, &parts, &body);
    if let Err(response) = check_authorization(&app.config, &parts, &body) {
        return *response;
    }
    let mut response = next.run(Request::from_parts(parts.clone(), Body::from(body))).await;
    if scheme(&parts.headers) == "http" {
        response
            .headers_mut()
            .insert(header::WARNING, HeaderValue::from_static("199 Miscellaneous warning: You should use secure requests to Uploadcare"));
    }
    response
}

fn record(app: &App, parts: &Parts, body: &[u8]) {
    let header_text = |name: header::HeaderName| parts.headers.get(name).and_then(|h| h.to_str().ok()).map(str::to_string);
    let entry = RecordedRequest {
        method: parts.method.to_string(),
        uri: parts.uri.path_and_query().map(|pq| pq.to_string()).unwrap_or_default(),
        content_type: header_text(header::CONTENT_TYPE),
        accept: header_text(header::ACCEPT),
        auth_scheme: header_text(header::AUTHORIZATION).and_then(|a| a.split_once(' ').map(|(scheme, _)| scheme.to_string())),
        user_agent: header_text(header::USER_AGENT),
        body: String::from_utf8_lossy(body).into_owned(),
    };
    let mut state = app.lock();
    if state.request_log.len() >= REQUEST_LOG {
        state.request_log.pop_front();
    }
    state.request_log.push_back(entry);
}

fn check_authorization(config: &Config, parts: &Parts, body: &[u8]) -> Result<(), Box<Response>> {
    let unauthorized = |text: String| Box::new(detail(StatusCode::UNAUTHORIZED, text));
    let incorrect = || unauthorized("Incorrect authentication credentials.".into());
    if parts.headers.get_all(header::AUTHORIZATION).iter().count() > 1 {
        // Which one would count is ambiguous (a proxy may pick the other): refuse both.
        return Err(Box::new(detail(StatusCode::BAD_REQUEST, "More than one Authorization header.")));
    }
    let header_value = parts.headers.get(header::AUTHORIZATION).and_then(|h| h.to_str().ok()).ok_or_else(incorrect)?;
    let (scheme_name, param) = header_value.split_once(' ').ok_or_else(incorrect)?;
    let (public_key, credential) = param.trim().split_once(':').ok_or_else(incorrect)?;
    if scheme_name != "Uploadcare" && scheme_name != "Uploadcare.Simple" {
        return Err(incorrect());
    }
    if public_key != config.public_key {
        return Err(unauthorized(format!("Public key {public_key} not found.")));
    }
    if scheme_name == "Uploadcare.Simple" {
        if scheme(&parts.headers) == "http" && !config.simple_auth_over_http {
            return Err(Box::new(detail(
                StatusCode::BAD_REQUEST,
                "Simple authentication over HTTP is forbidden. Please, use HTTPS or signed requests instead.",
            )));
        }
        return if credential == config.secret_key { Ok(()) } else { Err(incorrect()) };
    }
    // The JS client sends the date in `X-Uploadcare-Date` (browsers may not set `Date`).
    let date = parts
        .headers
        .get("x-uploadcare-date")
        .or_else(|| parts.headers.get(header::DATE))
        .and_then(|h| h.to_str().ok())
        .ok_or_else(incorrect)?;
    let sent = parse_date(date).ok_or_else(incorrect)?;
    let now = SystemTime::now();
    let skew = now.duration_since(sent).or_else(|_| sent.duration_since(now)).unwrap_or_default();
    if skew > DATE_WINDOW {
        return Err(unauthorized("Request date is out of the 15 minutes window. Check the Date header and your clock.".into()));
    }
    let content_type = parts.headers.get(header::CONTENT_TYPE).and_then(|h| h.to_str().ok()).unwrap_or("");
    let uri = parts.uri.path_and_query().map(|pq| pq.as_str()).unwrap_or("/");
    let expected = ucare::auth::signature(&config.secret_key, parts.method.as_str(), body, content_type, date, uri);
    if credential.len() == expected.len() && constant_time_eq(credential.as_bytes(), expected.as_bytes()) {
        Ok(())
    } else {
        Err(unauthorized("Invalid signature. Please check your secret key.".into()))
    }
}

/// The `Date` header, read as leniently as the real service does: the official Python
/// client sends `Fri, 27 Nov 2026, 11:25:00 GMT` (a comma after the year).
fn parse_date(value: &str) -> Option<SystemTime> {
    if let Ok(at) = httpdate::parse_http_date(value) {
        return Some(at);
    }
    if let Ok(at) = chrono::DateTime::parse_from_rfc2822(value) {
        return Some(at.into());
    }
    let plain = value.replace(',', " ");
    let plain = plain.split_whitespace().collect::<Vec<_>>().join(" ");
    chrono::NaiveDateTime::parse_from_str(&plain, "%a %d %b %Y %H:%M:%S GMT").ok().map(|at| at.and_utc().into())
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

async fn unknown_path() -> Response {
    not_found()
}

async fn method_not_allowed(method: Method) -> Response {
    detail(StatusCode::METHOD_NOT_ALLOWED, format!("Method \"{method}\" not allowed."))
}

/// Serves `router` on `listener` until `stop` fires, then lets open connections finish.
///
/// Every connection has `idle` to send a request's head, also between the requests of a
/// kept-alive connection, so half-open and idle connections are closed rather than held
/// forever by a client that never writes.
pub async fn serve(listener: tokio::net::TcpListener, router: Router, idle: Duration, stop: tokio::sync::oneshot::Receiver<()>) {
    use hyper_util::rt::{TokioIo, TokioTimer};
    let (closing, closed) = tokio::sync::watch::channel(false);
    let mut connections = tokio::task::JoinSet::new();
    tokio::pin!(stop);
    loop {
        let (stream, _) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                // Out of file descriptors and the like: wait a moment rather than spin.
                Err(_) => { tokio::time::sleep(Duration::from_millis(20)).await; continue }
            },
            _ = &mut stop => break,
        };
        let service = hyper_util::service::TowerToHyperService::new(router.clone());
        let mut closed = closed.clone();
        connections.spawn(async move {
            let connection = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(idle)
                .serve_connection(TokioIo::new(stream), service)
                .with_upgrades();
            tokio::pin!(connection);
            tokio::select! {
                _ = connection.as_mut() => {}
                _ = async { closed.wait_for(|closing| *closing).await.map(|_| ()) } => {
                    connection.as_mut().graceful_shutdown();
                    let _ = connection.await;
                }
            }
        });
        // Reap finished connections so the set does not grow with the server's life.
        while connections.try_join_next().is_some() {}
    }
    let _ = closing.send(true);
    while connections.join_next().await.is_some() {}
}

/// The first path segments that belong to the REST API; everything else is the upload API,
/// the CDN or the inspection endpoint.
const REST_ROOTS: [&str; 6] = ["files", "groups", "project", "webhooks", "convert", "addons"];

/// The two REST route tables; a request goes to the one its `Accept` names.
#[derive(Clone)]
struct Rest {
    v05: Router,
    v07: Router,
}

/// Sends REST requests to the route table of the version their `Accept` names (406 when it
/// names none), with the version in the request for the handlers; the rest goes on to the
/// upload calls and the CDN.
async fn by_version(AxumState(rest): AxumState<Rest>, mut request: Request, next: Next) -> Response {
    let root = request.uri().path().trim_start_matches('/').split('/').next().unwrap_or("");
    if !REST_ROOTS.contains(&root) {
        return next.run(request).await;
    }
    let accept = request.headers().get(header::ACCEPT).and_then(|h| h.to_str().ok()).unwrap_or("");
    let Some(version) = Version::from_accept(accept) else {
        return detail(
            StatusCode::NOT_ACCEPTABLE,
            "Incorrect Accept header provided. Make sure to specify API version. Refer to REST API docs for details.",
        );
    };
    request.extensions_mut().insert(version);
    let router = match version {
        Version::V05 => rest.v05,
        Version::V07 => rest.v07,
    };
    match tower::ServiceExt::oneshot(router, request).await {
        Ok(response) => response,
        Err(never) => match never {},
    }
}

/// v0.7 answers name v0.7 in their `Content-Type`, except the plain JSON ones.
async fn v07_content_type(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    if response.headers().get(header::CONTENT_TYPE).is_some_and(|ct| ct == CONTENT_TYPE) {
        response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/vnd.uploadcare-v0.7+json"));
    }
    response
}

/// The REST routes of v0.5, as the seed documents them.
fn rest_v05() -> Router<App> {
    Router::new()
        .route("/files/", get(files::list).post(files::copy))
        .route("/files/storage/", put(files::store_batch).delete(files::delete_batch))
        .route("/files/{uuid}/", get(files::info).delete(files::delete))
        .route("/files/{uuid}/storage/", put(files::store).delete(files::delete))
        .route("/groups/", get(groups::list))
        .route("/groups/{id}/", get(groups::info))
        .route("/groups/{id}/storage/", put(groups::store))
        .route("/project/", get(groups::project))
        .route("/webhooks/", get(webhooks::list).post(webhooks::create))
        .route("/webhooks/unsubscribe/", post(webhooks::unsubscribe))
        .route("/webhooks/{id}/", post(webhooks::update))
        .route("/convert/document/", post(conversions::start_document))
        .route("/convert/document/status/{token}/", get(conversions::document_status))
        .route("/convert/video/", post(conversions::start_video))
        .route("/convert/video/status/{token}/", get(conversions::video_status))
}

/// The REST routes of v0.7: copies split in two, metadata, add-ons, group delete, webhook
/// updates with PUT and unsubscribes with DELETE, document info; no `DELETE /files/<uuid>/`
/// and no group storage.
fn rest_v07() -> Router<App> {
    Router::new()
        .route("/files/", get(files::list))
        .route("/files/storage/", put(files::store_batch).delete(files::delete_batch))
        .route("/files/local_copy/", post(files::local_copy))
        .route("/files/remote_copy/", post(files::remote_copy))
        .route("/files/{uuid}/", get(files::info))
        .route("/files/{uuid}/storage/", put(files::store).delete(files::delete))
        .route("/files/{uuid}/metadata/", get(metadata::list))
        .route("/files/{uuid}/metadata/{key}/", get(metadata::get).put(metadata::set).delete(metadata::delete))
        .route("/groups/", get(groups::list))
        .route("/groups/{id}/", get(groups::info).delete(groups::delete))
        .route("/project/", get(groups::project))
        .route("/webhooks/", get(webhooks::list).post(webhooks::create))
        .route("/webhooks/unsubscribe/", delete(webhooks::unsubscribe))
        .route("/webhooks/{id}/", put(webhooks::update).delete(webhooks::delete_by_id))
        .route("/addons/{name}/execute/", post(addons::execute))
        .route("/addons/{name}/execute/status/", get(addons::status))
        .route("/convert/document/", post(conversions::start_document))
        .route("/convert/document/status/{token}/", get(conversions::document_status))
        .route("/convert/document/{uuid}/", get(conversions::document_info))
        .route("/convert/video/", post(conversions::start_video))
        .route("/convert/video/status/{token}/", get(conversions::video_status))
}

/// One version's REST routes behind the guards and auth, with the API's 404 and 405.
fn rest(app: &App, routes: Router<App>) -> Router<App> {
    routes
        .method_not_allowed_fallback(method_not_allowed)
        .fallback(unknown_path)
        .layer(middleware::from_fn_with_state(app.clone(), authenticate))
        .layer(middleware::from_fn_with_state(app.clone(), guard))
}

/// The whole router: REST under auth and guards, in the version each request asks for;
/// the upload calls and CDN beside it.
pub fn router(app: App) -> Router {
    let versions = Rest {
        v05: rest(&app, rest_v05()).with_state(app.clone()),
        v07: rest(&app, rest_v07()).layer(middleware::from_fn(v07_content_type)).with_state(app.clone()),
    };
    let uploads = Router::new()
        .route("/base/", post(upload::base))
        .route("/group/", post(upload::group))
        // The official Python client joins its upload base and path into `/group//`; the
        // real upload service takes that too.
        .route("/group//", post(upload::group))
        .route("/base//", post(upload::base))
        .route("/info/", get(upload::info))
        .route("/multipart/start/", post(multipart::start))
        .route("/multipart/complete/", post(multipart::complete))
        .route("/__parts/{uuid}/{part}", put(multipart::part))
        .route("/from_url/", post(from_url::start))
        .route("/from_url/status/", get(from_url::status))
        .route("/group/info/", get(upload::group_info))
        .route("/__emulator/", get(inspect::overview))
        .route("/__emulator/requests", get(inspect::requests))
        .route("/__emulator/uploads", post(inspect::upload))
        .route("/__emulator/groups", post(inspect::group))
        .route("/{uuid}/", get(upload::serve))
        .route("/{uuid}/{*rest}", get(upload::serve))
        .layer(axum::extract::DefaultBodyLimit::max(app.config.max_upload))
        .layer(middleware::from_fn_with_state(app.clone(), upload_guard))
        .layer(middleware::from_fn(upload::json_errors));
    let uploads = uploads.fallback(unknown_path).with_state(app);
    // Outside any routing: a REST request reaches its version's router unrouted.
    Router::new().fallback_service(middleware::from_fn_with_state(versions, by_version).layer(uploads))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_the_forms_clients_send() {
        let expected = SystemTime::UNIX_EPOCH + Duration::from_secs(1_541_423_681);
        for form in ["Mon, 05 Nov 2018 13:14:41 GMT", "Mon, 05 Nov 2018, 13:14:41 GMT", "Mon, 5 Nov 2018 13:14:41 +0000"] {
            assert_eq!(parse_date(form), Some(expected), "{form}");
        }
        assert_eq!(parse_date("yesterday"), None);
    }
}

#[cfg(test)]
mod fuzz {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The request readers take any text without panicking.
        #[test]
        fn request_parsing_takes_any_text(text in ".{0,200}", bytes in prop::collection::vec(any::<u8>(), 0..200)) {
            let _ = parse_date(&text);
            let _ = query_pairs(Some(&text));
            let _ = crate::state::parse_datetime(&text);
            let _ = json_body(&HeaderMap::new(), &bytes);
            let pairs = query_pairs(Some(&text));
            let _ = crate::files::list_params(&pairs, &|s| s.parse().ok(), "a number");
        }
    }
}
