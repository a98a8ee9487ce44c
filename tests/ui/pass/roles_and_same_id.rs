use actix_authorize::{CurrentUser, authorize};
use actix_web::{App, HttpResponse, get, web};

#[get("/users/{user_id}")]
#[authorize(roles = ["admin"], allow_same_id,)]
async fn get_user(path: web::Path<i64>, me: CurrentUser) -> HttpResponse {
    HttpResponse::Ok().body(format!("{} {}", path.into_inner(), me.id()))
}

fn main() {
    let _ = App::new().service(get_user);
}
