use actix_authorize::authorize;

// The unknown argument fails the build, but `handler` still exists, so the only errors are
// the macro's own: no "cannot find function" cascade.
#[authorize(unknown)]
async fn handler() -> &'static str {
    ""
}

fn main() {
    let _future = handler();
}
