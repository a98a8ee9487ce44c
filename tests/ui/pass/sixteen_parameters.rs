use actix_authorize::authorize;
use actix_web::{App, HttpRequest, get};

#[get("/many")]
#[authorize(roles = ["admin"])]
#[allow(clippy::too_many_arguments)]
async fn many(
    _a: HttpRequest, _b: HttpRequest, _c: HttpRequest, _d: HttpRequest,
    _e: HttpRequest, _f: HttpRequest, _g: HttpRequest, _h: HttpRequest,
    _i: HttpRequest, _j: HttpRequest, _k: HttpRequest, _l: HttpRequest,
    _m: HttpRequest, _n: HttpRequest, _o: HttpRequest, _p: HttpRequest,
) -> &'static str {
    "sixteen"
}

fn main() {
    let _ = App::new().service(many);
}
