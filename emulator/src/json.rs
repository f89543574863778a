//! JSON written straight into a body, for what a listing writes a thousand times a page:
//! the files' keys as literals, their strings copied when they need no escaping, their
//! datetimes formatted digit by digit. Through serde, escaping every key and string byte by
//! byte and formatting datetimes through `fmt` was 40% of the emulator's time while
//! listing; the emulator's speed is part of every user's test suite.

use serde::Serialize;

/// `text` as a JSON string, escaped exactly as `serde_json` escapes it.
pub fn string(out: &mut Vec<u8>, text: &str) {
    out.push(b'"');
    fragment(out, text);
    out.push(b'"');
}

/// `text` escaped, without the quotes: for a string written in pieces.
pub fn fragment(out: &mut Vec<u8>, text: &str) {
    // serde_json escapes control characters, `"` and `\`, and nothing else. The check has
    // no early exit, so that the compiler runs it over whole vectors.
    let plain = text.bytes().fold(0u8, |escape, b| escape | u8::from(b < 0x20) | u8::from(b == b'"') | u8::from(b == b'\\')) == 0;
    if plain {
        out.extend_from_slice(text.as_bytes());
    } else {
        let quoted = serde_json::to_vec(text).expect("strings serialize");
        out.extend_from_slice(&quoted[1..quoted.len() - 1]);
    }
}

/// `text` as a JSON string, or `null`.
pub fn optional_string(out: &mut Vec<u8>, text: Option<&str>) {
    match text {
        Some(text) => string(out, text),
        None => out.extend_from_slice(b"null"),
    }
}

/// Any value through serde: for the parts a listing rarely carries.
pub fn value(out: &mut Vec<u8>, value: &impl Serialize) {
    serde_json::to_writer(out, value).expect("values serialize");
}

/// An unsigned number.
pub fn number(out: &mut Vec<u8>, n: u64) {
    out.extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
}

/// `true` or `false`.
pub fn boolean(out: &mut Vec<u8>, b: bool) {
    out.extend_from_slice(if b { b"true" } else { b"false" });
}

/// A datetime as the API writes it, `"2018-11-26T12:49:10.477888Z"`, or `null`: what
/// `state::format_datetime` writes, without building a `String` through chrono's formatter.
pub fn datetime(out: &mut Vec<u8>, at: Option<crate::state::Micros>) {
    let Some(at) = at else {
        out.extend_from_slice(b"null");
        return;
    };
    let (seconds, micros) = (at.div_euclid(1_000_000), at.rem_euclid(1_000_000) as u32);
    let (days, second_of_day) = (seconds.div_euclid(86_400), seconds.rem_euclid(86_400) as u32);
    let (year, month, day) = civil(days);
    if !(0..=9999).contains(&year) {
        // Outside four digits (not met in practice): as every other datetime is written.
        return string(out, &crate::state::format_datetime(at));
    }
    let mut text = *b"\"0000-00-00T00:00:00.000000Z\"";
    let mut digits = |at: usize, width: usize, mut n: u32| {
        for i in (at..at + width).rev() {
            text[i] = b'0' + (n % 10) as u8;
            n /= 10;
        }
    };
    digits(1, 4, year as u32);
    digits(6, 2, month);
    digits(9, 2, day);
    digits(12, 2, second_of_day / 3600);
    digits(15, 2, second_of_day / 60 % 60);
    digits(18, 2, second_of_day % 60);
    digits(21, 6, micros);
    out.extend_from_slice(&text);
}

/// The (year, month, day) of a day counted from 1970-01-01 (Howard Hinnant's
/// `civil_from_days`: plain integer arithmetic, where chrono's conversion was a sixth of
/// the time spent writing a page).
fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era = (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * shifted_month + 2) / 5 + 1) as u32;
    let month = if shifted_month < 10 { shifted_month + 3 } else { shifted_month - 9 } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn written(write: impl FnOnce(&mut Vec<u8>)) -> String {
        let mut out = Vec::new();
        write(&mut out);
        String::from_utf8(out).unwrap()
    }

    proptest! {
        #[test]
        fn strings_are_escaped_as_serde_json_escapes_them(text in any::<String>()) {
            prop_assert_eq!(written(|out| string(out, &text)), serde_json::to_string(&text).unwrap());
        }

        #[test]
        fn datetimes_are_written_as_format_datetime_writes_them(at in prop_oneof![-62_135_596_800_000_000i64..253_402_300_799_999_999, any::<i64>()]) {
            prop_assert_eq!(written(|out| datetime(out, Some(at))), serde_json::to_string(&crate::state::format_datetime(at)).unwrap());
        }
    }

    #[test]
    fn the_edges() {
        assert_eq!(written(|out| string(out, "a\"b\\c\n\u{1f}ü/\u{7f}")), "\"a\\\"b\\\\c\\n\\u001fü/\u{7f}\"");
        assert_eq!(written(|out| datetime(out, None)), "null");
        assert_eq!(written(|out| datetime(out, Some(0))), "\"1970-01-01T00:00:00.000000Z\"");
        assert_eq!(written(|out| datetime(out, Some(1_543_236_550_477_888))), "\"2018-11-26T12:49:10.477888Z\"");
        assert_eq!(written(|out| optional_string(out, None)), "null");
        assert_eq!(written(|out| number(out, u64::MAX)), u64::MAX.to_string());
    }
}
