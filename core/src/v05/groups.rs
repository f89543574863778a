//! v0.5 groups: list, info and store.

use reqwest::Method;

use super::models::Group;
use crate::client::Runtime;
use crate::error::Result;
use crate::validate;

pub use crate::listing::{GroupOrdering, ListGroups};

/// The groups of a project: `client.groups()`.
///
/// ```no_run
/// # async fn run(client: ucare::v05::Client) -> ucare::Result<()> {
/// let group = client.groups().info("badfc9f7-f88f-4921-9cc0-22e2c08aa2da~2").await?;
/// println!("{} files", group.files_count);
/// client.groups().store(&group.id).await?;
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

    /// Stores every file of a group.
    pub async fn store(self, group_id: &str) -> Result<Group> {
        let id = validate::group_id(group_id)?;
        self.client.request_json(Method::PUT, self.client.url(&format!("groups/{id}/storage/")), None).await
    }
}
