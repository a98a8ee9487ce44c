//! The first call to an auth service makes ring the process's default rustls provider, so
//! that awc's own rustls setup, which panics when several providers are linked and none is
//! the default, cannot fail. Its own test binary: the process must start without a default.

#![allow(clippy::unwrap_used)]

use actix_authorize::{AuthService, BearerToken};
use actix_authorize_tests::fake_auth::{FakeAuth, Mode, USERS};
use rustls::crypto::CryptoProvider;

#[actix_web::test]
async fn the_first_call_makes_ring_the_default_rustls_provider() {
    assert!(CryptoProvider::get_default().is_none());
    let auth = FakeAuth::start(Mode::Healthy);
    let service = AuthService::builder(auth.url()).build().unwrap();
    assert!(
        CryptoProvider::get_default().is_none(),
        "building makes no client"
    );
    let token = BearerToken::parse(format!("Bearer {}", USERS[0].0).as_bytes())
        .unwrap()
        .unwrap();
    service.authenticate(&token).await.unwrap();
    let default = CryptoProvider::get_default().expect("a default provider");
    // Deprecated by rustls 0.23.48 for want of post-quantum key exchange; the runtime uses
    // ring, see runtime/src/tls.rs.
    #[allow(deprecated)]
    let ring = rustls::crypto::ring::default_provider();
    assert_eq!(
        default.cipher_suites, ring.cipher_suites,
        "the default is ring's"
    );
}
