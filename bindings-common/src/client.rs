//! A client of either REST API version, as the bindings configure it, and the per-call
//! options they pass with each operation.

use serde::Deserialize;
use serde_json::Value;
use ucare::{CallOptions, ClientBuilder, Error, RequestLog};

use crate::decode;

/// How a binding configures a client; every field but the keys is optional.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClientOptions {
    public_key: String,
    secret_key: String,
    #[serde(default)]
    auth: Option<String>,
    #[serde(default)]
    base_url: Option<String>,
    #[serde(default)]
    api_version: Option<String>,
    #[serde(default)]
    timeout: Option<f64>,
    #[serde(default)]
    max_retries: Option<u32>,
    #[serde(default)]
    user_agent_suffix: Option<String>,
    #[serde(default)]
    max_response_bytes: Option<usize>,
    #[serde(default)]
    upload_base_url: Option<String>,
    /// A PEM file of CA certificates to trust beside the platform's.
    #[serde(default)]
    ca_bundle: Option<String>,
    #[serde(default)]
    proxy: Option<String>,
}

impl ClientOptions {
    /// `0.7` (the default) or `0.5`.
    pub fn api_version(&self) -> &str {
        self.api_version.as_deref().unwrap_or("0.7")
    }
}

/// Client options from JSON, checked as the arguments of operations are.
pub fn client_options(value: Value) -> ucare::Result<ClientOptions> {
    decode(value)
}

/// The client of the version a binding asked for. Operations of both versions run on
/// either; one that exists in only one version refuses the other with
/// [`Error::InvalidInput`] naming the version it needs.
#[derive(Clone, Debug)]
pub enum AnyClient {
    /// REST API v0.5.
    V05(ucare::v05::Client),
    /// REST API v0.7 (the default).
    V07(ucare::Client),
}

/// Runs the same code on the client of either version: the methods it names exist on
/// both (answers differ in shape, which JSON carries).
macro_rules! both {
    ($client:expr, $c:ident => $body:expr) => {
        match $client {
            $crate::AnyClient::V05($c) => $body,
            $crate::AnyClient::V07($c) => $body,
        }
    };
}
pub(crate) use both;

impl AnyClient {
    /// `0.5` or `0.7`.
    pub fn version(&self) -> &'static str {
        match self {
            AnyClient::V05(_) => "0.5",
            AnyClient::V07(_) => "0.7",
        }
    }

    /// How many requests and retries this client has made.
    pub fn stats(&self) -> ucare::ClientStats {
        both!(self, c => c.stats())
    }

    /// The v0.7 client, or an error naming `what` as v0.7 only.
    pub(crate) fn v07(&self, what: &str) -> ucare::Result<&ucare::Client> {
        match self {
            AnyClient::V07(client) => Ok(client),
            AnyClient::V05(_) => Err(Error::InvalidInput(format!(
                "{what} is REST API v0.7 only; this client speaks v0.5 (leave api_version at its default, 0.7)"
            ))),
        }
    }

    /// The v0.5 client, or an error naming `what` as v0.5 only.
    pub(crate) fn v05(&self, what: &str) -> ucare::Result<&ucare::v05::Client> {
        match self {
            AnyClient::V05(client) => Ok(client),
            AnyClient::V07(_) => {
                Err(Error::InvalidInput(format!("{what} is REST API v0.5 only; create the client with api_version \"0.5\"")))
            }
        }
    }

    /// This client with the per-call options a binding passed (`{"timeout": seconds,
    /// "max_retries": n}`, or null for none): a cheap handle on the same connections.
    pub fn with_call_options(&self, options: Value) -> ucare::Result<AnyClient> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct PerCall {
            #[serde(default)]
            timeout: Option<f64>,
            #[serde(default)]
            max_retries: Option<u32>,
        }
        if options.is_null() {
            return Ok(self.clone());
        }
        let per_call: PerCall = decode(options)?;
        if per_call.timeout.is_none() && per_call.max_retries.is_none() {
            return Ok(self.clone());
        }
        let timeout = per_call.timeout.map(|s| ucare::validate::seconds("timeout", s, ucare::validate::MAX_TIMEOUT)).transpose()?;
        let options = CallOptions { timeout, max_retries: per_call.max_retries };
        Ok(match self {
            AnyClient::V05(c) => AnyClient::V05(c.with_options(options)?),
            AnyClient::V07(c) => AnyClient::V07(c.with_options(options)?),
        })
    }
}

/// Builds a client; `language` goes into the `User-Agent` (`python`, `node`); `on_request`
/// receives the request log.
pub fn build_client(
    options: &ClientOptions,
    language: &str,
    on_request: Option<impl Fn(&RequestLog) + Send + Sync + 'static>,
) -> ucare::Result<AnyClient> {
    match options.api_version() {
        "0.7" => configure(ucare::Client::builder(), options, language, on_request)?.build().map(AnyClient::V07),
        "0.5" => configure(ucare::v05::Client::builder(), options, language, on_request)?.build().map(AnyClient::V05),
        other => Err(Error::InvalidInput(format!("api_version {:?} is not one of 0.7, 0.5", ucare::validate::shorten(other)))),
    }
}

fn configure<V: ucare::ApiVersion>(
    mut builder: ClientBuilder<V>,
    options: &ClientOptions,
    language: &str,
    on_request: Option<impl Fn(&RequestLog) + Send + Sync + 'static>,
) -> ucare::Result<ClientBuilder<V>> {
    builder = builder.public_key(&options.public_key).secret_key(&options.secret_key);
    builder = match options.auth.as_deref() {
        None | Some("signed") => builder,
        Some("simple") => builder.auth(ucare::AuthScheme::Simple),
        Some(other) => return Err(Error::InvalidInput(format!("auth {:?} is not one of signed, simple", ucare::validate::shorten(other)))),
    };
    if let Some(url) = &options.base_url {
        builder = builder.base_url(url);
    }
    if let Some(timeout) = options.timeout {
        builder = builder.timeout(ucare::validate::seconds("timeout", timeout, ucare::validate::MAX_TIMEOUT)?);
    }
    if let Some(retries) = options.max_retries {
        builder = builder.max_retries(retries);
    }
    if let Some(bytes) = options.max_response_bytes {
        builder = builder.max_response_bytes(bytes);
    }
    if let Some(url) = &options.upload_base_url {
        builder = builder.upload_base_url(url);
    }
    if let Some(hook) = on_request {
        builder = builder.on_request(hook);
    }
    if let Some(path) = &options.ca_bundle {
        builder = builder.add_root_certificates_pem(read_ca_bundle(path)?);
    }
    if let Some(proxy) = &options.proxy {
        builder = builder.proxy(proxy);
    }
    let suffix = match &options.user_agent_suffix {
        Some(extra) => format!("{language}; {extra}"),
        None => language.to_string(),
    };
    Ok(builder.user_agent_suffix(suffix))
}

/// The largest CA bundle read: the system bundles are ~200 KiB; a path to something endless
/// (`/dev/zero`) fails instead of filling memory.
const MAX_CA_BUNDLE: u64 = 8 << 20;

fn read_ca_bundle(path: &str) -> ucare::Result<Vec<u8>> {
    use std::io::Read;
    let refuse = |why: String| Error::InvalidInput(format!("ca_bundle {:?}: {why}", ucare::validate::shorten(path)));
    let file = std::fs::File::open(path).map_err(|e| refuse(e.to_string()))?;
    let mut pem = Vec::new();
    file.take(MAX_CA_BUNDLE + 1).read_to_end(&mut pem).map_err(|e| refuse(e.to_string()))?;
    if pem.len() as u64 > MAX_CA_BUNDLE {
        return Err(refuse(format!("larger than {MAX_CA_BUNDLE} bytes")));
    }
    Ok(pem)
}
