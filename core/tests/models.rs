//! The v0.5 models parse every example body of the seed documentation, and both versions'
//! models take the nulls real answers carry.

use ucare::models::*;
use ucare::v05::models::{File, Group, Webhook};

#[test]
fn file_with_image_info() {
    let file: File = serde_json::from_str(
        r#"{"datetime_removed": null, "datetime_stored": "2018-11-26T12:49:10.477888Z",
        "datetime_uploaded": "2018-11-26T12:49:09.945335Z",
        "image_info": {"color_mode": "RGB", "orientation": null, "format": "JPEG", "sequence": false,
          "height": 500, "width": 500, "geo_location": null, "datetime_original": null, "dpi": [144, 144]},
        "is_image": true, "is_ready": true, "mime_type": "application/octet-stream",
        "original_filename": "pineapple.jpg", "size": 642, "uuid": "22240276-2f06-41f8-9411-755c8ce926ed",
        "video_info": {"duration": 1}}"#,
    )
    .unwrap();
    assert_eq!(file.size, 642);
    assert!(file.is_stored() && !file.is_removed());
    assert_eq!(file.datetime_uploaded.unwrap().to_rfc3339(), "2018-11-26T12:49:09.945335+00:00");
    let info = file.image_info.unwrap();
    assert_eq!((info.width, info.height, info.dpi), (Some(500), Some(500), Some(vec![144.0, 144.0])));
    assert_eq!(file.extra["video_info"]["duration"], 1, "unknown fields are kept");
}

#[test]
fn batch_with_problems() {
    let batch: BatchResult<File> = serde_json::from_str(
        r#"{"status": "ok", "problems": {"21975c81-7f57-4c7a-aef9-acfe28779f78": "Missing in the project", "4j334o01-8bs3": "Invalid"},
        "result": [{"uuid": "22240276-2f06-41f8-9411-755c8ce926ed", "size": 642, "datetime_uploaded": "2018-11-26T12:49:09.945335Z"}]}"#,
    )
    .unwrap();
    assert_eq!(batch.problems.len(), 2);
    assert_eq!(batch.problems["4j334o01-8bs3"], "Invalid");
    assert_eq!(batch.problems.keys().next().unwrap(), "21975c81-7f57-4c7a-aef9-acfe28779f78", "order is kept");
}

#[test]
fn group_page_without_next() {
    let page: Page<Group> = serde_json::from_str(
        r#"{"previous": null, "total": 100, "per_page": 2, "results": [
        {"id": "dd43982b-5447-44b2-86f6-1c3b52afa0ff~1", "datetime_created": "2018-11-27T14:14:37.583654Z", "datetime_stored": null, "files_count": 1},
        {"id": "fd59dbcb-40a1-4f3a-8062-cc7d23f66885~1", "datetime_created": "2018-11-27T15:14:39.586674Z", "datetime_stored": "2018-11-27T15:17:38.132584Z", "files_count": 1}]}"#,
    )
    .unwrap();
    assert_eq!((page.next, page.total, page.results.len()), (None, 100, 2));
    assert!(page.results[1].datetime_stored.is_some());
}

#[test]
fn group_with_a_removed_file() {
    let group: Group = serde_json::from_str(
        r#"{"id": "dd43982b-5447-44b2-86f6-1c3b52afa0ff~2", "datetime_created": "2018-11-27T14:14:37.583654Z", "datetime_stored": null,
        "files_count": 2, "files": [{"uuid": "22240276-2f06-41f8-9411-755c8ce926ed", "default_effects": ""}, null]}"#,
    )
    .unwrap();
    let files = group.files.unwrap();
    assert!(files[0].is_some() && files[1].is_none());
}

#[test]
fn project_webhook_and_conversions() {
    let project: Project =
        serde_json::from_str(r#"{"collaborators": [], "name": "demo", "pub_key": "YOUR_PUBLIC_KEY", "autostore_enabled": true}"#).unwrap();
    assert!(project.autostore_enabled);
    let hooks: Vec<Webhook> = serde_json::from_str(
        r#"[{"id": 1, "project": 13, "created": "2016-04-27T11:49:54.948615Z", "updated": "2016-04-27T12:04:57.819933Z",
        "event": "file.uploaded", "is_active": true, "signing_secret": "7kMVZivndx0ErgvhRKAr", "version": "0.5"}]"#,
    )
    .unwrap();
    assert_eq!(hooks[0].signing_secret.as_deref(), Some("7kMVZivndx0ErgvhRKAr"));
    assert!(!format!("{:?}", hooks[0]).contains("7kMVZivndx0ErgvhRKAr"), "Debug hides the signing secret");
    let started: ConversionResponse = serde_json::from_str(
        r#"{"problems": {"8ddbbb48-0927-4df7-afac-c6031668b01b": "Bad path \"8ddbbb48-0927-4df7-afac-c6031668b01b\". Use UUID or CDN URL"},
        "result": [{"token": 445630631, "uuid": "d52d7136-a2e5-4338-9f45-affbf83b857d"},
          {"original_source": "88a51210-bd69-4411-bc72-a9952d9512cd/document/-/format/pdf/", "token": 445630637, "uuid": "28843a09-dd3d-4b8a-ad4f-8aa5f8f60ff2"}]}"#,
    )
    .unwrap();
    assert_eq!(started.result[1].token, 445630637);
    let video: ConversionResponse = serde_json::from_str(
        r#"{"problems": {}, "result": [{"original_source": "d52d7136-a2e5-4338-9f45-affbf83b857d/video/-/format/ogg/-/quality/best/",
        "token": 445630631, "thumbnails_group_uuid": "575ed4e8-f4e8-4c14-a58b-1527b6d9ee46~1", "uuid": "d52d7136-a2e5-4338-9f45-affbf83b857d"}]}"#,
    )
    .unwrap();
    assert_eq!(video.result[0].thumbnails_group_uuid.as_deref(), Some("575ed4e8-f4e8-4c14-a58b-1527b6d9ee46~1"));
    let status: ConversionStatus = serde_json::from_str(
        r#"{"status": "processing", "error": null, "result": {"thumbnails_group_uuid": "575ed4e8-f4e8-4c14-a58b-1527b6d9ee46~1", "uuid": "500196bc-9da5-4aaf-8f3e-70a4ce86edae"}}"#,
    )
    .unwrap();
    assert_eq!(status.status, JobStatus::Processing);
    assert!(!status.status.is_final());
    let odd: ConversionStatus = serde_json::from_str(r#"{"status": "queued", "result": {}}"#).unwrap();
    assert_eq!(odd.status, JobStatus::Other("queued".into()));
}

/// Answers as the real service sends them, nulls included where the documentation shows
/// values (a corpus of recorded shapes: the spec digest's "recorded behaviour").
mod recorded {
    use ucare::models::{BatchResult, Page};
    use ucare::v05::models::{File, Group, Webhook};

    #[test]
    fn a_fresh_copy_with_nulls_decodes() {
        let copy = r#"{"datetime_removed": null, "datetime_stored": null, "datetime_uploaded": "2022-09-28T15:53:36.082137Z",
            "is_image": null, "is_ready": null, "mime_type": null, "original_file_url": null, "original_filename": null,
            "size": null, "url": "https://api.uploadcare.com/files/21975c81-7f57-4c7a-aef9-acfe28779f78/",
            "uuid": "21975c81-7f57-4c7a-aef9-acfe28779f78", "image_info": null, "source": "/b6a4e9d6-1b1b-4e2b-9a9a-6c8a1e1c9e1a/",
            "variations": null, "content_info": null, "metadata": {}}"#;
        let file: File = serde_json::from_str(copy).expect("a copy answer with nulls decodes");
        assert!(!file.is_image && !file.is_ready && file.size == 0 && file.mime_type.is_empty());
        assert!(file.extra.contains_key("content_info"), "unknown fields are kept");
    }

    #[test]
    fn nulls_in_pages_groups_batches_and_webhooks_decode() {
        let page: Page<File> =
            serde_json::from_str(r#"{"next": null, "previous": null, "total": null, "per_page": null, "results": null}"#).unwrap();
        assert_eq!((page.total, page.results.len()), (0, 0));
        let group: Group =
            serde_json::from_str(r#"{"id": "badfc9f7-f88f-4921-9cc0-22e2c08aa2da~2", "files_count": null, "files": [null, null]}"#)
                .unwrap();
        assert_eq!(group.files_count, 0);
        let batch: BatchResult<File> = serde_json::from_str(r#"{"status": null, "problems": null, "result": null}"#).unwrap();
        assert!(batch.result.is_empty() && batch.problems.is_empty());
        let hook: Webhook =
            serde_json::from_str(r#"{"id": 1, "event": null, "target_url": null, "is_active": null, "signing_secret": null}"#).unwrap();
        assert!(!hook.is_active && hook.target_url.is_empty());
    }

    #[test]
    fn identifiers_stay_required() {
        assert!(serde_json::from_str::<File>(r#"{"uuid": null}"#).is_err());
        assert!(serde_json::from_str::<Webhook>(r#"{"id": null}"#).is_err());
    }
}
