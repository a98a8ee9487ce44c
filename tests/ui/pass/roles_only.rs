use actix_authorize::authorize;
use actix_web::{App, Responder, get};

#[get("/admin")]
#[authorize(roles = ["admin", "support"])]
async fn admin() -> impl Responder {
    "admin"
}

fn main() {
    let _ = App::new().service(admin);
}
