//! The client against a server that misbehaves on purpose (`ucare-hostile`): answers that
//! never end or never come, links that loop or carry credentials, secrets echoed back, a
//! batch that fails part-way. Every case ends, in bounded time and memory, with a typed
//! error.

use std::time::{Duration, Instant};

use futures_util::TryStreamExt;
use ucare::{Client, Error};

const SECRET: &str = "hostile-test-secret-key";
const UUID: &str = "21975c81-7f57-4c7a-aef9-acfe28779f78";

async fn server() -> String {
    ucare_hostile::start().await.expect("the hostile server starts").0
}

fn builder(root: &str, mode: &str) -> ucare::ClientBuilder {
    Client::builder().public_key("pk").secret_key(SECRET).base_url(format!("{root}{mode}/")).timeout(Duration::from_secs(2)).retry_policy(
        ucare::RetryPolicy {
            max_retries: 2,
            initial_backoff: Duration::from_millis(5),
            max_backoff: Duration::from_millis(20),
            ..Default::default()
        },
    )
}

async fn count(root: &str, mode: &str) -> u64 {
    reqwest::get(format!("{root}__count/{mode}")).await.unwrap().text().await.unwrap().parse().unwrap()
}

#[tokio::test]
async fn an_endless_answer_stops_at_the_cap() {
    let root = server().await;
    let client = builder(&root, "endless").max_response_bytes(1 << 20).build().unwrap();
    let started = Instant::now();
    let error = client.files().info(UUID).await.unwrap_err();
    assert!(matches!(error, Error::Decode { status: 200, .. }), "{error}");
    assert!(error.to_string().contains("larger than 1048576 bytes"), "{error}");
    assert!(started.elapsed() < Duration::from_secs(2), "{:?}", started.elapsed());
    // Not retried: a second read would be as large.
    assert_eq!(count(&root, "endless").await, 1);
}

#[tokio::test]
async fn a_declared_huge_answer_is_refused_without_reading() {
    let root = server().await;
    let client = builder(&root, "declared").build().unwrap();
    let started = Instant::now();
    let error = client.files().info(UUID).await.unwrap_err();
    assert!(error.to_string().contains("larger than"), "{error}");
    assert!(started.elapsed() < Duration::from_millis(500), "{:?}", started.elapsed());
}

#[tokio::test]
async fn trickling_and_silent_servers_end_in_a_timeout() {
    let root = server().await;
    for mode in ["trickle", "silent"] {
        let client = builder(&root, mode).timeout(Duration::from_millis(400)).max_retries(0).build().unwrap();
        let started = Instant::now();
        let error = client.files().info(UUID).await.unwrap_err();
        assert!(matches!(error, Error::Timeout(_)), "{mode}: {error}");
        assert!(started.elapsed() < Duration::from_millis(1500), "{mode}: {:?}", started.elapsed());
    }
}

#[tokio::test]
async fn listings_whose_next_link_loops_end_with_a_decode_error_naming_the_link() {
    let root = server().await;
    for mode in ["repeat", "cycle"] {
        let client = builder(&root, mode).build().unwrap();
        let walk = client.files().list().stream().try_collect::<Vec<_>>();
        let error = tokio::time::timeout(Duration::from_secs(5), walk).await.expect("the walk ends").unwrap_err();
        assert!(matches!(error, Error::Decode { .. }), "{mode}: {error}");
        assert!(error.to_string().contains(&format!("{root}{mode}/files/")), "{mode}: {error}");
        assert!(count(&root, mode).await <= 3, "{mode}");
    }
}

#[tokio::test]
async fn credentials_in_urls_are_refused() {
    let root = server().await;
    let error = builder(&root, "repeat").base_url("http://user:password@127.0.0.1:1/").build().unwrap_err();
    assert!(matches!(error, Error::InvalidInput(_)), "{error}");
    let client = builder(&root, "userinfo").build().unwrap();
    let error = client.files().list().stream().try_collect::<Vec<_>>().await.unwrap_err();
    assert!(error.to_string().contains("user name or password"), "{error}");
    assert_eq!(count(&root, "userinfo").await, 1, "the link with credentials is never followed");
}

#[tokio::test]
async fn a_secret_echoed_by_the_server_is_redacted() {
    let root = server().await;
    let simple = builder(&root, "echo").auth(ucare::AuthScheme::Simple).build().unwrap();
    let error = simple.files().info(UUID).await.unwrap_err();
    assert!(error.to_string().contains("Uploadcare.Simple pk:***"), "{error}");
    for text in [error.to_string(), format!("{error:?}")] {
        assert!(!text.contains(SECRET), "{text}");
    }
    let page = builder(&root, "echo-page").auth(ucare::AuthScheme::Simple).build().unwrap();
    let error = page.files().info(UUID).await.unwrap_err();
    assert!(matches!(error, Error::Decode { .. }), "{error}");
    assert!(!format!("{error} {error:?}").contains(SECRET));
}

#[tokio::test]
async fn a_batch_that_fails_part_way_reports_what_was_done_and_what_is_left() {
    let root = server().await;
    let client = builder(&root, "batch").batch_concurrency(1).build().unwrap();
    let uuids: Vec<String> = (0..351).map(|i| format!("00000000-0000-4000-8000-{i:012}")).collect();
    let mut ids = uuids.clone();
    ids.push("not-a-uuid".into());
    let Error::BatchIncomplete(failure) = client.files().store_many(&ids).await.unwrap_err() else { panic!("not a batch failure") };
    assert!(failure.cause.is_bad_request(), "{}", failure.cause);
    assert_eq!(failure.partial.result.len(), 200, "the first two requests were applied");
    assert_eq!(failure.partial.problems.get("not-a-uuid").map(String::as_str), Some("Invalid"));
    assert_eq!(failure.failed, uuids[200..300].to_vec());
    assert_eq!(failure.not_attempted, uuids[300..].to_vec());
    assert_eq!(failure.remaining(), uuids[200..].to_vec());
    // Resuming sends only what is left.
    let rest = client.files().store_many(failure.remaining()).await.unwrap();
    assert_eq!(rest.result.len(), 151);
}

#[tokio::test]
async fn a_concurrent_batch_accounts_for_every_id() {
    let root = server().await;
    let client = builder(&root, "batch").batch_concurrency(4).build().unwrap();
    let uuids: Vec<String> = (0..551).map(|i| format!("00000000-0000-4000-8000-{i:012}")).collect();
    let error = client.files().store_many(&uuids).await.unwrap_err();
    assert!(error.is_bad_request(), "the error answers as its cause: {error}");
    let Error::BatchIncomplete(failure) = error else { panic!("not a batch failure") };
    assert!(matches!(failure.failed.len(), 100 | 51), "exactly the refused request's ids failed");
    assert_eq!(failure.partial.result.len() + failure.failed.len() + failure.not_attempted.len(), 551);
}

#[tokio::test]
async fn a_dropped_call_sends_nothing_more() {
    let root = server().await;
    let client = builder(&root, "unavailable")
        .retry_policy(ucare::RetryPolicy {
            max_retries: 20,
            initial_backoff: Duration::from_millis(20),
            max_backoff: Duration::from_millis(20),
            ..Default::default()
        })
        .build()
        .unwrap();
    let call = client.files().info(UUID);
    assert!(tokio::time::timeout(Duration::from_millis(300), call).await.is_err(), "still retrying");
    let at_cancel = count(&root, "unavailable").await;
    assert!(at_cancel >= 2, "{at_cancel}");
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(count(&root, "unavailable").await <= at_cancel + 1, "requests went on after the call was dropped");
}

#[tokio::test]
async fn pages_whose_items_are_not_files_are_decode_errors_on_both_paths() {
    let root = server().await;
    for mode in ["badpage", "badutf8"] {
        let client = builder(&root, mode).build().unwrap();
        let error = client.files().list().stream().try_collect::<Vec<_>>().await.unwrap_err();
        assert!(matches!(error, Error::Decode { status: 200, .. }), "{mode}: {error}");
        let mut pager = client.files().list().pager().unwrap();
        let error = pager.next_page_raw().await.unwrap_err();
        assert!(matches!(error, Error::Decode { status: 200, ref snippet, .. } if !snippet.is_empty()), "{mode}: {error}");
    }
}

#[test]
fn header_values_that_cannot_be_sent_are_refused_at_construction() {
    let base = || Client::builder().public_key("pk").secret_key("sk").base_url("http://127.0.0.1:1/");
    for (what, builder) in [
        ("public key", base().public_key("p\r\nk")),
        ("secret key", base().secret_key("s\nk")),
        ("secret key NUL", base().secret_key("s\0k")),
        ("user agent", base().user_agent_suffix("py\n")),
    ] {
        let error = builder.build().unwrap_err();
        assert!(matches!(error, Error::InvalidInput(_)), "{what}: {error}");
        assert!(!error.to_string().contains("s\nk"), "the secret is not echoed");
    }
    for (what, builder) in [
        ("huge timeout", base().timeout(Duration::from_secs(u64::MAX))),
        ("retries", base().max_retries(u32::MAX)),
        ("tiny cap", base().max_response_bytes(10)),
    ] {
        assert!(matches!(builder.build(), Err(Error::InvalidInput(_))), "{what}");
    }
}

#[test]
fn an_empty_webhook_secret_never_verifies() {
    let body = br#"{"hook": {}}"#;
    let forged = ucare::webhook::sign("undefined", body).unwrap();
    assert!(matches!(ucare::webhook::verify("", body, &forged), Err(Error::InvalidInput(_))));
    assert!(matches!(ucare::webhook::sign("", body), Err(Error::InvalidInput(_))));
    assert!(matches!(ucare::webhook::verify_and_parse("", body, &forged), Err(Error::InvalidInput(_))));
}

#[tokio::test]
async fn a_failed_part_is_retried_on_its_own() {
    let root = server().await;
    let client = builder(&root, "unused").upload_base_url(format!("{root}upload/")).build().unwrap();
    let size = 11 * 1024 * 1024;
    let file = client
        .uploads()
        .upload(ucare::uploads::Source::bytes(vec![7u8; size], "big.bin"), ucare::uploads::UploadOptions::default())
        .await
        .unwrap();
    assert_eq!(file.uuid, UUID);
    // Three parts, each refused once and sent again; the start and the completion once.
    assert_eq!(count(&root, "flakypart").await, 6);
    assert_eq!(count(&root, "upload").await, 2);
}

#[tokio::test]
async fn per_call_options_change_only_the_calls_made_through_them() {
    let root = server().await;
    // Retries: the client's 2, then 0 for one call, then the client's again.
    let client = builder(&root, "unavailable").build().unwrap();
    let once = client.with_options(ucare::CallOptions { max_retries: Some(0), ..Default::default() }).unwrap();
    assert!(matches!(once.files().info(UUID).await, Err(Error::Api { status: 503, .. })));
    assert_eq!(count(&root, "unavailable").await, 1);
    assert!(client.files().info(UUID).await.is_err());
    assert_eq!(count(&root, "unavailable").await, 4);
    assert_eq!(client.stats().requests, 4, "the handle shares the client's counters");
    // A timeout for one call: the silent server is given up on after 150 ms, not 2 s.
    let client = builder(&root, "silent").max_retries(0).build().unwrap();
    let quick = client.with_options(ucare::CallOptions { timeout: Some(Duration::from_millis(150)), ..Default::default() }).unwrap();
    let started = Instant::now();
    assert!(matches!(quick.files().info(UUID).await, Err(Error::Timeout(t)) if t == Duration::from_millis(150)));
    assert!(started.elapsed() < Duration::from_secs(1), "{:?}", started.elapsed());
    // Out of range is refused, as at build.
    for bad in [
        ucare::CallOptions { max_retries: Some(21), ..Default::default() },
        ucare::CallOptions { timeout: Some(Duration::ZERO), ..Default::default() },
    ] {
        assert!(matches!(client.with_options(bad), Err(Error::InvalidInput(_))));
    }
}

#[tokio::test]
async fn the_request_log_reports_every_attempt_without_the_secret() {
    let root = server().await;
    let log = std::sync::Arc::new(std::sync::Mutex::new(Vec::<ucare::RequestLog>::new()));
    let sink = log.clone();
    let client = builder(&root, "echo").on_request(move |entry| sink.lock().unwrap().push(entry.clone())).build().unwrap();
    let _ = client.files().info(UUID).await;
    let client = builder(&root, "unavailable").on_request({
        let sink = log.clone();
        move |entry| sink.lock().unwrap().push(entry.clone())
    });
    let _ = client.build().unwrap().files().info(UUID).await;
    let log = log.lock().unwrap();
    let seen: Vec<(String, Option<u16>, u32)> = log.iter().map(|e| (e.method.clone(), e.status, e.attempt)).collect();
    assert_eq!(
        seen,
        [("GET".into(), Some(400), 1), ("GET".into(), Some(503), 1), ("GET".into(), Some(503), 2), ("GET".into(), Some(503), 3)]
    );
    assert_eq!(log[0].path, format!("/echo/files/{UUID}/"));
    assert!(log.iter().all(|e| e.elapsed > Duration::ZERO && !format!("{e:?}").contains(SECRET)));
}

#[tokio::test]
async fn a_private_ca_is_trusted_only_when_given() {
    let (tls, _server) = ucare_hostile::tls::start_tls().await.unwrap();
    let builder =
        || Client::builder().public_key("pk").secret_key(SECRET).base_url(&tls.url).max_retries(0).timeout(Duration::from_secs(5));
    let untrusted = builder().build().unwrap().project().await.unwrap_err();
    assert!(matches!(&untrusted, Error::Transport(m) if m.contains("certificate")), "{untrusted}");
    let trusted = builder().add_root_certificates_pem(tls.ca_pem.as_bytes()).build().unwrap();
    assert_eq!(trusted.project().await.unwrap().name, "tls");
    for bad in [&b"not a certificate"[..], b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"] {
        assert!(matches!(builder().add_root_certificates_pem(bad).build(), Err(Error::InvalidInput(_))));
    }
}

#[tokio::test]
async fn requests_go_through_the_proxy() {
    let (proxy, _server) = ucare_hostile::tls::start_proxy().await.unwrap();
    // The upstream host does not exist: only the proxy can answer.
    let client = Client::builder().public_key("pk").secret_key(SECRET).base_url("http://upstream.invalid/").proxy(&proxy).build().unwrap();
    assert_eq!(client.project().await.unwrap().name, "GET http://upstream.invalid/project/ HTTP/1.1");
    for bad in ["::", "ftp://proxy:21", "http://"] {
        let error = Client::builder().public_key("pk").secret_key(SECRET).proxy(bad).build().unwrap_err();
        assert!(matches!(error, Error::InvalidInput(_)), "{bad}: {error}");
    }
    let secret = Client::builder().public_key("pk").secret_key(SECRET).proxy("http://user:hunter2@[::1").build().unwrap_err();
    assert!(!secret.to_string().contains("hunter2"), "{secret}");
}
