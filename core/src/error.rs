//! The one error type of the crate.
//!
//! Every failure a caller can meet is a variant of [`Error`]: an answer from the API with a
//! status and `detail`, a transport failure, a timeout, a body that is not what the API
//! promises, or input refused before anything was sent.

use std::time::Duration;

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
}

impl Error {
    /// The HTTP status of an API error, if this is one.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api { status, .. } | Error::Decode { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// True for 401 and 403 answers: wrong keys, a bad signature, a stale `Date`, or a
    /// feature the project's plan lacks.
    pub fn is_authentication(&self) -> bool {
        matches!(self, Error::Api { status: 401 | 403, .. })
    }

    /// True for 404 answers.
    pub fn is_not_found(&self) -> bool {
        matches!(self, Error::Api { status: 404, .. })
    }

    /// True for 429 answers.
    pub fn is_throttled(&self) -> bool {
        matches!(self, Error::Api { status: 429, .. })
    }

    /// True for 400 answers.
    pub fn is_bad_request(&self) -> bool {
        matches!(self, Error::Api { status: 400, .. })
    }

    /// True for 406 answers (a missing or wrong `Accept` header).
    pub fn is_not_acceptable(&self) -> bool {
        matches!(self, Error::Api { status: 406, .. })
    }

    /// The `Retry-After` of a throttled answer.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Error::Api { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    pub(crate) fn invalid(message: impl Into<String>) -> Self {
        Error::InvalidInput(message.into())
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
