use actix_authorize::authorize;
use actix_web::get;

#[authorize(allow_same_id = "owner_id")]
#[get("/teams/{team}/owners/{user_id}")]
async fn handler() -> &'static str {
    ""
}

fn main() {}
