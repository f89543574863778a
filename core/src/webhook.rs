//! Receiving webhooks: verify `X-Uc-Signature` and parse the delivered event.

use hmac::{Hmac, KeyInit, Mac};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use sha2::Sha256;
use subtle::ConstantTimeEq;

use crate::error::{Error, Result};
use crate::v07::models::{Appdata, Metadata};

/// The header a signed delivery carries.
pub const SIGNATURE_HEADER: &str = "X-Uc-Signature";

/// An empty signing secret is a deployment whose secret is missing (an unset environment
/// variable): refusing it keeps such a deployment from accepting deliveries that anyone
/// can sign.
fn secret(signing_secret: &str) -> Result<&str> {
    if signing_secret.is_empty() {
        return Err(Error::invalid("the webhook signing secret is empty; set it to the subscription's signing_secret"));
    }
    Ok(signing_secret)
}

/// The `X-Uc-Signature` value for a body: `v1=<hex(HMAC-SHA256(secret, body))>`. An empty
/// secret is [`Error::InvalidInput`].
pub fn sign(signing_secret: &str, raw_body: &[u8]) -> Result<String> {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret(signing_secret)?.as_bytes()).expect("HMAC takes a key of any length");
    mac.update(raw_body);
    Ok(format!("v1={}", hex::encode(mac.finalize().into_bytes())))
}

/// Whether `header_value` is the right signature of `raw_body`, compared in constant time.
/// An empty secret is [`Error::InvalidInput`], never a match.
///
/// Pass the body exactly as received: re-serialized JSON will not match.
///
/// ```
/// let body = br#"{"hook": {}}"#;
/// let header = ucare::webhook::sign("s3cr3t", body)?;
/// assert!(ucare::webhook::verify("s3cr3t", body, &header)?);
/// assert!(!ucare::webhook::verify("other", body, &header)?);
/// assert!(ucare::webhook::verify("", body, &header).is_err());
/// # Ok::<(), ucare::Error>(())
/// ```
pub fn verify(signing_secret: &str, raw_body: &[u8], header_value: &str) -> Result<bool> {
    let expected = sign(signing_secret, raw_body)?;
    let given = header_value.trim();
    Ok(given.len() == expected.len() && bool::from(given.as_bytes().ct_eq(expected.as_bytes())))
}

/// The subscription part of a delivery.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Hook {
    /// The subscription's id.
    pub id: u64,
    /// The project's id.
    #[serde(default)]
    pub project_id: Option<u64>,
    /// The project's public key.
    #[serde(default)]
    pub project_pub_key: Option<String>,
    /// The event (`file.uploaded`).
    #[serde(default, deserialize_with = "crate::models::nullable")]
    pub event: String,
    /// Whether the subscription is active.
    #[serde(default, deserialize_with = "crate::models::nullable")]
    pub is_active: bool,
    /// The payload version.
    #[serde(default)]
    pub version: Option<String>,
    /// Fields this crate does not model (`created_at`, `target`, ...).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A delivered event: `{"hook", "data", "file"}`, and in v0.7 payloads `initiator` and,
/// for `file.info_updated`, `previous_values`. `F` is the payload version's File:
/// [`crate::File`] (v0.7, the default) or [`crate::v05::File`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(bound(deserialize = "F: Deserialize<'de>", serialize = "F: Serialize"))]
pub struct WebhookEvent<F = crate::File> {
    /// Which subscription sent it.
    pub hook: Hook,
    /// The file the event is about.
    pub data: F,
    /// The file's CDN URL.
    #[serde(default)]
    pub file: Option<String>,
    /// Who set the event off (v0.7).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub initiator: Option<Initiator>,
    /// What `metadata` or `appdata` were before a `file.info_updated` (v0.7).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_values: Option<PreviousValues>,
    /// Fields this crate does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Who set an event off.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Initiator {
    /// `api`, `system` or `addon`.
    #[serde(rename = "type", default, deserialize_with = "crate::models::nullable")]
    pub kind: String,
    /// For add-ons: which run, which add-on, on which file.
    #[serde(default)]
    pub detail: Option<InitiatorDetail>,
}

/// The add-on run behind an event.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct InitiatorDetail {
    /// The run's request id.
    #[serde(default)]
    pub request_id: Option<String>,
    /// The add-on's name.
    #[serde(default)]
    pub addon_name: Option<String>,
    /// The file it ran on.
    #[serde(default)]
    pub source_file_uuid: Option<String>,
}

/// What changed in a `file.info_updated`: the values before.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PreviousValues {
    /// The metadata before, when it changed.
    #[serde(default)]
    pub metadata: Option<Metadata>,
    /// The appdata before, when it changed.
    #[serde(default)]
    pub appdata: Option<Appdata>,
}

/// Parses a delivery's body (a v0.7 payload).
pub fn parse_event(raw_body: &[u8]) -> Result<WebhookEvent> {
    parse_event_as(raw_body)
}

/// Parses a delivery's body with the payload version's File: `parse_event_as::<ucare::v05::File>`
/// for subscriptions of version 0.5.
pub fn parse_event_as<F: DeserializeOwned>(raw_body: &[u8]) -> Result<WebhookEvent<F>> {
    crate::transport::decode(200, raw_body)
}

/// Verifies the signature, then parses the body; a wrong signature or an empty secret is
/// [`Error::InvalidInput`].
pub fn verify_and_parse(signing_secret: &str, raw_body: &[u8], header_value: &str) -> Result<WebhookEvent> {
    if !verify(signing_secret, raw_body, header_value)? {
        return Err(Error::invalid("the webhook signature does not match its body"));
    }
    parse_event(raw_body)
}
