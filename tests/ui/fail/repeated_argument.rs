use actix_authorize::authorize;

#[authorize(roles = ["admin"], roles = ["support"], allow_same_id, allow_same_id)]
async fn handler() -> &'static str {
    ""
}

fn main() {}
