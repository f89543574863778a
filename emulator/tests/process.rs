//! The emulator as a program: stopped by SIGTERM (what `kill`, `Popen.terminate()` and
//! service managers send), it exits cleanly and removes its work directory, where multipart
//! uploads are kept. A run that left it behind once filled the disk with benchmark uploads.
#![cfg(unix)]

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn leftovers(dir: &std::path::Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with("ucare-emulator-"))
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn sigterm_stops_the_emulator_and_removes_its_work_directory() {
    let temp = std::env::temp_dir().join(format!("ucare-emulator-process-test-{}", std::process::id()));
    std::fs::create_dir_all(&temp).unwrap();
    let (mut child, base) = start_in(&[], &temp);

    // A multipart upload, started, has its parts directory in the work directory.
    let form = reqwest::multipart::Form::new()
        .text("UPLOADCARE_PUB_KEY", "demopublickey")
        .text("filename", "big.bin")
        .text("size", (11 * 1024 * 1024).to_string())
        .text("content_type", "application/octet-stream");
    let _ = rustls::crypto::ring::default_provider().install_default(); // reqwest brings none
    let started = reqwest::Client::new().post(format!("{base}multipart/start/")).multipart(form).send().await.unwrap();
    assert_eq!(started.status(), 200, "{}", started.text().await.unwrap());
    assert_eq!(leftovers(&temp).len(), 1, "the work directory exists while the emulator runs");

    let killed = Command::new("kill").arg(child.id().to_string()).status().unwrap();
    assert!(killed.success());
    let status = wait_for_exit(&mut child);
    assert!(status.success(), "SIGTERM is a clean stop, not a death: {status}");
    assert_eq!(leftovers(&temp), Vec::<String>::new(), "the work directory is removed");
    std::fs::remove_dir_all(&temp).unwrap();
}

/// Starts the program with `args`, stdin piped; answers it and its base URL.
fn start(args: &[&str]) -> (std::process::Child, String) {
    start_in(args, &std::env::temp_dir())
}

/// [`start`] with `temp` as its temporary directory (where its work directory goes).
fn start_in(args: &[&str], temp: &std::path::Path) -> (std::process::Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ucare-emulator"))
        .args(["--port", "0"])
        .args(args)
        .env("TMPDIR", temp)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let base = line.split_whitespace().nth(3).expect("the listening line names the URL").to_string();
    (child, base)
}

fn wait_for_exit(child: &mut std::process::Child) -> std::process::ExitStatus {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        assert!(Instant::now() < deadline, "the emulator did not stop");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn with_exit_with_stdin_the_emulator_ends_when_its_parent_closes_stdin() {
    let (mut child, base) = start(&["--exit-with-stdin"]);
    let address = base.trim_start_matches("http://").trim_end_matches('/').to_string();
    assert!(std::net::TcpStream::connect(&address).is_ok(), "it serves while stdin is open");
    drop(child.stdin.take());
    assert!(wait_for_exit(&mut child).success());
    assert!(std::net::TcpStream::connect(&address).is_err(), "nothing serves after");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_inspection_endpoint_uploads_groups_and_reports() {
    let (mut child, base) = start(&["--exit-with-stdin", "--autostore", "false"]);
    let _ = rustls::crypto::ring::default_provider().install_default(); // reqwest brings none
    let http = reqwest::Client::new();
    let upload = |name: &str, store: Option<&str>| {
        let mut url = format!("{base}__emulator/uploads?name={name}");
        if let Some(store) = store {
            url += &format!("&store={store}");
        }
        http.post(url).body(b"hello".to_vec()).send()
    };
    let first: serde_json::Value = upload("a.txt", None).await.unwrap().json().await.unwrap();
    let second: serde_json::Value = upload("b.txt", Some("true")).await.unwrap().json().await.unwrap();
    let (first, second) = (first["uuid"].as_str().unwrap().to_string(), second["uuid"].as_str().unwrap().to_string());
    let served = http.get(format!("{base}{first}/")).send().await.unwrap().bytes().await.unwrap();
    assert_eq!(&served[..], b"hello", "the file is served by the CDN");

    let group = http.post(format!("{base}__emulator/groups")).json(&serde_json::json!({ "files": [first, second] })).send().await.unwrap();
    let group: serde_json::Value = group.json().await.unwrap();
    assert!(group["id"].as_str().unwrap().ends_with("~2"));
    let unknown = http
        .post(format!("{base}__emulator/groups"))
        .json(&serde_json::json!({ "files": ["21975c81-7f57-4c7a-aef9-acfe28779f78"] }))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), 400);
    assert_eq!(unknown.json::<serde_json::Value>().await.unwrap()["detail"], "every UUID must be a file of the emulator");

    let overview: serde_json::Value = http.get(format!("{base}__emulator/")).send().await.unwrap().json().await.unwrap();
    assert_eq!((overview["files"].as_u64(), overview["stored_files"].as_u64(), overview["groups"].as_u64()), (Some(2), Some(1), Some(1)));
    assert_eq!(overview["requests"], 0, "the inspection calls are not REST requests");
    let requests: serde_json::Value = http.get(format!("{base}__emulator/requests")).send().await.unwrap().json().await.unwrap();
    assert_eq!(requests, serde_json::json!([]));
    drop(child.stdin.take());
    assert!(wait_for_exit(&mut child).success());
}

#[test]
fn the_readme_documents_every_option_of_the_program() {
    let help = Command::new(env!("CARGO_BIN_EXE_ucare-emulator")).arg("--help").output().unwrap();
    let help = String::from_utf8(help.stdout).unwrap();
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let options: Vec<&str> = help.split_whitespace().filter(|word| word.starts_with("--")).collect();
    assert!(options.len() > 20, "{help}");
    for option in options {
        assert!(readme.contains(option), "emulator/README.md does not document {option}");
    }
}
