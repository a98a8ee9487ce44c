//! The protected API under test, served on 127.0.0.1 by a real server.

use std::future::{Ready, ready};
use std::net::TcpListener;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use actix_authorize::{AuthService, CurrentUser, MaybeUser, User, authorize};
use actix_web::dev::{Payload, Service};
use actix_web::{
    App, FromRequest, HttpMessage, HttpRequest, HttpResponse, HttpServer, Responder, get, post, web,
};
use serde::Deserialize;

/// Counts what ran, so tests can prove what did not.
#[derive(Debug, Default)]
pub struct Probe {
    handler_runs: AtomicUsize,
    extractor_runs: AtomicUsize,
}

impl Probe {
    /// How many handler bodies ran.
    pub fn handler_runs(&self) -> usize {
        self.handler_runs.load(Ordering::SeqCst)
    }

    /// How many times [`SideEffect`] was extracted.
    pub fn extractor_runs(&self) -> usize {
        self.extractor_runs.load(Ordering::SeqCst)
    }

    fn ran(&self) {
        self.handler_runs.fetch_add(1, Ordering::SeqCst);
    }
}

/// An extractor with a side effect: it counts its runs.
pub struct SideEffect;

impl FromRequest for SideEffect {
    type Error = actix_web::Error;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(request: &HttpRequest, _: &mut Payload) -> Self::Future {
        if let Some(probe) = request.app_data::<web::Data<Probe>>() {
            probe.extractor_runs.fetch_add(1, Ordering::SeqCst);
        }
        ready(Ok(Self))
    }
}

/// The body of `POST /notes/{user_id}`.
#[derive(Debug, Deserialize)]
pub struct Note {
    /// Its text.
    pub text: String,
}

#[get("/above/users/{user_id}")]
#[authorize(roles = ["admin"], allow_same_id)]
async fn route_above(path: web::Path<i64>, probe: web::Data<Probe>) -> impl Responder {
    probe.ran();
    format!("user {}", path.into_inner())
}

#[authorize(roles = ["admin"], allow_same_id)]
#[get("/below/users/{user_id}")]
async fn route_below(path: web::Path<i64>, probe: web::Data<Probe>) -> impl Responder {
    probe.ran();
    format!("user {}", path.into_inner())
}

#[authorize(roles = ["admin"], allow_same_id)]
async fn resource_route(path: web::Path<i64>, probe: web::Data<Probe>) -> impl Responder {
    probe.ran();
    format!("user {}", path.into_inner())
}

#[get("/admin")]
#[authorize(roles = ["admin", "support"])]
async fn admin_only(probe: web::Data<Probe>) -> impl Responder {
    probe.ran();
    "admin area"
}

#[get("/teams/{team}/owners/{owner_id}")]
#[authorize(allow_same_id = "owner_id")]
async fn owner_only(path: web::Path<(String, String)>, probe: web::Data<Probe>) -> impl Responder {
    probe.ran();
    let (team, owner) = path.into_inner();
    format!("{team}/{owner}")
}

// The route is above `#[authorize]`, so the macro cannot see that `{user_id}` is missing.
#[get("/no-param/{id}")]
#[authorize(roles = ["admin"], allow_same_id)]
async fn missing_param(probe: web::Data<Probe>) -> impl Responder {
    probe.ran();
    "ok"
}

#[post("/notes/{user_id}")]
#[authorize(roles = ["admin"], allow_same_id)]
async fn post_note(
    path: web::Path<i64>,
    note: web::Json<Note>,
    _effect: SideEffect,
    probe: web::Data<Probe>,
) -> impl Responder {
    probe.ran();
    format!("note for {}: {}", path.into_inner(), note.text)
}

#[get("/all/{user_id}")]
#[authorize(roles = ["admin"], allow_same_id)]
async fn every_extractor(
    first: CurrentUser,
    second: CurrentUser,
    maybe: MaybeUser,
    from_extensions: web::ReqData<User>,
    probe: web::Data<Probe>,
) -> impl Responder {
    probe.ran();
    let ids = [
        first.id(),
        second.id(),
        maybe.as_ref().map_or("-", User::id),
        from_extensions.id(),
    ];
    ids.join(",")
}

#[get("/orders")]
#[authorize(scopes = ["orders:read"])]
async fn scoped_orders(probe: web::Data<Probe>) -> impl Responder {
    probe.ran();
    "orders"
}

#[get("/users/{user_id}/orders")]
#[authorize(roles = ["admin"], scopes = ["orders:read"], allow_same_id)]
async fn scoped_user_orders(path: web::Path<i64>, probe: web::Data<Probe>) -> impl Responder {
    probe.ran();
    format!("orders of {}", path.into_inner())
}

#[get("/me")]
async fn current(user: CurrentUser, probe: web::Data<Probe>) -> impl Responder {
    probe.ran();
    HttpResponse::Ok()
        .json(serde_json::json!({ "id": user.id(), "roles": user.roles().collect::<Vec<_>>() }))
}

#[get("/maybe")]
async fn maybe_user(user: MaybeUser, probe: web::Data<Probe>) -> impl Responder {
    probe.ran();
    user.as_ref()
        .map_or_else(|| "anonymous".to_owned(), |user| user.id().to_owned())
}

#[get("/two-extractors")]
async fn two_extractors(a: CurrentUser, b: MaybeUser) -> impl Responder {
    format!("{},{}", a.id(), b.as_ref().map_or("-", User::id))
}

/// Registers every route of the test API.
pub fn configure(config: &mut web::ServiceConfig) {
    config
        .service(route_above)
        .service(route_below)
        .service(web::resource("/resource/users/{user_id}").route(web::get().to(resource_route)))
        .service(admin_only)
        .service(owner_only)
        .service(missing_param)
        .service(post_note)
        .service(every_extractor)
        .service(scoped_orders)
        .service(scoped_user_orders)
        .service(current)
        .service(maybe_user)
        .service(two_extractors)
        .service(
            // A middleware that puts a `User` in the request must not be taken for the auth
            // service's answer.
            web::scope("/injected")
                .wrap_fn(|request, service| {
                    request.extensions_mut().insert(User::new("1", ["admin"]));
                    service.call(request)
                })
                .service(admin_only)
                .service(current),
        );
}

/// How the API is given its `AuthService`.
#[derive(Clone)]
pub enum Wiring {
    /// `App::app_data(auth)`.
    Plain(AuthService),
    /// `App::app_data(web::Data::new(auth))`.
    Data(AuthService),
    /// No `AuthService` at all.
    Missing,
}

/// A running test API.
pub struct Api {
    base: String,
    /// What ran in it.
    pub probe: Arc<Probe>,
}

impl Api {
    /// Serves the test API on a free port of 127.0.0.1 with one worker.
    pub fn start(wiring: Wiring) -> Self {
        Self::start_with_workers(wiring, 1)
    }

    /// Serves the test API on a free port of 127.0.0.1 with `workers` worker threads.
    pub fn start_with_workers(wiring: Wiring, workers: usize) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        let base = format!("http://{}", listener.local_addr().expect("local address"));
        let probe = web::Data::new(Probe::default());
        let app_probe = probe.clone();
        let server = HttpServer::new(move || {
            let app = App::new().app_data(app_probe.clone()).configure(configure);
            match wiring.clone() {
                Wiring::Plain(auth) => app.app_data(auth),
                Wiring::Data(auth) => app.app_data(web::Data::new(auth)),
                Wiring::Missing => app,
            }
        })
        .workers(workers)
        .disable_signals()
        .listen(listener)
        .expect("listen")
        .run();
        actix_web::rt::spawn(server);
        Self {
            base,
            probe: probe.into_inner(),
        }
    }

    /// Serves the test API against the auth service at `auth_url`, with default settings.
    pub fn against(auth_url: &str) -> Self {
        let auth = AuthService::builder(auth_url).build().expect("a valid URL");
        Self::start(Wiring::Plain(auth))
    }

    /// Serves the test API against the auth service at `auth_url`, asking it on every request.
    pub fn against_uncached(auth_url: &str) -> Self {
        let auth = AuthService::builder(auth_url)
            .without_cache()
            .build()
            .expect("a valid URL");
        Self::start(Wiring::Plain(auth))
    }

    /// The URL of `path` on this API.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}
