//! The group listing, as both API versions take it (`G` is the version's Group).

use std::str::FromStr;

use chrono::{DateTime, SecondsFormat, Utc};
use futures_core::Stream;
use serde::de::DeserializeOwned;

use crate::client::Runtime;
use crate::error::{Error, Result};
use crate::pagination::{stream_or_error, Pager};
use crate::validate;

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
pub struct ListGroups<'a, G> {
    client: &'a Runtime,
    group: std::marker::PhantomData<fn() -> G>,
    limit: Option<u32>,
    ordering: Option<GroupOrdering>,
    from: Option<DateTime<Utc>>,
}

impl<'a, G: DeserializeOwned + Send + 'static> ListGroups<'a, G> {
    pub(crate) fn new(client: &'a Runtime) -> Self {
        ListGroups { client, group: std::marker::PhantomData, limit: None, ordering: None, from: None }
    }

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
    pub fn pager(self) -> Result<Pager<G>> {
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
    pub fn stream(self) -> impl Stream<Item = Result<G>> + Send + Unpin + 'static {
        stream_or_error(self.pager())
    }
}
