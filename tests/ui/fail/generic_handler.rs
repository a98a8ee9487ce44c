use actix_authorize::authorize;
use actix_web::FromRequest;

#[authorize(roles = ["admin"])]
async fn handler<T: FromRequest>(_value: T) -> &'static str {
    ""
}

fn main() {}
