//! The expansion is clean under strict lints, and immune to local items that shadow the names
//! it uses: it only reaches the runtime through absolute paths.

#![deny(warnings, unused_qualifications, missing_docs, clippy::pedantic)]
// The handlers below stand for users' code: actix-web needs them async even without `.await`.
#![allow(clippy::unused_async)]

mod shadowed {
    #![allow(dead_code, non_snake_case)]

    // Each of these would capture a relative path in the expansion.
    mod core {}
    mod std {}
    mod actix_web {}
    mod actix_authorize {}
    mod __private {}
    struct Option;
    struct Some;
    struct HttpRequest;
    struct Payload;
    trait Responder {}

    use ::actix_authorize::{CurrentUser, authorize};
    use ::actix_web::web;

    // actix-web's own route attributes assume `actix_web` is not shadowed, so these handlers
    // are registered with `web::resource` below.

    /// Documented, public, and shadowed on every side.
    #[authorize(roles = ["admin"], allow_same_id)]
    pub async fn get_user(path: web::Path<i64>, me: CurrentUser) -> String {
        format!("{} {}", path.into_inner(), me.id())
    }

    /// Owner-only.
    #[authorize(allow_same_id = "owner_id")]
    pub async fn get_team(path: web::Path<String>) -> String {
        path.into_inner()
    }

    pub(super) fn register(config: &mut web::ServiceConfig) {
        config
            .service(web::resource("/users/{user_id}").to(get_user))
            .service(web::resource("/teams/{owner_id}").to(get_team));
    }
}

/// Strict lints with actix-web's route attributes in both orders.
mod routed {
    use actix_authorize::authorize;
    use actix_web::{HttpResponse, get, web};

    /// Route above.
    #[get("/a/{user_id}")]
    #[authorize(roles = ["admin"], allow_same_id)]
    pub async fn above(path: web::Path<i64>) -> HttpResponse {
        HttpResponse::Ok().body(path.into_inner().to_string())
    }

    /// Route below.
    #[authorize(roles = ["admin"], allow_same_id)]
    #[get("/b/{user_id}")]
    pub async fn below() -> HttpResponse {
        HttpResponse::Ok().finish()
    }

    pub(super) fn register(config: &mut web::ServiceConfig) {
        config.service(above).service(below);
    }
}

#[test]
fn handlers_register() {
    let _app = actix_web::App::new()
        .configure(shadowed::register)
        .configure(routed::register);
}
