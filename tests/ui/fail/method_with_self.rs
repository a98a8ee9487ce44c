use actix_authorize::authorize;

struct Api;

impl Api {
    #[authorize(roles = ["admin"])]
    async fn handler(&self) -> &'static str {
        ""
    }
}

fn main() {}
