use actix_authorize::authorize;

const ADMIN: &str = "admin";

#[authorize(roles = [ADMIN, 7])]
async fn handler() -> &'static str {
    ""
}

fn main() {}
