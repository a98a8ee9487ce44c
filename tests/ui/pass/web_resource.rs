use actix_authorize::{MaybeUser, User, authorize};
use actix_web::{App, Responder, web};

/// Docs stay on the handler.
#[authorize(roles = ["admin"], allow_same_id)]
pub async fn get_user(user: web::ReqData<User>, maybe: MaybeUser) -> impl Responder {
    format!("{} {}", user.id(), maybe.is_some())
}

fn main() {
    let _ = App::new().service(web::resource("/users/{user_id}").route(web::get().to(get_user)));
}
