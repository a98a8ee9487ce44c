use actix_authorize::authorize;
use actix_web::{App, Responder, get, web};

#[get("/orders")]
#[authorize(scopes = ["orders:read"])]
async fn list_orders() -> impl Responder {
    "orders"
}

#[get("/users/{user_id}/orders")]
#[authorize(roles = ["support"], scopes = ["orders:read", "profile"], allow_same_id)]
async fn user_orders(path: web::Path<i64>) -> impl Responder {
    path.into_inner().to_string()
}

fn main() {
    let _ = App::new().service(list_orders).service(user_orders);
}
