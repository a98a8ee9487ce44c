//! [`AuthService`]: the handle on the auth service that applications put in `app_data`.

use std::fmt;
use std::sync::Arc;

use actix_web::HttpRequest;
use actix_web::error::InternalError;
use actix_web::web::Data;

use crate::config::Config;
use crate::{AuthError, AuthServiceBuilder, BearerToken, ConfigError, User, client};

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
pub struct AuthService(Arc<Config>);

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

    pub(crate) fn from_config(config: Config) -> Self {
        Self(Arc::new(config))
    }

    /// Asks the auth service who `token` belongs to.
    ///
    /// The extractors and `#[authorize]` call this for you, at most once per request; call it
    /// yourself where there is no request, such as for a token that arrives in a message.
    pub async fn authenticate(&self, token: &BearerToken) -> Result<User, AuthError> {
        client::fetch_user(&self.0, token.as_str()).await
    }

    /// The service in a request's `app_data`, given plainly or as `web::Data`.
    pub(crate) fn of(request: &HttpRequest) -> Option<&Self> {
        request
            .app_data::<Self>()
            .or_else(|| request.app_data::<Data<Self>>().map(Data::get_ref))
    }

    /// `error` as a response, with the application's error body if it set one.
    pub(crate) fn refuse(&self, error: AuthError) -> actix_web::Error {
        match &self.0.error_body {
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
        f.debug_struct("AuthService")
            .field("url", &self.0.url)
            .field("timeout", &self.0.timeout)
            .field("max_response_bytes", &self.0.max_response_bytes)
            .finish_non_exhaustive()
    }
}
