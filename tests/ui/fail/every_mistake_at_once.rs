use actix_authorize::authorize;

#[authorize(rolez = ["admin"], roles = [admin, ""], allow_same_id = 1)]
fn handler<T>(_value: T) -> &'static str {
    ""
}

fn main() {}
