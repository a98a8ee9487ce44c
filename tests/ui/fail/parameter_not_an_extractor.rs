use actix_authorize::authorize;
use actix_web::{App, web};

struct NotAnExtractor;

#[authorize(roles = ["admin"])]
async fn handler(_value: NotAnExtractor) -> &'static str {
    ""
}

fn main() {
    let _ = App::new().route("/", web::get().to(handler));
}
