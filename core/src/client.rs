//! The version-neutral runtime every client wraps (configuration, credentials, connection
//! pool, retries, counters), and the builder that makes a client of either API version.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use url::Url;

use crate::auth::{AuthScheme, Secret};
use crate::error::{Error, Redactor, Result};
use crate::transport::RetryPolicy;
use crate::validate;

/// The default API root.
pub const DEFAULT_BASE_URL: &str = "https://api.uploadcare.com/";
/// The default Upload API root.
pub const DEFAULT_UPLOAD_BASE_URL: &str = "https://upload.uploadcare.com/";
/// The API version a client speaks unless told otherwise: the one the service answers.
pub const DEFAULT_API_VERSION: &str = "0.7";
/// The default time one request may take, from sending to the last byte of its answer.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// The default cap on the size of one answer: 64 MiB, far above the largest real page (1000
/// files of a few KiB each). A bigger answer is refused rather than buffered until memory
/// runs out.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 64 << 20;

/// What every API version's client is made of: the configuration, the credentials, one
/// connection pool, the retry policy and the counters. It knows nothing of endpoints or
/// answer shapes; the version modules do. Cheap to clone (an `Arc` inside).
#[derive(Clone)]
pub struct Runtime {
    pub(crate) inner: Arc<Inner>,
    /// Overrides for the calls made through this handle (see `with_options`).
    pub(crate) call: CallOptions,
}

/// Options for some calls only, without building another client: the handle that
/// `with_options` answers shares the connection pool, counters and configuration, and
/// sends its requests with these overrides.
///
/// ```
/// # fn run(client: ucare::Client) -> ucare::Result<()> {
/// use std::time::Duration;
/// let quick = client.with_options(ucare::CallOptions { timeout: Some(Duration::from_secs(5)), max_retries: Some(0) })?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CallOptions {
    /// The time one request may take (at most a day); the client's when unset.
    pub timeout: Option<Duration>,
    /// How many times a failed request is repeated (at most [`MAX_RETRIES`]); the client's
    /// when unset.
    pub max_retries: Option<u32>,
}

/// One HTTP attempt, as the request log reports it: what was sent and how it ended. It
/// never holds a header, a body or the query string, so it cannot carry a secret.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestLog {
    /// `GET`, `POST`, ...
    pub method: String,
    /// The URL's path (`/files/<uuid>/`).
    pub path: String,
    /// The answer's status; `None` when no answer came (see `error`).
    pub status: Option<u16>,
    /// 1 for the first attempt, 2 for the first retry, ...
    pub attempt: u32,
    /// From sending to the last byte of the answer (or the failure).
    pub elapsed: Duration,
    /// Why no answer came (a timeout, a refused connection), redacted.
    pub error: Option<String>,
}

/// A receiver of the request log; see [`ClientBuilder::on_request`].
pub type RequestHook = Arc<dyn Fn(&RequestLog) + Send + Sync>;

/// An API version: decides the `Accept` header and which `Client` a builder makes.
/// Implemented by [`crate::V05`] and [`crate::V07`] only.
pub trait ApiVersion: sealed::Sealed + Send + Sync + 'static {
    /// The version as the `Accept` header names it (`0.7`).
    const VERSION: &'static str;
    /// The client of this version.
    type Client;
    /// Wraps a runtime in this version's client.
    #[doc(hidden)]
    fn client(runtime: Runtime) -> Self::Client;
}

pub(crate) mod sealed {
    /// Keeps [`super::ApiVersion`] to the versions this crate implements.
    pub trait Sealed {}
}

pub(crate) struct Inner {
    /// The HTTP client of the process that built this client; see [`Inner::http`].
    http: reqwest::Client,
    /// What `http` was made from, to make another in a forked child.
    http_settings: HttpSettings,
    /// The process that made `http`.
    pid: u32,
    /// The HTTP client of a forked child (its pid, the client), made on its first request.
    forked: std::sync::Mutex<Option<(u32, reqwest::Client)>>,
    pub(crate) base: Url,
    /// The Upload API's root.
    pub(crate) upload_base: Url,
    pub(crate) public_key: String,
    pub(crate) secret_key: Secret,
    pub(crate) auth: AuthScheme,
    pub(crate) accept: String,
    pub(crate) timeout: Duration,
    pub(crate) retry: RetryPolicy,
    pub(crate) batch_concurrency: usize,
    pub(crate) max_response_bytes: usize,
    pub(crate) redactor: Redactor,
    pub(crate) stats: Stats,
    pub(crate) on_request: Option<RequestHook>,
}

impl Inner {
    /// The HTTP client for this process. After `fork()` the child must not touch the
    /// parent's: its pooled connections are the parent's sockets (two processes would
    /// read one stream), and a lock a parent's thread held at the fork stays held forever
    /// in the child (a forked Python test hung on one). The child makes its own.
    pub(crate) fn http(&self) -> reqwest::Client {
        let pid = std::process::id();
        if pid == self.pid {
            return self.http.clone();
        }
        let mut forked = self.forked.lock().unwrap_or_else(|p| p.into_inner());
        match forked.as_ref() {
            Some((owner, http)) if *owner == pid => http.clone(),
            _ => {
                // The settings were accepted when the client was built; should the platform
                // refuse them now, a plain client still keeps the timeout.
                let http = http_client(&self.http_settings)
                    .unwrap_or_else(|_| reqwest::Client::builder().timeout(self.http_settings.timeout).build().unwrap_or_default());
                *forked = Some((pid, http.clone()));
                http
            }
        }
    }
}

/// What the HTTP client is made from.
#[derive(Clone)]
struct HttpSettings {
    user_agent: String,
    timeout: Duration,
    root_certificates: Vec<Vec<u8>>,
    proxy: Option<String>,
}

/// The HTTP client: rustls with the platform's verifier, no redirects, pooled connections.
fn http_client(settings: &HttpSettings) -> Result<reqwest::Client> {
    install_crypto_provider();
    let mut http = reqwest::Client::builder()
        .user_agent(settings.user_agent.clone())
        .timeout(settings.timeout)
        .connect_timeout(settings.timeout.min(Duration::from_secs(10)))
        .pool_idle_timeout(Duration::from_secs(60))
        .redirect(reqwest::redirect::Policy::none());
    for pem in &settings.root_certificates {
        let certificates =
            reqwest::Certificate::from_pem_bundle(pem).map_err(|e| Error::invalid(format!("CA certificates: not a PEM bundle ({e})")))?;
        if certificates.is_empty() {
            return Err(Error::invalid("CA certificates: the PEM bundle holds no certificate"));
        }
        http = http.tls_certs_merge(certificates);
    }
    if let Some(proxy) = &settings.proxy {
        http = http.proxy(proxy_from(proxy)?);
    }
    // Nothing was sent: a client that cannot be made (a certificate rustls refuses) is
    // bad configuration.
    http.build().map_err(|e| Error::invalid(format!("the HTTP client could not be made: {e}")))
}

/// Counters of what a client has done, for reports and soak tests.
#[derive(Debug, Default)]
pub(crate) struct Stats {
    pub(crate) requests: AtomicU64,
    pub(crate) retries: AtomicU64,
}

/// A snapshot of a client's counters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ClientStats {
    /// HTTP requests sent, retries included.
    pub requests: u64,
    /// Requests that were repeated after a retryable failure.
    pub retries: u64,
}

impl std::fmt::Debug for Runtime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("api_version", &self.inner.accept.trim_start_matches("application/vnd.uploadcare-v").trim_end_matches("+json"))
            .field("base_url", &self.inner.base.as_str())
            .field("public_key", &self.inner.public_key)
            .field("secret_key", &self.inner.secret_key)
            .field("auth", &self.inner.auth)
            .field("timeout", &self.inner.timeout)
            .finish()
    }
}

impl Runtime {
    /// The project's public key.
    pub(crate) fn public_key(&self) -> &str {
        &self.inner.public_key
    }

    /// The API root requests go to.
    pub(crate) fn base_url(&self) -> &str {
        self.inner.base.as_str()
    }

    /// This handle with `options` for its calls; see [`CallOptions`].
    pub(crate) fn with_options(&self, options: CallOptions) -> crate::Result<Runtime> {
        if let Some(timeout) = options.timeout {
            validate::duration("timeout", timeout, validate::MAX_TIMEOUT)?;
        }
        if let Some(retries) = options.max_retries.filter(|r| *r > MAX_RETRIES) {
            return Err(Error::invalid(format!("max_retries must be at most {MAX_RETRIES}, got {retries}")));
        }
        let call =
            CallOptions { timeout: options.timeout.or(self.call.timeout), max_retries: options.max_retries.or(self.call.max_retries) };
        Ok(Runtime { inner: self.inner.clone(), call })
    }

    /// The time one request may take through this handle.
    pub(crate) fn timeout(&self) -> Duration {
        self.call.timeout.unwrap_or(self.inner.timeout)
    }

    /// The retry policy of this handle.
    pub(crate) fn retry(&self) -> RetryPolicy {
        let mut policy = self.inner.retry;
        if let Some(retries) = self.call.max_retries {
            policy.max_retries = retries;
        }
        policy
    }

    /// How many requests and retries this client (and its clones) has made.
    pub(crate) fn stats(&self) -> ClientStats {
        ClientStats {
            requests: self.inner.stats.requests.load(Ordering::Relaxed),
            retries: self.inner.stats.retries.load(Ordering::Relaxed),
        }
    }
}

/// The methods every version's client has, written once.
macro_rules! client_common {
    ($version:ty, $name:literal) => {
        impl Client {
            /// A client with the default configuration (signed auth, the real API, 30 s
            /// timeout).
            pub fn new(public_key: impl Into<String>, secret_key: impl Into<String>) -> crate::Result<Self> {
                Self::builder().public_key(public_key).secret_key(secret_key).build()
            }

            /// A builder to set every option.
            pub fn builder() -> crate::ClientBuilder<$version> {
                crate::ClientBuilder::default()
            }

            /// A client from `UPLOADCARE_PUBLIC_KEY`, `UPLOADCARE_SECRET_KEY` and the optional
            /// `UPLOADCARE_API_BASE`.
            pub fn from_env() -> crate::Result<Self> {
                Self::builder().from_env()?.build()
            }

            /// The project's public key.
            pub fn public_key(&self) -> &str {
                self.runtime.public_key()
            }

            /// The API root requests go to.
            pub fn base_url(&self) -> &str {
                self.runtime.base_url()
            }

            /// How many requests and retries this client (and its clones) has made.
            pub fn stats(&self) -> crate::ClientStats {
                self.runtime.stats()
            }

            /// The project these keys belong to.
            pub async fn project(&self) -> crate::Result<crate::models::Project> {
                self.runtime.get_json("project/").await
            }

            /// A handle with a timeout or retry count of its own for the calls made through
            /// it, sharing this client's connections and configuration; see
            /// [`crate::CallOptions`].
            pub fn with_options(&self, options: crate::CallOptions) -> crate::Result<Self> {
                Ok(Client { runtime: self.runtime.with_options(options)? })
            }

            /// The Upload API: uploads (direct, multipart, from a URL), groups, file info.
            pub fn uploads(&self) -> crate::uploads::Uploads<'_> {
                crate::uploads::Uploads { client: &self.runtime }
            }
        }

        impl std::fmt::Debug for Client {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                std::fmt::Debug::fmt(&self.runtime, f)
            }
        }

        impl crate::client::sealed::Sealed for $version {}

        impl crate::client::ApiVersion for $version {
            const VERSION: &'static str = $name;
            type Client = Client;
            fn client(runtime: crate::client::Runtime) -> Client {
                Client { runtime }
            }
        }
    };
}
pub(crate) use client_common;

/// Builds a client of the API version `V`: `ucare::Client::builder()` for v0.7 (the
/// default), `ucare::v05::Client::builder()` for v0.5.
///
/// ```
/// let client = ucare::Client::builder()
///     .public_key("demopublickey")
///     .secret_key("demoprivatekey")
///     .base_url("http://127.0.0.1:8000")
///     .timeout(std::time::Duration::from_secs(5))
///     .max_retries(2)
///     .build()
///     .unwrap();
/// assert_eq!(client.base_url(), "http://127.0.0.1:8000/");
/// ```
pub struct ClientBuilder<V: ApiVersion = crate::V07> {
    version: std::marker::PhantomData<fn() -> V>,
    public_key: Option<String>,
    secret_key: Option<Secret>,
    auth: AuthScheme,
    base_url: String,
    upload_base_url: Option<String>,
    timeout: Duration,
    retry: RetryPolicy,
    user_agent_suffix: Option<String>,
    batch_concurrency: usize,
    max_response_bytes: usize,
    on_request: Option<RequestHook>,
    root_certificates: Vec<Vec<u8>>,
    proxy: Option<String>,
}

impl<V: ApiVersion> Clone for ClientBuilder<V> {
    fn clone(&self) -> Self {
        ClientBuilder {
            version: std::marker::PhantomData,
            public_key: self.public_key.clone(),
            secret_key: self.secret_key.clone(),
            auth: self.auth,
            base_url: self.base_url.clone(),
            upload_base_url: self.upload_base_url.clone(),
            timeout: self.timeout,
            retry: self.retry,
            user_agent_suffix: self.user_agent_suffix.clone(),
            batch_concurrency: self.batch_concurrency,
            max_response_bytes: self.max_response_bytes,
            on_request: self.on_request.clone(),
            root_certificates: self.root_certificates.clone(),
            proxy: self.proxy.clone(),
        }
    }
}

impl<V: ApiVersion> std::fmt::Debug for ClientBuilder<V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("public_key", &self.public_key)
            .field("secret_key", &self.secret_key)
            .field("auth", &self.auth)
            .field("base_url", &self.base_url)
            .field("api_version", &V::VERSION)
            .finish_non_exhaustive()
    }
}

impl<V: ApiVersion> Default for ClientBuilder<V> {
    fn default() -> Self {
        ClientBuilder {
            version: std::marker::PhantomData,
            public_key: None,
            secret_key: None,
            auth: AuthScheme::Signed,
            base_url: DEFAULT_BASE_URL.to_string(),
            upload_base_url: None,
            timeout: DEFAULT_TIMEOUT,
            retry: RetryPolicy::default(),
            user_agent_suffix: None,
            batch_concurrency: 4,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            on_request: None,
            root_certificates: Vec::new(),
            proxy: None,
        }
    }
}

impl<V: ApiVersion> ClientBuilder<V> {
    /// The project's public key (required).
    pub fn public_key(mut self, key: impl Into<String>) -> Self {
        self.public_key = Some(key.into());
        self
    }

    /// The project's secret key (required). It is never printed.
    pub fn secret_key(mut self, key: impl Into<String>) -> Self {
        self.secret_key = Some(Secret::new(key.into()));
        self
    }

    /// The `Authorization` scheme; signed by default.
    pub fn auth(mut self, scheme: AuthScheme) -> Self {
        self.auth = scheme;
        self
    }

    /// The API root, with or without a trailing slash.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// The Upload API root; `https://upload.uploadcare.com/` by default. (The emulator serves
    /// both APIs on one origin: give it the same URL as the base URL.)
    pub fn upload_base_url(mut self, url: impl Into<String>) -> Self {
        self.upload_base_url = Some(url.into());
        self
    }

    /// How long one request may take; 30 s by default. Must be more than zero and at most
    /// [`validate::MAX_TIMEOUT`] (a day).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// How many times a failed request is repeated; 3 by default, 0 turns retries off, at
    /// most [`MAX_RETRIES`].
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.retry.max_retries = retries;
        self
    }

    /// Receives the request log: one [`RequestLog`] per HTTP attempt (method, path,
    /// status, attempt, elapsed; never a header or the secret). Every attempt is also a
    /// `tracing` debug event of target `ucare::request`.
    pub fn on_request(mut self, hook: impl Fn(&RequestLog) + Send + Sync + 'static) -> Self {
        self.on_request = Some(Arc::new(hook));
        self
    }

    /// Trusts the CA certificates of a PEM bundle too, beside the platform's trust store (checked
    /// by the platform's verifier): for a corporate TLS proxy, or a private endpoint. Checked
    /// at `build`.
    pub fn add_root_certificates_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.root_certificates.push(pem.into());
        self
    }

    /// Sends every request through this proxy (`http://host:port`, with `user:password@`
    /// if it needs them). Without it, the `HTTPS_PROXY`, `HTTP_PROXY` and `NO_PROXY`
    /// environment variables apply. Checked at `build`.
    pub fn proxy(mut self, url: impl Into<String>) -> Self {
        self.proxy = Some(url.into());
        self
    }

    /// The whole retry policy.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Words added to the `User-Agent` (the bindings say which language calls).
    pub fn user_agent_suffix(mut self, suffix: impl Into<String>) -> Self {
        self.user_agent_suffix = Some(suffix.into());
        self
    }

    /// How many batch requests of up to 100 ids may be in flight at once; 4 by default.
    pub fn batch_concurrency(mut self, concurrency: usize) -> Self {
        self.batch_concurrency = concurrency;
        self
    }

    /// The largest answer accepted, in bytes; [`DEFAULT_MAX_RESPONSE_BYTES`] by default. A
    /// bigger answer fails with [`Error::Decode`] without being read whole.
    pub fn max_response_bytes(mut self, bytes: usize) -> Self {
        self.max_response_bytes = bytes;
        self
    }

    /// Fills the keys and base URL from `UPLOADCARE_PUBLIC_KEY`, `UPLOADCARE_SECRET_KEY`
    /// and `UPLOADCARE_API_BASE`; the keys must be set.
    pub fn from_env(mut self) -> Result<Self> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        self.public_key = Some(var("UPLOADCARE_PUBLIC_KEY").ok_or_else(|| Error::invalid("UPLOADCARE_PUBLIC_KEY is not set"))?);
        self.secret_key =
            Some(Secret::new(var("UPLOADCARE_SECRET_KEY").ok_or_else(|| Error::invalid("UPLOADCARE_SECRET_KEY is not set"))?));
        if let Some(base) = var("UPLOADCARE_API_BASE") {
            self.base_url = base;
        }
        if let Some(base) = var("UPLOADCARE_UPLOAD_BASE") {
            self.upload_base_url = Some(base);
        }
        Ok(self)
    }

    /// Checks the configuration and makes the client. Everything that goes into a header is
    /// checked here, so a request can always be built and sent.
    ///
    /// TLS uses rustls with the platform's verifier; the crypto provider is the process's
    /// default, and if none is installed yet, ring is installed as that default.
    pub fn build(self) -> Result<V::Client> {
        self.runtime().map(V::client)
    }

    fn runtime(self) -> Result<Runtime> {
        let public_key = self.public_key.filter(|k| !k.is_empty()).ok_or_else(|| Error::invalid("public key is required"))?;
        let secret_key = self.secret_key.filter(|k| !k.expose().is_empty()).ok_or_else(|| Error::invalid("secret key is required"))?;
        validate::header_text("public key", &public_key)?;
        if public_key.contains(':') || public_key.chars().any(char::is_whitespace) {
            return Err(Error::invalid("public key must not contain ':' or whitespace"));
        }
        if secret_key.expose().chars().any(char::is_control) {
            // Not echoed: the message must not carry the secret.
            return Err(Error::invalid("secret key must not contain control characters"));
        }
        if let Some(suffix) = &self.user_agent_suffix {
            validate::header_text("user-agent suffix", suffix)?;
        }
        validate::duration("timeout", self.timeout, validate::MAX_TIMEOUT)?;
        if self.retry.max_retries > MAX_RETRIES {
            return Err(Error::invalid(format!("max_retries must be at most {MAX_RETRIES}, got {}", self.retry.max_retries)));
        }
        if self.batch_concurrency == 0 || self.batch_concurrency > 64 {
            return Err(Error::invalid(format!("batch concurrency must be within 1..=64, got {}", self.batch_concurrency)));
        }
        if self.max_response_bytes < 1024 {
            return Err(Error::invalid(format!("max_response_bytes must be at least 1024, got {}", self.max_response_bytes)));
        }
        let base = root_url("base URL", &self.base_url)?;
        let upload_base = root_url("upload base URL", self.upload_base_url.as_deref().unwrap_or(DEFAULT_UPLOAD_BASE_URL))?;
        let mut user_agent = format!("ucare/{}/{}", env!("CARGO_PKG_VERSION"), public_key);
        if let Some(suffix) = &self.user_agent_suffix {
            user_agent.push_str(&format!(" ({suffix})"));
        }
        let http_settings = HttpSettings {
            user_agent,
            timeout: self.timeout,
            root_certificates: self.root_certificates.clone(),
            proxy: self.proxy.clone(),
        };
        let http = http_client(&http_settings)?;
        let redactor = Redactor::new(secret_key.expose());
        Ok(Runtime {
            inner: Arc::new(Inner {
                http,
                http_settings,
                pid: std::process::id(),
                forked: std::sync::Mutex::new(None),
                base,
                upload_base,
                public_key,
                secret_key,
                auth: self.auth,
                accept: format!("application/vnd.uploadcare-v{}+json", V::VERSION),
                timeout: self.timeout,
                retry: self.retry,
                batch_concurrency: self.batch_concurrency,
                max_response_bytes: self.max_response_bytes,
                redactor,
                stats: Stats::default(),
                on_request: self.on_request,
            }),
            call: CallOptions::default(),
        })
    }
}

/// Makes ring the process's TLS crypto provider unless one is installed already (then that
/// one is used). reqwest is built without a provider of its own: its default, aws-lc-rs,
/// made every binary 2.2 MB larger than ring does.
pub(crate) fn install_crypto_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// A proxy from its URL: http or https, with a host; the URL (which may hold a password) is
/// never echoed in the error.
fn proxy_from(text: &str) -> Result<reqwest::Proxy> {
    let url = Url::parse(text).map_err(|e| Error::invalid(format!("proxy URL: {e}")))?;
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return Err(Error::invalid("proxy URL must be http:// or https:// with a host"));
    }
    reqwest::Proxy::all(url).map_err(|_| Error::invalid("proxy URL is not usable"))
}

/// The most retries a client may be configured with.
pub const MAX_RETRIES: u32 = 20;

/// An API root from text: http(s), no credentials (the HTTP layer would add a second
/// `Authorization` header from them), no query or fragment, ending in `/`.
fn root_url(name: &str, text: &str) -> Result<Url> {
    let mut url = Url::parse(text).map_err(|e| Error::invalid(format!("{name} {:?}: {e}", validate::shorten(text))))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(Error::invalid(format!("{name} must be http or https")));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Error::invalid(format!("{name} must not carry a user name or password")));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::invalid(format!("{name} must not carry a query or a fragment")));
    }
    if !url.path().ends_with('/') {
        let path = format!("{}/", url.path());
        url.set_path(&path);
    }
    Ok(url)
}
