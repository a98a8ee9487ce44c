//! A real HTTP auth service on 127.0.0.1 whose answers the test chooses.

use std::net::{SocketAddr, TcpListener};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};

/// Tokens the healthy fake knows, and the answers it gives for them.
pub const USERS: &[(&str, &str)] = &[
    (
        "admin-token",
        r#"{"id": 1, "role": "admin", "email": "admin@example.com"}"#,
    ),
    (
        "user2-token",
        r#"{"id": 2, "roles": ["user"], "email": "two@example.com"}"#,
    ),
    ("user3-token", r#"{"id": "3", "role": "user"}"#),
    ("padded-token", r#"{"id": "007", "role": "user"}"#),
];

/// How the fake answers `GET /users/me`.
#[derive(Debug, Clone)]
pub enum Mode {
    /// As a working auth service: the user for a known token, 401 otherwise.
    Healthy,
    /// Like `Healthy`, after a delay.
    Slow(Duration),
    /// Like `Healthy`, with this extra header on every answer.
    HealthyWithHeader(&'static str, &'static str),
    /// This status with a short JSON body.
    Status(u16),
    /// This status, after a delay.
    SlowStatus(Duration, u16),
    /// 429 with this `Retry-After`.
    RateLimited(&'static str),
    /// 200 with this body, whatever the token.
    Body(Vec<u8>),
    /// 307 to another path of the same service.
    Redirect,
}

/// What the fake saw of one call.
#[derive(Debug, Clone)]
pub struct Call {
    /// The `Authorization` header as received.
    pub authorization: Option<String>,
    /// Every header name received, lower case.
    pub header_names: Vec<String>,
}

#[derive(Default)]
struct State {
    mode: Mutex<Option<Mode>>,
    calls: Mutex<Vec<Call>>,
    redirect_followed: AtomicUsize,
}

/// A running fake auth service.
#[derive(Clone)]
pub struct FakeAuth {
    addr: SocketAddr,
    scheme: &'static str,
    state: Arc<State>,
}

impl FakeAuth {
    /// Starts a fake in `mode` on a free port of 127.0.0.1.
    pub fn start(mode: Mode) -> Self {
        Self::serve(mode, None, None)
    }

    /// Starts a fake in `mode` that closes a kept-alive connection once it has been idle for
    /// `idle`, as servers do (5 s for actix-web and Node.js, 2 s for gunicorn).
    pub fn start_closing_idle_after(mode: Mode, idle: Duration) -> Self {
        Self::serve(mode, None, Some(idle))
    }

    /// Starts a fake in `mode` that serves https only, with a certificate for 127.0.0.1
    /// issued by a CA of its own, whose PEM it also gives.
    pub fn start_https(mode: Mode) -> (Self, String) {
        let (ca_pem, config) = crate::tls::server_config_for_localhost();
        (Self::serve(mode, Some(config), None), ca_pem)
    }

    fn serve(mode: Mode, tls: Option<rustls::ServerConfig>, idle: Option<Duration>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local address");
        let state = Arc::new(State::default());
        *state.mode.lock().unwrap_or_else(PoisonError::into_inner) = Some(mode);
        let app_state = web::Data::from(Arc::clone(&state));
        let server = HttpServer::new(move || {
            App::new()
                .app_data(app_state.clone())
                .route("/users/me", web::get().to(users_me))
                .route("/elsewhere", web::get().to(elsewhere))
        })
        .workers(1)
        .disable_signals();
        // actix-web's own keep-alive unless a test asks for idle connections to be closed.
        let server = match idle {
            Some(idle) => server.keep_alive(idle),
            None => server,
        };
        let scheme = if tls.is_some() { "https" } else { "http" };
        let server = match tls {
            Some(config) => server.listen_rustls_0_23(listener, config),
            None => server.listen(listener),
        };
        actix_web::rt::spawn(server.expect("listen").run());
        Self {
            addr,
            scheme,
            state,
        }
    }

    /// The URL to give `AuthService::builder`.
    pub fn url(&self) -> String {
        format!("{}://{}/users/me", self.scheme, self.addr)
    }

    /// Switches how the fake answers from now on.
    pub fn set_mode(&self, mode: Mode) {
        *self
            .state
            .mode
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = Some(mode);
    }

    /// Every call received so far.
    pub fn calls(&self) -> Vec<Call> {
        self.state
            .calls
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// How many calls were received so far.
    pub fn call_count(&self) -> usize {
        self.state
            .calls
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }

    /// How many times a redirect this fake gave was followed.
    pub fn redirects_followed(&self) -> usize {
        self.state.redirect_followed.load(Ordering::SeqCst)
    }
}

async fn users_me(state: web::Data<State>, request: HttpRequest) -> HttpResponse {
    let authorization = request
        .headers()
        .get(header::AUTHORIZATION)
        .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned());
    let header_names = request
        .headers()
        .keys()
        .map(|name| name.as_str().to_owned())
        .collect();
    state
        .calls
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .push(Call {
            authorization: authorization.clone(),
            header_names,
        });
    let mode = state
        .mode
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .clone()
        .unwrap_or(Mode::Healthy);
    match mode {
        Mode::Healthy => healthy(authorization.as_deref()),
        Mode::HealthyWithHeader(name, value) => {
            let mut response = healthy(authorization.as_deref());
            response.headers_mut().insert(
                header::HeaderName::from_static(name),
                header::HeaderValue::from_static(value),
            );
            response
        }
        Mode::Slow(delay) => {
            actix_web::rt::time::sleep(delay).await;
            healthy(authorization.as_deref())
        }
        Mode::SlowStatus(delay, code) => {
            actix_web::rt::time::sleep(delay).await;
            let status = StatusCode::from_u16(code).expect("a valid status code");
            HttpResponse::build(status).json(serde_json::json!({ "detail": "fake" }))
        }
        Mode::Status(code) => {
            let status = StatusCode::from_u16(code).expect("a valid status code");
            HttpResponse::build(status).json(serde_json::json!({ "detail": "fake" }))
        }
        Mode::RateLimited(retry_after) => HttpResponse::TooManyRequests()
            .insert_header((header::RETRY_AFTER, retry_after))
            .finish(),
        Mode::Body(body) => HttpResponse::Ok()
            .content_type("application/json")
            .body(body),
        Mode::Redirect => HttpResponse::TemporaryRedirect()
            .insert_header((header::LOCATION, "/elsewhere"))
            .finish(),
    }
}

/// The known tokens, plus `id-<n>` for user `n` and any JWT-shaped token (two dots) for
/// user 5.
fn healthy(authorization: Option<&str>) -> HttpResponse {
    let token = authorization.and_then(|value| value.strip_prefix("Bearer "));
    let known = token.and_then(|token| {
        if let Some((_, user)) = USERS.iter().find(|(known, _)| *known == token) {
            return Some((*user).to_owned());
        }
        if let Some(id) = token
            .strip_prefix("id-")
            .and_then(|id| id.parse::<u64>().ok())
        {
            return Some(format!(r#"{{"id": {id}, "role": "user"}}"#));
        }
        (token.matches('.').count() == 2).then(|| r#"{"id": 5, "role": "user"}"#.to_owned())
    });
    match known {
        Some(user) => HttpResponse::Ok()
            .content_type("application/json")
            .body(user),
        None => HttpResponse::Unauthorized()
            .insert_header((header::WWW_AUTHENTICATE, "Bearer"))
            .json(serde_json::json!({ "detail": "Could not validate credentials" })),
    }
}

async fn elsewhere(state: web::Data<State>) -> HttpResponse {
    state.redirect_followed.fetch_add(1, Ordering::SeqCst);
    healthy(Some("Bearer admin-token"))
}
