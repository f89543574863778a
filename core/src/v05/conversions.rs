//! v0.5 document and video conversions: `client.conversions()`.

use std::time::Duration;

use crate::client::Runtime;
use crate::conversions::{ConversionKind, DocumentConversion, VideoConversion};
use crate::error::Result;
use crate::models::{ConversionResponse, ConversionStatus};

/// Conversions: `client.conversions()`.
///
/// ```no_run
/// # async fn run(client: ucare::v05::Client) -> ucare::Result<()> {
/// use std::time::Duration;
/// use ucare::conversions::{ConversionKind, DocumentConversion, DocumentFormat};
/// let started = client
///     .conversions()
///     .document(&[DocumentConversion::new("21975c81-7f57-4c7a-aef9-acfe28779f78").format(DocumentFormat::Pdf)], Some(true))
///     .await?;
/// for job in &started.result {
///     let done = client.conversions().wait(ConversionKind::Document, job.token, Duration::from_secs(60)).await?;
///     println!("{:?} {:?}", done.status, done.result.uuid);
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Conversions<'a> {
    pub(crate) client: &'a Runtime,
}

impl Conversions<'_> {
    /// Starts document conversions; paths the server refuses are in `problems`.
    /// Not repeated when the answer is lost (that could start the jobs twice).
    pub async fn document(self, conversions: &[DocumentConversion], store: Option<bool>) -> Result<ConversionResponse> {
        let paths = conversions.iter().map(DocumentConversion::path).collect::<Result<Vec<_>>>()?;
        self.client.start_conversions(ConversionKind::Document, &paths, store, None).await
    }

    /// Starts video conversions; see [`Conversions::document`].
    pub async fn video(self, conversions: &[VideoConversion], store: Option<bool>) -> Result<ConversionResponse> {
        let paths = conversions.iter().map(VideoConversion::path).collect::<Result<Vec<_>>>()?;
        self.client.start_conversions(ConversionKind::Video, &paths, store, None).await
    }

    /// Starts conversions of paths already built (for callers that keep paths as text).
    pub async fn start(self, kind: ConversionKind, paths: &[String], store: Option<bool>) -> Result<ConversionResponse> {
        self.client.start_conversions(kind, paths, store, None).await
    }

    /// A job's status by its token.
    pub async fn status(self, kind: ConversionKind, token: u64) -> Result<ConversionStatus> {
        self.client.conversion_status(kind, token).await
    }

    /// Polls a job with backoff until it is finished, failed or cancelled; past `timeout`
    /// (at most a week), [`Error::Timeout`](crate::Error::Timeout).
    pub async fn wait(self, kind: ConversionKind, token: u64, timeout: Duration) -> Result<ConversionStatus> {
        self.client.wait_conversion(kind, token, timeout).await
    }
}
