//! v0.7 add-ons: run one on a file, ask how it goes, wait for it. Results land in the
//! file's `appdata` (see [`crate::files::Files::info_with_appdata`]).

use std::str::FromStr;
use std::time::Duration;

use reqwest::Method;
use serde::{Deserialize, Serialize};

use crate::client::Runtime;
use crate::error::{Error, Result};
use crate::validate;

/// An add-on the service runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Addon {
    /// Labels for what an image shows (AWS Rekognition).
    AwsRekognitionDetectLabels,
    /// Moderation labels for an image (AWS Rekognition).
    AwsRekognitionDetectModerationLabels,
    /// Background removal (remove.bg); makes a new file.
    RemoveBg,
    /// A virus scan (ClamAV).
    UcClamavVirusScan,
}

impl Addon {
    /// Every add-on.
    pub const ALL: [Addon; 4] =
        [Addon::AwsRekognitionDetectLabels, Addon::AwsRekognitionDetectModerationLabels, Addon::RemoveBg, Addon::UcClamavVirusScan];

    /// The add-on as the API names it.
    pub fn as_str(self) -> &'static str {
        match self {
            Addon::AwsRekognitionDetectLabels => "aws_rekognition_detect_labels",
            Addon::AwsRekognitionDetectModerationLabels => "aws_rekognition_detect_moderation_labels",
            Addon::RemoveBg => "remove_bg",
            Addon::UcClamavVirusScan => "uc_clamav_virus_scan",
        }
    }
}

impl FromStr for Addon {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        Addon::ALL.into_iter().find(|a| a.as_str() == s).ok_or_else(|| {
            Error::invalid(format!("add-on {:?} is not one of {}", validate::shorten(s), Addon::ALL.map(Addon::as_str).join(", ")))
        })
    }
}

/// remove.bg's parameters; unset ones take the service's defaults.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RemoveBgParams {
    /// Crop off empty regions.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub crop: Option<bool>,
    /// The margin around a cropped subject (`30px`, `10%`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub crop_margin: Option<String>,
    /// The subject's scale (`original`, `50%`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scale: Option<String>,
    /// Add an artificial shadow.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub add_shadow: Option<bool>,
    /// The classification level: `none`, `1`, `2` or `latest`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub type_level: Option<String>,
    /// The foreground type (`auto`, `person`, `product`, `car`).
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Keep semi-transparent regions.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub semitransparency: Option<bool>,
    /// `rgba` or `alpha`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channels: Option<String>,
    /// The region of interest (`0% 0% 100% 100%`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub roi: Option<String>,
    /// Where to place the subject (`original`, `center`, `50% 50%`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub position: Option<String>,
}

impl RemoveBgParams {
    fn validate(&self) -> Result<()> {
        if let Some(level) = &self.type_level {
            if !["none", "1", "2", "latest"].contains(&level.as_str()) {
                return Err(Error::invalid(format!("type_level {:?} is not one of none, 1, 2, latest", validate::shorten(level))));
            }
        }
        if let Some(channels) = &self.channels {
            if !["rgba", "alpha"].contains(&channels.as_str()) {
                return Err(Error::invalid(format!("channels {:?} is not one of rgba, alpha", validate::shorten(channels))));
            }
        }
        Ok(())
    }
}

/// The virus scan's parameters.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct VirusScanParams {
    /// Remove the file when it is infected.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub purge_infected: Option<bool>,
}

/// A started add-on run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddonRun {
    /// Which add-on.
    pub addon: Addon,
    /// The id to ask for its status.
    pub request_id: String,
}

/// Where a run is.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum AddonState {
    /// Running.
    InProgress,
    /// Finished; the result is in the file's `appdata`.
    Done,
    /// Failed.
    Error,
    /// The service does not know the request id.
    Unknown,
    /// A state this crate does not know.
    #[serde(untagged)]
    Other(String),
}

impl AddonState {
    /// Whether the run will not change any more.
    pub fn is_final(&self) -> bool {
        matches!(self, AddonState::Done | AddonState::Error | AddonState::Unknown)
    }
}

/// A run's status.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AddonStatus {
    /// Where the run is.
    pub status: AddonState,
    /// remove.bg's result: the new file.
    #[serde(default)]
    pub result: Option<AddonResult>,
    /// Fields this crate does not model.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// What a finished run made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AddonResult {
    /// The UUID of the file remove.bg made.
    #[serde(default)]
    pub file_id: Option<String>,
}

#[derive(Serialize)]
struct Execute<'a, P: Serialize> {
    target: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    params: Option<&'a P>,
}

#[derive(Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
struct Started {
    request_id: String,
}

/// The add-ons: `client.addons()`.
///
/// ```no_run
/// # async fn run(client: ucare::Client) -> ucare::Result<()> {
/// use std::time::Duration;
/// let uuid = "21975c81-7f57-4c7a-aef9-acfe28779f78";
/// let run = client.addons().detect_labels(uuid).await?;
/// let status = client.addons().wait(&run, Duration::from_secs(60)).await?;
/// let file = client.files().info_with_appdata(uuid).await?;
/// println!("{status:?} {:?}", file.appdata.and_then(|a| a.aws_rekognition_detect_labels));
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Addons<'a> {
    pub(crate) client: &'a Runtime,
}

impl Addons<'_> {
    /// Labels what an image shows (`aws_rekognition_detect_labels`).
    pub async fn detect_labels(self, uuid: &str) -> Result<AddonRun> {
        self.execute(Addon::AwsRekognitionDetectLabels, uuid, None::<&()>).await
    }

    /// Moderation labels for an image (`aws_rekognition_detect_moderation_labels`).
    pub async fn detect_moderation_labels(self, uuid: &str) -> Result<AddonRun> {
        self.execute(Addon::AwsRekognitionDetectModerationLabels, uuid, None::<&()>).await
    }

    /// Removes an image's background (`remove_bg`); the result is a new file
    /// ([`AddonStatus::result`]).
    pub async fn remove_bg(self, uuid: &str, params: RemoveBgParams) -> Result<AddonRun> {
        params.validate()?;
        let params = (params != RemoveBgParams::default()).then_some(&params);
        self.execute(Addon::RemoveBg, uuid, params).await
    }

    /// Scans a file for viruses (`uc_clamav_virus_scan`).
    pub async fn virus_scan(self, uuid: &str, params: VirusScanParams) -> Result<AddonRun> {
        let params = (params != VirusScanParams::default()).then_some(&params);
        self.execute(Addon::UcClamavVirusScan, uuid, params).await
    }

    /// Starts a run. A second run while one is in progress is a 409; field problems
    /// (`{"target": [...]}`) are a 400 with [`Error::field_errors`]. Not repeated when the
    /// answer is lost.
    async fn execute<P: Serialize>(self, addon: Addon, uuid: &str, params: Option<&P>) -> Result<AddonRun> {
        let body = Execute { target: validate::uuid(uuid)?, params };
        let body = serde_json::to_vec(&body).expect("add-on requests serialize");
        let url = self.client.url(&format!("addons/{}/execute/", addon.as_str()));
        let started: Started = self.client.request_json(Method::POST, url, Some(body)).await?;
        Ok(AddonRun { addon, request_id: started.request_id })
    }

    /// A run's status.
    pub async fn status(self, run: &AddonRun) -> Result<AddonStatus> {
        let id = validate::uuid(&run.request_id)?;
        self.client.get_json(&format!("addons/{}/execute/status/?request_id={id}", run.addon.as_str())).await
    }

    /// Polls a run with backoff until it is done, failed or unknown; past `timeout` (at most
    /// a week), [`Error::Timeout`].
    pub async fn wait(self, run: &AddonRun, timeout: Duration) -> Result<AddonStatus> {
        crate::poll::until_final(timeout, || self.status(run), |status| status.status.is_final()).await
    }
}
