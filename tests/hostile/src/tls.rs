//! Two more servers for the connection options: an HTTPS server whose certificate comes
//! from a CA made at start (trusted only by a client given that CA), and a plain forward
//! proxy. Both answer every request with a project whose `name` tells what they saw: `tls`,
//! or the request line the proxy received (`GET http://upstream.invalid/project/ HTTP/1.1`).

use std::sync::Arc;

use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair, KeyUsagePurpose};
use serde_json::json;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio_rustls::rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio_rustls::rustls::{self, ServerConfig};

/// The HTTPS server: its root URL (`https://localhost:<port>/`) and the PEM of its CA.
pub struct TlsServer {
    /// `https://localhost:<port>/`.
    pub url: String,
    /// The CA that signed the server's certificate, as PEM.
    pub ca_pem: String,
}

fn other(error: impl std::fmt::Display) -> std::io::Error {
    std::io::Error::other(error.to_string())
}

/// Starts the HTTPS server on a free loopback port.
pub async fn start_tls() -> std::io::Result<(TlsServer, tokio::task::JoinHandle<()>)> {
    let ca_key = KeyPair::generate().map_err(other)?;
    let mut ca = CertificateParams::new(Vec::<String>::new()).map_err(other)?;
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign, KeyUsagePurpose::DigitalSignature];
    ca.distinguished_name.push(DnType::CommonName, "ucare-hostile test CA");
    let ca_pem = ca.self_signed(&ca_key).map_err(other)?.pem();
    let issuer = Issuer::new(ca, ca_key);
    let leaf_key = KeyPair::generate().map_err(other)?;
    let leaf = CertificateParams::new(vec!["localhost".to_string()]).map_err(other)?.signed_by(&leaf_key, &issuer).map_err(other)?;
    let config = ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .map_err(other)?
        .with_no_client_auth()
        .with_single_cert(vec![leaf.der().clone()], PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(leaf_key.serialize_der())))
        .map_err(other)?;
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0)).await?;
    let url = format!("https://localhost:{}/", listener.local_addr()?.port());
    let task = tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                // A client that does not trust the CA ends the handshake: nothing to answer.
                if let Ok(stream) = acceptor.accept(stream).await {
                    answer(stream, |_| "tls".to_string()).await;
                }
            });
        }
    });
    Ok((TlsServer { url, ca_pem }, task))
}

/// Starts the proxy on a free loopback port; answers `http://127.0.0.1:<port>`.
pub async fn start_proxy() -> std::io::Result<(String, tokio::task::JoinHandle<()>)> {
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0)).await?;
    let url = format!("http://{}", listener.local_addr()?);
    let task = tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            tokio::spawn(answer(stream, |request_line| request_line.to_string()));
        }
    });
    Ok((url, task))
}

/// Reads one request head (at most 16 KiB) and answers a project named by `name(request
/// line)`, then closes.
async fn answer<S: AsyncRead + AsyncWrite + Unpin>(mut stream: S, name: impl Fn(&str) -> String) {
    let mut head = Vec::new();
    let mut buffer = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 16 * 1024 {
        match stream.read(&mut buffer).await {
            Ok(0) | Err(_) => return,
            Ok(n) => head.extend_from_slice(&buffer[..n]),
        }
    }
    let text = String::from_utf8_lossy(&head);
    let request_line = text.lines().next().unwrap_or_default();
    let body = json!({ "name": name(request_line), "pub_key": "pk", "autostore_enabled": true, "collaborators": [] }).to_string();
    let reply = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/vnd.uploadcare-v0.7+json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = stream.write_all(reply.as_bytes()).await;
    let _ = stream.shutdown().await;
}
