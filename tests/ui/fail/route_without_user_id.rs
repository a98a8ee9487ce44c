use actix_authorize::authorize;
use actix_web::get;

#[authorize(roles = ["admin"], allow_same_id)]
#[get("/users/{id}")]
async fn handler() -> &'static str {
    ""
}

fn main() {}
