use actix_authorize::authorize;

#[authorize]
async fn handler() -> &'static str {
    ""
}

fn main() {}
