//! The two ways of asking who a token belongs to: OIDC UserInfo (or any "who am I" endpoint)
//! and OAuth2 Token Introspection (RFC 7662), with the credentials the latter needs.

use std::fmt;

use actix_web::http::header::HeaderValue;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use crate::ConfigError;

/// How the auth service is asked, ready to send.
#[derive(Clone)]
pub(crate) enum Protocol {
    /// `GET <url>` with the caller's token as `Authorization: Bearer`.
    UserInfo,
    /// `POST <url>` with the caller's token in a form, this service's own credentials in
    /// `Authorization`.
    Introspection { authorization: HeaderValue },
}

impl Protocol {
    pub(crate) fn name(&self) -> &'static str {
        match self {
            Self::UserInfo => "userinfo",
            Self::Introspection { .. } => "introspection",
        }
    }
}

impl fmt::Debug for Protocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// How this service authenticates itself to an introspection endpoint (RFC 7662 section 2.1
/// requires it). `Debug` never shows the secret or the token.
///
/// ```
/// use actix_authorize::{AuthService, ClientCredentials};
///
/// let auth = AuthService::builder("http://127.0.0.1:3000/token/introspection")
///     .introspection(ClientCredentials::basic("orders-api", "s3cret"))
///     .build()?;
/// assert!(!format!("{auth:?}").contains("s3cret"));
/// # Ok::<(), actix_authorize::ConfigError>(())
/// ```
#[derive(Clone)]
pub struct ClientCredentials(Credentials);

#[derive(Clone)]
enum Credentials {
    Basic { id: String, secret: String },
    Bearer(String),
}

impl ClientCredentials {
    /// A client id and secret, sent as HTTP Basic (`client_secret_basic`), each form-encoded
    /// first as RFC 6749 section 2.3.1 asks.
    pub fn basic(client_id: impl Into<String>, client_secret: impl Into<String>) -> Self {
        Self(Credentials::Basic {
            id: client_id.into(),
            secret: client_secret.into(),
        })
    }

    /// A bearer token of this service's own, for servers that protect introspection that way.
    pub fn bearer(token: impl Into<String>) -> Self {
        Self(Credentials::Bearer(token.into()))
    }

    /// The `Authorization` value, marked sensitive so that awc and actix never log it.
    pub(crate) fn authorization(&self) -> Result<HeaderValue, ConfigError> {
        let value = match &self.0 {
            Credentials::Basic { id, secret } => {
                if id.is_empty() {
                    return Err(invalid("the client id cannot be empty"));
                }
                let pair = format!("{}:{}", form_encode(id), form_encode(secret));
                format!("Basic {}", STANDARD.encode(pair))
            }
            Credentials::Bearer(token) => {
                let header = format!("Bearer {token}");
                // Exactly the token: a leading space would pass the parser, which allows
                // several, but send a different header.
                match crate::bearer::parse_credentials(header.as_bytes()) {
                    Ok(Some(parsed)) if parsed == token => {}
                    _ => return Err(invalid("the client token is not a valid bearer token")),
                }
                header
            }
        };
        let mut value =
            HeaderValue::try_from(value).map_err(|_| invalid("not a valid header value"))?;
        value.set_sensitive(true);
        Ok(value)
    }
}

impl fmt::Debug for ClientCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Credentials::Basic { id, .. } => f
                .debug_struct("ClientCredentials::Basic")
                .field("client_id", id)
                .finish_non_exhaustive(),
            Credentials::Bearer(_) => f.write_str("ClientCredentials::Bearer(..)"),
        }
    }
}

fn form_encode(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

fn invalid(reason: &str) -> ConfigError {
    ConfigError::InvalidValue {
        setting: "client credentials",
        value: "(not shown)".to_owned(),
        reason: reason.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_credentials_are_form_encoded_then_base64() {
        let value = ClientCredentials::basic("my client", "p@ss:word")
            .authorization()
            .unwrap();
        assert!(value.is_sensitive());
        let encoded = value.to_str().unwrap().strip_prefix("Basic ").unwrap();
        let decoded = String::from_utf8(STANDARD.decode(encoded).unwrap()).unwrap();
        assert_eq!(decoded, "my+client:p%40ss%3Aword");
    }

    #[test]
    fn bad_credentials_are_refused_without_showing_them() {
        for credentials in [
            ClientCredentials::basic("", "secret"),
            ClientCredentials::bearer("two words"),
            ClientCredentials::bearer(""),
            ClientCredentials::bearer(" padded"),
        ] {
            let error = credentials.authorization().unwrap_err().to_string();
            assert!(
                !error.contains("secret") && !error.contains("words"),
                "{error}"
            );
        }
        let shown = format!(
            "{:?} {:?}",
            ClientCredentials::basic("api", "hunter2"),
            ClientCredentials::bearer("tok3n")
        );
        assert!(
            !shown.contains("hunter2") && !shown.contains("tok3n"),
            "{shown}"
        );
    }
}
