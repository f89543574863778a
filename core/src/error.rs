//! The one error type of the crate.
//!
//! Every failure a caller can meet is a variant of [`Error`]: an answer from the API with a
//! status and `detail`, a transport failure, a timeout, a body that is not what the API
//! promises, or input refused before anything was sent.

use std::time::Duration;

/// Field name to its messages, as validation errors list them.
pub type FieldErrors = indexmap::IndexMap<String, Vec<String>>;

/// Everything that can go wrong when talking to Uploadcare.
///
/// Messages never contain the secret key: the only strings that end up here are the
/// server's `detail`, a shortened snippet of the body, and our own validation messages.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The API answered with a non-success status.
    #[error("Uploadcare API error {status}: {detail}")]
    Api {
        /// HTTP status code of the answer.
        status: u16,
        /// The `detail` of the error body, or a short snippet of the body when it had none.
        detail: String,
        /// The `Retry-After` header of a throttled answer, when present.
        retry_after: Option<Duration>,
        /// Per-field messages of a validation answer (`{"target": ["Must be a valid
        /// UUID."]}`, as v0.7 add-ons answer); empty for `{"detail": ...}` answers.
        fields: FieldErrors,
    },
    /// The request could not be sent or its answer could not be read (DNS, connect,
    /// connection reset, ...).
    #[error("transport error: {0}")]
    Transport(String),
    /// The request did not complete within the configured timeout.
    #[error("request timed out after {0:?}")]
    Timeout(Duration),
    /// The answer's body is not what the API promises.
    #[error("could not decode the answer (status {status}): {message}; body starts with: {snippet}")]
    Decode {
        /// HTTP status of the answer.
        status: u16,
        /// What was wrong.
        message: String,
        /// The start of the body, shortened.
        snippet: String,
    },
    /// The arguments were refused before anything was sent.
    #[error("invalid input: {0}")]
    InvalidInput(String),
    /// A POST was sent but its answer was lost, so whether it took effect is unknown.
    /// Such requests are never repeated automatically, because repeating them could
    /// create a second copy, job or subscription.
    #[error("the outcome of {method} {path} is unknown: {reason}")]
    OutcomeUnknown {
        /// The request's method.
        method: String,
        /// The request's path.
        path: String,
        /// Why the answer was lost.
        reason: String,
    },
    /// A batch store or delete stopped part-way: the requests before the failure were
    /// applied, and [`BatchFailure`] says what they did and which ids are left.
    #[error("{} (the batch stopped part-way: {} files done, {} ids failed, {} not attempted)", .0.cause, .0.partial.result.len(), .0.failed.len(), .0.not_attempted.len())]
    BatchIncomplete(Box<BatchFailure>),
}

/// What a batch that stopped part-way had done; see [`Error::BatchIncomplete`].
///
/// Storing and deleting are idempotent, so resuming is sending [`BatchFailure::remaining`]
/// again:
///
/// ```no_run
/// # async fn run(client: ucare::Client, uuids: Vec<String>) -> ucare::Result<()> {
/// match client.files().store_many(&uuids).await {
///     Ok(batch) => println!("stored {}", batch.result.len()),
///     Err(ucare::Error::BatchIncomplete(failure)) => {
///         println!("stored {} before: {}", failure.partial.result.len(), failure.cause);
///         let rest = client.files().store_many(failure.remaining()).await?;
///         println!("then {}", rest.result.len());
///     }
///     Err(other) => return Err(other),
/// }
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct BatchFailure {
    /// Why the batch stopped: the error of the first request that failed.
    pub cause: Error,
    /// What the requests that were answered did: the files stored or removed (as the JSON
    /// the server sent; [`BatchFailure::files`] reads them as a version's File), and every
    /// problem reported so far (ids refused locally included).
    pub partial: crate::models::BatchResult<serde_json::Value>,
    /// Ids sent in requests that failed: refused by the server, or of unknown outcome when
    /// the answer was lost.
    pub failed: Vec<String>,
    /// Ids never sent, because the batch stopped before their request.
    pub not_attempted: Vec<String>,
}

impl BatchFailure {
    /// The files done, as `F` (`ucare::File` or `ucare::v05::File`).
    pub fn files<F: serde::de::DeserializeOwned>(&self) -> Result<Vec<F>> {
        self.partial
            .result
            .iter()
            .map(|f| {
                serde_json::from_value(f.clone()).map_err(|e| Error::Decode {
                    status: 200,
                    message: e.to_string(),
                    snippet: snippet(f.to_string().as_bytes()),
                })
            })
            .collect()
    }

    /// Every id whose outcome is not in [`BatchFailure::partial`]: failed, then not
    /// attempted. Sending these again completes the batch.
    pub fn remaining(&self) -> Vec<String> {
        self.failed.iter().chain(&self.not_attempted).cloned().collect()
    }
}

impl Error {
    /// The HTTP status of an API error, if this is one.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api { status, .. } | Error::Decode { status, .. } => Some(*status),
            Error::BatchIncomplete(failure) => failure.cause.status(),
            _ => None,
        }
    }

    /// The error itself, or for a batch that stopped part-way the error that stopped it.
    pub fn cause(&self) -> &Error {
        match self {
            Error::BatchIncomplete(failure) => failure.cause.cause(),
            other => other,
        }
    }

    /// True for 401 and 403 answers: wrong keys, a bad signature, a stale `Date`, or a
    /// feature the project's plan lacks.
    pub fn is_authentication(&self) -> bool {
        matches!(self.cause(), Error::Api { status: 401 | 403, .. })
    }

    /// True for 404 answers.
    pub fn is_not_found(&self) -> bool {
        matches!(self.cause(), Error::Api { status: 404, .. })
    }

    /// True for 429 answers.
    pub fn is_throttled(&self) -> bool {
        matches!(self.cause(), Error::Api { status: 429, .. })
    }

    /// True for 400 answers.
    pub fn is_bad_request(&self) -> bool {
        matches!(self.cause(), Error::Api { status: 400, .. })
    }

    /// True for 406 answers (a missing or wrong `Accept` header).
    pub fn is_not_acceptable(&self) -> bool {
        matches!(self.cause(), Error::Api { status: 406, .. })
    }

    /// The per-field messages of a validation answer (empty when it had none).
    pub fn field_errors(&self) -> Option<&FieldErrors> {
        match self.cause() {
            Error::Api { fields, .. } if !fields.is_empty() => Some(fields),
            _ => None,
        }
    }

    /// The `Retry-After` of a throttled answer.
    pub fn retry_after(&self) -> Option<Duration> {
        match self.cause() {
            Error::Api { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    pub(crate) fn invalid(message: impl Into<String>) -> Self {
        Error::InvalidInput(message.into())
    }
}

/// Removes the secret key from text that came from a server (an error `detail`, a body
/// snippet, a link): a server or proxy that echoes the `Authorization` header must not put
/// the secret into messages, logs and tracebacks.
#[derive(Clone, Default)]
pub(crate) struct Redactor {
    /// The forms the secret can take in a body: as is, and escaped inside a JSON string.
    forms: Vec<String>,
}

impl Redactor {
    pub(crate) fn new(secret: &str) -> Self {
        let mut forms = vec![secret.to_string()];
        let escaped = serde_json::to_string(secret).unwrap_or_default();
        let escaped = escaped.trim_matches('"');
        if !escaped.is_empty() && escaped != secret {
            forms.push(escaped.to_string());
        }
        forms.retain(|f| !f.is_empty());
        Redactor { forms }
    }

    pub(crate) fn text(&self, text: &str) -> String {
        let mut out = text.to_string();
        for form in &self.forms {
            if out.contains(form.as_str()) {
                out = out.replace(form.as_str(), "***");
            }
        }
        out
    }

    /// The same error with every server-given text redacted.
    pub(crate) fn error(&self, error: Error) -> Error {
        match error {
            Error::Api { status, detail, retry_after, fields } => Error::Api {
                status,
                detail: self.text(&detail),
                retry_after,
                fields: fields.into_iter().map(|(k, v)| (self.text(&k), v.iter().map(|m| self.text(m)).collect())).collect(),
            },
            Error::Transport(message) => Error::Transport(self.text(&message)),
            Error::Decode { status, message, snippet } => {
                Error::Decode { status, message: self.text(&message), snippet: self.text(&snippet) }
            }
            Error::OutcomeUnknown { method, path, reason } => Error::OutcomeUnknown { method, path, reason: self.text(&reason) },
            Error::BatchIncomplete(mut failure) => {
                let cause = std::mem::replace(&mut failure.cause, Error::Timeout(Duration::ZERO));
                failure.cause = self.error(cause);
                for problem in failure.partial.problems.values_mut() {
                    *problem = self.text(problem);
                }
                Error::BatchIncomplete(failure)
            }
            other @ (Error::Timeout(_) | Error::InvalidInput(_)) => other,
        }
    }
}

/// The result type of the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Shortens a body to a snippet fit for an error message, on a character boundary.
pub(crate) fn snippet(body: &[u8]) -> String {
    const MAX: usize = 200;
    let text = String::from_utf8_lossy(body);
    let text = text.trim();
    if text.chars().count() <= MAX {
        return text.to_string();
    }
    let cut: String = text.chars().take(MAX).collect();
    format!("{cut}…")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_secret_is_redacted_in_every_form_and_every_variant() {
        let r = Redactor::new("se\"cr/et");
        assert_eq!(r.text("echo: Uploadcare.Simple pk:se\"cr/et!"), "echo: Uploadcare.Simple pk:***!");
        assert_eq!(r.text(r#"{"detail": "pk:se\"cr/et"}"#), r#"{"detail": "pk:***"}"#);
        let api = r.error(Error::Api { status: 400, detail: "pk:se\"cr/et".into(), retry_after: None, fields: FieldErrors::new() });
        assert!(!api.to_string().contains("cr/et"), "{api}");
        let decode = r.error(Error::Decode { status: 200, message: "se\"cr/et".into(), snippet: "se\"cr/et".into() });
        assert!(!format!("{decode:?}").contains("cr/et"));
    }

    #[test]
    fn an_empty_secret_redacts_nothing() {
        assert_eq!(Redactor::new("").text("anything"), "anything");
    }
}
