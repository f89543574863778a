//! Groups: list, info and store.

use std::str::FromStr;

use chrono::{DateTime, SecondsFormat, Utc};
use futures_core::Stream;
use reqwest::Method;

use crate::client::Client;
use crate::error::{Error, Result};
use crate::models::Group;
use crate::pagination::{stream_or_error, Pager};
use crate::validate;

/// The groups of a project: `client.groups()`.
///
/// ```no_run
/// # async fn run(client: ucare::Client) -> ucare::Result<()> {
/// let group = client.groups().info("badfc9f7-f88f-4921-9cc0-22e2c08aa2da~2").await?;
/// println!("{} files", group.files_count);
/// client.groups().store(&group.id).await?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Groups<'a> {
    pub(crate) client: &'a Client,
}

/// How a group listing is sorted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum GroupOrdering {
    /// Oldest first (the API's default).
    #[default]
    DatetimeCreated,
    /// Newest first.
    DatetimeCreatedDesc,
}

impl GroupOrdering {
    /// The ordering as the API spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            GroupOrdering::DatetimeCreated => "datetime_created",
            GroupOrdering::DatetimeCreatedDesc => "-datetime_created",
        }
    }
}

impl FromStr for GroupOrdering {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "datetime_created" => Ok(GroupOrdering::DatetimeCreated),
            "-datetime_created" => Ok(GroupOrdering::DatetimeCreatedDesc),
            other => {
                Err(Error::invalid(format!("ordering {:?} is not one of datetime_created, -datetime_created", validate::shorten(other))))
            }
        }
    }
}

/// A group listing being set up; see [`Groups::list`].
#[derive(Debug, Clone)]
#[must_use = "a listing does nothing until it is streamed"]
pub struct ListGroups<'a> {
    client: &'a Client,
    limit: Option<u32>,
    ordering: Option<GroupOrdering>,
    from: Option<DateTime<Utc>>,
}

impl ListGroups<'_> {
    /// Groups per page, 1..=1000.
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = Some(limit);
        self
    }

    /// The sort order.
    pub fn ordering(mut self, ordering: GroupOrdering) -> Self {
        self.ordering = Some(ordering);
        self
    }

    /// Start at groups created at (or, descending, before) this moment.
    pub fn from(mut self, from: DateTime<Utc>) -> Self {
        self.from = Some(from);
        self
    }

    /// Checks the parameters and makes the pager, without sending anything.
    pub fn pager(self) -> Result<Pager<Group>> {
        let mut url = self.client.url("groups/");
        {
            let mut query = url.query_pairs_mut();
            if let Some(limit) = self.limit {
                query.append_pair("limit", &validate::limit(limit)?.to_string());
            }
            if let Some(ordering) = self.ordering {
                query.append_pair("ordering", ordering.as_str());
            }
            if let Some(from) = self.from {
                query.append_pair("from", &from.to_rfc3339_opts(SecondsFormat::Micros, true));
            }
        }
        if url.query() == Some("") {
            url.set_query(None);
        }
        Ok(Pager::new(self.client.clone(), url))
    }

    /// Every matching group, fetched a page at a time.
    pub fn stream(self) -> impl Stream<Item = Result<Group>> + Send + Unpin + 'static {
        stream_or_error(self.pager())
    }
}

impl<'a> Groups<'a> {
    /// A listing of groups; call `.stream()` on it, or `.pager()` to walk pages.
    pub fn list(self) -> ListGroups<'a> {
        ListGroups { client: self.client, limit: None, ordering: None, from: None }
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
