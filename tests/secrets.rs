//! Tokens never appear in logs (at any level, from any crate), in error bodies, or in `Debug`
//! output. Its own test binary: it installs a global `tracing` subscriber that sees the
//! server's worker threads too.

#![allow(clippy::unwrap_used)]

use std::io::Write;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use actix_authorize::{AuthService, BearerToken, ClientCredentials};
use actix_authorize_tests::api::{Api, Wiring};
use actix_authorize_tests::client::get;
use actix_authorize_tests::fake_auth::{FakeAuth, Mode, USERS};
use actix_authorize_tests::fake_introspection::{CLIENT_ID, FakeIntrospection};
use actix_authorize_tests::raw_server::{RawServer, Script, closed_port_url};

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap_or_else(PoisonError::into_inner)).into_owned()
    }
}

const SECRET: &str = "s3cr3t-t0k3n-b64.VALUE_that-must_never~leak";

#[actix_web::test]
async fn tokens_never_reach_logs_error_bodies_or_debug_output() {
    let captured = Captured::default();
    let writer = captured.clone();
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .init();

    let mut bodies = Vec::new();
    let known = format!("Bearer {}", USERS[0].0);
    let secret = format!("Bearer {SECRET}");
    let malformed = format!("Bearer {SECRET} trailing");

    let auth = FakeAuth::start(Mode::Healthy);
    let service = AuthService::builder(auth.url())
        .negative_cache_ttl(Duration::from_secs(1))
        .build()
        .unwrap();
    let api = Api::start(Wiring::Plain(service.clone()));
    for (path, authorization) in [
        ("/me", &secret),
        ("/me", &malformed),
        ("/above/users/2", &known),
        ("/above/users/1", &secret),
    ] {
        bodies.push(get(&api.url(path), Some(authorization)).await.body);
    }
    for mode in [
        Mode::Status(500),
        Mode::Body(b"not json".to_vec()),
        Mode::Redirect,
        Mode::RateLimited("1"),
    ] {
        auth.set_mode(mode);
        service.clear_cache();
        bodies.push(get(&api.url("/me"), Some(&secret)).await.body);
    }
    let silent = RawServer::start(Script::Silent).await;
    for url in [closed_port_url(), silent.url()] {
        let service = AuthService::builder(url)
            .timeout(Duration::from_millis(200))
            .build()
            .unwrap();
        let api = Api::start(Wiring::Plain(service));
        bodies.push(get(&api.url("/maybe"), Some(&secret)).await.body);
    }

    // Introspection: the caller's token travels in a form, this service's secret in a header.
    let introspection = FakeIntrospection::start();
    let client_secret = "s3cr3t-client-secret";
    for credentials in [
        ClientCredentials::basic(CLIENT_ID, client_secret),
        ClientCredentials::bearer(client_secret),
    ] {
        let service = AuthService::builder(introspection.url())
            .introspection(credentials.clone())
            .build()
            .unwrap();
        let api = Api::start(Wiring::Plain(service.clone()));
        bodies.push(get(&api.url("/me"), Some(&secret)).await.body);
        bodies.push(format!("{credentials:?} {service:?}"));
    }
    assert!(
        captured.text().contains("introspection endpoint refused"),
        "the refused credentials were not logged"
    );

    let token = BearerToken::parse(secret.as_bytes()).unwrap().unwrap();
    let debug = format!(
        "{token:?} {service:?} {:?}",
        service.authenticate(&token).await
    );

    let logs = captured.text();
    // The capture works: the failures above were logged.
    assert!(
        logs.contains("the auth service answered with an error"),
        "{logs}"
    );
    assert!(logs.contains("could not call the auth service"), "{logs}");
    assert!(
        !logs.contains("s3cr3t"),
        "a token reached the logs:\n{logs}"
    );
    for body in &bodies {
        assert!(
            !body.contains("s3cr3t"),
            "a token reached an error body: {body}"
        );
    }
    assert!(!debug.contains("s3cr3t"), "{debug}");
}
