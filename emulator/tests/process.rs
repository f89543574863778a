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
    let mut child = Command::new(env!("CARGO_BIN_EXE_ucare-emulator"))
        .args(["--port", "0"])
        .env("TMPDIR", &temp)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let base = line.split_whitespace().nth(3).expect("the listening line names the URL").to_string();

    // A multipart upload, started, has its parts directory in the work directory.
    let form = reqwest::multipart::Form::new()
        .text("UPLOADCARE_PUB_KEY", "demopublickey")
        .text("filename", "big.bin")
        .text("size", (11 * 1024 * 1024).to_string())
        .text("content_type", "application/octet-stream");
    let started = reqwest::Client::new().post(format!("{base}multipart/start/")).multipart(form).send().await.unwrap();
    assert_eq!(started.status(), 200, "{}", started.text().await.unwrap());
    assert_eq!(leftovers(&temp).len(), 1, "the work directory exists while the emulator runs");

    let killed = Command::new("kill").arg(child.id().to_string()).status().unwrap();
    assert!(killed.success());
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "the emulator did not stop on SIGTERM");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success(), "SIGTERM is a clean stop, not a death: {status}");
    assert_eq!(leftovers(&temp), Vec::<String>::new(), "the work directory is removed");
    std::fs::remove_dir_all(&temp).unwrap();
}
