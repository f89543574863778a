//! Webhook subscriptions: list, create, update, unsubscribe.

use reqwest::Method;
use serde::Serialize;

use super::models::Webhook;
use crate::client::Runtime;
use crate::error::{Error, Result};
use crate::validate;

/// The only event v0.5 delivers.
pub const FILE_UPLOADED: &str = "file.uploaded";

/// The webhook subscriptions of a project: `client.webhooks()`.
///
/// ```no_run
/// # async fn run(client: ucare::v05::Client) -> ucare::Result<()> {
/// use ucare::v05::webhooks::NewWebhook;
/// let hook = client
///     .webhooks()
///     .create(NewWebhook::new("https://example.com/hook").signing_secret("s3cr3t"))
///     .await?;
/// client.webhooks().unsubscribe(&hook.target_url).await?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Webhooks<'a> {
    pub(crate) client: &'a Runtime,
}

/// A subscription to create.
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct NewWebhook {
    target_url: String,
    event: String,
    is_active: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    signing_secret: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    version: Option<String>,
}

impl std::fmt::Debug for NewWebhook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewWebhook")
            .field("target_url", &self.target_url)
            .field("event", &self.event)
            .field("is_active", &self.is_active)
            .field("signing_secret", &self.signing_secret.as_ref().map(|_| "***"))
            .field("version", &self.version)
            .finish()
    }
}

impl NewWebhook {
    /// A subscription of `target_url` to `file.uploaded`, active.
    pub fn new(target_url: impl Into<String>) -> Self {
        NewWebhook { target_url: target_url.into(), event: FILE_UPLOADED.into(), is_active: true, signing_secret: None, version: None }
    }

    /// The event (only `file.uploaded` exists in v0.5).
    pub fn event(mut self, event: impl Into<String>) -> Self {
        self.event = event.into();
        self
    }

    /// Whether deliveries are made.
    pub fn is_active(mut self, active: bool) -> Self {
        self.is_active = active;
        self
    }

    /// A secret (at most 32 characters) that signs each delivery's body.
    pub fn signing_secret(mut self, secret: impl Into<String>) -> Self {
        self.signing_secret = Some(secret.into());
        self
    }

    /// The payload version: `0.5`, `0.6` or `0.7`.
    pub fn version(mut self, version: impl Into<String>) -> Self {
        self.version = Some(version.into());
        self
    }

    fn validate(&self) -> Result<()> {
        validate::target_url(&self.target_url)?;
        event(&self.event)?;
        if let Some(secret) = &self.signing_secret {
            validate::signing_secret(secret)?;
        }
        if let Some(version) = &self.version {
            if !["0.5", "0.6", "0.7"].contains(&version.as_str()) {
                return Err(Error::invalid(format!("webhook version {:?} is not one of 0.5, 0.6, 0.7", validate::shorten(version))));
            }
        }
        Ok(())
    }
}

/// Changes to a subscription; unset fields stay as they are.
#[derive(Clone, Default, PartialEq, Eq, Serialize)]
pub struct WebhookUpdate {
    /// A new target URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_url: Option<String>,
    /// A new event.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event: Option<String>,
    /// Turn deliveries on or off.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_active: Option<bool>,
    /// A new signing secret.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signing_secret: Option<String>,
}

impl std::fmt::Debug for WebhookUpdate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebhookUpdate")
            .field("target_url", &self.target_url)
            .field("event", &self.event)
            .field("is_active", &self.is_active)
            .field("signing_secret", &self.signing_secret.as_ref().map(|_| "***"))
            .finish()
    }
}

fn event(event: &str) -> Result<()> {
    if event == FILE_UPLOADED {
        Ok(())
    } else {
        Err(Error::invalid(format!("event {:?} is not {FILE_UPLOADED}", validate::shorten(event))))
    }
}

#[derive(Serialize)]
struct Unsubscribe<'a> {
    target_url: &'a str,
}

impl Webhooks<'_> {
    /// Every subscription of the project.
    pub async fn list(self) -> Result<Vec<Webhook>> {
        self.client.get_json("webhooks/").await
    }

    /// Subscribes a URL. Not repeated when the answer is lost (that could subscribe twice).
    pub async fn create(self, webhook: NewWebhook) -> Result<Webhook> {
        webhook.validate()?;
        let body = serde_json::to_vec(&webhook).expect("webhooks serialize");
        self.client.request_json(Method::POST, self.client.url("webhooks/"), Some(body)).await
    }

    /// Changes a subscription (v0.5 takes a POST here).
    pub async fn update(self, id: u64, update: WebhookUpdate) -> Result<Webhook> {
        if let Some(url) = &update.target_url {
            validate::target_url(url)?;
        }
        if let Some(e) = &update.event {
            event(e)?;
        }
        if let Some(secret) = &update.signing_secret {
            validate::signing_secret(secret)?;
        }
        if update == WebhookUpdate::default() {
            return Err(Error::invalid("a webhook update must change at least one field"));
        }
        let body = serde_json::to_vec(&update).expect("updates serialize");
        self.client.request_json(Method::POST, self.client.url(&format!("webhooks/{id}/")), Some(body)).await
    }

    /// Removes the subscription of `target_url`.
    pub async fn unsubscribe(self, url: &str) -> Result<()> {
        validate::target_url(url)?;
        let body = serde_json::to_vec(&Unsubscribe { target_url: url }).expect("strings serialize");
        self.client.send(Method::POST, self.client.url("webhooks/unsubscribe/"), Some(body)).await?;
        Ok(())
    }
}
