//! The benchmark's auth service: fast, so that what is measured is the API's side.

use std::sync::atomic::{AtomicU64, Ordering};

use actix_web::http::header;
use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};

static CALLS: AtomicU64 = AtomicU64::new(0);
static CONNECTIONS: AtomicU64 = AtomicU64::new(0);

/// A typical user answer, about 300 bytes; user 1 is an admin.
pub fn user_json(id: u64) -> String {
    let role = if id == 1 { "admin" } else { "user" };
    format!(
        r#"{{"id": {id}, "username": "user-{id}", "email": "user-{id}@example.com", "full_name": "Benchmark User {id}", "role": "{role}", "roles": ["{role}", "reader"], "disabled": false, "created_at": "2026-01-01T00:00:00Z", "tenant": "bench", "locale": "en-GB"}}"#
    )
}

async fn users_me(request: HttpRequest) -> HttpResponse {
    CALLS.fetch_add(1, Ordering::Relaxed);
    let id = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer id-"))
        // `id-<n>`, or `id-<n>.<anything>` for a token of a realistic size.
        .and_then(|id| id.split('.').next()?.parse().ok());
    match id {
        Some(id) => HttpResponse::Ok()
            .content_type("application/json")
            .body(user_json(id)),
        None => HttpResponse::Unauthorized().finish(),
    }
}

/// `<calls> <connections accepted>`, so that the benchmark can tell whether callers keep
/// their connections alive.
async fn stats() -> HttpResponse {
    HttpResponse::Ok().body(format!(
        "{} {}",
        CALLS.load(Ordering::Relaxed),
        CONNECTIONS.load(Ordering::Relaxed)
    ))
}

/// Serves the auth service on `listener` with one worker.
pub fn serve(listener: std::net::TcpListener) -> std::io::Result<actix_web::dev::Server> {
    Ok(HttpServer::new(|| {
        App::new()
            .route("/users/me", web::get().to(users_me))
            .route("/stats", web::get().to(stats))
    })
    .on_connect(|_, _| {
        CONNECTIONS.fetch_add(1, Ordering::Relaxed);
    })
    .workers(1)
    .disable_signals()
    .listen(listener)?
    .run())
}
