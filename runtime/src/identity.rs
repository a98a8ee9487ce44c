//! Who is calling: found once per request, however many extractors ask.

use actix_web::{HttpMessage, HttpRequest};
use futures_util::FutureExt;
use futures_util::future::{LocalBoxFuture, Shared};

use crate::{AuthError, AuthService, BearerToken, User};

/// The auth-service call of this request, shared by everything in it that asks. actix-web
/// polls a handler's extractors together, so a plain "already looked up" flag would still
/// let two of them call the auth service.
#[derive(Clone)]
struct PendingUser(Shared<LocalBoxFuture<'static, Result<User, AuthError>>>);

/// The caller, or `None` when the request carries no bearer credentials.
pub(crate) async fn identify(request: &HttpRequest) -> Result<Option<User>, actix_web::Error> {
    let Some(service) = AuthService::of(request) else {
        tracing::error!(
            path = request.path(),
            "no AuthService in app_data: add one with App::app_data; refusing the request"
        );
        return Err(AuthError::NotConfigured.into());
    };
    let pending = request.extensions().get::<PendingUser>().cloned();
    let pending = match pending {
        Some(pending) => pending,
        None => {
            let token = match BearerToken::from_headers(request.headers()) {
                Ok(Some(token)) => token,
                Ok(None) => return Ok(None),
                Err(error) => {
                    tracing::debug!(path = request.path(), %error, "refused");
                    return Err(service.refuse(error));
                }
            };
            let service_for_call = service.clone();
            let call = async move { service_for_call.authenticate(&token).await };
            let pending = PendingUser(call.boxed_local().shared());
            request.extensions_mut().insert(pending.clone());
            pending
        }
    };
    match pending.0.await {
        Ok(user) => {
            let mut extensions = request.extensions_mut();
            if !extensions.contains::<User>() {
                extensions.insert(user.clone());
            }
            Ok(Some(user))
        }
        Err(error) => Err(service.refuse(error)),
    }
}

/// `error` as a response, rendered as the request's [`AuthService`] says.
pub(crate) fn refuse(request: &HttpRequest, error: AuthError) -> actix_web::Error {
    match AuthService::of(request) {
        Some(service) => service.refuse(error),
        None => error.into(),
    }
}
