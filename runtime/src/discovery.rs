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
/// let by_userinfo = provider.userinfo()?.build()?;
/// // ...or introspect tokens with this service's own client credentials.
/// let by_introspection = provider
///     .introspection(ClientCredentials::basic("orders-api", "s3cret"))?
///     .build()?;
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct OpenIdProvider {
    issuer: String,
    userinfo_endpoint: Option<String>,
    introspection_endpoint: Option<String>,
}

impl OpenIdProvider {
    /// Reads the discovery document of `issuer` (such as `http://127.0.0.1:3000` or
    /// `http://127.0.0.1:8000/o`). The document must name the same issuer, as OpenID Connect
    /// Discovery 1.0 section 4.3 requires; redirects are not followed. Runs on an actix
    /// runtime, like every awc call: call it from `#[actix_web::main]`.
    pub async fn discover(issuer: &str) -> Result<Self, ConfigError> {
        let fail = |reason: String| ConfigError::Discovery {
            issuer: issuer.to_owned(),
            reason,
        };
        let base = issuer.trim_end_matches('/');
        if !base.starts_with("http://") {
            return Err(fail(
                "the issuer must be an http:// URL (https is not supported yet)".to_owned(),
            ));
        }
        let client = awc::Client::builder()
            .disable_redirects()
            .timeout(DISCOVERY_TIMEOUT)
            .finish();
        let url = format!("{base}/.well-known/openid-configuration");
        let mut provider: Self = read_document(&client, &url).await.map_err(fail)?;
        if provider.issuer.trim_end_matches('/') != base {
            return Err(fail(format!(
                "the document names another issuer, `{}`",
                provider.issuer
            )));
        }
        if provider.introspection_endpoint.is_none() {
            // Some providers (django-oauth-toolkit among them) list introspection only in
            // their OAuth2 server metadata (RFC 8414).
            let url = format!("{base}/.well-known/oauth-authorization-server");
            if let Ok(metadata) = read_document::<Self>(&client, &url).await
                && metadata.issuer.trim_end_matches('/') == base
            {
                provider.introspection_endpoint = metadata.introspection_endpoint;
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
    pub fn userinfo(&self) -> Result<AuthServiceBuilder, ConfigError> {
        let endpoint = self.endpoint(self.userinfo_endpoint(), "userinfo_endpoint")?;
        Ok(AuthService::builder(endpoint))
    }

    /// A builder that introspects tokens at the introspection endpoint with `credentials`.
    pub fn introspection(
        &self,
        credentials: ClientCredentials,
    ) -> Result<AuthServiceBuilder, ConfigError> {
        let endpoint = self.endpoint(self.introspection_endpoint(), "introspection_endpoint")?;
        Ok(AuthService::builder(endpoint).introspection(credentials))
    }

    fn endpoint<'a>(&self, endpoint: Option<&'a str>, name: &str) -> Result<&'a str, ConfigError> {
        endpoint.ok_or_else(|| ConfigError::Discovery {
            issuer: self.issuer.clone(),
            reason: format!("the discovery document has no {name}"),
        })
    }
}

/// A JSON document read with a GET; why not, otherwise.
async fn read_document<T: serde::de::DeserializeOwned>(
    client: &awc::Client,
    url: &str,
) -> Result<T, String> {
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
