//! Building an [`AuthService`]: the builder, its defaults, and loading from the environment.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use actix_web::http::Uri;

use crate::cache::CacheSettings;
use crate::mapping::{Field, IdentityMapping};
use crate::{AuthError, AuthService};

/// How long one call to the auth service may take, connection and answer included.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(2);

/// The largest auth-service answer read; a larger one is a failure of the auth service.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 64 * 1024;

/// How long a user stays cached when neither the token nor the auth service says less.
pub const DEFAULT_CACHE_TTL: Duration = Duration::from_secs(30);

/// How many tokens the cache holds at most; the least used go first.
pub const DEFAULT_CACHE_CAPACITY: u64 = 100_000;

/// The environment variables [`AuthService::from_env`] reads.
pub mod env {
    /// The auth service's "who am I" URL; required.
    pub const URL: &str = "AUTH_SERVICE_URL";
    /// The timeout of one call, in milliseconds.
    pub const TIMEOUT_MS: &str = "AUTH_SERVICE_TIMEOUT_MS";
    /// The largest answer read, in bytes.
    pub const MAX_RESPONSE_BYTES: &str = "AUTH_SERVICE_MAX_RESPONSE_BYTES";
    /// The field (or JSON pointer) that holds the user's id.
    pub const ID_FIELD: &str = "AUTH_SERVICE_ID_FIELD";
    /// The fields (or JSON pointers) that hold the user's roles, comma-separated.
    pub const ROLE_FIELDS: &str = "AUTH_SERVICE_ROLE_FIELDS";
    /// How long a user stays cached, in milliseconds; `0` turns the cache off.
    pub const CACHE_TTL_MS: &str = "AUTH_SERVICE_CACHE_TTL_MS";
    /// How many tokens the cache holds at most.
    pub const CACHE_CAPACITY: &str = "AUTH_SERVICE_CACHE_CAPACITY";
    /// How long a rejected token is remembered, in milliseconds; unset or `0`: not at all.
    pub const NEGATIVE_CACHE_TTL_MS: &str = "AUTH_SERVICE_NEGATIVE_CACHE_TTL_MS";
}

pub(crate) type ErrorBody = Arc<dyn Fn(&AuthError) -> serde_json::Value + Send + Sync>;

/// Why an [`AuthService`] could not be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// A required environment variable is not set.
    #[error(
        "{0} is not set; it must hold the auth service's URL, such as http://127.0.0.1:8001/users/me"
    )]
    Missing(&'static str),
    /// The auth service URL is not an absolute `http://` URL.
    #[error("invalid auth service URL `{url}`: {reason}")]
    InvalidUrl {
        /// The URL as given.
        url: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// A setting has a value it cannot take.
    #[error("invalid {setting} `{value}`: {reason}")]
    InvalidValue {
        /// The setting, or the environment variable it was read from.
        setting: &'static str,
        /// The value as given.
        value: String,
        /// What is wrong with it.
        reason: String,
    },
}

/// The settings an [`AuthService`] runs with; checked by [`AuthServiceBuilder::build`].
pub(crate) struct Config {
    pub(crate) url: Uri,
    pub(crate) timeout: Duration,
    pub(crate) max_response_bytes: usize,
    pub(crate) mapping: IdentityMapping,
    pub(crate) error_body: Option<ErrorBody>,
    pub(crate) cache: Option<CacheSettings>,
}

/// Settings for an [`AuthService`]; made by [`AuthService::builder`].
///
/// ```
/// use std::time::Duration;
/// use actix_authorize::AuthService;
///
/// let auth = AuthService::builder("http://127.0.0.1:8001/users/me")
///     .timeout(Duration::from_millis(500))
///     .id_field("sub")
///     .role_fields(["/realm_access/roles"])
///     .build()?;
/// # Ok::<(), actix_authorize::ConfigError>(())
/// ```
#[must_use = "call `build` to get an `AuthService`"]
pub struct AuthServiceBuilder {
    url: String,
    timeout: Duration,
    max_response_bytes: usize,
    id_field: String,
    role_fields: Vec<String>,
    error_body: Option<ErrorBody>,
    cache_ttl: Duration,
    cache_capacity: u64,
    negative_cache_ttl: Duration,
}

impl AuthServiceBuilder {
    pub(crate) fn new(url: String) -> Self {
        Self {
            url,
            timeout: DEFAULT_TIMEOUT,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            id_field: "id".to_owned(),
            role_fields: vec!["role".to_owned(), "roles".to_owned()],
            error_body: None,
            cache_ttl: DEFAULT_CACHE_TTL,
            cache_capacity: DEFAULT_CACHE_CAPACITY,
            negative_cache_ttl: Duration::ZERO,
        }
    }

    /// A builder with every setting that the environment sets (see [`mod@env`]); the URL is
    /// required, the rest keep their defaults when unset.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_vars(|name| {
            std::env::var_os(name).map(|value| value.to_string_lossy().into_owned())
        })
    }

    pub(crate) fn from_vars(var: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let url = var(env::URL).ok_or(ConfigError::Missing(env::URL))?;
        let mut builder = Self::new(url);
        if let Some(value) = var(env::TIMEOUT_MS) {
            builder.timeout = Duration::from_millis(parse_number(env::TIMEOUT_MS, &value)?);
        }
        if let Some(value) = var(env::MAX_RESPONSE_BYTES) {
            let bytes = parse_number(env::MAX_RESPONSE_BYTES, &value)?;
            builder.max_response_bytes = usize::try_from(bytes).map_err(|_| {
                invalid(
                    env::MAX_RESPONSE_BYTES,
                    &value,
                    "too large for this machine",
                )
            })?;
        }
        if let Some(value) = var(env::ID_FIELD) {
            builder.id_field = value;
        }
        if let Some(value) = var(env::ROLE_FIELDS) {
            builder.role_fields = value
                .split(',')
                .map(|field| field.trim().to_owned())
                .collect();
        }
        if let Some(value) = var(env::CACHE_TTL_MS) {
            builder.cache_ttl = Duration::from_millis(parse_number(env::CACHE_TTL_MS, &value)?);
        }
        if let Some(value) = var(env::CACHE_CAPACITY) {
            builder.cache_capacity = parse_number(env::CACHE_CAPACITY, &value)?;
        }
        if let Some(value) = var(env::NEGATIVE_CACHE_TTL_MS) {
            builder.negative_cache_ttl =
                Duration::from_millis(parse_number(env::NEGATIVE_CACHE_TTL_MS, &value)?);
        }
        Ok(builder)
    }

    /// How long one call to the auth service may take before the request is refused with
    /// 503; connecting, sending and reading the answer all count. Default: 2 seconds.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The largest answer read from the auth service; a larger one is refused with 502.
    /// Default: 64 KiB.
    pub fn max_response_bytes(mut self, bytes: usize) -> Self {
        self.max_response_bytes = bytes;
        self
    }

    /// The field of the answer that holds the user's id, or a JSON pointer such as
    /// `/user/id`. Default: `id`. An OIDC userinfo answer has it in `sub`.
    pub fn id_field(mut self, field: impl Into<String>) -> Self {
        self.id_field = field.into();
        self
    }

    /// The fields of the answer that hold the user's roles, each a name or a JSON pointer;
    /// each may hold one role as a string or several as an array of strings, and all are
    /// combined. Default: `role` and `roles`.
    pub fn role_fields<S: Into<String>>(mut self, fields: impl IntoIterator<Item = S>) -> Self {
        self.role_fields = fields.into_iter().map(Into::into).collect();
        self
    }

    /// How long a user found for a token is reused without asking the auth service again.
    /// An entry never outlives the token's own `exp` (for a JWT), the answer's `exp`, or
    /// what the answer's `Cache-Control`/`Expires` allow, and reading it does not extend it.
    /// Default: 30 seconds. `Duration::ZERO` turns the cache off, as does
    /// [`without_cache`](Self::without_cache).
    ///
    /// A token revoked at the auth service keeps working here until its entry expires; use
    /// [`AuthService::evict`] or [`AuthService::clear_cache`] to forget it sooner.
    pub fn cache_ttl(mut self, ttl: Duration) -> Self {
        self.cache_ttl = ttl;
        self
    }

    /// How many tokens the cache holds at most (default 100 000). Each entry keeps the
    /// answer's JSON text: about 0.9 KB for a typical 300-byte answer (`bench/load.sh`
    /// measures it), more for larger answers, up to `max_response_bytes`. When it is full,
    /// moka's TinyLFU policy drops the entries least likely to be used again.
    pub fn cache_capacity(mut self, entries: u64) -> Self {
        self.cache_capacity = entries;
        self
    }

    /// Asks the auth service on every request (still once per request).
    pub fn without_cache(self) -> Self {
        self.cache_ttl(Duration::ZERO)
    }

    /// Also remembers, for `ttl`, that the auth service rejected a token, so that a client
    /// retrying a bad token does not reach the auth service each time. Off by default: a
    /// token rejected by mistake (say, during a deploy of the auth service) then stays
    /// rejected for `ttl` too. Keep it short, a few seconds.
    pub fn negative_cache_ttl(mut self, ttl: Duration) -> Self {
        self.negative_cache_ttl = ttl;
        self
    }

    /// Replaces the JSON body of refusals; status and `WWW-Authenticate` stay as the error
    /// requires, so a custom body cannot turn a refusal into something else.
    ///
    /// ```
    /// # use actix_authorize::{AuthError, AuthService};
    /// let auth = AuthService::builder("http://127.0.0.1:8001/users/me")
    ///     .error_body(|error: &AuthError| {
    ///         serde_json::json!({ "error": { "message": error.to_string() } })
    ///     })
    ///     .build()?;
    /// # Ok::<(), actix_authorize::ConfigError>(())
    /// ```
    pub fn error_body<F>(mut self, render: F) -> Self
    where
        F: Fn(&AuthError) -> serde_json::Value + Send + Sync + 'static,
    {
        self.error_body = Some(Arc::new(render));
        self
    }

    /// Checks every setting and makes the service.
    pub fn build(self) -> Result<AuthService, ConfigError> {
        let url = parse_url(&self.url)?;
        if self.timeout.is_zero() {
            return Err(invalid("timeout", "0", "must be longer than zero"));
        }
        if self.max_response_bytes == 0 {
            return Err(invalid("max_response_bytes", "0", "must be at least 1"));
        }
        let id = Field::parse(&self.id_field)
            .map_err(|reason| invalid("id field", &self.id_field, &reason))?;
        let roles = self
            .role_fields
            .iter()
            .map(|field| {
                Field::parse(field).map_err(|reason| invalid("role field", field, &reason))
            })
            .collect::<Result<_, _>>()?;
        if !self.cache_ttl.is_zero() && self.cache_capacity == 0 {
            return Err(invalid(
                "cache capacity",
                "0",
                "must be at least 1; turn the cache off with without_cache instead",
            ));
        }
        let cache = (!self.cache_ttl.is_zero()).then_some(CacheSettings {
            ttl: self.cache_ttl,
            capacity: self.cache_capacity,
            negative_ttl: (!self.negative_cache_ttl.is_zero()).then_some(self.negative_cache_ttl),
        });
        Ok(AuthService::from_config(Config {
            url,
            timeout: self.timeout,
            max_response_bytes: self.max_response_bytes,
            mapping: IdentityMapping { id, roles },
            error_body: self.error_body,
            cache,
        }))
    }
}

impl fmt::Debug for AuthServiceBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthServiceBuilder")
            .field("url", &self.url)
            .field("timeout", &self.timeout)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("id_field", &self.id_field)
            .field("role_fields", &self.role_fields)
            .field("error_body", &self.error_body.as_ref().map(|_| "custom"))
            .field("cache_ttl", &self.cache_ttl)
            .field("cache_capacity", &self.cache_capacity)
            .field("negative_cache_ttl", &self.negative_cache_ttl)
            .finish()
    }
}

fn parse_url(url: &str) -> Result<Uri, ConfigError> {
    let fail = |reason| ConfigError::InvalidUrl {
        url: url.to_owned(),
        reason,
    };
    let uri: Uri = url.parse().map_err(|_| fail("not a URL"))?;
    match uri.scheme_str() {
        Some("http") => {}
        Some("https") => {
            return Err(fail(
                "https is not supported yet; reach the auth service over http on a private network",
            ));
        }
        Some(_) => return Err(fail("the scheme must be http")),
        None => {
            return Err(fail(
                "the URL must be absolute, as in http://host:port/path",
            ));
        }
    }
    match uri.authority() {
        None => Err(fail("the URL has no host")),
        Some(authority) if authority.as_str().contains('@') => {
            Err(fail("credentials in the URL are not supported"))
        }
        Some(authority) if authority.host().is_empty() => Err(fail("the URL has no host")),
        Some(_) => Ok(uri),
    }
}

fn parse_number(setting: &'static str, value: &str) -> Result<u64, ConfigError> {
    value
        .trim()
        .parse()
        .map_err(|_| invalid(setting, value, "expected a whole number"))
}

fn invalid(setting: &'static str, value: &str, reason: &str) -> ConfigError {
    ConfigError::InvalidValue {
        setting,
        value: value.to_owned(),
        reason: reason.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn from_vars(vars: &[(&str, &str)]) -> Result<AuthServiceBuilder, ConfigError> {
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
            .collect();
        AuthServiceBuilder::from_vars(|name| vars.get(name).cloned())
    }

    #[test]
    fn the_environment_sets_every_setting() {
        let builder = from_vars(&[
            (env::URL, "http://127.0.0.1:8001/users/me"),
            (env::TIMEOUT_MS, "250"),
            (env::MAX_RESPONSE_BYTES, "1024"),
            (env::ID_FIELD, "sub"),
            (env::ROLE_FIELDS, "groups, /realm_access/roles"),
            (env::CACHE_TTL_MS, "5000"),
            (env::CACHE_CAPACITY, "10"),
            (env::NEGATIVE_CACHE_TTL_MS, "1000"),
        ])
        .unwrap();
        assert_eq!(builder.timeout, Duration::from_millis(250));
        assert_eq!(builder.max_response_bytes, 1024);
        assert_eq!(builder.id_field, "sub");
        assert_eq!(builder.role_fields, ["groups", "/realm_access/roles"]);
        assert_eq!(builder.cache_ttl, Duration::from_secs(5));
        assert_eq!(builder.cache_capacity, 10);
        assert_eq!(builder.negative_cache_ttl, Duration::from_secs(1));
        assert!(builder.build().is_ok());
    }

    #[test]
    fn a_missing_url_or_a_bad_number_is_a_clear_error() {
        assert_eq!(
            from_vars(&[]).unwrap_err(),
            ConfigError::Missing("AUTH_SERVICE_URL")
        );
        let error = from_vars(&[(env::URL, "http://a/"), (env::TIMEOUT_MS, "2s")]).unwrap_err();
        assert_eq!(
            error.to_string(),
            "invalid AUTH_SERVICE_TIMEOUT_MS `2s`: expected a whole number"
        );
    }

    #[test]
    fn bad_urls_are_refused_with_a_reason() {
        for (url, reason) in [
            ("", "not a URL"),
            ("not a url", "not a URL"),
            (
                "/users/me",
                "the URL must be absolute, as in http://host:port/path",
            ),
            ("ftp://host/users/me", "the scheme must be http"),
            (
                "http://user:pw@host/users/me",
                "credentials in the URL are not supported",
            ),
        ] {
            match AuthService::builder(url).build() {
                Err(ConfigError::InvalidUrl { reason: got, .. }) => {
                    assert_eq!(got, reason, "{url}")
                }
                other => panic!("{url}: {other:?}"),
            }
        }
        assert!(
            AuthService::builder("https://auth.internal/me")
                .build()
                .is_err()
        );
    }

    #[test]
    fn zero_limits_and_empty_fields_are_refused() {
        let builder = || AuthService::builder("http://127.0.0.1:1/me");
        assert!(builder().timeout(Duration::ZERO).build().is_err());
        assert!(builder().max_response_bytes(0).build().is_err());
        assert!(builder().id_field("").build().is_err());
        assert!(builder().role_fields(["roles", ""]).build().is_err());
        assert!(builder().cache_capacity(0).build().is_err());
        assert!(builder().cache_capacity(0).without_cache().build().is_ok());
    }
}
