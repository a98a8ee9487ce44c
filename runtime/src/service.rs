//! [`AuthService`]: the handle on the auth service that applications put in `app_data`.

use std::fmt;
use std::sync::Arc;
use std::time::SystemTime;

use actix_web::HttpRequest;
use actix_web::error::InternalError;
use actix_web::web::Data;

use crate::cache::{Fetched, IdentityCache, Lookup, TokenDigest};
use crate::checks::{self, Reading};
use crate::config::Config;
use crate::mapping::InvalidAnswer;
use crate::{AuthError, AuthServiceBuilder, BearerToken, ConfigError, User, client, lifetime};

/// The auth service that tells who a bearer token belongs to.
///
/// Put one in the application's `app_data` (plainly or as `web::Data<AuthService>`); every
/// `#[authorize]` handler and every [`CurrentUser`](crate::CurrentUser) or
/// [`MaybeUser`](crate::MaybeUser) extractor below it uses it. Cloning is cheap, and each
/// worker thread keeps its own pool of connections to the service.
///
/// ```no_run
/// use actix_authorize::AuthService;
/// use actix_web::{App, HttpServer};
///
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// let auth = AuthService::builder("http://127.0.0.1:8001/users/me").build()?;
/// HttpServer::new(move || App::new().app_data(auth.clone()))
///     .bind(("127.0.0.1", 8000))?
///     .run()
///     .await?;
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct AuthService(Arc<Inner>);

struct Inner {
    config: Config,
    /// Shared by every worker: a token found by one is found by all.
    cache: Option<IdentityCache>,
}

impl AuthService {
    /// Settings for the auth service whose "who am I" endpoint is `url`, such as
    /// `http://127.0.0.1:8001/users/me`.
    pub fn builder(url: impl Into<String>) -> AuthServiceBuilder {
        AuthServiceBuilder::new(url.into())
    }

    /// The service the environment describes (see [`crate::env`]).
    pub fn from_env() -> Result<Self, ConfigError> {
        AuthServiceBuilder::from_env()?.build()
    }

    /// The service the environment describes, finding the endpoint by OpenID discovery when
    /// `AUTH_SERVICE_OIDC_ISSUER` is set (see
    /// [`AuthServiceBuilder::from_env_discovering`]).
    pub async fn from_env_discovering() -> Result<Self, ConfigError> {
        AuthServiceBuilder::from_env_discovering().await?.build()
    }

    pub(crate) fn from_config(config: Config) -> Self {
        let cache = config.cache.map(IdentityCache::new);
        Self(Arc::new(Inner { config, cache }))
    }

    /// Who `token` belongs to, from the cache or else from the auth service.
    ///
    /// The extractors and `#[authorize]` call this for you, at most once per request; call it
    /// yourself where there is no request, such as for a token that arrives in a message.
    /// Like every awc call, it must run on an actix runtime (inside actix-web, or
    /// `actix_web::rt::System`).
    pub async fn authenticate(&self, token: &BearerToken) -> Result<User, AuthError> {
        self.identify(token.as_str()).await
    }

    pub(crate) async fn identify(&self, token: &str) -> Result<User, AuthError> {
        let Some(cache) = &self.0.cache else {
            return Box::pin(self.fetch(token))
                .await
                .map(|fetched| fetched.user);
        };
        let digest = match cache.get(token).await {
            Lookup::Found(found) => return found,
            Lookup::Missing(digest) => digest,
        };
        // Boxed: the call's future is large, and a cache hit should not carry it around.
        Box::pin(cache.fetch_once(digest, self.fetch(token))).await
    }

    async fn fetch(&self, token: &str) -> Result<Fetched, AuthError> {
        let mut fetched = client::fetch_user(&self.0.config, token).await?;
        let token_remaining = lifetime::jwt_remaining(token, SystemTime::now());
        fetched.max_age = lifetime::shortest([fetched.max_age, token_remaining]);
        Ok(fetched)
    }

    /// The user an auth-service answer describes, read with this service's field mapping and
    /// checked as a 200 from the auth service would be (`active`, `exp`, `nbf`, token type,
    /// audience, issuer, client). Useful to try a mapping on a real answer.
    ///
    /// ```
    /// # use actix_authorize::AuthService;
    /// let keycloak = AuthService::builder("http://127.0.0.1:8080/userinfo")
    ///     .id_field("sub")
    ///     .role_fields(["/realm_access/roles"])
    ///     .build()?;
    /// let user = keycloak
    ///     .user_from_answer(br#"{"sub": "f3a1", "realm_access": {"roles": ["admin"]}}"#)?;
    /// assert_eq!(user.id(), "f3a1");
    /// assert!(user.has_role("admin"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn user_from_answer(&self, answer: &[u8]) -> Result<User, InvalidAnswer> {
        let config = &self.0.config;
        match checks::read_checked(&config.mapping, &config.checks, answer, SystemTime::now())? {
            Reading::User(user, _) => Ok(user),
            Reading::Refused(reason) => Err(InvalidAnswer(format!(
                "the answer refuses the token: {reason}"
            ))),
        }
    }

    /// Tells services apart for as long as this one lives.
    pub(crate) fn identity(&self) -> usize {
        Arc::as_ptr(&self.0) as usize
    }

    /// Whether found users are cached (see [`AuthServiceBuilder::cache_ttl`]).
    pub fn is_caching(&self) -> bool {
        self.0.cache.is_some()
    }

    /// Forgets what the cache holds for `token`, as when it is revoked: its next request asks
    /// the auth service again.
    pub async fn evict(&self, token: &BearerToken) {
        if let Some(cache) = &self.0.cache {
            cache.evict(&TokenDigest::of(token.as_str())).await;
        }
    }

    /// Forgets every cached user.
    pub fn clear_cache(&self) {
        if let Some(cache) = &self.0.cache {
            cache.clear();
        }
    }

    /// How many tokens the cache holds now.
    pub async fn cached_tokens(&self) -> u64 {
        match &self.0.cache {
            Some(cache) => cache.len().await,
            None => 0,
        }
    }

    /// The service in a request's `app_data`, given plainly or as `web::Data`.
    pub(crate) fn of(request: &HttpRequest) -> Option<&Self> {
        request
            .app_data::<Self>()
            .or_else(|| request.app_data::<Data<Self>>().map(Data::get_ref))
    }

    /// `error` as a response, with the application's error body if it set one.
    pub(crate) fn refuse(&self, error: AuthError) -> actix_web::Error {
        match &self.0.config.error_body {
            Some(render) => {
                let response = error.response_with(&render(&error));
                InternalError::from_response(error, response).into()
            }
            None => error.into(),
        }
    }
}

impl fmt::Debug for AuthService {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let config = &self.0.config;
        f.debug_struct("AuthService")
            .field("url", &config.url)
            .field("protocol", &config.protocol)
            .field("timeout", &config.timeout)
            .field("max_response_bytes", &config.max_response_bytes)
            .field("cache", &config.cache)
            .finish_non_exhaustive()
    }
}
