//! Property tests (fuzzing within `cargo test`): the model decoders, the signature and
//! webhook code, the validators and the conversion path builders take any input without
//! panicking, and keep their promises. `PROPTEST_CASES=100000 cargo test -p ucare --test
//! fuzz` runs them longer.

use proptest::prelude::*;
use serde_json::Value;
use ucare::conversions::{DocumentConversion, DocumentFormat, ResizeMode, VideoConversion, VideoFormat, VideoQuality};
use ucare::models::*;
use ucare::v05;
use ucare::v07::addons::AddonStatus;
use ucare::v07::models::{DocumentInfo, File, Group, Webhook};

/// Any JSON value, a few levels deep, with the keys the models look for mixed in.
fn json() -> impl Strategy<Value = Value> {
    let key = prop_oneof![
        Just("uuid".to_string()),
        Just("size".to_string()),
        Just("datetime_uploaded".to_string()),
        Just("image_info".to_string()),
        Just("results".to_string()),
        Just("next".to_string()),
        Just("total".to_string()),
        Just("problems".to_string()),
        Just("status".to_string()),
        Just("files".to_string()),
        Just("hook".to_string()),
        Just("data".to_string()),
        Just("content_info".to_string()),
        Just("metadata".to_string()),
        Just("appdata".to_string()),
        Just("mime".to_string()),
        Just("image".to_string()),
        Just("video".to_string()),
        Just("aws_rekognition_detect_labels".to_string()),
        Just("uc_clamav_virus_scan".to_string()),
        Just("initiator".to_string()),
        Just("previous_values".to_string()),
        Just("event".to_string()),
        "[a-z_]{1,12}",
    ];
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| serde_json::Number::from_f64(f).map(Value::Number).unwrap_or(Value::Null)),
        ".{0,40}".prop_map(Value::String),
        Just(Value::String("2018-11-26T12:49:10.477888Z".into())),
        Just(Value::String("21975c81-7f57-4c7a-aef9-acfe28779f78".into())),
    ];
    leaf.prop_recursive(4, 64, 8, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((key.clone(), inner), 0..8).prop_map(|pairs| Value::Object(pairs.into_iter().collect())),
        ]
    })
}

fn decode_all(value: &Value) {
    let text = value.to_string();
    let _ = serde_json::from_str::<File>(&text);
    let _ = serde_json::from_str::<Group>(&text);
    let _ = serde_json::from_str::<Page<File>>(&text);
    let _ = serde_json::from_str::<BatchResult<File>>(&text);
    let _ = serde_json::from_str::<Webhook>(&text);
    let _ = serde_json::from_str::<AddonStatus>(&text);
    let _ = serde_json::from_str::<DocumentInfo>(&text);
    let _ = serde_json::from_str::<v05::File>(&text);
    let _ = serde_json::from_str::<v05::Group>(&text);
    let _ = serde_json::from_str::<Page<v05::File>>(&text);
    let _ = serde_json::from_str::<BatchResult<v05::File>>(&text);
    let _ = serde_json::from_str::<v05::Webhook>(&text);
    let _ = serde_json::from_str::<ConversionResponse>(&text);
    let _ = serde_json::from_str::<ConversionStatus>(&text);
    let _ = serde_json::from_str::<Project>(&text);
    let _ = ucare::webhook::parse_event(text.as_bytes());
    let _ = ucare::webhook::parse_event_as::<v05::File>(text.as_bytes());
}

proptest! {
    #[test]
    fn model_decoders_take_any_json(value in json()) {
        decode_all(&value);
    }

    #[test]
    fn model_decoders_take_any_bytes(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let _ = serde_json::from_slice::<Page<File>>(&bytes);
        let _ = serde_json::from_slice::<File>(&bytes);
        prop_assert!(ucare::webhook::parse_event(&bytes).is_err() || serde_json::from_slice::<Value>(&bytes).is_ok());
    }

    #[test]
    fn a_file_keeps_its_fields_and_unknown_ones(size in any::<u64>(), name in ".{0,30}", extra in "[a-z]{3,10}", value in any::<i64>()) {
        let json = serde_json::json!({
            "uuid": "21975c81-7f57-4c7a-aef9-acfe28779f78", "size": size, "original_filename": name,
            "datetime_uploaded": "2018-11-26T12:49:10.477888Z", format!("x_{extra}"): value,
        });
        let file: File = serde_json::from_value(json).unwrap();
        prop_assert_eq!(file.size, size);
        prop_assert_eq!(&file.original_filename, &name);
        prop_assert_eq!(file.extra.get(&format!("x_{extra}")).and_then(Value::as_i64), Some(value));
    }

    #[test]
    fn request_signatures_are_stable_hex(method in "[A-Z]{1,7}", body in prop::collection::vec(any::<u8>(), 0..256),
                                         content_type in ".{0,40}", date in ".{0,40}", uri in ".{0,80}", secret in ".{0,40}") {
        let a = ucare::auth::signature(&secret, &method, &body, &content_type, &date, &uri);
        let b = ucare::auth::signature(&secret, &method, &body, &content_type, &date, &uri);
        prop_assert_eq!(&a, &b);
        prop_assert_eq!(a.len(), 40);
        prop_assert!(a.bytes().all(|c| c.is_ascii_hexdigit()));
        let mut other = body.clone();
        other.push(0);
        prop_assert_ne!(a, ucare::auth::signature(&secret, &method, &other, &content_type, &date, &uri));
    }

    #[test]
    fn webhook_signatures_verify_only_themselves(secret in ".{0,32}", body in prop::collection::vec(any::<u8>(), 0..512), header in ".{0,80}") {
        if secret.is_empty() {
            // A missing secret is an error, never a match.
            prop_assert!(ucare::webhook::sign(&secret, &body).is_err());
            prop_assert!(ucare::webhook::verify(&secret, &body, &header).is_err());
        } else {
            let signed = ucare::webhook::sign(&secret, &body).unwrap();
            prop_assert!(ucare::webhook::verify(&secret, &body, &signed).unwrap());
            prop_assert_eq!(ucare::webhook::verify(&secret, &body, &header).unwrap(), header.trim() == signed);
        }
    }

    #[test]
    fn validators_take_any_text(text in ".{0,64}") {
        let _ = ucare::validate::is_uuid(&text);
        let _ = ucare::validate::is_group_id(&text);
        let _ = ucare::validate::datetime(&text);
        let _ = text.parse::<ucare::files::FileOrdering>();
        let _ = text.parse::<DocumentFormat>();
    }

    #[test]
    fn document_paths_are_well_formed_or_refused(uuid in prop_oneof![Just("21975c81-7f57-4c7a-aef9-acfe28779f78".to_string()), ".{0,40}"],
                                                 format in 0usize..12, page in prop::option::of(0u32..5)) {
        let formats = [DocumentFormat::Doc, DocumentFormat::Docx, DocumentFormat::Xls, DocumentFormat::Xlsx, DocumentFormat::Odt, DocumentFormat::Ods,
                       DocumentFormat::Rtf, DocumentFormat::Txt, DocumentFormat::Pdf, DocumentFormat::Jpg, DocumentFormat::Png];
        let mut conversion = DocumentConversion::new(&uuid);
        if format < formats.len() {
            conversion = conversion.format(formats[format]);
        }
        if let Some(page) = page {
            conversion = conversion.page(page);
        }
        match conversion.path() {
            Ok(path) => {
                let prefix = format!("{uuid}/document/");
                prop_assert!(path.starts_with(&prefix) && path.ends_with('/'));
                prop_assert!(ucare::validate::is_uuid(&uuid));
            }
            Err(error) => prop_assert!(matches!(error, ucare::Error::InvalidInput(_))),
        }
    }

    #[test]
    fn video_paths_are_well_formed_or_refused(width in 0u32..20_000, height in 0u32..20_000, thumbs in 0u32..60,
                                              start in "[0-9:.a-z]{0,10}", length in "[0-9:.a-z]{0,10}") {
        let conversion = VideoConversion::new("21975c81-7f57-4c7a-aef9-acfe28779f78")
            .format(VideoFormat::Mp4)
            .quality(VideoQuality::Lighter)
            .size(width, height, ResizeMode::ScaleCrop)
            .cut(start, length)
            .thumbs(thumbs);
        match conversion.path() {
            Ok(path) => {
                prop_assert!((1..=10_000).contains(&width) && (1..=10_000).contains(&height) && (1..=50).contains(&thumbs));
                prop_assert!(path.ends_with('/') && !path.contains("//"));
            }
            Err(error) => prop_assert!(matches!(error, ucare::Error::InvalidInput(_))),
        }
    }
}
