//! v0.7 groups: list, info and delete.

use reqwest::Method;

use super::models::Group;
use crate::client::Runtime;
use crate::error::Result;
use crate::validate;

pub use crate::listing::{GroupOrdering, ListGroups};

/// The groups of a project: `client.groups()`. v0.7 has no group storage: store a group's
/// files with `client.files().store_many(...)`.
///
/// ```no_run
/// # async fn run(client: ucare::Client) -> ucare::Result<()> {
/// let group = client.groups().info("badfc9f7-f88f-4921-9cc0-22e2c08aa2da~2").await?;
/// let uuids: Vec<String> = group.files.iter().flatten().flatten().map(|f| f.uuid.clone()).collect();
/// client.files().store_many(&uuids).await?;
/// client.groups().delete(&group.id).await?; // the files stay
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Groups<'a> {
    pub(crate) client: &'a Runtime,
}

impl<'a> Groups<'a> {
    /// A listing of groups; call `.stream()` on it, or `.pager()` to walk pages.
    pub fn list(self) -> ListGroups<'a, Group> {
        ListGroups::new(self.client)
    }

    /// One group with its files.
    pub async fn info(self, group_id: &str) -> Result<Group> {
        let id = validate::group_id(group_id)?;
        self.client.get_json(&format!("groups/{id}/")).await
    }

    /// Deletes a group (204); its files stay in the project.
    pub async fn delete(self, group_id: &str) -> Result<()> {
        let id = validate::group_id(group_id)?;
        self.client.send(Method::DELETE, self.client.url(&format!("groups/{id}/")), None).await?;
        Ok(())
    }
}
