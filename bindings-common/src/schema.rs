//! The JSON Schemas of the models that cross to the hosts, made from the Rust definitions:
//! the Python and Node parity tests compare their own models with them, so a field added,
//! renamed or retyped here and not there fails a test.

use schemars::{schema_for, JsonSchema};
use serde_json::{json, Value};

fn schema<T: JsonSchema>() -> Value {
    serde_json::to_value(schema_for!(T)).expect("schemas serialize")
}

/// `{"0.7": {model: schema}, "0.5": {...}, "shared": {...}}`: each version's own models and
/// those both share.
pub fn models() -> Value {
    use ucare::v07::addons::AddonStatus;
    use ucare::v07::models::{ContentInfo, DocumentInfo};
    json!({
        "0.7": {
            "File": schema::<ucare::File>(),
            "Group": schema::<ucare::Group>(),
            "Webhook": schema::<ucare::Webhook>(),
            "ContentInfo": schema::<ContentInfo>(),
            "AddonStatus": schema::<AddonStatus>(),
            "DocumentInfo": schema::<DocumentInfo>(),
        },
        "0.5": {
            "File": schema::<ucare::v05::File>(),
            "Group": schema::<ucare::v05::Group>(),
            "Webhook": schema::<ucare::v05::Webhook>(),
        },
        "shared": {
            "ImageInfo": schema::<ucare::models::ImageInfo>(),
            "Project": schema::<ucare::Project>(),
            "BatchResult": schema::<ucare::BatchResult<ucare::File>>(),
            "ConversionResponse": schema::<ucare::ConversionResponse>(),
            "ConversionStatus": schema::<ucare::ConversionStatus>(),
            "ConversionJob": schema::<ucare::ConversionJob>(),
            "Collaborator": schema::<ucare::models::Collaborator>(),
        },
    })
}
