//! A real RFC 7662 introspection endpoint on 127.0.0.1: it checks the caller's client
//! credentials and the form, and answers for the tokens it knows.

use std::net::{SocketAddr, TcpListener};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{SystemTime, UNIX_EPOCH};

use actix_web::http::header;
use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use serde_json::{Value, json};

/// The client id the endpoint accepts.
pub const CLIENT_ID: &str = "orders api";
/// Its secret; both have characters that HTTP Basic client auth must form-encode.
pub const CLIENT_SECRET: &str = "s3cret:+/%";
/// The issuer every active answer names.
pub const ISSUER: &str = "http://issuer.test";

/// What one call carried.
#[derive(Debug, Clone)]
pub struct Introspected {
    /// The HTTP method.
    pub method: String,
    /// The `Content-Type`.
    pub content_type: Option<String>,
    /// The form's fields, decoded, in order.
    pub form: Vec<(String, String)>,
}

/// A running introspection endpoint.
#[derive(Clone)]
pub struct FakeIntrospection {
    addr: SocketAddr,
    calls: Arc<Mutex<Vec<Introspected>>>,
}

/// The answer for `token`, or `None` for one the server does not know.
fn answer(token: &str) -> Option<Value> {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs();
    let active = |sub: &str, scope: &str, extra: Value| {
        let mut answer = json!({
            "active": true, "sub": sub, "scope": scope, "client_id": "web",
            "aud": ["orders", "billing"], "iss": ISSUER, "exp": now + 3600,
            "token_type": "Bearer",
        });
        if let (Some(answer), Value::Object(extra)) = (answer.as_object_mut(), extra) {
            answer.extend(extra);
            answer.retain(|_, value| !value.is_null());
        }
        answer
    };
    Some(match token {
        "admin" => active("1", "orders:read orders:write", json!({"roles": ["admin"]})),
        "reader-2" => active("2", "openid orders:read", json!({})),
        "no-scope-3" => active("3", "openid", json!({})),
        "superuser-4" => active("4", "", json!({"is_superuser": true})),
        "mobile-client" => active("5", "orders:read", json!({"client_id": "mobile"})),
        "other-audience" => active("6", "orders:read", json!({"aud": "payroll"})),
        "other-issuer" => active("7", "orders:read", json!({"iss": "http://evil.test"})),
        "active-but-expired" => active("8", "orders:read", json!({"exp": now - 10})),
        "active-no-id" => active("", "orders:read", json!({"sub": null})),
        "username-only" => active("", "orders:read", json!({"sub": null, "username": "dana"})),
        "active-as-string" => json!({"active": "true", "sub": "9"}),
        // What a server answers for a refresh token sent where an access token belongs.
        "refresh-token" => active(
            "1",
            "orders:read",
            json!({"token_type": "refresh_token", "roles": ["admin"]}),
        ),
        // A DPoP-bound token, valid only with a proof of possession.
        "bound-token" => active(
            "1",
            "orders:read",
            json!({"cnf": {"jkt": "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I"}, "roles": ["admin"]}),
        ),
        _ => return None,
    })
}

impl FakeIntrospection {
    /// Starts the endpoint on a free port of 127.0.0.1; it refuses other clients with 401.
    pub fn start() -> Self {
        Self::start_refusing_with(401)
    }

    /// Starts the endpoint, refusing other clients with `status` (servers use 400, 401 or
    /// 403).
    pub fn start_refusing_with(status: u16) -> Self {
        let refusal = web::Data::new(Refusal(
            actix_web::http::StatusCode::from_u16(status).expect("a status"),
        ));
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local address");
        let calls = Arc::new(Mutex::new(Vec::new()));
        let app_calls = web::Data::from(Arc::clone(&calls));
        let server = HttpServer::new(move || {
            App::new()
                .app_data(app_calls.clone())
                .app_data(refusal.clone())
                .default_service(web::to(introspect))
        })
        .workers(1)
        .disable_signals()
        .listen(listener)
        .expect("listen")
        .run();
        actix_web::rt::spawn(server);
        Self { addr, calls }
    }

    /// The endpoint's URL.
    pub fn url(&self) -> String {
        format!("http://{}/introspect", self.addr)
    }

    /// Every call received so far.
    pub fn calls(&self) -> Vec<Introspected> {
        self.calls
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

/// The status other clients get.
struct Refusal(actix_web::http::StatusCode);

async fn introspect(
    calls: web::Data<Mutex<Vec<Introspected>>>,
    refusal: web::Data<Refusal>,
    request: HttpRequest,
    body: web::Bytes,
) -> HttpResponse {
    let form: Vec<(String, String)> = form_urlencoded::parse(&body).into_owned().collect();
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned);
    calls
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .push(Introspected {
            method: request.method().to_string(),
            content_type: content_type.clone(),
            form: form.clone(),
        });
    if !is_our_client(&request) {
        return HttpResponse::build(refusal.0)
            .insert_header((header::WWW_AUTHENTICATE, r#"Basic realm="introspection""#))
            .json(json!({"error": "invalid_client"}));
    }
    let token = form.iter().find(|(name, _)| name == "token");
    let (Some((_, token)), Some("application/x-www-form-urlencoded")) =
        (token, content_type.as_deref())
    else {
        return HttpResponse::BadRequest().json(json!({"error": "invalid_request"}));
    };
    HttpResponse::Ok().json(answer(token).unwrap_or_else(|| json!({"active": false})))
}

/// RFC 6749 section 2.3.1: Basic, with the id and secret form-encoded before base64.
fn is_our_client(request: &HttpRequest) -> bool {
    use base64::Engine;
    let Some(encoded) = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok()?.strip_prefix("Basic "))
    else {
        return false;
    };
    let Ok(decoded) = base64::engine::general_purpose::STANDARD.decode(encoded) else {
        return false;
    };
    let Some((id, secret)) = std::str::from_utf8(&decoded)
        .ok()
        .and_then(|pair| pair.split_once(':'))
    else {
        return false;
    };
    let decode = |text: &str| -> String {
        form_urlencoded::parse(format!("x={text}").as_bytes())
            .map(|(_, value)| value.into_owned())
            .collect()
    };
    decode(id) == CLIENT_ID && decode(secret) == CLIENT_SECRET
}
