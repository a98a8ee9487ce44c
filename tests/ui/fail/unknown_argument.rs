use actix_authorize::authorize;

#[authorize(role = ["admin"])]
async fn handler() -> &'static str {
    ""
}

fn main() {}
