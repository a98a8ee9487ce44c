use actix_authorize::authorize;
use actix_web::{App, delete, get, web};

#[delete("/teams/{team}/members/{member_id:\\d+}")]
#[authorize(roles = ["admin"], allow_same_id = "member_id")]
async fn leave(path: web::Path<(String, i64)>) -> String {
    path.into_inner().0
}

#[get("/settings/{user_id}")]
#[authorize(allow_same_id)]
async fn settings() -> &'static str {
    "owner only"
}

#[get("/profile/{user_id}")]
#[authorize(roles = [], allow_same_id)]
async fn profile() -> &'static str {
    "owner only, written out"
}

fn main() {
    let _ = App::new().service(leave).service(settings).service(profile);
}
