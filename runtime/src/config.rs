//! Building an [`AuthService`]: the builder, its defaults, and loading from the environment.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use actix_web::http::Uri;

use crate::cache::CacheSettings;
use crate::checks::AnswerChecks;
use crate::mapping::{Field, IdentityMapping, RoleSource};
use crate::protocol::Protocol;
use crate::tls::Tls;
use crate::{AuthError, AuthService, ClientCredentials};

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
    /// The auth service's URL: its "who am I" or userinfo endpoint, or with
    /// [`PROTOCOL`] `introspection` its introspection endpoint. Required, except by
    /// [`AuthServiceBuilder::from_env_discovering`](crate::AuthServiceBuilder::from_env_discovering)
    /// when [`OIDC_ISSUER`] is set instead.
    pub const URL: &str = "AUTH_SERVICE_URL";
    /// `userinfo` (the default: `GET` with the caller's token) or `introspection` (RFC 7662).
    pub const PROTOCOL: &str = "AUTH_SERVICE_PROTOCOL";
    /// The client id this service introspects with (HTTP Basic, with [`CLIENT_SECRET`]).
    pub const CLIENT_ID: &str = "AUTH_SERVICE_CLIENT_ID";
    /// The client secret this service introspects with.
    pub const CLIENT_SECRET: &str = "AUTH_SERVICE_CLIENT_SECRET";
    /// A bearer token this service introspects with, instead of a client id and secret.
    pub const CLIENT_TOKEN: &str = "AUTH_SERVICE_CLIENT_TOKEN";
    /// An OpenID provider's issuer URL, whose discovery document gives the endpoint; read by
    /// [`AuthServiceBuilder::from_env_discovering`](crate::AuthServiceBuilder::from_env_discovering).
    pub const OIDC_ISSUER: &str = "AUTH_SERVICE_OIDC_ISSUER";
    /// The audience a token must have (`aud`).
    pub const EXPECT_AUDIENCE: &str = "AUTH_SERVICE_EXPECT_AUDIENCE";
    /// The issuer a token must have (`iss`).
    pub const EXPECT_ISSUER: &str = "AUTH_SERVICE_EXPECT_ISSUER";
    /// The clients a token must have been issued to (`client_id`), comma-separated.
    pub const EXPECT_CLIENT_IDS: &str = "AUTH_SERVICE_EXPECT_CLIENT_IDS";
    /// The timeout of one call, in milliseconds.
    pub const TIMEOUT_MS: &str = "AUTH_SERVICE_TIMEOUT_MS";
    /// A PEM file of root certificates to trust for an `https://` URL, besides the public
    /// roots: a private CA's; also trusted for OpenID discovery by `from_env_discovering`.
    pub const CA_FILE: &str = "AUTH_SERVICE_CA_FILE";
    /// The largest answer read, in bytes.
    pub const MAX_RESPONSE_BYTES: &str = "AUTH_SERVICE_MAX_RESPONSE_BYTES";
    /// The fields (or JSON pointers) that may hold the user's id, comma-separated; the first
    /// the answer has is used.
    pub const ID_FIELD: &str = "AUTH_SERVICE_ID_FIELD";
    /// Where the user's roles are, comma-separated [`RoleSource`](crate::RoleSource)s, as in
    /// `roles, /realm_access/roles, space_separated:scope, flag:is_superuser=admin`.
    pub const ROLE_FIELDS: &str = "AUTH_SERVICE_ROLE_FIELDS";
    /// The field (or JSON pointer) that holds the token's scopes.
    pub const SCOPE_FIELD: &str = "AUTH_SERVICE_SCOPE_FIELD";
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
    #[error("{0} is not set{hint}", hint = missing_hint(.0))]
    Missing(&'static str),
    /// The auth service URL is not an absolute `http://` or `https://` URL.
    #[error("invalid auth service URL `{url}`: {reason}")]
    InvalidUrl {
        /// The URL as given.
        url: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// An OpenID provider's discovery document could not be read or used.
    #[error("OpenID discovery of `{issuer}` failed: {reason}")]
    Discovery {
        /// The issuer as given.
        issuer: String,
        /// What went wrong.
        reason: String,
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
    /// For an `https://` URL.
    pub(crate) tls: Option<Tls>,
    pub(crate) protocol: Protocol,
    pub(crate) checks: AnswerChecks,
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
    root_certificates: Vec<Vec<u8>>,
    introspection: Option<ClientCredentials>,
    checks: AnswerChecks,
    timeout: Duration,
    max_response_bytes: usize,
    id_fields: Vec<String>,
    role_sources: Vec<RoleSource>,
    scope_field: String,
    error_body: Option<ErrorBody>,
    cache_ttl: Duration,
    cache_capacity: u64,
    negative_cache_ttl: Duration,
}

impl AuthServiceBuilder {
    pub(crate) fn new(url: String) -> Self {
        Self {
            url,
            root_certificates: Vec::new(),
            introspection: None,
            checks: AnswerChecks::default(),
            timeout: DEFAULT_TIMEOUT,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            id_fields: ["id", "sub", "username"].map(str::to_owned).to_vec(),
            role_sources: vec![RoleSource::field("role"), RoleSource::field("roles")],
            scope_field: "scope".to_owned(),
            error_body: None,
            cache_ttl: DEFAULT_CACHE_TTL,
            cache_capacity: DEFAULT_CACHE_CAPACITY,
            negative_cache_ttl: Duration::ZERO,
        }
    }

    /// A builder with every setting that the environment sets (see [`mod@env`]); the URL is
    /// required, the rest keep their defaults when unset.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_vars(env_var)
    }

    pub(crate) fn from_vars(var: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let url = var(env::URL).ok_or(ConfigError::Missing(env::URL))?;
        Self::new(url).with_vars(var)
    }

    /// Like [`from_env`](Self::from_env), but when `AUTH_SERVICE_OIDC_ISSUER` is set and
    /// `AUTH_SERVICE_URL` is not, the URL is the issuer's userinfo or introspection endpoint
    /// (after `AUTH_SERVICE_PROTOCOL`), read once from its discovery document; see
    /// [`OpenIdProvider::discover`](crate::OpenIdProvider::discover).
    pub async fn from_env_discovering() -> Result<Self, ConfigError> {
        Self::from_vars_discovering(env_var).await
    }

    pub(crate) async fn from_vars_discovering(
        var: impl Fn(&str) -> Option<String>,
    ) -> Result<Self, ConfigError> {
        let issuer = match (var(env::URL), var(env::OIDC_ISSUER)) {
            (None, Some(issuer)) => issuer,
            (Some(_), Some(issuer)) => {
                return Err(invalid(
                    env::OIDC_ISSUER,
                    &issuer,
                    "AUTH_SERVICE_URL is set too; set one of them",
                ));
            }
            (Some(url), None) => return Self::new(url).with_vars(var),
            (None, None) => return Err(ConfigError::Missing(env::URL)),
        };
        // Every other setting first: a mistake in them needs no network to be reported, and
        // the CA file is read once, for discovery and the service alike.
        let mut builder = Self::new(String::new()).with_vars(var)?;
        let provider =
            crate::OpenIdProvider::discover_trusting(&issuer, &builder.root_certificates).await?;
        builder.url = provider
            .endpoint_for(builder.introspection.is_some())?
            .to_owned();
        Ok(builder)
    }

    /// Every setting but the URL, from the environment.
    pub(crate) fn with_vars(
        mut self,
        var: impl Fn(&str) -> Option<String>,
    ) -> Result<Self, ConfigError> {
        let builder = &mut self;
        let credentials = (
            var(env::CLIENT_ID),
            var(env::CLIENT_SECRET),
            var(env::CLIENT_TOKEN),
        );
        match var(env::PROTOCOL).as_deref().map(str::trim) {
            None | Some("userinfo") => {
                if credentials != (None, None, None) {
                    return Err(invalid(
                        env::PROTOCOL,
                        "userinfo",
                        "client credentials are set; they are only for \
                         AUTH_SERVICE_PROTOCOL=introspection",
                    ));
                }
            }
            Some("introspection") => {
                builder.introspection = Some(match credentials {
                    (Some(id), Some(secret), None) => ClientCredentials::basic(id, secret),
                    (None, None, Some(token)) => ClientCredentials::bearer(token),
                    (Some(_), None, None) => return Err(ConfigError::Missing(env::CLIENT_SECRET)),
                    (None, None, None) | (None, Some(_), None) => {
                        return Err(ConfigError::Missing(env::CLIENT_ID));
                    }
                    (_, _, Some(_)) => {
                        return Err(invalid(
                            env::CLIENT_TOKEN,
                            "(not shown)",
                            "set either a client id and secret or a client token, not both",
                        ));
                    }
                });
            }
            Some(other) => {
                return Err(invalid(
                    env::PROTOCOL,
                    other,
                    "expected `userinfo` or `introspection`",
                ));
            }
        }
        if let Some(path) = var(env::CA_FILE) {
            let pem = std::fs::read(&path)
                .map_err(|error| invalid(env::CA_FILE, &path, &error.to_string()))?;
            crate::tls::check_roots(&pem)
                .map_err(|error| invalid(env::CA_FILE, &path, &error.to_string()))?;
            builder.root_certificates.push(pem);
        }
        builder.checks.audience = var(env::EXPECT_AUDIENCE);
        builder.checks.issuer = var(env::EXPECT_ISSUER);
        if let Some(value) = var(env::EXPECT_CLIENT_IDS) {
            builder.checks.client_ids = Some(comma_separated(&value).map(str::to_owned).collect());
        }
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
            builder.id_fields = comma_separated(&value).map(str::to_owned).collect();
        }
        if let Some(value) = var(env::ROLE_FIELDS) {
            builder.role_sources = comma_separated(&value)
                .map(str::parse)
                .collect::<Result<_, _>>()?;
        }
        if let Some(value) = var(env::SCOPE_FIELD) {
            builder.scope_field = value;
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
        Ok(self)
    }

    /// Asks by OAuth2 Token Introspection (RFC 7662) instead of userinfo: the URL is then the
    /// introspection endpoint, called as `POST` with the form
    /// `token=<token>&token_type_hint=access_token` and this service's own `credentials`.
    ///
    /// An answer of `"active": false` is an invalid token (401). A 400, 401 or 403 from the
    /// endpoint means it refused *these credentials*, not the caller's token: that is a
    /// configuration error, logged as one at `error` level, and the request gets 502. An
    /// answer's `exp` limits how long it is cached, and one in the past is refused.
    pub fn introspection(mut self, credentials: ClientCredentials) -> Self {
        self.introspection = Some(credentials);
        self
    }

    /// Also trusts the root certificates in `pem` (one or more PEM `CERTIFICATE` blocks) for
    /// an `https://` URL, as for an auth service behind a private CA. The public web roots
    /// (Mozilla's, from `webpki-roots`) are always trusted.
    pub fn add_root_certificates(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.root_certificates.push(pem.into());
        self
    }

    /// Requires the answer's `aud` (a string, or an array of strings) to hold `audience`;
    /// otherwise the token is invalid here (401). Off by default.
    pub fn expect_audience(mut self, audience: impl Into<String>) -> Self {
        self.checks.audience = Some(audience.into());
        self
    }

    /// Requires the answer's `iss` to be exactly `issuer`; otherwise 401. Off by default.
    pub fn expect_issuer(mut self, issuer: impl Into<String>) -> Self {
        self.checks.issuer = Some(issuer.into());
        self
    }

    /// Requires the answer's `client_id` (the client the token was issued to) to be one of
    /// `client_ids`; otherwise 401. Off by default; an empty list is a configuration error,
    /// not "any client".
    pub fn expect_client_ids<S: Into<String>>(
        mut self,
        client_ids: impl IntoIterator<Item = S>,
    ) -> Self {
        self.checks.client_ids = Some(client_ids.into_iter().map(Into::into).collect());
        self
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

    /// The one field of the answer that holds the user's id, or a JSON pointer such as
    /// `/user/id`. By default the id is the first of `id`, `sub` (OIDC) and `username` that the
    /// answer has. Integer and string ids alike; an answer without one is an auth-service
    /// failure (502), never an anonymous user.
    pub fn id_field(self, field: impl Into<String>) -> Self {
        self.id_fields([field])
    }

    /// Fields that may hold the user's id, the first present being used; see
    /// [`id_field`](Self::id_field).
    pub fn id_fields<S: Into<String>>(mut self, fields: impl IntoIterator<Item = S>) -> Self {
        self.id_fields = fields.into_iter().map(Into::into).collect();
        self
    }

    /// The fields of the answer that hold the user's roles, each a name or a JSON pointer;
    /// each may hold one role as a string or several as an array of strings, and all are
    /// combined. Default: `role` and `roles`. Shorthand for [`roles_from`](Self::roles_from)
    /// with [`RoleSource::field`]s.
    pub fn role_fields<S: Into<String>>(self, fields: impl IntoIterator<Item = S>) -> Self {
        self.roles_from(fields.into_iter().map(RoleSource::field))
    }

    /// Where the user's roles are: any mix of fields, space-separated fields and flags; the
    /// roles of all are combined. Replaces the default (`role` and `roles`).
    ///
    /// ```
    /// use actix_authorize::{AuthService, RoleSource};
    ///
    /// // A Django user service: superusers are admins, groups are roles.
    /// let auth = AuthService::builder("http://127.0.0.1:8000/o/userinfo/")
    ///     .roles_from([
    ///         RoleSource::field("groups"),
    ///         RoleSource::flag("is_superuser", "admin"),
    ///     ])
    ///     .build()?;
    /// let user = auth.user_from_answer(br#"{"sub": "1", "is_superuser": true, "groups": []}"#)?;
    /// assert!(user.has_role("admin"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn roles_from(mut self, sources: impl IntoIterator<Item = RoleSource>) -> Self {
        self.role_sources = sources.into_iter().collect();
        self
    }

    /// The field (or JSON pointer) that holds the token's OAuth2 scopes, as one
    /// space-separated string or an array of strings; `#[authorize(scopes = [..])]` checks
    /// them. Default: `scope`, as in RFC 7662 and most providers (some use `scp`).
    pub fn scope_field(mut self, field: impl Into<String>) -> Self {
        self.scope_field = field.into();
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
        let tls = if url.scheme_str() == Some("https") {
            if url.host().is_some_and(|host| host.starts_with('[')) {
                return Err(ConfigError::InvalidUrl {
                    url: self.url.clone(),
                    reason: "https to an IPv6 address is not supported; use a host name",
                });
            }
            Some(Tls::new(&self.root_certificates)?)
        } else if !self.root_certificates.is_empty() {
            return Err(invalid(
                "root certificate",
                "(PEM)",
                "root certificates are given but the URL is not https",
            ));
        } else {
            None
        };
        if self.timeout.is_zero() {
            return Err(invalid("timeout", "0", "must be longer than zero"));
        }
        if self.max_response_bytes == 0 {
            return Err(invalid("max_response_bytes", "0", "must be at least 1"));
        }
        if self.id_fields.is_empty() {
            return Err(invalid("id field", "", "name at least one field"));
        }
        let id = self
            .id_fields
            .iter()
            .map(|field| Field::parse(field).map_err(|reason| invalid("id field", field, &reason)))
            .collect::<Result<_, _>>()?;
        let roles = self
            .role_sources
            .iter()
            .map(RoleSource::compile)
            .collect::<Result<_, _>>()?;
        let scopes = Field::parse(&self.scope_field)
            .map_err(|reason| invalid("scope field", &self.scope_field, &reason))?;
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
        let protocol = match &self.introspection {
            None => Protocol::UserInfo,
            Some(credentials) => Protocol::Introspection {
                authorization: credentials.authorization()?,
            },
        };
        let checks = AnswerChecks {
            require_active: self.introspection.is_some(),
            ..self.checks
        };
        check_expected("expected audience", checks.audience.as_slice())?;
        check_expected("expected issuer", checks.issuer.as_slice())?;
        if let Some(client_ids) = &checks.client_ids {
            if client_ids.is_empty() {
                return Err(invalid(
                    "expected client ids",
                    "",
                    "name at least one client",
                ));
            }
            check_expected("expected client id", client_ids)?;
        }
        Ok(AuthService::from_config(Config {
            url,
            tls,
            protocol,
            checks,
            timeout: self.timeout,
            max_response_bytes: self.max_response_bytes,
            mapping: IdentityMapping::new(id, roles, scopes),
            error_body: self.error_body,
            cache,
        }))
    }
}

impl fmt::Debug for AuthServiceBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthServiceBuilder")
            .field("url", &self.url)
            .field("root_certificates", &self.root_certificates.len())
            .field("introspection", &self.introspection)
            .field("checks", &self.checks)
            .field("timeout", &self.timeout)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("id_fields", &self.id_fields)
            .field("role_sources", &self.role_sources)
            .field("scope_field", &self.scope_field)
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
        Some("http" | "https") => {}
        Some(_) => return Err(fail("the scheme must be http or https")),
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

/// An expected value must be usable as given: a blank or padded one would match nothing, or
/// something unintended.
fn check_expected(setting: &'static str, values: &[String]) -> Result<(), ConfigError> {
    for value in values {
        if value.is_empty() || value.trim() != value {
            return Err(invalid(
                setting,
                value,
                "cannot be empty or start or end with whitespace",
            ));
        }
    }
    Ok(())
}

fn missing_hint(variable: &str) -> &'static str {
    match variable {
        env::URL => {
            "; it must hold the auth service's URL, such as http://127.0.0.1:8001/users/me \
             (or set AUTH_SERVICE_OIDC_ISSUER and use from_env_discovering)"
        }
        env::CLIENT_ID => {
            "; introspection needs this service's client id and secret, or AUTH_SERVICE_CLIENT_TOKEN"
        }
        _ => "",
    }
}

fn comma_separated(value: &str) -> impl Iterator<Item = &str> {
    value.split(',').map(str::trim)
}

fn parse_number(setting: &'static str, value: &str) -> Result<u64, ConfigError> {
    value
        .trim()
        .parse()
        .map_err(|_| invalid(setting, value, "expected a whole number"))
}

/// A variable of the process's environment, as text.
fn env_var(name: &str) -> Option<String> {
    std::env::var_os(name).map(|value| value.to_string_lossy().into_owned())
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
            (
                env::ROLE_FIELDS,
                "groups, /realm_access/roles, flag:is_staff=staff",
            ),
            (env::SCOPE_FIELD, "scp"),
            (env::CACHE_TTL_MS, "5000"),
            (env::CACHE_CAPACITY, "10"),
            (env::NEGATIVE_CACHE_TTL_MS, "1000"),
        ])
        .unwrap();
        assert_eq!(builder.timeout, Duration::from_millis(250));
        assert_eq!(builder.max_response_bytes, 1024);
        assert_eq!(builder.id_fields, ["sub"]);
        assert_eq!(
            builder.role_sources,
            [
                RoleSource::field("groups"),
                RoleSource::field("/realm_access/roles"),
                RoleSource::flag("is_staff", "staff")
            ]
        );
        assert_eq!(builder.scope_field, "scp");
        assert_eq!(builder.cache_ttl, Duration::from_secs(5));
        assert_eq!(builder.cache_capacity, 10);
        assert_eq!(builder.negative_cache_ttl, Duration::from_secs(1));
        assert!(builder.build().is_ok());
    }

    #[test]
    fn the_environment_chooses_introspection_and_its_checks() {
        let url = (env::URL, "http://127.0.0.1:3000/token/introspection");
        let builder = from_vars(&[
            url,
            (env::PROTOCOL, "introspection"),
            (env::CLIENT_ID, "api"),
            (env::CLIENT_SECRET, "secret"),
            (env::EXPECT_AUDIENCE, "orders"),
            (env::EXPECT_ISSUER, "http://127.0.0.1:3000"),
            (env::EXPECT_CLIENT_IDS, "web, cli"),
        ])
        .unwrap();
        assert_eq!(
            format!("{:?}", builder.introspection),
            r#"Some(ClientCredentials::Basic { client_id: "api", .. })"#
        );
        assert_eq!(builder.checks.audience.as_deref(), Some("orders"));
        assert_eq!(
            builder.checks.client_ids,
            Some(vec!["web".to_owned(), "cli".to_owned()])
        );
        let auth = builder.build().unwrap();
        assert!(format!("{auth:?}").contains("introspection"));

        let token = from_vars(&[
            url,
            (env::PROTOCOL, "introspection"),
            (env::CLIENT_TOKEN, "svc-token"),
        ])
        .unwrap();
        assert_eq!(
            format!("{:?}", token.introspection),
            "Some(ClientCredentials::Bearer(..))"
        );
        for (vars, error) in [
            (
                vec![(env::PROTOCOL, "introspection")],
                "AUTH_SERVICE_CLIENT_ID is not set",
            ),
            (
                vec![(env::PROTOCOL, "introspection"), (env::CLIENT_ID, "api")],
                "AUTH_SERVICE_CLIENT_SECRET is not set",
            ),
            (
                vec![(env::CLIENT_ID, "api"), (env::CLIENT_SECRET, "hunter2")],
                "invalid AUTH_SERVICE_PROTOCOL `userinfo`: client credentials are set",
            ),
            (
                vec![
                    (env::PROTOCOL, "introspection"),
                    (env::CLIENT_ID, "api"),
                    (env::CLIENT_SECRET, "hunter2"),
                    (env::CLIENT_TOKEN, "svc-token"),
                ],
                "invalid AUTH_SERVICE_CLIENT_TOKEN `(not shown)`: set either",
            ),
            (
                vec![(env::PROTOCOL, "introspection"), (env::CLIENT_SECRET, "s")],
                "AUTH_SERVICE_CLIENT_ID is not set",
            ),
            (
                vec![(env::EXPECT_CLIENT_IDS, "web,")],
                "invalid expected client id ``",
            ),
            (
                vec![(env::EXPECT_AUDIENCE, " orders")],
                "invalid expected audience ` orders`",
            ),
            (
                vec![(env::PROTOCOL, "graphql")],
                "invalid AUTH_SERVICE_PROTOCOL `graphql`: expected `userinfo` or `introspection`",
            ),
        ] {
            let vars: Vec<_> = std::iter::once(url).chain(vars).collect();
            let got = from_vars(&vars)
                .and_then(AuthServiceBuilder::build)
                .unwrap_err()
                .to_string();
            assert!(got.starts_with(error), "{got}");
            assert!(
                !got.contains("hunter2") && !got.contains("svc-token"),
                "{got}"
            );
        }
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
            ("ftp://host/users/me", "the scheme must be http or https"),
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
                .is_ok()
        );
        let not_pem = AuthService::builder("https://auth.internal/me")
            .add_root_certificates("not a certificate")
            .build()
            .unwrap_err();
        assert!(
            not_pem.to_string().contains("no PEM certificate"),
            "{not_pem}"
        );
    }

    #[test]
    fn zero_limits_and_empty_fields_are_refused() {
        let builder = || AuthService::builder("http://127.0.0.1:1/me");
        assert!(builder().timeout(Duration::ZERO).build().is_err());
        assert!(builder().max_response_bytes(0).build().is_err());
        assert!(builder().id_field("").build().is_err());
        assert!(builder().role_fields(["roles", ""]).build().is_err());
        assert!(builder().id_fields(Vec::<String>::new()).build().is_err());
        assert!(
            builder()
                .expect_client_ids(Vec::<String>::new())
                .build()
                .is_err()
        );
        assert!(builder().expect_issuer("").build().is_err());
        assert!(builder().scope_field(" ").build().is_err());
        assert!(
            builder()
                .roles_from([RoleSource::flag("is_superuser", "")])
                .build()
                .is_err()
        );
        assert!("flag:is_superuser".parse::<RoleSource>().is_err());
        assert!(from_vars(&[(env::URL, "http://a/"), (env::ROLE_FIELDS, "flag:x")]).is_err());
        assert!(builder().cache_capacity(0).build().is_err());
        assert!(builder().cache_capacity(0).without_cache().build().is_ok());
    }

    /// A CA certificate for these tests (made once with openssl; its key was not kept).
    const TEST_CA: &str = "-----BEGIN CERTIFICATE-----
MIIBmzCCAUGgAwIBAgIUMUvJoTlguXMeoL3Yzak3bZY5A64wCgYIKoZIzj0EAwIw
IjEgMB4GA1UEAwwXYWN0aXgtYXV0aG9yaXplLXRlc3QtY2EwIBcNMjYxMjA0MjI1
NTUxWhgPMjEyNjExMTAyMjU1NTFaMCIxIDAeBgNVBAMMF2FjdGl4LWF1dGhvcml6
ZS10ZXN0LWNhMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEC9NHV6d/IrsQspsX
kMEKpiTRwFM/+lYlJzUoZ6hxRpKLSHdfvoRNZeykCLrLBI6698eh9i0oTJIDQfGY
U/d7o6NTMFEwHQYDVR0OBBYEFGxi6cHTe6ZL1MuY2cOWkVQ5mK6mMB8GA1UdIwQY
MBaAFGxi6cHTe6ZL1MuY2cOWkVQ5mK6mMA8GA1UdEwEB/wQFMAMBAf8wCgYIKoZI
zj0EAwIDSAAwRQIgUKX7Z6FTTfBtE+ZOrb75FqknXlu/Veqaem2ORKhqmVQCIQDs
rW4/8jgwtKl5Cj1SsUGGvlU0WXawUsFNFaTkkbYrag==
-----END CERTIFICATE-----
";

    #[test]
    fn the_ca_file_is_trusted_and_a_bad_one_is_named() {
        let dir = std::env::temp_dir().join(format!("actix-authorize-ca-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let (good, key) = (dir.join("ca.pem"), dir.join("key.pem"));
        std::fs::write(&good, TEST_CA).unwrap();
        std::fs::write(
            &key,
            "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
        )
        .unwrap();
        let url = (env::URL, "https://127.0.0.1:1/users/me");
        let builder = from_vars(&[url, (env::CA_FILE, good.to_str().unwrap())]).unwrap();
        assert_eq!(builder.root_certificates, [TEST_CA.as_bytes()]);
        assert!(builder.build().is_ok());
        let missing = dir.join("missing.pem");
        for path in [missing.as_path(), key.as_path()] {
            let path = path.to_str().unwrap();
            let error = from_vars(&[url, (env::CA_FILE, path)])
                .unwrap_err()
                .to_string();
            assert!(
                error.contains(env::CA_FILE) && error.contains(path),
                "{error}"
            );
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// Serves an OpenID discovery document naming `/userinfo` and `/introspect`, to `answers`
    /// requests at most; its issuer.
    fn serve_discovery(answers: usize) -> String {
        use std::io::{BufRead, BufReader, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let issuer = format!("http://{}", listener.local_addr().unwrap());
        let body = format!(
            r#"{{"issuer": "{issuer}", "userinfo_endpoint": "{issuer}/userinfo",
                "introspection_endpoint": "{issuer}/introspect"}}"#
        );
        std::thread::spawn(move || {
            for stream in listener.incoming().take(answers) {
                let mut stream = stream.unwrap();
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut line = String::new();
                while reader.read_line(&mut line).unwrap() > 2 {
                    line.clear();
                }
                write!(
                    stream,
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\
                     content-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                )
                .unwrap();
            }
        });
        issuer
    }

    async fn discovering(vars: &[(&str, &str)]) -> Result<AuthServiceBuilder, ConfigError> {
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
            .collect();
        AuthServiceBuilder::from_vars_discovering(|name| vars.get(name).cloned()).await
    }

    #[actix_web::test]
    async fn the_environment_can_name_an_issuer_instead_of_a_url() {
        let issuer = serve_discovery(2);
        let builder = discovering(&[(env::OIDC_ISSUER, &issuer)]).await.unwrap();
        assert_eq!(builder.url, format!("{issuer}/userinfo"));
        let builder = discovering(&[
            (env::OIDC_ISSUER, &issuer),
            (env::PROTOCOL, "introspection"),
            (env::CLIENT_ID, "api"),
            (env::CLIENT_SECRET, "secret"),
        ])
        .await
        .unwrap();
        assert_eq!(builder.url, format!("{issuer}/introspect"));
        assert!(builder.introspection.is_some());

        let both = discovering(&[
            (env::URL, "http://127.0.0.1:1/"),
            (env::OIDC_ISSUER, &issuer),
        ])
        .await
        .unwrap_err();
        assert!(both.to_string().contains("set one of them"), "{both}");
        assert!(matches!(
            discovering(&[]).await,
            Err(ConfigError::Missing(env::URL))
        ));
        let url_only = discovering(&[
            (env::URL, "http://127.0.0.1:1/me"),
            (env::TIMEOUT_MS, "250"),
        ])
        .await
        .unwrap();
        assert_eq!(
            (url_only.url.as_str(), url_only.timeout),
            ("http://127.0.0.1:1/me", Duration::from_millis(250))
        );
    }
}
