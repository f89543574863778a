//! v0.7 document and video conversions: `client.conversions()`, with `save_in_group` and
//! document info.

use std::time::Duration;

use super::models::DocumentInfo;
use crate::client::Runtime;
use crate::conversions::{ConversionKind, DocumentConversion, VideoConversion};
use crate::error::Result;
use crate::models::{ConversionResponse, ConversionStatus};
use crate::validate;

/// Options of a document conversion.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DocumentOptions {
    /// Whether the results are stored; the project's autostore when unset.
    pub store: Option<bool>,
    /// Save a multi-page result as a group, one file per page (see
    /// [`Conversions::document_info`]).
    pub save_in_group: Option<bool>,
}

/// Conversions: `client.conversions()`.
///
/// ```no_run
/// # async fn run(client: ucare::Client) -> ucare::Result<()> {
/// use std::time::Duration;
/// use ucare::conversions::{ConversionKind, DocumentConversion, DocumentFormat};
/// use ucare::v07::conversions::DocumentOptions;
/// let uuid = "21975c81-7f57-4c7a-aef9-acfe28779f78";
/// let options = DocumentOptions { store: Some(true), save_in_group: Some(true) };
/// let started = client.conversions().document(&[DocumentConversion::new(uuid).format(DocumentFormat::Png)], options).await?;
/// for job in &started.result {
///     client.conversions().wait(ConversionKind::Document, job.token, Duration::from_secs(60)).await?;
/// }
/// println!("{:?}", client.conversions().document_info(uuid).await?.groups());
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Conversions<'a> {
    pub(crate) client: &'a Runtime,
}

impl Conversions<'_> {
    /// Starts document conversions; paths the server refuses are in `problems`. Not
    /// repeated when the answer is lost (that could start the jobs twice).
    pub async fn document(self, conversions: &[DocumentConversion], options: DocumentOptions) -> Result<ConversionResponse> {
        let paths = conversions.iter().map(DocumentConversion::path).collect::<Result<Vec<_>>>()?;
        self.client.start_conversions(ConversionKind::Document, &paths, options.store, options.save_in_group).await
    }

    /// Starts video conversions; see [`Conversions::document`].
    pub async fn video(self, conversions: &[VideoConversion], store: Option<bool>) -> Result<ConversionResponse> {
        let paths = conversions.iter().map(VideoConversion::path).collect::<Result<Vec<_>>>()?;
        self.client.start_conversions(ConversionKind::Video, &paths, store, None).await
    }

    /// A job's status by its token.
    pub async fn status(self, kind: ConversionKind, token: u64) -> Result<ConversionStatus> {
        self.client.conversion_status(kind, token).await
    }

    /// Polls a job with backoff until it is finished, failed or cancelled; past `timeout`
    /// (at most a week), [`crate::Error::Timeout`].
    pub async fn wait(self, kind: ConversionKind, token: u64, timeout: Duration) -> Result<ConversionStatus> {
        self.client.wait_conversion(kind, token, timeout).await
    }

    /// A document's format, the formats it converts to, and the groups `save_in_group`
    /// conversions made of it.
    pub async fn document_info(self, uuid: &str) -> Result<DocumentInfo> {
        let uuid = validate::uuid(uuid)?;
        self.client.get_json(&format!("convert/document/{uuid}/")).await
    }
}
