//! OpenID Connect discovery: an issuer URL is enough to find its userinfo and introspection
//! endpoints, read once at start-up.

use std::time::Duration;

use actix_web::http::StatusCode;
use actix_web::http::header;
use serde::Deserialize;

use crate::{AuthService, AuthServiceBuilder, ClientCredentials, ConfigError};

/// How long reading a discovery document may take.
const DISCOVERY_TIMEOUT: Duration = Duration::from_secs(10);

/// The largest discovery document read.
const MAX_DOCUMENT_BYTES: usize = 256 * 1024;

/// An OpenID provider's endpoints, from its `.well-known/openid-configuration`.
///
/// ```no_run
/// use actix_authorize::{ClientCredentials, OpenIdProvider};
///
/// # async fn start() -> Result<(), actix_authorize::ConfigError> {
/// let provider = OpenIdProvider::discover("http://127.0.0.1:3000").await?;
/// // Either ask its userinfo endpoint with the caller's token...
/// let by_userinfo = provider.userinfo_builder()?.build()?;
/// // ...or introspect tokens with this service's own client credentials.
/// let by_introspection = provider
///     .introspection_builder(ClientCredentials::basic("orders-api", "s3cret"))?
///     .build()?;
/// # Ok(())
/// # }
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct OpenIdProvider {
    issuer: String,
    userinfo_endpoint: Option<String>,
    introspection_endpoint: Option<String>,
    /// The roots discovery trusted, for the builders of https endpoints.
    root_certificates: Vec<Vec<u8>>,
}

/// The fields of a discovery or metadata document that are read.
#[derive(Deserialize)]
struct Document {
    issuer: String,
    userinfo_endpoint: Option<String>,
    introspection_endpoint: Option<String>,
}

impl std::fmt::Debug for OpenIdProvider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OpenIdProvider")
            .field("issuer", &self.issuer)
            .field("userinfo_endpoint", &self.userinfo_endpoint)
            .field("introspection_endpoint", &self.introspection_endpoint)
            .field("root_certificates", &self.root_certificates.len())
            .finish()
    }
}

impl OpenIdProvider {
    /// Reads the discovery document of `issuer` (such as `http://127.0.0.1:3000` or
    /// `http://127.0.0.1:8000/o`). The document must name exactly that issuer, as OpenID
    /// Connect Discovery 1.0 section 4.3 requires; redirects are not followed; over https, the
    /// public web roots are trusted (see
    /// [`discover_trusting`](Self::discover_trusting) for a private CA), and an https
    /// issuer's endpoints must be https too. When the document lists no introspection
    /// endpoint, the provider's OAuth2 metadata (RFC 8414) is read for one. Runs on an actix
    /// runtime, like every awc call: call it from `#[actix_web::main]`.
    pub async fn discover(issuer: &str) -> Result<Self, ConfigError> {
        Self::discover_trusting(issuer, &[]).await
    }

    /// Like [`discover`](Self::discover), also trusting the root certificates of these PEM
    /// documents, as [`AuthServiceBuilder::add_root_certificates`] does; the builders it
    /// gives for https endpoints trust them too.
    pub async fn discover_trusting(
        issuer: &str,
        root_certificates: &[Vec<u8>],
    ) -> Result<Self, ConfigError> {
        let fail = |reason: String| ConfigError::Discovery {
            issuer: issuer.to_owned(),
            reason,
        };
        let base = issuer.trim_end_matches('/');
        let tls = if base.starts_with("https://") {
            Some(crate::tls::Tls::new(root_certificates)?)
        } else if base.starts_with("http://") {
            None
        } else {
            return Err(fail(
                "the issuer must be an http:// or https:// URL".to_owned(),
            ));
        };
        let client = crate::client::new_client(tls.as_ref(), Some(DISCOVERY_TIMEOUT));
        let url = format!("{base}/.well-known/openid-configuration");
        let document = read_document(&client, &url).await.map_err(fail)?;
        if document.issuer != issuer {
            return Err(fail(format!(
                "the document names another issuer, `{}`",
                document.issuer
            )));
        }
        let mut provider = Self {
            issuer: document.issuer,
            userinfo_endpoint: document.userinfo_endpoint,
            introspection_endpoint: document.introspection_endpoint,
            root_certificates: root_certificates.to_vec(),
        };
        if provider.introspection_endpoint.is_none() {
            // Some providers (django-oauth-toolkit among them) list introspection only in
            // their OAuth2 server metadata: at the address RFC 8414 section 3 gives, or
            // appended to the issuer as for OIDC.
            for url in oauth_metadata_urls(base) {
                if let Ok(metadata) = read_document(&client, &url).await
                    && metadata.issuer == issuer
                {
                    provider.introspection_endpoint = metadata.introspection_endpoint;
                    break;
                }
            }
        }
        // A token must not leave TLS because a document said so.
        if tls.is_some() {
            let endpoints = [
                &provider.userinfo_endpoint,
                &provider.introspection_endpoint,
            ];
            if let Some(endpoint) = endpoints
                .into_iter()
                .flatten()
                .find(|endpoint| !endpoint.starts_with("https://"))
            {
                return Err(fail(format!(
                    "the https issuer lists an endpoint that is not https: {endpoint}"
                )));
            }
        }
        Ok(provider)
    }

    /// The issuer, as its document names it.
    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    /// The userinfo endpoint, if the provider has one.
    pub fn userinfo_endpoint(&self) -> Option<&str> {
        self.userinfo_endpoint.as_deref()
    }

    /// The introspection endpoint, if the provider lists one.
    pub fn introspection_endpoint(&self) -> Option<&str> {
        self.introspection_endpoint.as_deref()
    }

    /// A builder that asks the userinfo endpoint, with the caller's token.
    pub fn userinfo_builder(&self) -> Result<AuthServiceBuilder, ConfigError> {
        Ok(self.builder(self.endpoint_for(false)?))
    }

    /// A builder for `endpoint` that trusts the roots discovery was given, if it is https.
    fn builder(&self, endpoint: &str) -> AuthServiceBuilder {
        let builder = AuthService::builder(endpoint);
        if endpoint.starts_with("https://") {
            self.root_certificates.iter().fold(builder, |builder, pem| {
                builder.add_root_certificates(pem.clone())
            })
        } else {
            builder
        }
    }

    /// A builder that introspects tokens at the introspection endpoint with `credentials`.
    pub fn introspection_builder(
        &self,
        credentials: ClientCredentials,
    ) -> Result<AuthServiceBuilder, ConfigError> {
        Ok(self
            .builder(self.endpoint_for(true)?)
            .introspection(credentials))
    }

    /// The introspection endpoint if `introspecting`, else the userinfo one; an error if the
    /// provider lists none.
    pub(crate) fn endpoint_for(&self, introspecting: bool) -> Result<&str, ConfigError> {
        let (endpoint, name) = if introspecting {
            (self.introspection_endpoint(), "introspection_endpoint")
        } else {
            (self.userinfo_endpoint(), "userinfo_endpoint")
        };
        endpoint.ok_or_else(|| ConfigError::Discovery {
            issuer: self.issuer.clone(),
            reason: format!("the discovery document has no {name}"),
        })
    }
}

/// Where RFC 8414 section 3 puts the metadata of `issuer` (no trailing slash): the well-known
/// path between the host and the issuer's path; then where some providers put it instead.
fn oauth_metadata_urls(issuer: &str) -> Vec<String> {
    const WELL_KNOWN: &str = "/.well-known/oauth-authorization-server";
    let appended = format!("{issuer}{WELL_KNOWN}");
    let after_scheme = issuer.find("://").map_or(0, |at| at + 3);
    match issuer[after_scheme..].find('/') {
        Some(path_at) => {
            let (origin, path) = issuer.split_at(after_scheme + path_at);
            vec![format!("{origin}{WELL_KNOWN}{path}"), appended]
        }
        None => vec![appended],
    }
}

/// A JSON document read with a GET; why not, otherwise.
async fn read_document(client: &awc::Client, url: &str) -> Result<Document, String> {
    let mut response = client
        .get(url)
        .insert_header((header::ACCEPT, "application/json"))
        .send()
        .await
        .map_err(|error| format!("could not read {url}: {error}"))?;
    if response.status() != StatusCode::OK {
        let location = response
            .headers()
            .get(header::LOCATION)
            .and_then(|value| value.to_str().ok())
            .map_or_else(String::new, |location| {
                format!(", redirecting to {location}")
            });
        return Err(format!("{url} answered {}{location}", response.status()));
    }
    let body = response
        .body()
        .limit(MAX_DOCUMENT_BYTES)
        .await
        .map_err(|error| format!("could not read {url}: {error}"))?;
    serde_json::from_slice(&body)
        .map_err(|error| format!("{url} is not a discovery document: {error}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oauth_metadata_is_looked_for_where_rfc_8414_says_first() {
        assert_eq!(
            oauth_metadata_urls("http://127.0.0.1:8000/o"),
            [
                "http://127.0.0.1:8000/.well-known/oauth-authorization-server/o",
                "http://127.0.0.1:8000/o/.well-known/oauth-authorization-server",
            ]
        );
        assert_eq!(
            oauth_metadata_urls("https://login.example"),
            ["https://login.example/.well-known/oauth-authorization-server"]
        );
    }
}
