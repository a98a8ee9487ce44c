//! https to the auth service: rustls, trusting the public web roots and any root the
//! application adds for a private CA.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;
use rustls::{ClientConfig, RootCertStore};

use crate::ConfigError;

/// A TLS client configuration, with an id that tells the threads' awc clients apart.
#[derive(Clone)]
pub(crate) struct Tls {
    pub(crate) id: u64,
    pub(crate) config: Arc<ClientConfig>,
}

impl std::fmt::Debug for Tls {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tls")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

static NEXT_ID: AtomicU64 = AtomicU64::new(0);

/// Makes ring the process's default rustls provider if there is none yet. awc builds a rustls
/// configuration of its own in `Connector::new` when the application enables its root-store
/// features, and that panics if several providers are linked and none is the default; this
/// crate's own configurations name ring explicitly and do not depend on it.
pub(crate) fn ensure_default_provider() {
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        // Another thread may have installed one meanwhile; either is fine.
        let _ = ring_provider().install_default();
    }
}

/// rustls's ring provider. rustls 0.23.48 deprecates it for want of post-quantum key
/// exchange; it is kept because ring builds with only a C compiler, where aws-lc-rs needs more
/// of a toolchain. The connection to the auth service still uses TLS 1.3 with X25519.
#[allow(deprecated)]
fn ring_provider() -> rustls::crypto::CryptoProvider {
    rustls::crypto::ring::default_provider()
}

impl Tls {
    /// Trusts the public web roots and the certificates of every PEM document in `extra`.
    pub(crate) fn new(extra: &[Vec<u8>]) -> Result<Self, ConfigError> {
        let mut roots = RootCertStore::from_iter(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
        for pem in extra {
            add_roots(&mut roots, pem)?;
        }
        let provider = Arc::new(ring_provider());
        let mut config = ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|error| invalid(&error.to_string()))?
            .with_root_certificates(roots)
            .with_no_client_auth();
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(Self {
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
            config: Arc::new(config),
        })
    }
}

/// Whether `pem` holds CA certificates only, as [`Tls::new`] needs: without building a TLS
/// configuration, to check a setting where it is read.
pub(crate) fn check_roots(pem: &[u8]) -> Result<(), ConfigError> {
    add_roots(&mut RootCertStore::empty(), pem)
}

fn add_roots(roots: &mut RootCertStore, pem: &[u8]) -> Result<(), ConfigError> {
    if pem.windows(11).any(|window| window == b"PRIVATE KEY") {
        return Err(invalid(
            "the PEM holds a private key; give only the CA's certificates",
        ));
    }
    let mut found = 0;
    for certificate in CertificateDer::pem_slice_iter(pem) {
        let certificate = certificate.map_err(|error| invalid(&error.to_string()))?;
        roots
            .add(certificate)
            .map_err(|error| invalid(&error.to_string()))?;
        found += 1;
    }
    if found == 0 {
        return Err(invalid("no PEM certificate found"));
    }
    Ok(())
}

fn invalid(reason: &str) -> ConfigError {
    ConfigError::InvalidValue {
        setting: "root certificate",
        value: "(PEM)".to_owned(),
        reason: reason.to_owned(),
    }
}
