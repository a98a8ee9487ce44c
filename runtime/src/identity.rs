//! Who is calling: found once per request, however many extractors ask.

use actix_web::{HttpMessage, HttpRequest};
use futures_util::FutureExt;
use futures_util::future::{LocalBoxFuture, Shared};

use crate::{AuthError, AuthService, User, bearer};

/// The uncached auth-service call of this request, shared by everything in it that asks.
/// actix-web polls a handler's extractors together, so a plain "already looked up" flag would
/// still let two of them call the auth service. (With the cache, its single flight does this.)
#[derive(Clone)]
struct PendingUser(Shared<LocalBoxFuture<'static, Result<User, AuthError>>>);

/// The user this request's [`AuthService`] found, kept for the other extractors of the
/// request. Private, so that only a lookup by that same service is ever reused: a `User` that
/// a middleware put in the extensions, or one found by the service of another scope, is not.
#[derive(Clone)]
struct Found {
    service: usize,
    user: User,
}

/// Whether anything else in the request may ask for the caller at the same time.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Askers {
    /// Extractors, which actix-web polls together.
    Concurrent,
    /// `#[authorize]`, which decides before any extractor runs: nothing to share the call with.
    Alone,
}

/// The caller, or `None` when the request carries no bearer credentials.
pub(crate) async fn identify(
    request: &HttpRequest,
    askers: Askers,
) -> Result<Option<User>, actix_web::Error> {
    let Some(service) = AuthService::of(request) else {
        tracing::error!(
            path = request.path(),
            "no AuthService in app_data: add one with App::app_data; refusing the request"
        );
        return Err(AuthError::NotConfigured.into());
    };
    let token = match bearer::credentials(request.headers()) {
        Ok(Some(token)) => token,
        Ok(None) => return Ok(None),
        Err(error) => {
            tracing::debug!(path = request.path(), %error, "refused");
            return Err(service.refuse(error));
        }
    };
    if let Some(found) = request.extensions().get::<Found>()
        && found.service == service.identity()
    {
        return Ok(Some(found.user.clone()));
    }
    let found = if service.is_caching() || askers == Askers::Alone {
        service.identify(token).await
    } else {
        shared_call(request, service, token).await
    };
    match found {
        Ok(user) => {
            let mut extensions = request.extensions_mut();
            extensions.insert(Found {
                service: service.identity(),
                user: user.clone(),
            });
            // For `web::ReqData<User>`.
            extensions.insert(user.clone());
            Ok(Some(user))
        }
        Err(error) => Err(service.refuse(error)),
    }
}

async fn shared_call(
    request: &HttpRequest,
    service: &AuthService,
    token: &str,
) -> Result<User, AuthError> {
    let pending = request.extensions().get::<PendingUser>().cloned();
    let pending = pending.unwrap_or_else(|| {
        let service = service.clone();
        let token = token.to_owned();
        let call = async move { service.identify(&token).await };
        let pending = PendingUser(call.boxed_local().shared());
        request.extensions_mut().insert(pending.clone());
        pending
    });
    pending.0.await
}

/// `error` as a response, rendered as the request's [`AuthService`] says.
pub(crate) fn refuse(request: &HttpRequest, error: AuthError) -> actix_web::Error {
    match AuthService::of(request) {
        Some(service) => service.refuse(error),
        None => error.into(),
    }
}
