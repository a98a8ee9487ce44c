//! https to the auth service: a real TLS server on 127.0.0.1 with a certificate from a CA of
//! its own.

use actix_authorize::AuthService;
use actix_authorize_tests::api::{Api, Wiring};
use actix_authorize_tests::client::get;
use actix_authorize_tests::fake_auth::{FakeAuth, Mode};

const USER2: &str = "Bearer user2-token";

#[actix_web::test]
async fn an_https_auth_service_is_trusted_through_the_roots_given() {
    let (auth, ca_pem) = FakeAuth::start_https(Mode::Healthy);
    assert!(auth.url().starts_with("https://127.0.0.1:"));
    let trusting = AuthService::builder(auth.url())
        .add_root_certificates(ca_pem)
        .without_cache()
        .build()
        .unwrap();
    let api = Api::start(Wiring::Plain(trusting));
    for (path, status) in [("/above/users/2", 200), ("/above/users/3", 403)] {
        let reply = get(&api.url(path), Some(USER2)).await;
        assert_eq!(reply.code(), status, "{path}: {}", reply.body);
    }
    let call = &auth.calls()[0];
    assert_eq!(call.authorization.as_deref(), Some(USER2));
}

#[actix_web::test]
async fn an_https_auth_service_with_an_unknown_ca_is_refused() {
    let (auth, _) = FakeAuth::start_https(Mode::Healthy);
    // Only the public roots: the certificate of the tests' own CA does not verify.
    let api = Api::against_uncached(&auth.url());
    let reply = get(&api.url("/above/users/2"), Some(USER2)).await;
    assert_eq!(reply.code(), 503, "{}", reply.body);
    assert_eq!(api.probe.handler_runs(), 0);
    assert!(
        auth.calls().is_empty(),
        "the token was sent over an unverified connection"
    );

    // Nor does plain http reach an https server.
    let http = auth.url().replacen("https", "http", 1);
    let api = Api::against_uncached(&http);
    let reply = get(&api.url("/above/users/2"), Some(USER2)).await;
    assert!(matches!(reply.code(), 502 | 503), "{}", reply.body);
    assert_eq!(api.probe.handler_runs(), 0);
}
