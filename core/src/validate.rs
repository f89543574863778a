//! Checks made before anything is sent, so bad input fails fast and clearly.

use std::time::Duration;

use crate::error::{Error, Result};

/// Whether `s` is a UUID in its canonical 8-4-4-4-12 hex form.
pub fn is_uuid(s: &str) -> bool {
    let bytes = s.as_bytes();
    bytes.len() == 36
        && bytes.iter().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => *b == b'-',
            _ => b.is_ascii_hexdigit(),
        })
}

/// Whether `s` is a group id: `<uuid>~<count>` with a count of at least 1.
pub fn is_group_id(s: &str) -> bool {
    match s.split_once('~') {
        Some((uuid, count)) => {
            is_uuid(uuid) && !count.is_empty() && count.bytes().all(|b| b.is_ascii_digit()) && count.parse::<u32>().is_ok_and(|n| n > 0)
        }
        None => false,
    }
}

pub(crate) fn uuid(s: &str) -> Result<&str> {
    if is_uuid(s) {
        Ok(s)
    } else {
        Err(Error::invalid(format!("{:?} is not a file UUID", shorten(s))))
    }
}

pub(crate) fn group_id(s: &str) -> Result<&str> {
    if is_group_id(s) {
        Ok(s)
    } else {
        Err(Error::invalid(format!("{:?} is not a group id (<uuid>~<count>)", shorten(s))))
    }
}

pub(crate) fn limit(limit: u32) -> Result<u32> {
    if (1..=1000).contains(&limit) {
        Ok(limit)
    } else {
        Err(Error::invalid(format!("limit must be within 1..=1000, got {limit}")))
    }
}

/// A file source for copies: a UUID, or a CDN URL or path that carries one.
pub(crate) fn source(s: &str) -> Result<&str> {
    let has_uuid = s.split(['/', '~']).any(is_uuid);
    if !s.is_empty() && s.len() <= 2048 && has_uuid && !s.chars().any(char::is_whitespace) {
        Ok(s)
    } else {
        Err(Error::invalid(format!("{:?} is neither a file UUID nor a CDN URL", shorten(s))))
    }
}

/// An ISO-8601 datetime from text; one without an offset is taken as UTC.
pub fn datetime(s: &str) -> Result<chrono::DateTime<chrono::Utc>> {
    if let Ok(at) = chrono::DateTime::parse_from_rfc3339(s) {
        return Ok(at.with_timezone(&chrono::Utc));
    }
    for format in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f"] {
        if let Ok(at) = chrono::NaiveDateTime::parse_from_str(s, format) {
            return Ok(at.and_utc());
        }
    }
    Err(Error::invalid(format!("{:?} is not an ISO-8601 datetime", shorten(s))))
}

/// The longest request timeout a client takes: a day. Longer values are a mistake (a
/// number of milliseconds passed as seconds), and the clock arithmetic of larger ones
/// overflows.
pub const MAX_TIMEOUT: Duration = Duration::from_secs(86_400);

/// The longest a `wait` for a job may be told to take: a week.
pub const MAX_WAIT: Duration = Duration::from_secs(7 * 86_400);

/// Checks a duration given by the caller: more than zero and at most `max`.
pub(crate) fn duration(name: &str, value: Duration, max: Duration) -> Result<Duration> {
    if value.is_zero() {
        return Err(Error::invalid(format!("{name} must be more than zero")));
    }
    if value > max {
        return Err(Error::invalid(format!("{name} must be at most {} seconds, got {:?}", max.as_secs(), value)));
    }
    Ok(value)
}

/// A number of seconds from a binding as a duration: finite, more than zero, at most `max`.
/// NaN, infinities and huge values are refused here rather than panicking in the
/// conversion.
pub fn seconds(name: &str, value: f64, max: Duration) -> Result<Duration> {
    if !value.is_finite() {
        return Err(Error::invalid(format!("{name} must be a finite number of seconds, got {value}")));
    }
    if value <= 0.0 {
        return Err(Error::invalid(format!("{name} must be more than zero seconds, got {value}")));
    }
    if value > max.as_secs_f64() {
        return Err(Error::invalid(format!("{name} must be at most {} seconds, got {value}", max.as_secs())));
    }
    let duration = Duration::try_from_secs_f64(value).map_err(|e| Error::invalid(format!("{name}: {e}")))?;
    // A positive value below a nanosecond rounds to zero.
    self::duration(name, duration, max)
}

/// Text that goes into a header: no control characters (CR, LF, NUL, DEL, ...), which the
/// HTTP layer cannot send and which could split a header.
pub(crate) fn header_text<'a>(name: &str, value: &'a str) -> Result<&'a str> {
    match value.chars().find(|c| c.is_control()) {
        Some(c) => Err(Error::invalid(format!("{name} must not contain control characters (found {c:?})"))),
        None => Ok(value),
    }
}

/// A webhook's `target_url`: an http(s) URL of at most 255 characters, without control
/// characters (the URL parser would drop tabs and newlines silently and subscribe another
/// URL).
pub(crate) fn target_url(url: &str) -> Result<()> {
    if url.chars().any(char::is_control) {
        // The URL parser would drop tabs and newlines silently and subscribe another URL.
        return Err(Error::invalid(format!("target_url {:?} contains control characters", shorten(url))));
    }
    if url.len() > 255 {
        return Err(Error::invalid("target_url must be at most 255 characters"));
    }
    match url::Url::parse(url) {
        Ok(parsed) if matches!(parsed.scheme(), "http" | "https") && parsed.host().is_some() => Ok(()),
        _ => Err(Error::invalid(format!("target_url {:?} is not an http(s) URL", shorten(url)))),
    }
}

/// A webhook's signing secret: at most 32 characters.
pub(crate) fn signing_secret(secret: &str) -> Result<()> {
    if secret.chars().count() > 32 {
        Err(Error::invalid("signing_secret must be at most 32 characters"))
    } else {
        Ok(())
    }
}

/// The words a copy's name pattern is made of.
const PATTERN_WORDS: [&str; 6] = ["${default}", "${auto_filename}", "${effects}", "${filename}", "${uuid}", "${ext}"];

/// A copy's name pattern: it must use at least one of the pattern words.
pub(crate) fn copy_pattern(pattern: &str) -> Result<&str> {
    if pattern.is_empty() || !PATTERN_WORDS.iter().any(|w| pattern.contains(w)) || pattern.chars().any(char::is_control) {
        return Err(Error::invalid(format!("pattern {:?} uses none of {}", shorten(pattern), PATTERN_WORDS.join(", "))));
    }
    Ok(pattern)
}

/// The most metadata keys a file may carry.
pub const MAX_METADATA_KEYS: usize = 50;

/// A metadata key: 1..=64 characters of `A-Z a-z 0-9 _ - . :`.
pub fn metadata_key(key: &str) -> Result<&str> {
    let ok = (1..=64).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_alphanumeric() || b"_-.:".contains(&b));
    if ok {
        Ok(key)
    } else {
        Err(Error::invalid(format!("metadata key {:?} must be 1 to 64 characters of A-Z a-z 0-9 _ - . :", shorten(key))))
    }
}

/// A metadata value: 1..=512 characters.
pub fn metadata_value<'a>(key: &str, value: &'a str) -> Result<&'a str> {
    if (1..=512).contains(&value.chars().count()) {
        Ok(value)
    } else {
        Err(Error::invalid(format!("the value of metadata key {:?} must be 1 to 512 characters", shorten(key))))
    }
}

/// A whole metadata map: at most [`MAX_METADATA_KEYS`] keys, each key and value checked.
pub(crate) fn metadata<'a, I: IntoIterator<Item = (&'a String, &'a String)>>(entries: I) -> Result<()> {
    let mut count = 0;
    for (key, value) in entries {
        count += 1;
        metadata_key(key)?;
        metadata_value(key, value)?;
    }
    if count > MAX_METADATA_KEYS {
        return Err(Error::invalid(format!("a file may carry at most {MAX_METADATA_KEYS} metadata keys, got {count}")));
    }
    Ok(())
}

/// `true`/`false` as the API's string flags spell them.
pub(crate) fn bool_str(value: bool) -> &'static str {
    if value {
        "true"
    } else {
        "false"
    }
}

/// Input echoed in a message, kept to 80 characters.
pub fn shorten(s: &str) -> String {
    if s.chars().count() > 80 {
        format!("{}…", s.chars().take(80).collect::<String>())
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids() {
        assert!(is_uuid("21975c81-7f57-4c7a-aef9-acfe28779f78"));
        assert!(is_uuid("21975C81-7F57-4C7A-AEF9-ACFE28779F78"));
        assert!(!is_uuid("4j334o01-8bs3"));
        assert!(!is_uuid("21975c81-7f57-4c7a-aef9-acfe28779f7"));
        assert!(!is_uuid("21975c81x7f57-4c7a-aef9-acfe28779f78"));
        assert!(!is_uuid("21975c81-7f57-4c7a-aef9-acfe28779fzz"));
        assert!(!is_uuid(""));
    }

    #[test]
    fn group_ids() {
        assert!(is_group_id("badfc9f7-f88f-4921-9cc0-22e2c08aa2da~12"));
        assert!(!is_group_id("badfc9f7-f88f-4921-9cc0-22e2c08aa2da"));
        assert!(!is_group_id("badfc9f7-f88f-4921-9cc0-22e2c08aa2da~"));
        assert!(!is_group_id("badfc9f7-f88f-4921-9cc0-22e2c08aa2da~0"));
        assert!(!is_group_id("badfc9f7-f88f-4921-9cc0-22e2c08aa2da~-1"));
        assert!(!is_group_id("nope~1"));
    }

    #[test]
    fn limits_and_sources() {
        assert!(limit(0).is_err());
        assert!(limit(1001).is_err());
        assert_eq!(limit(1000).unwrap(), 1000);
        assert!(source("21975c81-7f57-4c7a-aef9-acfe28779f78").is_ok());
        assert!(source("https://ucarecdn.com/21975c81-7f57-4c7a-aef9-acfe28779f78/-/resize/10x/").is_ok());
        assert!(source("https://example.com/x.png").is_err());
        assert!(source("").is_err());
        assert_eq!(datetime("2024-01-02T03:04:05+01:00").unwrap().to_rfc3339(), "2024-01-02T02:04:05+00:00");
        assert_eq!(datetime("2024-01-02T03:04:05.5").unwrap().timestamp_millis() % 1000, 500);
        assert!(datetime("yesterday").is_err());
    }

    #[test]
    fn metadata_limits() {
        assert!(metadata_key("-:45az_").is_ok());
        assert!(metadata_key(&"k".repeat(64)).is_ok());
        for bad in ["", "a b", "ключ", "a/b"] {
            assert!(metadata_key(bad).is_err(), "{bad:?}");
        }
        assert!(metadata_key(&"k".repeat(65)).is_err());
        assert!(metadata_value("k", &"v".repeat(512)).is_ok());
        assert!(metadata_value("k", "").is_err() && metadata_value("k", &"v".repeat(513)).is_err());
        let many: indexmap::IndexMap<String, String> = (0..51).map(|i| (format!("k{i}"), "v".to_string())).collect();
        assert!(metadata(&many).is_err());
    }

    #[test]
    fn seconds_refuse_what_is_not_a_sane_duration() {
        for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY, -1.0, 0.0, 1e-12, 1e20, 1e300, f64::MAX] {
            let error = seconds("timeout", bad, MAX_TIMEOUT).unwrap_err();
            assert!(error.to_string().contains("timeout"), "{bad}: {error}");
        }
        assert_eq!(seconds("timeout", 1.5, MAX_TIMEOUT).unwrap(), Duration::from_millis(1500));
        assert_eq!(seconds("timeout", 86_400.0, MAX_TIMEOUT).unwrap(), MAX_TIMEOUT);
    }

    #[test]
    fn header_text_refuses_control_characters() {
        for bad in ["a\rb", "a\nb", "a\0b", "a\u{7f}", "a\tb", "\u{85}"] {
            assert!(header_text("public key", bad).is_err(), "{bad:?}");
        }
        assert!(header_text("suffix", "python 3.11; ünïcode").is_ok());
    }
}
