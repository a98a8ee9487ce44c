//! A small HTTP client for the tests: one request, the whole reply.

use actix_web::http::StatusCode;
use actix_web::http::header::HeaderMap;

/// A reply, read whole.
#[derive(Debug)]
pub struct Reply {
    /// Its status.
    pub status: StatusCode,
    /// Its headers.
    pub headers: HeaderMap,
    /// Its body.
    pub body: String,
}

impl Reply {
    /// The status as a number.
    pub fn code(&self) -> u16 {
        self.status.as_u16()
    }

    /// A header as text, if present.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|value| value.to_str().ok())
    }

    /// The body as JSON; panics with the body if it is not.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|error| panic!("not JSON ({error}): {:?}", self.body))
    }

    /// The `detail` of a JSON error body.
    pub fn detail(&self) -> String {
        self.json()["detail"]
            .as_str()
            .unwrap_or_else(|| panic!("no detail in {:?}", self.body))
            .to_owned()
    }
}

/// Sends `request` with `body` and reads the whole reply.
pub async fn send(request: awc::ClientRequest, body: &str) -> Reply {
    let mut response = request
        .send_body(body.to_owned())
        .await
        .unwrap_or_else(|error| panic!("request failed: {error}"));
    let bytes = response
        .body()
        .limit(1 << 20)
        .await
        .unwrap_or_else(|error| panic!("reading the body failed: {error}"));
    Reply {
        status: response.status(),
        headers: response.headers().clone(),
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

/// `GET url` with an optional `Authorization` header value.
pub async fn get(url: &str, authorization: Option<&str>) -> Reply {
    let mut request = awc::Client::new().get(url);
    if let Some(value) = authorization {
        request = request.insert_header(("Authorization", value));
    }
    send(request, "").await
}

/// `Bearer <token>`.
pub fn bearer(token: &str) -> String {
    format!("Bearer {token}")
}
