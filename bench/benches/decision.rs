//! The in-process decision path, in nanoseconds, beside a plain handler measured in the same
//! run: parse the header, find the user in the cache, check the role or the id. The auth
//! service is called only to fill the cache before measuring.
//!
//! `cargo bench -p actix-authorize-bench --bench decision`

use std::hint::black_box;
use std::net::TcpListener;

use actix_authorize::{AuthService, BearerToken, CurrentUser, User};
use actix_authorize_bench::{auth, contenders};
use actix_web::dev::{Service, ServiceResponse};
use actix_web::rt::SystemRunner;
use actix_web::test::{TestRequest, init_service};
use actix_web::{App, web};
use criterion::async_executor::AsyncExecutor;
use criterion::{Criterion, criterion_group, criterion_main};

struct Actix(SystemRunner);

impl AsyncExecutor for &Actix {
    fn block_on<T>(&self, future: impl Future<Output = T>) -> T {
        self.0.block_on(future)
    }
}

async fn who(user: CurrentUser) -> String {
    user.id().to_owned()
}

fn decision(c: &mut Criterion) {
    let actix = Actix(actix_web::rt::System::new());
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    let auth_url = format!(
        "http://{}/users/me",
        listener.local_addr().expect("address")
    );
    let service = AuthService::builder(&auth_url).build().expect("valid URL");
    let uncached = AuthService::builder(&auth_url)
        .without_cache()
        .build()
        .expect("valid URL");
    let app = actix.0.block_on(async {
        actix_web::rt::spawn(auth::serve(listener).expect("auth service"));
        // Every contender sits in a scope of its own, as in bench/load.sh: routes are tried in
        // order, and a dynamic route tried and missed costs a regex match, which would be
        // charged to whichever contender comes later.
        init_service(
            App::new()
                .app_data(service.clone())
                .service(web::scope("/plain").route("/{user_id}", web::get().to(contenders::plain)))
                .service(
                    web::scope("/authorized")
                        .route("/{user_id}", web::get().to(contenders::authorized)),
                )
                .route("/who", web::get().to(who))
                .service(
                    web::scope("/uncached")
                        .app_data(uncached.clone())
                        .route("/{user_id}", web::get().to(contenders::authorized)),
                ),
        )
        .await
    });
    let call = |uri: &'static str, token: &'static str| {
        let request = TestRequest::get()
            .uri(uri)
            .insert_header(("authorization", token))
            .to_request();
        let app = &app;
        async move {
            let response: ServiceResponse = app.call(request).await.expect("a response");
            assert!(
                response.status().is_success(),
                "{uri}: {}",
                response.status()
            );
            response
        }
    };
    // Fill the cache.
    actix.0.block_on(async {
        call("/authorized/7", "Bearer id-7").await;
        call("/authorized/7", "Bearer id-1").await;
    });

    let mut group = c.benchmark_group("request");
    group.bench_function("plain handler", |b| {
        b.to_async(&actix).iter(|| call("/plain/7", "Bearer id-7"));
    });
    group.bench_function("authorize, cache hit, own id", |b| {
        b.to_async(&actix)
            .iter(|| call("/authorized/7", "Bearer id-7"));
    });
    group.bench_function("authorize, cache hit, role", |b| {
        b.to_async(&actix)
            .iter(|| call("/authorized/7", "Bearer id-1"));
    });
    group.bench_function("CurrentUser, cache hit", |b| {
        b.to_async(&actix).iter(|| call("/who", "Bearer id-7"));
    });
    // Includes the auth service's own time on another thread of this process.
    group.bench_function("authorize, cache off (a call over loopback)", |b| {
        b.to_async(&actix)
            .iter(|| call("/uncached/7", "Bearer id-7"));
    });
    group.finish();

    let mut group = c.benchmark_group("step");
    let header = b"Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI3IiwiZXhwIjo5OTk5OTk5OTk5fQ.c2lnbmF0dXJlLW9mLXRoaXJ0eS10d28tYnl0ZXM";
    group.bench_function("parse Authorization header", |b| {
        b.iter(|| BearerToken::parse(black_box(header)));
    });
    // A JWT is typically 0.5 to 1.5 KB, and every request's header is checked.
    let long_header = format!("Bearer id-7.{}", "eyJzdWIiOiI3In0".repeat(68));
    group.bench_function("parse Authorization header, 1 KB token", |b| {
        b.iter(|| BearerToken::parse(black_box(long_header.as_bytes())));
    });
    let token = BearerToken::parse(b"Bearer id-7")
        .expect("valid")
        .expect("bearer");
    // The worker's near copy is found without hashing the token.
    let long = BearerToken::parse(long_header.as_bytes())
        .expect("valid")
        .expect("bearer");
    actix.0.block_on(async {
        service.authenticate(&long).await.expect("fills the cache");
        service
            .authenticate(&long)
            .await
            .expect("fills the near copy");
    });
    group.bench_function("cache hit: lookup, 4-byte token", |b| {
        b.to_async(&actix)
            .iter(|| service.authenticate(black_box(&token)));
    });
    group.bench_function("cache hit: lookup, 1 KB token", |b| {
        b.to_async(&actix)
            .iter(|| service.authenticate(black_box(&long)));
    });
    group.bench_function(
        "SHA-256 of the 1 KB token (a near-copy hit skips it)",
        |b| {
            b.iter(|| <sha2::Sha256 as sha2::Digest>::digest(black_box(long.as_str())));
        },
    );
    let user = User::new("7", ["user", "reader"]);
    group.bench_function("role check, 2 roles against 3", |b| {
        b.iter(|| black_box(&user).has_any_role(black_box(&["admin", "support", "auditor"])));
    });
    group.finish();
}

criterion_group!(benches, decision);
criterion_main!(benches);
