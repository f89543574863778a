//! Every vector of `shared/vectors/signatures.json`.

mod common;

#[test]
fn request_signatures_match_every_vector() {
    let vectors = common::vectors();
    let cases = vectors["request_signatures"].as_array().unwrap();
    assert!(cases.len() >= 5);
    for case in cases {
        let s = |k: &str| case[k].as_str().unwrap();
        let to_sign = ucare::auth::string_to_sign(s("method"), s("body").as_bytes(), s("content_type"), s("date"), s("uri"));
        assert_eq!(to_sign, s("string_to_sign"), "{}", s("name"));
        let sig = ucare::auth::signature(s("secret_key"), s("method"), s("body").as_bytes(), s("content_type"), s("date"), s("uri"));
        assert_eq!(sig, s("signature"), "{}", s("name"));
    }
}

#[test]
fn webhook_signatures_match_every_vector() {
    let vectors = common::vectors();
    for case in vectors["webhook_signatures"].as_array().unwrap() {
        let (secret, body, value) =
            (case["signing_secret"].as_str().unwrap(), case["body"].as_str().unwrap(), case["value"].as_str().unwrap());
        assert_eq!(ucare::webhook::sign(secret, body.as_bytes()).unwrap(), value);
        assert!(ucare::webhook::verify(secret, body.as_bytes(), value).unwrap());
        assert!(!ucare::webhook::verify("wrong", body.as_bytes(), value).unwrap());
        let mut tampered = body.as_bytes().to_vec();
        tampered[10] ^= 1;
        assert!(!ucare::webhook::verify(secret, &tampered, value).unwrap());
        let event = ucare::webhook::parse_event(body.as_bytes()).unwrap();
        assert_eq!(event.data.uuid, "f08d7c8a-2971-42e0-ab01-780d9039b40b");
        assert_eq!(event.hook.id, 889783);
        assert!(event.data.content_info.is_some(), "a v0.7 payload: content_info is typed");
        let old = ucare::webhook::parse_event_as::<ucare::v05::File>(body.as_bytes()).unwrap();
        assert!(old.data.extra.contains_key("content_info"), "read as v0.5, unknown fields are kept");
    }
}

#[test]
fn our_copy_of_the_vectors_is_current() {
    let shared = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/vectors/signatures.json");
    if let Ok(text) = std::fs::read_to_string(shared) {
        let ours = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/vectors/signatures.json")).unwrap();
        assert_eq!(text, ours, "tests/vectors/signatures.json differs from shared/; copy it again");
    }
}
