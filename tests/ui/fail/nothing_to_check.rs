use actix_authorize::authorize;

#[authorize(roles = [])]
async fn handler() -> &'static str {
    ""
}

fn main() {}
