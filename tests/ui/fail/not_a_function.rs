use actix_authorize::authorize;

#[authorize(roles = ["admin"])]
struct Handler;

fn main() {}
