use actix_authorize::authorize;
use actix_web::{App, Responder, route, web};

#[authorize(roles = ["admin"], allow_same_id)]
#[route("/users/{user_id}", method = "GET", method = "HEAD")]
async fn get_user(path: web::Path<i64>) -> impl Responder {
    path.into_inner().to_string()
}

fn main() {
    let _ = App::new().service(get_user);
}
