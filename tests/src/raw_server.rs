//! Auth services that misbehave below HTTP: they hang, reset, or send broken answers.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use actix_web::rt::net::{TcpListener, TcpStream};
use futures_util::future;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// What a raw server does with each connection, once it has read the request head.
#[derive(Debug, Clone)]
pub enum Script {
    /// Keeps the connection open and never answers.
    Silent,
    /// Writes these bytes, then closes the connection.
    Answer(Vec<u8>),
    /// Closes the connection with a TCP reset.
    Reset,
}

/// A running raw server on 127.0.0.1.
pub struct RawServer {
    addr: SocketAddr,
    accepted: Arc<AtomicUsize>,
}

impl RawServer {
    /// Starts a server that follows `script` on every connection.
    pub async fn start(script: Script) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local address");
        let accepted = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&accepted);
        actix_web::rt::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                counter.fetch_add(1, Ordering::SeqCst);
                actix_web::rt::spawn(serve(stream, script.clone()));
            }
        });
        Self { addr, accepted }
    }

    /// The URL to give `AuthService::builder`.
    pub fn url(&self) -> String {
        format!("http://{}/users/me", self.addr)
    }

    /// How many connections were accepted.
    pub fn accepted(&self) -> usize {
        self.accepted.load(Ordering::SeqCst)
    }
}

async fn serve(mut stream: TcpStream, script: Script) {
    if read_request_head(&mut stream).await.is_none() {
        return;
    }
    match script {
        Script::Silent => future::pending::<()>().await,
        Script::Answer(bytes) => {
            let _ = stream.write_all(&bytes).await;
            let _ = stream.shutdown().await;
        }
        Script::Reset => {
            let _ = stream.set_zero_linger();
            drop(stream);
        }
    }
}

/// Reads up to the blank line that ends a request head, at most 64 KiB.
async fn read_request_head(stream: &mut TcpStream) -> Option<()> {
    let mut head = Vec::new();
    let mut buffer = [0; 4096];
    while !head.windows(4).any(|window| window == b"\r\n\r\n") {
        let read = stream.read(&mut buffer).await.ok()?;
        if read == 0 || head.len() > 64 * 1024 {
            return None;
        }
        head.extend_from_slice(&buffer[..read]);
    }
    Some(())
}

/// The URL of a port on 127.0.0.1 that nothing listens on.
pub fn closed_port_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    let addr = listener.local_addr().expect("local address");
    drop(listener);
    format!("http://{addr}/users/me")
}
