//! Extractors for the caller: [`CurrentUser`] requires one, [`MaybeUser`] does not.

use std::ops::Deref;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest};
use futures_util::future::LocalBoxFuture;

use crate::identity::{Askers, identify, refuse};
use crate::{AuthError, User};

/// The authenticated caller; a request without bearer credentials is refused with 401.
///
/// It checks no role: use `#[authorize]` for that, which also decides before any other
/// extractor of the handler runs. Taking it in an `#[authorize]` handler costs nothing more:
/// the auth service is asked once per request.
///
/// ```
/// use actix_authorize::CurrentUser;
/// use actix_web::get;
///
/// #[get("/me")]
/// async fn me(user: CurrentUser) -> String {
///     format!("hello, {}", user.id())
/// }
/// ```
#[derive(Debug, Clone)]
pub struct CurrentUser(pub User);

impl CurrentUser {
    /// The user inside.
    pub fn into_inner(self) -> User {
        self.0
    }
}

impl Deref for CurrentUser {
    type Target = User;

    fn deref(&self) -> &User {
        &self.0
    }
}

impl FromRequest for CurrentUser {
    type Error = actix_web::Error;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(request: &HttpRequest, _: &mut Payload) -> Self::Future {
        let request = request.clone();
        Box::pin(async move {
            match identify(&request, Askers::Concurrent).await? {
                Some(user) => Ok(Self(user)),
                None => Err(refuse(&request, AuthError::MissingCredentials)),
            }
        })
    }
}

/// The caller if they sent bearer credentials, else `None`: the `auto_error=False` of
/// FastAPI's `HTTPBearer`.
///
/// Only missing credentials give `None`. A malformed header (400), a token the auth service
/// rejects (401) and an auth service that fails (502/503) are still refused, which a plain
/// `Option<CurrentUser>` would hide as "anonymous".
///
/// ```
/// use actix_authorize::MaybeUser;
/// use actix_web::get;
///
/// #[get("/greeting")]
/// async fn greeting(user: MaybeUser) -> String {
///     match user.as_ref() {
///         Some(user) => format!("hello, {}", user.id()),
///         None => "hello, stranger".to_owned(),
///     }
/// }
/// ```
#[derive(Debug, Clone)]
pub struct MaybeUser(pub Option<User>);

impl MaybeUser {
    /// The user inside, if any.
    pub fn into_inner(self) -> Option<User> {
        self.0
    }
}

impl Deref for MaybeUser {
    type Target = Option<User>;

    fn deref(&self) -> &Option<User> {
        &self.0
    }
}

impl FromRequest for MaybeUser {
    type Error = actix_web::Error;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(request: &HttpRequest, _: &mut Payload) -> Self::Future {
        let request = request.clone();
        Box::pin(async move { identify(&request, Askers::Concurrent).await.map(Self) })
    }
}
