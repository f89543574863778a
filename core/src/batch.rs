//! Batch store and delete, as both API versions take them: any number of UUIDs, split into
//! requests of [`BATCH_LIMIT`] sent a few at a time, every problem merged, and a failure
//! part-way reported with what was done and what is left.

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use futures_util::{stream, StreamExt};
use reqwest::Method;
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::client::Runtime;
use crate::error::{BatchFailure, Error, Result};
use crate::models::BatchResult;
use crate::validate;

/// The most ids one batch request may carry; larger batches are split.
pub const BATCH_LIMIT: usize = 100;

impl Runtime {
    /// Stores (`PUT`) or removes (`DELETE`) any number of files; `F` is the version's File.
    /// Ids that are not UUIDs are reported as `Invalid` without being sent. When a request
    /// fails, no further one starts and the error is [`Error::BatchIncomplete`].
    pub(crate) async fn batch<F, I, S>(&self, method: Method, uuids: I) -> Result<BatchResult<F>>
    where
        F: DeserializeOwned + Serialize + Send + 'static,
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut merged = BatchResult::<F> { status: "ok".into(), ..BatchResult::default() };
        let mut seen = HashSet::new();
        let mut valid = Vec::new();
        for id in uuids {
            let id = id.as_ref();
            if !seen.insert(id.to_string()) {
                continue; // the API answers a repeated id once, so do we
            }
            if validate::is_uuid(id) {
                valid.push(id.to_string());
            } else {
                merged.problems.insert(id.to_string(), "Invalid".to_string());
            }
        }
        if seen.is_empty() {
            return Err(Error::invalid("a batch needs at least one UUID"));
        }
        let url = self.url("files/storage/");
        // Once a request fails no further one starts (those in flight finish and count),
        // and the error carries what was done and what is left.
        let stopped = Arc::new(AtomicBool::new(false));
        let chunks: Vec<Vec<String>> = valid.chunks(BATCH_LIMIT).map(<[String]>::to_vec).collect();
        let runtime = self.clone();
        let mut answers = stream::iter(chunks)
            .map(move |chunk| {
                let (runtime, method, url, stopped) = (runtime.clone(), method.clone(), url.clone(), stopped.clone());
                async move {
                    if stopped.load(Ordering::Relaxed) {
                        return (chunk, None);
                    }
                    let body = serde_json::to_vec(&chunk).expect("strings serialize");
                    let answer = runtime.request_json::<BatchResult<F>>(method, url, Some(body)).await;
                    if answer.is_err() {
                        stopped.store(true, Ordering::Relaxed);
                    }
                    (chunk, Some(answer))
                }
            })
            .buffered(self.inner.batch_concurrency);
        let (mut cause, mut failed, mut not_attempted) = (None, Vec::new(), Vec::new());
        while let Some((chunk, answer)) = answers.next().await {
            match answer {
                Some(Ok(answer)) => {
                    merged.problems.extend(answer.problems);
                    merged.result.extend(answer.result);
                }
                Some(Err(error)) => {
                    failed.extend(chunk);
                    // The first failure is the cause; later ones in flight are alike.
                    cause.get_or_insert(error);
                }
                None => not_attempted.extend(chunk),
            }
        }
        match cause {
            None => Ok(merged),
            Some(cause) => {
                // The error is not generic: the files done travel as the JSON they came as.
                let result = merged.result.iter().map(|f| serde_json::to_value(f).expect("files serialize")).collect();
                let partial = BatchResult { status: merged.status, problems: merged.problems, result };
                Err(Error::BatchIncomplete(Box::new(BatchFailure { cause, partial, failed, not_attempted })))
            }
        }
    }
}
