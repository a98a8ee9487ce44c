//! A protected API that uses every feature of `actix-authorize`.
//!
//! | route | who may call it |
//! |---|---|
//! | `GET /users` | admins |
//! | `GET /users/{user_id}` | admins, and the user themself |
//! | `PUT /users/{user_id}/email` (JSON body) | admins, and the user themself |
//! | `GET /users/{user_id}/settings` | the user themself only |
//! | `DELETE /teams/{team}/members/{member_id}` | admins, and the member themself |
//! | `GET /me` | anyone signed in |
//! | `GET /hello` | anyone; signed-in callers are greeted by name |

use actix_authorize::{CurrentUser, MaybeUser, User, authorize};
use actix_web::{HttpResponse, Responder, delete, get, put, web};
use serde::{Deserialize, Serialize};

/// The user fields the demo auth service sends besides id and role.
#[derive(Debug, Deserialize, Serialize)]
pub struct Profile {
    /// The login name.
    pub username: String,
    /// The contact address.
    pub email: String,
}

#[get("/users")]
#[authorize(roles = ["admin"])]
async fn list_users() -> impl Responder {
    let ids: Vec<i64> = crate::auth_server::DEMO_USERS
        .iter()
        .map(|user| user.id)
        .collect();
    web::Json(serde_json::json!({ "ids": ids }))
}

// Route attribute below `#[authorize]`: the macro checks at compile time that the route has
// the `{user_id}` segment that `allow_same_id` compares.
#[authorize(roles = ["admin"], allow_same_id)]
#[get("/users/{user_id}")]
async fn get_user(path: web::Path<i64>, me: CurrentUser) -> impl Responder {
    web::Json(serde_json::json!({
        "user_id": path.into_inner(),
        "seen_by": me.id(),
        "seen_by_roles": me.roles().collect::<Vec<_>>(),
    }))
}

/// The new address for `PUT /users/{user_id}/email`.
#[derive(Debug, Deserialize)]
pub struct NewEmail {
    /// The address.
    pub email: String,
}

// The body is parsed only after the caller is let through: a refused caller gets 401/403,
// never a 400 for their body.
#[put("/users/{user_id}/email")]
#[authorize(roles = ["admin"], allow_same_id)]
async fn set_email(path: web::Path<i64>, body: web::Json<NewEmail>) -> impl Responder {
    web::Json(serde_json::json!({ "user_id": path.into_inner(), "email": body.email }))
}

#[delete("/teams/{team}/members/{member_id}")]
#[authorize(roles = ["admin"], allow_same_id = "member_id")]
async fn leave_team(path: web::Path<(String, i64)>) -> impl Responder {
    let (team, member) = path.into_inner();
    HttpResponse::Ok().json(serde_json::json!({ "team": team, "removed": member }))
}

// No route attribute: registered with `web::resource` below. `web::ReqData<User>` reads the
// user that `#[authorize]` put in the request.
#[authorize(allow_same_id)]
async fn settings(user: web::ReqData<User>) -> impl Responder {
    let profile: Option<Profile> = user.claims().ok();
    web::Json(serde_json::json!({ "owner": user.id(), "profile": profile }))
}

#[get("/me")]
async fn whoami(user: CurrentUser) -> impl Responder {
    web::Json(
        serde_json::json!({ "id": user.id(), "roles": user.roles().collect::<Vec<_>>(), "claims": user.claims::<serde_json::Value>().ok() }),
    )
}

#[get("/hello")]
async fn hello(user: MaybeUser) -> impl Responder {
    match user.as_ref() {
        Some(user) => format!("hello, user {}\n", user.id()),
        None => "hello, stranger\n".to_owned(),
    }
}

/// Registers the API; the app needs an `AuthService` in its `app_data`.
pub fn configure(config: &mut web::ServiceConfig) {
    config
        .service(list_users)
        .service(get_user)
        .service(set_email)
        .service(leave_team)
        .service(web::resource("/users/{user_id}/settings").route(web::get().to(settings)))
        .service(whoami)
        .service(hello);
}
