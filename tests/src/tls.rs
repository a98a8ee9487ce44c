//! A certificate authority of the tests' own, and a server certificate for 127.0.0.1 it
//! issues, made afresh for each server.

use std::sync::Arc;

use rcgen::{BasicConstraints, CertificateParams, IsCa, KeyPair};
use rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};

/// The CA's certificate as PEM, and a rustls server configuration presenting a certificate
/// for 127.0.0.1 signed by it.
pub fn server_config_for_localhost() -> (String, rustls::ServerConfig) {
    let ca_key = KeyPair::generate().expect("a CA key");
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).expect("CA parameters");
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca = ca_params.self_signed(&ca_key).expect("a CA certificate");

    let key = KeyPair::generate().expect("a server key");
    let params = CertificateParams::new(vec!["127.0.0.1".to_owned()]).expect("parameters");
    let certificate = params
        .signed_by(&key, &ca, &ca_key)
        .expect("a server certificate");

    // Deprecated by rustls 0.23.48 for want of post-quantum key exchange; the runtime uses
    // ring too, see runtime/src/tls.rs.
    #[allow(deprecated)]
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("TLS versions")
        .with_no_client_auth()
        .with_single_cert(
            vec![certificate.der().clone()],
            PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der())),
        )
        .expect("a server configuration");
    (ca.pem(), config)
}
