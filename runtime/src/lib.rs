//! Role and owner checks for [actix-web](https://actix.rs) handlers, decided by a central
//! authentication service.
//!
//! A caller sends `Authorization: Bearer <token>`. Before a protected handler runs, the token
//! is sent to your auth service (its userinfo endpoint with the same header, or its RFC 7662
//! introspection endpoint), its JSON answer becomes a [`User`], and the handler's rule is
//! checked: required scopes, then one of some roles or the caller's own record. Anything in
//! doubt is refused with a JSON error, and the handler never runs.
//!
//! # Quick start
//!
//! ```no_run
//! use actix_authorize::{AuthService, CurrentUser, authorize};
//! use actix_web::{App, HttpServer, Responder, get, web};
//!
//! #[get("/users/{user_id}")]
//! #[authorize(roles = ["admin"], allow_same_id)]
//! async fn get_user(path: web::Path<i64>, me: CurrentUser) -> impl Responder {
//!     format!("user {} seen by {}", path.into_inner(), me.id())
//! }
//!
//! #[actix_web::main]
//! async fn main() -> Result<(), Box<dyn std::error::Error>> {
//!     // Or AuthService::from_env(), which reads AUTH_SERVICE_URL and friends.
//!     let auth = AuthService::builder("http://127.0.0.1:8001/users/me").build()?;
//!     HttpServer::new(move || App::new().app_data(auth.clone()).service(get_user))
//!         .bind(("127.0.0.1", 8000))?
//!         .run()
//!         .await?;
//!     Ok(())
//! }
//! ```
//!
//! # What it gives you
//!
//! - [`macro@authorize`]: `roles = [..]`, `scopes = [..]`, `allow_same_id`, checked before the handler
//!   and before any of its extractors (a JSON body is not even parsed for a refused caller).
//! - [`CurrentUser`]: an extractor that requires a signed-in caller; [`MaybeUser`]: one that
//!   accepts anonymous callers (FastAPI's `auto_error=False`) but still refuses bad tokens.
//!   The user is also in request extensions, for `web::ReqData<User>`.
//! - [`AuthService`]: the auth service client, configured by [`AuthService::builder`] or
//!   [`AuthService::from_env`]; one pooled connection set per worker, a total timeout, a size
//!   limit on answers, redirects never followed. [`OpenIdProvider::discover`] finds the
//!   endpoints of an OpenID provider; [`AuthServiceBuilder::introspection`] switches to RFC
//!   7662 with [`ClientCredentials`].
//! - The auth service is asked at most once per request, however many extractors ask.
//!
//! # Refusals
//!
//! Every refusal is an [`AuthError`] with a JSON body `{"detail": "..."}` (replaceable with
//! [`AuthServiceBuilder::error_body`]):
//!
//! | case | status | `WWW-Authenticate` |
//! |---|---|---|
//! | no bearer credentials | 401 | `Bearer` |
//! | malformed `Authorization` header | 400 | `Bearer error="invalid_request"` |
//! | the auth service rejects the token (userinfo: 401, 403, 404; introspection: `"active": false`), or the answer's `exp`, `nbf`, `aud`, `iss` or `client_id` rule it out | 401 | `Bearer error="invalid_token"` |
//! | scope, role and same-id checks fail | 403 | `Bearer error="insufficient_scope"` |
//! | auth service unreachable, timed out, or 429 (its `Retry-After` is passed on) | 503 | |
//! | auth service answered another error, a redirect, or something that is not a user; the introspection endpoint refused this service's client credentials | 502 | |
//! | no [`AuthService`] in `app_data` | 500 | |
//!
//! # The auth service's answer
//!
//! A 200 with a JSON object. The id is the first of `id`, `sub` and `username` (an integer or
//! a non-empty string), the roles come from `role` and `roles` (each a string or an array of
//! strings), and the scopes from `scope` (a space-separated string or an array). All can be renamed or given as
//! JSON pointers ([`AuthServiceBuilder::id_field`], [`AuthServiceBuilder::roles_from`] with
//! [`RoleSource`] fields, space-separated fields and boolean flags,
//! [`AuthServiceBuilder::scope_field`]), so OIDC userinfo and introspection answers work too.
//! The whole answer stays available through [`User::claims`].
//!
//! # Logging
//!
//! Each decision is a `tracing` event (debug when let through, info when forbidden, warn for
//! auth-service failures, with the reason). Tokens are never logged, and [`BearerToken`]'s
//! `Debug` hides them.

#![cfg_attr(docsrs, feature(doc_cfg))]

mod bearer;
mod cache;
mod checks;
mod client;
mod config;
mod discovery;
mod error;
mod extractor;
mod identity;
mod lifetime;
mod mapping;
mod policy;
mod protocol;
mod service;
mod tls;
mod user;

#[doc(hidden)]
#[path = "private.rs"]
pub mod __private;

pub use crate::bearer::{BearerToken, MAX_TOKEN_LEN};
pub use crate::config::{
    AuthServiceBuilder, ConfigError, DEFAULT_CACHE_CAPACITY, DEFAULT_CACHE_TTL,
    DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_TIMEOUT, env,
};
pub use crate::discovery::OpenIdProvider;
pub use crate::error::AuthError;
pub use crate::extractor::{CurrentUser, MaybeUser};
pub use crate::mapping::{InvalidAnswer, RoleSource};
pub use crate::protocol::ClientCredentials;
pub use crate::service::AuthService;
pub use crate::user::User;

/// Lets a caller into an actix-web handler only if their token has the required scopes and
/// they have one of some roles, or the record the route names is their own.
///
/// # Syntax
///
/// ```text
/// #[authorize(roles = ["role", ...])]
/// #[authorize(roles = ["role", ...], allow_same_id)]
/// #[authorize(roles = ["role", ...], allow_same_id = "param")]
/// #[authorize(allow_same_id)]                     // the owner only; also `roles = []`
/// #[authorize(scopes = ["scope", ...])]           // with or without the others
/// ```
///
/// # Arguments
///
/// - `roles`: string literals; a caller with any one of them is let in. Roles compare
///   exactly, case included.
/// - `scopes`: string literals, one word each; the token must have every one of them (see
///   [`User::scopes`]), whatever its roles. With `roles` or `allow_same_id`, both conditions
///   must hold; alone, the scopes decide.
/// - `allow_same_id`: a caller whose id equals the path parameter `user_id` is let in too.
///   `allow_same_id = "owner_id"` compares the parameter `owner_id` instead. The comparison is
///   on the canonical id (`7` matches `/users/7`, never `/users/07` or `/users/+7`). When a
///   route attribute written below `#[authorize]` has no such segment, that is a compile
///   error; otherwise a request whose route lacks it is refused with 403.
///
/// The handler must be an `async fn` without `self` or generics; its body, parameters and
/// return type are kept as written. It works above or below actix-web's route attributes, and
/// for handlers registered with `web::resource(..).route(web::get().to(handler))`. The
/// application needs an [`AuthService`] in its `app_data`.
///
/// # Examples
///
/// ```
/// use actix_authorize::{CurrentUser, authorize};
/// use actix_web::{HttpResponse, Responder, delete, get, web};
///
/// #[get("/users/{user_id}")]
/// #[authorize(roles = ["admin", "support"], allow_same_id)]
/// async fn get_user(path: web::Path<i64>) -> impl Responder {
///     format!("user {}", path.into_inner())
/// }
///
/// #[delete("/teams/{team}/members/{member_id}")]
/// #[authorize(roles = ["admin"], allow_same_id = "member_id")]
/// async fn leave_team(path: web::Path<(String, i64)>, me: CurrentUser) -> HttpResponse {
///     HttpResponse::NoContent().finish()
/// }
///
/// #[authorize(allow_same_id)]
/// async fn settings(path: web::Path<i64>) -> &'static str {
///     "only the owner sees this"
/// }
///
/// let routes = web::resource("/users/{user_id}/settings").route(web::get().to(settings));
/// ```
///
/// # Expansion
///
/// `cargo expand` shows the handler above as:
///
/// ```
/// # use actix_web::{Responder, get, web};
/// #[get("/users/{user_id}")]
/// async fn get_user(
///     __authorize_request: ::actix_authorize::__private::HttpRequest,
///     __authorize_payload: ::actix_authorize::__private::Payload,
/// ) -> impl ::actix_authorize::__private::Responder {
///     async fn get_user(path: web::Path<i64>) -> impl Responder {
///         format!("user {}", path.into_inner())
///     }
///     ::actix_authorize::__private::authorize_then_call(
///         ::actix_authorize::__private::Policy::new(&["admin", "support"])
///             .allow_same_id("user_id"),
///         __authorize_request,
///         __authorize_payload,
///         get_user,
///     )
///     .await
/// }
/// ```
///
/// The outer handler takes only the request; the runtime decides, and only then extracts the
/// inner handler's parameters and calls it. (actix-web polls a handler's extractors together,
/// so an extra extractor parameter could not guarantee that order.) Set
/// `ACTIX_AUTHORIZE_DEBUG=1` while building to print every expansion.
///
/// # Errors
///
/// Mistakes are compile errors on the offending token, all reported at once: an unknown or
/// repeated argument, a role that is not a non-empty unique string literal, nothing to check,
/// a function that is not `async`, takes `self`, is generic or has more than 16 parameters,
/// and `allow_same_id` on a route without the parameter.
pub use actix_authorize_macros::authorize;

/// The README's examples are compiled and run as doc tests.
#[doc = include_str!("../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
