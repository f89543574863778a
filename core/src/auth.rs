//! Request authentication: the `Uploadcare` signed scheme and `Uploadcare.Simple`.
//!
//! The signature covers the method, the md5 of the exact body bytes, the `Content-Type`,
//! the `Date` and the path plus query exactly as sent, so the transport signs the very
//! bytes and URI it is about to send.

use hmac::{Hmac, KeyInit, Mac};
use md5::{Digest, Md5};
use sha1::Sha1;

/// Which `Authorization` scheme a client uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AuthScheme {
    /// `Uploadcare <public_key>:<signature>`: the secret key never leaves the process.
    #[default]
    Signed,
    /// `Uploadcare.Simple <public_key>:<secret_key>`: the secret travels in every request;
    /// for tests and local tools only.
    Simple,
}

/// The string that the signed scheme signs: five lines joined by `\n`.
pub fn string_to_sign(method: &str, body: &[u8], content_type: &str, date: &str, uri: &str) -> String {
    let body_md5 = hex::encode(Md5::digest(body));
    format!("{method}\n{body_md5}\n{content_type}\n{date}\n{uri}")
}

/// `hex(HMAC-SHA1(secret_key, string_to_sign))`.
pub fn signature(secret_key: &str, method: &str, body: &[u8], content_type: &str, date: &str, uri: &str) -> String {
    let mut mac = Hmac::<Sha1>::new_from_slice(secret_key.as_bytes()).expect("HMAC takes a key of any length");
    mac.update(string_to_sign(method, body, content_type, date, uri).as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// The `Date` header value for a moment: RFC 2822 in GMT (`Mon, 05 Nov 2018 13:14:41 GMT`).
pub fn http_date(at: std::time::SystemTime) -> String {
    httpdate::fmt_http_date(at)
}

/// The secret key, kept out of every `Debug` and `Display`.
#[derive(Clone)]
pub(crate) struct Secret(String);

impl Secret {
    pub(crate) fn new(value: String) -> Self {
        Secret(value)
    }
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("\"***\"")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_example_signature() {
        let sig =
            signature("demoprivatekey", "GET", b"", "application/json", "Mon, 05 Nov 2018 13:14:41 GMT", "/files/?limit=1&stored=true");
        assert_eq!(sig, "3cbc4d2cf91f80c1ba162b926f8a975e8bec7995");
    }

    #[test]
    fn secret_debug_is_masked() {
        assert_eq!(format!("{:?}", Secret::new("topsecret".into())), "\"***\"");
    }
}
