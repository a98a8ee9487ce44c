use actix_authorize::authorize;

#[authorize(roles = ["admin"])]
fn handler() -> &'static str {
    ""
}

fn main() {}
