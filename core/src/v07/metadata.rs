//! v0.7 file metadata: `client.metadata()`.

use reqwest::Method;

use super::models::Metadata;
use crate::client::Runtime;
use crate::error::Result;
use crate::validate;

/// The metadata of the project's files: `client.metadata()`. Keys are 1..64 characters of
/// `A-Z a-z 0-9 _ - . :`, values 1..512 characters, at most 50 keys a file; all checked
/// before sending.
///
/// ```no_run
/// # async fn run(client: ucare::Client) -> ucare::Result<()> {
/// let uuid = "21975c81-7f57-4c7a-aef9-acfe28779f78";
/// client.metadata().set(uuid, "subsystem", "uploader").await?;
/// assert_eq!(client.metadata().get(uuid, "subsystem").await?, "uploader");
/// for (key, value) in client.metadata().list(uuid).await? {
///     println!("{key} = {value}");
/// }
/// client.metadata().delete(uuid, "subsystem").await?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Copy)]
pub struct MetadataApi<'a> {
    pub(crate) client: &'a Runtime,
}

/// What a [`MetadataApi::set`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MetadataWrite {
    /// The key was new (201).
    Created,
    /// The key's value was replaced (200).
    Replaced,
}

fn key_path(uuid: &str, key: &str) -> Result<String> {
    let (uuid, key) = (validate::uuid(uuid)?, validate::metadata_key(key)?);
    Ok(format!("files/{uuid}/metadata/{key}/"))
}

impl MetadataApi<'_> {
    /// Every key and value of a file (`{}` when none).
    pub async fn list(self, uuid: &str) -> Result<Metadata> {
        let uuid = validate::uuid(uuid)?;
        self.client.get_json(&format!("files/{uuid}/metadata/")).await
    }

    /// One key's value; [`crate::Error::is_not_found`] when the key is not set.
    pub async fn get(self, uuid: &str, key: &str) -> Result<String> {
        self.client.get_json(&key_path(uuid, key)?).await
    }

    /// Sets a key; says whether it was created or replaced.
    pub async fn set(self, uuid: &str, key: &str, value: &str) -> Result<MetadataWrite> {
        let path = key_path(uuid, key)?;
        let body = serde_json::to_vec(validate::metadata_value(key, value)?).expect("strings serialize");
        let (status, answer) = self.client.send(Method::PUT, self.client.url(&path), Some(body)).await?;
        let _echo: String = self.client.decode(status, &answer)?;
        Ok(if status == 201 { MetadataWrite::Created } else { MetadataWrite::Replaced })
    }

    /// Removes a key; [`crate::Error::is_not_found`] when it was not set.
    pub async fn delete(self, uuid: &str, key: &str) -> Result<()> {
        let path = key_path(uuid, key)?;
        self.client.send(Method::DELETE, self.client.url(&path), None).await?;
        Ok(())
    }
}
