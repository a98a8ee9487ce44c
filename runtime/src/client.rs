//! The HTTP call to the auth service: `GET <url>` with the caller's token (userinfo), or
//! `POST <url>` with it in a form (introspection), and what each answer means.

use actix_web::error::ParseError;
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use awc::error::{ConnectError, SendRequestError};

use std::cell::RefCell;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use crate::cache::Fetched;
use crate::checks::{self, Reading};
use crate::config::Config;
use crate::protocol::Protocol;
use crate::tls::Tls;
use crate::{AuthError, lifetime};

thread_local! {
    // awc clients are per thread; one per worker (and TLS configuration) keeps its connections
    // pooled and alive. The deadline is applied around the whole call below rather than by
    // awc.
    static CLIENTS: RefCell<Vec<(Option<u64>, awc::Client)>> = const { RefCell::new(Vec::new()) };
}

/// This thread's client for `config`'s TLS settings.
fn client(config: &Config) -> awc::Client {
    /// Services with their own TLS roots are few; past this many, the least recently used
    /// is dropped.
    const MAX_CLIENTS: usize = 8;
    let key = config.tls.as_ref().map(|tls| tls.id);
    CLIENTS.with(|clients| {
        let mut clients = clients.borrow_mut();
        if let Some(found) = clients.iter().position(|(id, _)| *id == key) {
            let last = clients.len() - 1;
            clients[found..].rotate_left(1);
            return clients[last].1.clone();
        }
        if clients.len() >= MAX_CLIENTS {
            clients.remove(0);
        }
        let client = new_client(config.tls.as_ref(), None);
        clients.push((key, client.clone()));
        client
    })
}

/// A client that never follows redirects (a token must not travel to another address),
/// speaking TLS with `tls` when given, with awc's own timeout set to `timeout` or off.
pub(crate) fn new_client(tls: Option<&Tls>, timeout: Option<Duration>) -> awc::Client {
    crate::tls::ensure_default_provider();
    let mut connector = awc::Connector::new();
    if let Some(tls) = tls {
        connector = connector.rustls_0_23(Arc::clone(&tls.config));
    }
    let client = awc::Client::builder()
        .connector(connector)
        .disable_redirects();
    match timeout {
        Some(timeout) => client.timeout(timeout),
        None => client.disable_timeout(),
    }
    .finish()
}

/// Asks the auth service who `token` belongs to, and how long the answer may be reused.
pub(crate) async fn fetch_user(config: &Config, token: &str) -> Result<Fetched, AuthError> {
    let call = call(config, token);
    match actix_web::rt::time::timeout(config.timeout, call).await {
        Ok(result) => result,
        Err(_) => {
            tracing::warn!(url = %config.url, timeout = ?config.timeout, "auth service timed out");
            Err(AuthError::ServiceUnavailable { retry_after: None })
        }
    }
}

/// Sends the question once.
async fn send(config: &Config, token: &str) -> Result<awc::ClientResponse, SendRequestError> {
    let client = client(config);
    let sent = match &config.protocol {
        Protocol::UserInfo => client
            .get(config.url.clone())
            .insert_header((header::ACCEPT, "application/json"))
            .bearer_auth(token)
            .send(),
        Protocol::Introspection { authorization } => client
            .post(config.url.clone())
            .insert_header((header::ACCEPT, "application/json"))
            .insert_header((header::AUTHORIZATION, authorization.clone()))
            .send_form(&[("token", token), ("token_type_hint", "access_token")]),
    };
    sent.await
}

async fn call(config: &Config, token: &str) -> Result<Fetched, AuthError> {
    let mut response = match send(config, token).await {
        Ok(response) => response,
        // A kept-alive connection that the auth service closed just as it was reused (servers
        // close idle ones after a few seconds) fails before any answer. Both questions only
        // read, so asking again, on another connection, is safe; once, within the timeout.
        Err(error) if is_dropped_connection(&error) => {
            tracing::debug!(url = %config.url, %error, "the connection was dropped; asking again");
            send(config, token)
                .await
                .map_err(|error| send_failure(config, &error))?
        }
        Err(error) => return Err(send_failure(config, &error)),
    };

    let status = response.status();
    let body = response.body().limit(config.max_response_bytes).await;
    let introspecting = matches!(config.protocol, Protocol::Introspection { .. });
    match status {
        StatusCode::OK => {
            let body = body.map_err(|error| {
                tracing::warn!(url = %config.url, %error, "could not read the auth service's answer");
                AuthError::BadGateway
            })?;
            let not_a_user = |reason| {
                tracing::warn!(url = %config.url, %reason, "the auth service's answer is not a user");
                AuthError::BadGateway
            };
            let now = SystemTime::now();
            let reading = checks::read_checked(&config.mapping, &config.checks, &body, now);
            let (user, fields) = match reading.map_err(not_a_user)? {
                Reading::User(user, fields) => (user, fields),
                Reading::Refused(reason) => {
                    tracing::debug!(url = %config.url, reason, "the auth service's answer refuses the token");
                    return Err(AuthError::InvalidToken);
                }
            };
            let max_age = lifetime::shortest([
                lifetime::from_headers(response.headers(), now),
                fields.get("exp").map(|exp| lifetime::until_exp(exp, now)),
            ]);
            Ok(Fetched { user, max_age })
        }
        StatusCode::BAD_REQUEST | StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN
            if introspecting =>
        {
            tracing::error!(
                url = %config.url, %status,
                "the introspection endpoint refused this service's request: most likely its \
                 client credentials (check the client id and secret, or token, and that the \
                 client may introspect), or the URL is not an introspection endpoint"
            );
            Err(AuthError::BadGateway)
        }
        StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN | StatusCode::NOT_FOUND
            if !introspecting =>
        {
            tracing::debug!(url = %config.url, %status, "the auth service rejected the token");
            Err(AuthError::InvalidToken)
        }
        StatusCode::TOO_MANY_REQUESTS => {
            tracing::warn!(url = %config.url, "the auth service is rate limiting");
            let retry_after = response
                .headers()
                .get(header::RETRY_AFTER)
                .filter(|value| is_retry_after(value))
                .cloned();
            Err(AuthError::ServiceUnavailable { retry_after })
        }
        status if status.is_redirection() => {
            let location = response.headers().get(header::LOCATION);
            tracing::warn!(
                url = %config.url, %status, ?location,
                "the auth service redirected; redirects are not followed, so configure the URL it \
                 redirects to"
            );
            Err(AuthError::BadGateway)
        }
        status => {
            tracing::warn!(url = %config.url, %status, "the auth service answered with an error");
            Err(AuthError::BadGateway)
        }
    }
}

/// Whether the connection failed after it was acquired and before any answer came. (awc
/// reports a pooled connection found closed as `Disconnected`.)
fn is_dropped_connection(error: &SendRequestError) -> bool {
    matches!(
        error,
        SendRequestError::Connect(ConnectError::Disconnected)
            | SendRequestError::Send(_)
            | SendRequestError::Response(ParseError::Io(_) | ParseError::Incomplete)
    )
}

fn send_failure(config: &Config, error: &SendRequestError) -> AuthError {
    tracing::warn!(url = %config.url, %error, "could not call the auth service");
    // Connection trouble is the service being unreachable; a broken answer is its fault.
    match error {
        SendRequestError::Connect(_)
        | SendRequestError::Send(_)
        | SendRequestError::Timeout
        | SendRequestError::Response(ParseError::Io(_) | ParseError::Timeout) => {
            AuthError::ServiceUnavailable { retry_after: None }
        }
        _ => AuthError::BadGateway,
    }
}

/// `Retry-After` is delay-seconds or an HTTP-date: short and printable. Anything else is not
/// passed on to callers.
fn is_retry_after(value: &HeaderValue) -> bool {
    let value = value.as_bytes();
    !value.is_empty()
        && value.len() <= 64
        && value
            .iter()
            .all(|&byte| byte == b' ' || byte.is_ascii_graphic())
}
