//! The errors a protected request can end in, and the one place they become responses.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, HttpResponseBuilder, ResponseError};

/// Why a request was not let through.
///
/// Each variant maps to one status (see the table in the crate docs) and a JSON body
/// `{"detail": "<Display text>"}`, the shape FastAPI clients already handle. The text never
/// contains the token or the auth service's answer; the reasons behind an auth-service failure
/// are logged through `tracing` instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AuthError {
    /// No bearer credentials: no `Authorization` header, or one with another scheme.
    #[error("not authenticated")]
    MissingCredentials,
    /// An `Authorization: Bearer` header whose token is empty, malformed or too long.
    #[error("malformed Authorization header: {0}")]
    MalformedHeader(&'static str),
    /// The auth service does not know the token (it answered 401, 403 or 404).
    #[error("invalid or expired token")]
    InvalidToken,
    /// The caller is known but has none of the roles and is not the owner.
    #[error("not allowed")]
    Forbidden,
    /// The auth service could not be reached, timed out, or asked to slow down.
    #[error("authentication service unavailable")]
    ServiceUnavailable {
        /// The auth service's `Retry-After`, passed on to the caller.
        retry_after: Option<HeaderValue>,
    },
    /// The auth service answered with an error or with something that is not a user.
    #[error("authentication service returned an invalid answer")]
    BadGateway,
    /// The application has no [`AuthService`](crate::AuthService) in its `app_data`.
    #[error("authorization is not configured")]
    NotConfigured,
}

impl AuthError {
    /// The `WWW-Authenticate` challenge of RFC 6750 section 3 that goes with this error.
    pub fn challenge(&self) -> Option<&'static str> {
        match self {
            Self::MissingCredentials => Some("Bearer"),
            Self::MalformedHeader(_) => Some(r#"Bearer error="invalid_request""#),
            Self::InvalidToken => Some(r#"Bearer error="invalid_token""#),
            Self::Forbidden => Some(r#"Bearer error="insufficient_scope""#),
            Self::ServiceUnavailable { .. } | Self::BadGateway | Self::NotConfigured => None,
        }
    }

    /// A response with this error's status and headers, and `body` as JSON.
    pub(crate) fn response_with(&self, body: &serde_json::Value) -> HttpResponse {
        let mut response = HttpResponseBuilder::new(self.status_code());
        if let Some(challenge) = self.challenge() {
            response.insert_header((header::WWW_AUTHENTICATE, challenge));
        }
        if let Self::ServiceUnavailable {
            retry_after: Some(retry_after),
        } = self
        {
            response.insert_header((header::RETRY_AFTER, retry_after.clone()));
        }
        response.json(body)
    }

    /// The default body: `{"detail": "<Display text>"}`.
    pub fn default_body(&self) -> serde_json::Value {
        serde_json::json!({ "detail": self.to_string() })
    }
}

impl ResponseError for AuthError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::MissingCredentials | Self::InvalidToken => StatusCode::UNAUTHORIZED,
            Self::MalformedHeader(_) => StatusCode::BAD_REQUEST,
            Self::Forbidden => StatusCode::FORBIDDEN,
            Self::ServiceUnavailable { .. } => StatusCode::SERVICE_UNAVAILABLE,
            Self::BadGateway => StatusCode::BAD_GATEWAY,
            Self::NotConfigured => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        self.response_with(&self.default_body())
    }
}

#[cfg(test)]
mod tests {
    use actix_web::body::MessageBody;

    use super::*;

    fn render(error: &AuthError) -> (StatusCode, Option<String>, String) {
        let response = error.error_response();
        let challenge = response
            .headers()
            .get(header::WWW_AUTHENTICATE)
            .map(|value| value.to_str().unwrap().to_owned());
        let status = response.status();
        let body = response.into_body().try_into_bytes().unwrap();
        (status, challenge, String::from_utf8(body.to_vec()).unwrap())
    }

    #[test]
    fn every_error_has_its_status_challenge_and_json_detail() {
        let table = [
            (
                AuthError::MissingCredentials,
                401,
                Some("Bearer"),
                "not authenticated",
            ),
            (
                AuthError::MalformedHeader("the bearer token is empty"),
                400,
                Some(r#"Bearer error="invalid_request""#),
                "malformed Authorization header: the bearer token is empty",
            ),
            (
                AuthError::InvalidToken,
                401,
                Some(r#"Bearer error="invalid_token""#),
                "invalid or expired token",
            ),
            (
                AuthError::Forbidden,
                403,
                Some(r#"Bearer error="insufficient_scope""#),
                "not allowed",
            ),
            (
                AuthError::ServiceUnavailable { retry_after: None },
                503,
                None,
                "authentication service unavailable",
            ),
            (
                AuthError::BadGateway,
                502,
                None,
                "authentication service returned an invalid answer",
            ),
            (
                AuthError::NotConfigured,
                500,
                None,
                "authorization is not configured",
            ),
        ];
        for (error, status, challenge, detail) in table {
            let (got_status, got_challenge, body) = render(&error);
            assert_eq!(got_status.as_u16(), status, "{error:?}");
            assert_eq!(got_challenge.as_deref(), challenge, "{error:?}");
            assert_eq!(body, serde_json::json!({ "detail": detail }).to_string());
        }
    }

    #[test]
    fn retry_after_is_passed_on() {
        let error = AuthError::ServiceUnavailable {
            retry_after: Some(HeaderValue::from_static("7")),
        };
        let response = error.error_response();
        assert_eq!(response.headers().get(header::RETRY_AFTER).unwrap(), "7");
    }
}
