//! The decision matrix: who gets in where, through the macro in every placement and through
//! each extractor.

use actix_authorize::AuthService;
use actix_authorize_tests::api::{Api, Wiring};
use actix_authorize_tests::client::{Reply, get};
use actix_authorize_tests::fake_auth::{FakeAuth, Mode};

const ADMIN: &str = "Bearer admin-token";
const USER2: &str = "Bearer user2-token";
const USER3: &str = "Bearer user3-token";
const UNKNOWN: &str = "Bearer unknown-token";

fn assert_refusal(reply: &Reply, status: u16, challenge: Option<&str>, context: &str) {
    assert_eq!(reply.code(), status, "{context}: {}", reply.body);
    assert_eq!(reply.header("www-authenticate"), challenge, "{context}");
    assert_eq!(
        reply.header("content-type"),
        Some("application/json"),
        "{context}"
    );
    assert!(!reply.detail().is_empty(), "{context}");
}

/// Every caller against one `roles = ["admin"], allow_same_id` route family.
async fn check_admin_or_owner(api: &Api, prefix: &str) {
    let granted = [
        (ADMIN, "/users/3"),
        (ADMIN, "/users/1"),
        (USER2, "/users/2"),
        (USER3, "/users/3"),
        ("bearer user2-token", "/users/2"),
        ("BEARER   user2-token", "/users/2"),
    ];
    let runs_before = api.probe.handler_runs();
    for (authorization, path) in granted {
        let reply = get(&api.url(&format!("{prefix}{path}")), Some(authorization)).await;
        assert_eq!(
            reply.code(),
            200,
            "{prefix}{path} as {authorization}: {}",
            reply.body
        );
        let id = path.trim_start_matches("/users/");
        assert_eq!(reply.body, format!("user {id}"));
    }
    assert_eq!(api.probe.handler_runs() - runs_before, granted.len());

    let forbidden = [
        (USER2, "/users/3"),
        (USER2, "/users/02"),
        (USER2, "/users/+2"),
        (USER2, "/users/abc"),
        (USER3, "/users/2"),
    ];
    let refused: [(Option<&str>, &str, u16, Option<&str>); 5] = [
        (None, "/users/2", 401, Some("Bearer")),
        (Some("Basic dXNlcjpwYXNz"), "/users/2", 401, Some("Bearer")),
        (
            Some(UNKNOWN),
            "/users/2",
            401,
            Some(r#"Bearer error="invalid_token""#),
        ),
        (
            Some("Bearer two words"),
            "/users/2",
            400,
            Some(r#"Bearer error="invalid_request""#),
        ),
        (
            Some("Bearer"),
            "/users/2",
            400,
            Some(r#"Bearer error="invalid_request""#),
        ),
    ];
    for (authorization, path) in forbidden {
        let reply = get(&api.url(&format!("{prefix}{path}")), Some(authorization)).await;
        let context = format!("{prefix}{path} as {authorization}");
        assert_refusal(
            &reply,
            403,
            Some(r#"Bearer error="insufficient_scope""#),
            &context,
        );
    }
    for (authorization, path, status, challenge) in refused {
        let reply = get(&api.url(&format!("{prefix}{path}")), authorization).await;
        let context = format!("{prefix}{path} as {authorization:?}");
        assert_refusal(&reply, status, challenge, &context);
    }
    assert_eq!(
        api.probe.handler_runs() - runs_before,
        granted.len(),
        "a refused request ran the handler"
    );

    // Let in, then the handler's own `web::Path<i64>` refuses the id: actix-web's 404.
    let reply = get(&api.url(&format!("{prefix}/users/abc")), Some(ADMIN)).await;
    assert_eq!(reply.code(), 404, "{}", reply.body);
}

#[actix_web::test]
async fn the_route_attribute_may_be_above_authorize() {
    let auth = FakeAuth::start(Mode::Healthy);
    check_admin_or_owner(&Api::against(&auth.url()), "/above").await;
}

#[actix_web::test]
async fn the_route_attribute_may_be_below_authorize() {
    let auth = FakeAuth::start(Mode::Healthy);
    check_admin_or_owner(&Api::against(&auth.url()), "/below").await;
}

#[actix_web::test]
async fn handlers_registered_with_web_resource_are_protected() {
    let auth = FakeAuth::start(Mode::Healthy);
    check_admin_or_owner(&Api::against(&auth.url()), "/resource").await;
}

#[actix_web::test]
async fn the_service_may_be_given_as_web_data() {
    let auth = FakeAuth::start(Mode::Healthy);
    let service = AuthService::builder(auth.url()).build().unwrap();
    check_admin_or_owner(&Api::start(Wiring::Data(service)), "/above").await;
}

#[actix_web::test]
async fn roles_only_lets_in_any_listed_role_and_nobody_else() {
    let auth = FakeAuth::start(Mode::Healthy);
    let api = Api::against(&auth.url());
    assert_eq!(get(&api.url("/admin"), Some(ADMIN)).await.code(), 200);
    assert_eq!(get(&api.url("/admin"), Some(USER2)).await.code(), 403);
    assert_eq!(get(&api.url("/admin"), None).await.code(), 401);
    assert_eq!(api.probe.handler_runs(), 1);
}

#[actix_web::test]
async fn owner_only_compares_the_named_parameter_and_ignores_roles() {
    let auth = FakeAuth::start(Mode::Healthy);
    let api = Api::against(&auth.url());
    let reply = get(&api.url("/teams/core/owners/3"), Some(USER3)).await;
    assert_eq!((reply.code(), reply.body.as_str()), (200, "core/3"));
    for (authorization, path) in [
        (ADMIN, "/teams/core/owners/3"),
        (USER2, "/teams/core/owners/3"),
        (USER3, "/teams/core/owners/03"),
        (USER3, "/teams/3/owners/4"),
        (USER3, "/teams/core/owners/3%2F"),
    ] {
        let reply = get(&api.url(path), Some(authorization)).await;
        assert_eq!(reply.code(), 403, "{path} as {authorization}");
    }
    assert_eq!(api.probe.handler_runs(), 1);
}

#[actix_web::test]
async fn a_route_without_the_id_parameter_denies_everyone_but_the_roles() {
    let auth = FakeAuth::start(Mode::Healthy);
    let api = Api::against(&auth.url());
    assert_eq!(get(&api.url("/no-param/2"), Some(USER2)).await.code(), 403);
    assert_eq!(get(&api.url("/no-param/2"), Some(ADMIN)).await.code(), 200);
}

#[actix_web::test]
async fn current_user_requires_a_valid_token_and_checks_no_role() {
    let auth = FakeAuth::start(Mode::Healthy);
    let api = Api::against(&auth.url());
    let reply = get(&api.url("/me"), Some(USER2)).await;
    assert_eq!(reply.code(), 200);
    assert_eq!(
        reply.json(),
        serde_json::json!({ "id": "2", "roles": ["user"] })
    );
    assert_eq!(
        get(&api.url("/me"), Some("bearer admin-token"))
            .await
            .code(),
        200
    );
    assert_refusal(
        &get(&api.url("/me"), None).await,
        401,
        Some("Bearer"),
        "none",
    );
    let reply = get(&api.url("/me"), Some(UNKNOWN)).await;
    assert_refusal(
        &reply,
        401,
        Some(r#"Bearer error="invalid_token""#),
        "unknown",
    );
    let reply = get(&api.url("/me"), Some("Bearer a\"b")).await;
    assert_eq!(reply.code(), 400);
    assert_eq!(api.probe.handler_runs(), 2);
}

#[actix_web::test]
async fn maybe_user_is_none_only_without_credentials() {
    let auth = FakeAuth::start(Mode::Healthy);
    let api = Api::against(&auth.url());
    let anonymous = get(&api.url("/maybe"), None).await;
    assert_eq!(
        (anonymous.code(), anonymous.body.as_str()),
        (200, "anonymous")
    );
    let other_scheme = get(&api.url("/maybe"), Some("Basic dXNlcjpwYXNz")).await;
    assert_eq!(
        (other_scheme.code(), other_scheme.body.as_str()),
        (200, "anonymous")
    );
    let user = get(&api.url("/maybe"), Some(USER2)).await;
    assert_eq!((user.code(), user.body.as_str()), (200, "2"));
    assert_eq!(get(&api.url("/maybe"), Some(UNKNOWN)).await.code(), 401);
    assert_eq!(
        get(&api.url("/maybe"), Some("Bearer two words"))
            .await
            .code(),
        400
    );
    auth.set_mode(Mode::Status(500));
    assert_eq!(get(&api.url("/maybe"), Some(USER3)).await.code(), 502);
    assert_eq!(api.probe.handler_runs(), 3);
}

#[actix_web::test]
async fn every_extractor_sees_the_same_user_from_one_auth_service_call() {
    let auth = FakeAuth::start(Mode::Healthy);
    let api = Api::against(&auth.url());
    let reply = get(&api.url("/all/2"), Some(USER2)).await;
    assert_eq!((reply.code(), reply.body.as_str()), (200, "2,2,2,2"));
    assert_eq!(auth.call_count(), 1);

    let reply = get(&api.url("/two-extractors"), Some(USER3)).await;
    assert_eq!((reply.code(), reply.body.as_str()), (200, "3,3"));
    assert_eq!(
        auth.call_count(),
        2,
        "two extractors polled together called twice"
    );
}

#[actix_web::test]
async fn without_the_cache_every_extractor_still_shares_one_call() {
    let auth = FakeAuth::start(Mode::Healthy);
    let api = Api::against_uncached(&auth.url());
    let reply = get(&api.url("/all/2"), Some(USER2)).await;
    assert_eq!((reply.code(), reply.body.as_str()), (200, "2,2,2,2"));
    assert_eq!(auth.call_count(), 1);
    let reply = get(&api.url("/two-extractors"), Some(USER3)).await;
    assert_eq!((reply.code(), reply.body.as_str()), (200, "3,3"));
    assert_eq!(auth.call_count(), 2);
}

#[actix_web::test]
async fn a_string_id_that_reads_as_another_integer_is_not_the_owner() {
    // The auth service says "007"; `web::Path<i64>` would read /users/007 as user 7.
    let auth = FakeAuth::start(Mode::Healthy);
    let api = Api::against(&auth.url());
    for path in ["/above/users/007", "/above/users/7"] {
        assert_eq!(
            get(&api.url(path), Some("Bearer padded-token"))
                .await
                .code(),
            403,
            "{path}"
        );
    }
    assert_eq!(api.probe.handler_runs(), 0);
}

#[actix_web::test]
async fn a_user_put_in_the_request_by_a_middleware_is_not_trusted() {
    let auth = FakeAuth::start(Mode::Healthy);
    let api = Api::against(&auth.url());
    assert_eq!(get(&api.url("/injected/admin"), None).await.code(), 401);
    assert_eq!(get(&api.url("/injected/me"), None).await.code(), 401);
    assert_eq!(
        get(&api.url("/injected/admin"), Some(USER2)).await.code(),
        403
    );
    assert_eq!(
        get(&api.url("/injected/admin"), Some(ADMIN)).await.code(),
        200
    );
    assert_eq!(api.probe.handler_runs(), 1);
}

#[actix_web::test]
async fn without_an_auth_service_every_protected_request_is_refused() {
    let api = Api::start(Wiring::Missing);
    for path in ["/above/users/1", "/me", "/maybe"] {
        let reply = get(&api.url(path), Some(ADMIN)).await;
        assert_refusal(&reply, 500, None, path);
        assert_eq!(reply.detail(), "authorization is not configured");
    }
    assert_eq!(api.probe.handler_runs(), 0);
}

#[actix_web::test]
async fn a_custom_error_body_keeps_status_and_challenge() {
    let auth = FakeAuth::start(Mode::Healthy);
    let service = AuthService::builder(auth.url())
        .error_body(|error| serde_json::json!({ "error": error.to_string(), "code": "E_AUTH" }))
        .build()
        .unwrap();
    let api = Api::start(Wiring::Plain(service));
    let reply = get(&api.url("/above/users/3"), Some(USER2)).await;
    assert_eq!(reply.code(), 403);
    assert_eq!(
        reply.header("www-authenticate"),
        Some(r#"Bearer error="insufficient_scope""#)
    );
    assert_eq!(
        reply.json(),
        serde_json::json!({ "error": "not allowed", "code": "E_AUTH" })
    );
    let reply = get(&api.url("/me"), None).await;
    assert_eq!(reply.code(), 401);
    assert_eq!(reply.json()["code"], "E_AUTH");
}
