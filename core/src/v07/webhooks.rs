//! v0.7 webhook subscriptions: list, create (five events), update (`PUT`), unsubscribe
//! (`DELETE`), delete by id.

use reqwest::Method;
use serde::Serialize;

use super::models::{Event, Webhook};
use crate::client::Runtime;
use crate::error::{Error, Result};
use crate::validate;

/// The webhook subscriptions of a project: `client.webhooks()`.
///
/// ```no_run
/// # async fn run(client: ucare::Client) -> ucare::Result<()> {
/// use ucare::webhooks::NewWebhook;
/// use ucare::v07::models::Event;
/// let hook = client
///     .webhooks()
///     .create(NewWebhook::new("https://example.com/hook", Event::FileStored).signing_secret("s3cr3t"))
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
    event: Event,
    is_active: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    signing_secret: Option<String>,
}

impl std::fmt::Debug for NewWebhook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewWebhook")
            .field("target_url", &self.target_url)
            .field("event", &self.event)
            .field("is_active", &self.is_active)
            .field("signing_secret", &self.signing_secret.as_ref().map(|_| "***"))
            .finish()
    }
}

impl NewWebhook {
    /// An active subscription of `target_url` to `event`.
    pub fn new(target_url: impl Into<String>, event: Event) -> Self {
        NewWebhook { target_url: target_url.into(), event, is_active: true, signing_secret: None }
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
}

/// Changes to a subscription; unset fields stay as they are.
#[derive(Clone, Default, PartialEq, Eq, Serialize)]
pub struct WebhookUpdate {
    /// A new target URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_url: Option<String>,
    /// A new event.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event: Option<Event>,
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

fn event(event: &Event) -> Result<()> {
    match event {
        Event::Other(other) => other.parse::<Event>().map(|_| ()),
        _ => Ok(()),
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

    /// Subscribes a URL to an event. Not repeated when the answer is lost (that could
    /// subscribe twice).
    pub async fn create(self, webhook: NewWebhook) -> Result<Webhook> {
        validate::target_url(&webhook.target_url)?;
        event(&webhook.event)?;
        if let Some(secret) = &webhook.signing_secret {
            validate::signing_secret(secret)?;
        }
        let body = serde_json::to_vec(&webhook).expect("webhooks serialize");
        self.client.request_json(Method::POST, self.client.url("webhooks/"), Some(body)).await
    }

    /// Changes a subscription (`PUT /webhooks/<id>/`).
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
        self.client.request_json(Method::PUT, self.client.url(&format!("webhooks/{id}/")), Some(body)).await
    }

    /// Removes the subscriptions of `target_url` (`DELETE /webhooks/unsubscribe/`).
    pub async fn unsubscribe(self, url: &str) -> Result<()> {
        validate::target_url(url)?;
        let body = serde_json::to_vec(&Unsubscribe { target_url: url }).expect("strings serialize");
        self.client.send(Method::DELETE, self.client.url("webhooks/unsubscribe/"), Some(body)).await?;
        Ok(())
    }

    /// Removes one subscription by id (`DELETE /webhooks/<id>/`, which the service takes
    /// though the API reference does not list it).
    pub async fn delete(self, id: u64) -> Result<()> {
        self.client.send(Method::DELETE, self.client.url(&format!("webhooks/{id}/")), None).await?;
        Ok(())
    }
}
