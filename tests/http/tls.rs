//! https to the auth service: a real TLS server on 127.0.0.1 with a certificate from a CA of
//! its own.

use actix_authorize::{AuthError, AuthService, BearerToken};
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

#[actix_web::test]
async fn a_certificate_for_another_host_is_refused() {
    let (auth, ca_pem) = FakeAuth::start_https(Mode::Healthy);
    // The certificate names 127.0.0.1; `localhost` reaches the same server under another name.
    let by_name = auth.url().replacen("127.0.0.1", "localhost", 1);
    let service = AuthService::builder(by_name)
        .add_root_certificates(ca_pem)
        .without_cache()
        .build()
        .unwrap();
    let api = Api::start(Wiring::Plain(service));
    let reply = get(&api.url("/above/users/2"), Some(USER2)).await;
    assert_eq!(reply.code(), 503, "{}", reply.body);
    assert!(auth.calls().is_empty());
}

#[actix_web::test]
async fn services_with_different_roots_keep_their_own_clients_on_one_thread() {
    let (auth, ca_pem) = FakeAuth::start_https(Mode::Healthy);
    let trusting = AuthService::builder(auth.url())
        .add_root_certificates(ca_pem)
        .without_cache()
        .build()
        .unwrap();
    let untrusting = AuthService::builder(auth.url())
        .without_cache()
        .build()
        .unwrap();
    let token = BearerToken::parse(USER2.as_bytes()).unwrap().unwrap();
    for _ in 0..2 {
        assert_eq!(trusting.authenticate(&token).await.unwrap().id(), "2");
        assert!(matches!(
            untrusting.authenticate(&token).await,
            Err(AuthError::ServiceUnavailable { .. })
        ));
    }
    assert_eq!(auth.calls().len(), 2);
}

#[test]
fn root_certificates_need_an_https_url_and_no_private_key() {
    let (ca_pem, _) = actix_authorize_tests::tls::server_config_for_localhost();
    let http = AuthService::builder("http://127.0.0.1:1/users/me")
        .add_root_certificates(ca_pem.clone())
        .build()
        .unwrap_err();
    assert!(http.to_string().contains("not https"), "{http}");
    let with_key =
        format!("{ca_pem}-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
    let key = AuthService::builder("https://127.0.0.1:1/users/me")
        .add_root_certificates(with_key)
        .build()
        .unwrap_err();
    assert!(key.to_string().contains("private key"), "{key}");
    let ipv6 = AuthService::builder("https://[::1]:8443/users/me")
        .build()
        .unwrap_err();
    assert!(ipv6.to_string().contains("IPv6"), "{ipv6}");
}
