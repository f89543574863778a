//! The operations the bindings run, against the emulator over loopback, in both versions.

use serde_json::{json, Value};
use ucare::Error;
use ucare_bindings::{build_client, call, client_options, document_path, is_operation, video_path, AnyClient, ListPager};
use ucare_emulator::{Config, Emulator};

async fn emulator() -> Emulator {
    Emulator::start(Config { seed_files: 5, storages: vec!["backup".into()], ..Config::default() }).await.unwrap()
}

fn client(emu: &Emulator, version: &str) -> AnyClient {
    let options = client_options(json!({
        "public_key": emu.public_key(), "secret_key": emu.secret_key(), "base_url": emu.base_url(),
        "upload_base_url": emu.base_url(), "api_version": version, "timeout": 5.0,
    }))
    .unwrap();
    build_client(&options, "test", None::<fn(&ucare::RequestLog)>).unwrap()
}

async fn run(client: &AnyClient, op: &str, args: Value) -> ucare::Result<Value> {
    Ok(serde_json::from_str(&call(client, op, args, Value::Null).await?).unwrap())
}

#[tokio::test(flavor = "multi_thread")]
async fn operations_run_by_name_in_both_versions() {
    let emu = emulator().await;
    for version in ["0.5", "0.7"] {
        let client = client(&emu, version);
        assert_eq!(client.version(), version);
        let uuid = emu.upload("a.txt", "a", Some(false));
        let file = run(&client, "files.store", json!({ "uuid": uuid })).await.unwrap();
        assert!(file["datetime_stored"].is_string());
        // The shape of the version: v0.7 files have content_info and metadata.
        assert_eq!(file.get("metadata").is_some(), version == "0.7", "{file}");
        let err = run(&client, "files.info", json!({ "uuid": 5 })).await.unwrap_err();
        assert!(matches!(&err, Error::InvalidInput(m) if m.contains("uuid")), "{err}");
        assert!(matches!(run(&client, "files.explode", json!({})).await, Err(Error::InvalidInput(_))));
        assert!(matches!(run(&client, "files.info", json!({ "uuid": uuid, "typo": 1 })).await, Err(Error::InvalidInput(_))));
        let ordering = if version == "0.5" { "-size" } else { "-datetime_uploaded" };
        let mut pager = ListPager::new(&client, "files", json!({ "limit": 4, "ordering": ordering })).unwrap();
        let mut seen = 0;
        while let Some(page) = pager.next_page_raw().await.unwrap() {
            seen += page.count;
        }
        assert!(seen >= 6, "{seen}");
        assert!(ListPager::new(&client, "files", json!({ "from_datetime": "soon" })).is_err());
    }
    assert_eq!(
        video_path(json!({ "uuid": "21975c81-7f57-4c7a-aef9-acfe28779f78", "size": [10, 20, null] })).unwrap(),
        "21975c81-7f57-4c7a-aef9-acfe28779f78/video/-/size/10x20/preserve_ratio/"
    );
    assert!(document_path(json!({ "uuid": "21975c81-7f57-4c7a-aef9-acfe28779f78", "format": "exe" })).is_err());
}

#[tokio::test(flavor = "multi_thread")]
async fn an_operation_of_one_version_names_the_version_it_needs() {
    let emu = emulator().await;
    let (v05, v07) = (client(&emu, "0.5"), client(&emu, "0.7"));
    let uuid = emu.upload("a.txt", "a", Some(true));
    let before = emu.requests().len();
    for (client, op, args, needs) in [
        (&v05, "files.local_copy", json!({ "source": uuid }), "v0.7"),
        (&v05, "metadata.list", json!({ "uuid": uuid }), "v0.7"),
        (&v05, "addons.run", json!({ "addon": "remove_bg", "uuid": uuid }), "v0.7"),
        (&v05, "groups.delete", json!({ "group_id": "x~1" }), "v0.7"),
        (&v05, "files.info", json!({ "uuid": uuid, "include_appdata": true }), "v0.7"),
        (&v07, "files.copy", json!({ "source": uuid }), "v0.5"),
        (&v07, "groups.store", json!({ "group_id": "x~1" }), "v0.5"),
        (&v07, "webhooks.create", json!({ "target_url": "https://example.com/h", "version": "0.5" }), "v0.5"),
    ] {
        let error = run(client, op, args).await.unwrap_err();
        assert!(matches!(&error, Error::InvalidInput(m) if m.contains(needs)), "{op}: {error}");
    }
    assert!(ListPager::new(&v07, "files", json!({ "from_size": 3 })).is_err());
    assert_eq!(emu.requests().len(), before, "nothing was sent");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_v07_operations_answer_their_shapes() {
    let emu = emulator().await;
    let client = client(&emu, "0.7");
    let uuid = emu.upload("photo.png", png(), Some(true));
    let copy = run(&client, "files.local_copy", json!({ "source": uuid, "store": true, "metadata": { "k": "v" } })).await.unwrap();
    assert_eq!(copy["metadata"], json!({ "k": "v" }));
    let remote = run(&client, "files.remote_copy", json!({ "source": uuid, "target": "backup" })).await.unwrap();
    assert_eq!(remote["created"], json!(true));
    assert_eq!(run(&client, "metadata.set", json!({ "uuid": uuid, "key": "a", "value": "1" })).await.unwrap(), json!("created"));
    assert_eq!(run(&client, "metadata.set", json!({ "uuid": uuid, "key": "a", "value": "2" })).await.unwrap(), json!("replaced"));
    assert_eq!(run(&client, "metadata.get", json!({ "uuid": uuid, "key": "a" })).await.unwrap(), json!("2"));
    assert_eq!(run(&client, "metadata.list", json!({ "uuid": uuid })).await.unwrap(), json!({ "a": "2" }));
    run(&client, "metadata.delete", json!({ "uuid": uuid, "key": "a" })).await.unwrap();
    let started = run(&client, "addons.run", json!({ "addon": "aws_rekognition_detect_labels", "uuid": uuid })).await.unwrap();
    assert_eq!(started["addon"], "aws_rekognition_detect_labels");
    let args = json!({ "addon": "aws_rekognition_detect_labels", "request_id": started["request_id"], "timeout": 10.0 });
    assert_eq!(run(&client, "addons.wait", args).await.unwrap()["status"], "done");
    let file = run(&client, "files.info", json!({ "uuid": uuid, "include_appdata": true })).await.unwrap();
    assert!(file["appdata"]["aws_rekognition_detect_labels"].is_object(), "{file}");
    let bad = run(&client, "addons.run", json!({ "addon": "remove_bg", "uuid": uuid, "params": { "crop": "yes" } })).await.unwrap_err();
    assert!(matches!(&bad, Error::InvalidInput(m) if m.contains("crop")), "{bad}");
    let bad = run(&client, "addons.run", json!({ "addon": "aws_rekognition_detect_labels", "uuid": uuid, "params": { "x": 1 } })).await;
    assert!(matches!(bad, Err(Error::InvalidInput(_))));
    let hook = run(&client, "webhooks.create", json!({ "target_url": "https://example.com/h", "event": "file.stored" })).await.unwrap();
    assert_eq!(hook["event"], "file.stored");
    assert!(matches!(
        run(&client, "webhooks.create", json!({ "target_url": "https://example.com/i", "event": "file.exploded" })).await,
        Err(Error::InvalidInput(_))
    ));
    let doc = emu.upload("report.pdf", "%PDF-1.4 a document", Some(true));
    let info = run(&client, "conversions.document_info", json!({ "uuid": doc })).await.unwrap();
    assert!(info.get("format").is_some(), "{info}");
}

#[tokio::test(flavor = "multi_thread")]
async fn per_call_options_are_checked_and_applied() {
    let emu = emulator().await;
    let client = client(&emu, "0.7");
    let uuid = emu.upload("a.txt", "a", Some(true));
    call(&client, "files.info", json!({ "uuid": uuid }), json!({ "timeout": 2.5, "max_retries": 0 })).await.unwrap();
    for bad in [json!({ "timeout": -1 }), json!({ "max_retries": 99 }), json!({ "retries": 1 }), json!({ "timeout": "soon" })] {
        let error = call(&client, "files.info", json!({ "uuid": uuid }), bad.clone()).await.unwrap_err();
        assert!(matches!(error, Error::InvalidInput(_)), "{bad}: {error}");
    }
}

#[test]
fn operation_names_are_known() {
    assert!(is_operation("files.info") && is_operation("addons.wait") && is_operation("project"));
    assert!(!is_operation("files.infos") && !is_operation(""));
}

fn png() -> Vec<u8> {
    let mut bytes = vec![0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, b'I', b'H', b'D', b'R'];
    bytes.extend_from_slice(&3u32.to_be_bytes());
    bytes.extend_from_slice(&2u32.to_be_bytes());
    bytes.extend_from_slice(&[8, 6, 0, 0, 0, 0, 0, 0, 0]);
    bytes
}
