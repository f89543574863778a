//! Waiting for a job (a conversion, an add-on run): poll with growing pauses until it is
//! final or the deadline passes.

use std::future::Future;
use std::time::Duration;

use crate::error::{Error, Result};
use crate::validate;

/// Calls `fetch` until `is_final` holds for its answer, pausing 100 ms, then half as long
/// again each time, at most 3 s; past `timeout` (at most a week), [`Error::Timeout`].
pub(crate) async fn until_final<T, F, Fut>(timeout: Duration, mut fetch: F, is_final: impl Fn(&T) -> bool) -> Result<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T>>,
{
    let timeout = validate::duration("timeout", timeout, validate::MAX_WAIT)?;
    let deadline = tokio::time::Instant::now() + timeout;
    let mut delay = Duration::from_millis(100);
    loop {
        let answer = fetch().await?;
        if is_final(&answer) {
            return Ok(answer);
        }
        let now = tokio::time::Instant::now();
        if now >= deadline {
            return Err(Error::Timeout(timeout));
        }
        tokio::time::sleep(delay.min(deadline - now)).await;
        delay = (delay * 3 / 2).min(Duration::from_secs(3));
    }
}
