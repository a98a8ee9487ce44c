use actix_authorize::authorize;

#[authorize(allow_same_id = owner_id)]
async fn first() -> &'static str {
    ""
}

#[authorize(allow_same_id = "owner-id")]
async fn second() -> &'static str {
    ""
}

#[authorize(allow_same_id("owner_id"))]
async fn third() -> &'static str {
    ""
}

fn main() {}
