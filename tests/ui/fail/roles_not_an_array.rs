use actix_authorize::authorize;

#[authorize(roles = "admin")]
async fn handler() -> &'static str {
    ""
}

fn main() {}
