use actix_authorize::authorize;

#[authorize(roles = ["admin", "support", "admin"])]
async fn handler() -> &'static str {
    ""
}

fn main() {}
