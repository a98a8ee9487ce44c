//! An example auth service, the kind of service `actix-authorize` asks who a token belongs to.
//!
//! - `POST /token` with an OAuth2 password form (`username`, `password`) answers
//!   `{"access_token": "<jwt>", "token_type": "bearer"}`.
//! - `GET /users/me` with `Authorization: Bearer <jwt>` answers the user as JSON, or 401.
//!
//! Tokens are HS256 JWTs signed with a shared secret and valid for an hour. The users and
//! their passwords are fixed: this is a demo, not a user store.

use std::net::TcpListener;
use std::time::{SystemTime, UNIX_EPOCH};

use actix_web::dev::Server;
use actix_web::http::header;
use actix_web::{App, HttpRequest, HttpResponse, HttpServer, get, post, web};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

/// How long an issued token is valid, in seconds.
pub const TOKEN_LIFETIME_SECS: u64 = 60 * 60;

/// A demo account.
#[derive(Debug, Clone, Serialize)]
pub struct DemoUser {
    /// The user's id, as the protected API's paths name it.
    pub id: i64,
    /// The login name.
    pub username: &'static str,
    /// The demo password; never part of an answer.
    #[serde(skip)]
    pub password: &'static str,
    /// The user's one role.
    pub role: &'static str,
    /// Contact address, to show that the whole answer reaches the handler.
    pub email: &'static str,
}

/// The demo accounts: one admin and two plain users.
pub const DEMO_USERS: [DemoUser; 3] = [
    DemoUser {
        id: 1,
        username: "alice",
        password: "alice-password",
        role: "admin",
        email: "alice@example.com",
    },
    DemoUser {
        id: 2,
        username: "bob",
        password: "bob-password",
        role: "user",
        email: "bob@example.com",
    },
    DemoUser {
        id: 3,
        username: "carol",
        password: "carol-password",
        role: "user",
        email: "carol@example.com",
    },
];

#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    sub: String,
    iat: u64,
    exp: u64,
}

/// Issues and checks the demo's tokens.
#[derive(Clone)]
pub struct Tokens {
    encoding: EncodingKey,
    decoding: DecodingKey,
}

impl Tokens {
    /// Tokens signed with `secret`; an empty secret is refused.
    pub fn new(secret: &str) -> Result<Self, jsonwebtoken::errors::Error> {
        Ok(Self {
            encoding: EncodingKey::from_secret(secret.as_bytes())?,
            decoding: DecodingKey::from_secret(secret.as_bytes())?,
        })
    }

    /// A token for `user`, valid for [`TOKEN_LIFETIME_SECS`].
    pub fn issue(&self, user: &DemoUser) -> String {
        let now = unix_now();
        let claims = Claims {
            sub: user.id.to_string(),
            iat: now,
            exp: now + TOKEN_LIFETIME_SECS,
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .unwrap_or_else(|error| unreachable!("HS256 signing cannot fail: {error}"))
    }

    /// The user a valid, unexpired token was issued to.
    pub fn verify(&self, token: &str) -> Option<&'static DemoUser> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_required_spec_claims(&["exp", "sub"]);
        let data = jsonwebtoken::decode::<Claims>(token, &self.decoding, &validation).ok()?;
        DEMO_USERS
            .iter()
            .find(|user| user.id.to_string() == data.claims.sub)
    }
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs())
}

#[derive(Deserialize)]
struct PasswordForm {
    username: String,
    password: String,
}

#[post("/token")]
async fn issue_token(tokens: web::Data<Tokens>, form: web::Form<PasswordForm>) -> HttpResponse {
    let user = DEMO_USERS
        .iter()
        .find(|user| user.username == form.username && user.password == form.password);
    match user {
        Some(user) => HttpResponse::Ok().json(serde_json::json!({
            "access_token": tokens.issue(user),
            "token_type": "bearer",
        })),
        None => HttpResponse::Unauthorized()
            .insert_header((header::WWW_AUTHENTICATE, "Bearer"))
            .json(serde_json::json!({ "detail": "Incorrect username or password" })),
    }
}

#[get("/users/me")]
async fn users_me(tokens: web::Data<Tokens>, request: HttpRequest) -> HttpResponse {
    let token = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "));
    match token.and_then(|token| tokens.verify(token)) {
        Some(user) => HttpResponse::Ok().json(user),
        None => HttpResponse::Unauthorized()
            .insert_header((header::WWW_AUTHENTICATE, "Bearer"))
            .json(serde_json::json!({ "detail": "Could not validate credentials" })),
    }
}

/// Registers `POST /token` and `GET /users/me`; the app needs `web::Data<Tokens>`.
pub fn configure(config: &mut web::ServiceConfig) {
    config.service(issue_token).service(users_me);
}

/// Serves the example auth service on `listener` with one worker.
pub fn serve(listener: TcpListener, tokens: Tokens) -> std::io::Result<Server> {
    let tokens = web::Data::new(tokens);
    Ok(
        HttpServer::new(move || App::new().app_data(tokens.clone()).configure(configure))
            .workers(1)
            .listen(listener)?
            .run(),
    )
}
