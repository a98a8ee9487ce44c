use actix_authorize::authorize;

#[authorize(scopes = ["read write", "read", "read"])]
async fn handler() -> &'static str {
    ""
}

#[authorize(roles = ["admin"], scopes = "read")]
async fn other() -> &'static str {
    ""
}

fn main() {}
