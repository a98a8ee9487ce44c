//! What reaches the auth service: the caller's bearer token and nothing else of theirs.

use actix_authorize_tests::api::Api;
use actix_authorize_tests::client::{get, send};
use actix_authorize_tests::fake_auth::{FakeAuth, Mode};

#[actix_web::test]
async fn only_the_token_is_forwarded_as_a_bearer_header() {
    let auth = FakeAuth::start(Mode::Healthy);
    let api = Api::against(&auth.url());
    let request = awc::Client::new()
        .get(api.url("/me"))
        .insert_header(("authorization", "bearer   user2-token"))
        .insert_header(("cookie", "session=caller-secret"))
        .insert_header(("x-forwarded-for", "10.1.2.3"))
        .insert_header(("x-api-key", "caller-key"));
    assert_eq!(send(request, "").await.code(), 200);

    let calls = auth.calls();
    assert_eq!(calls.len(), 1);
    assert_eq!(
        calls[0].authorization.as_deref(),
        Some("Bearer user2-token")
    );
    for name in &calls[0].header_names {
        assert!(
            [
                "authorization",
                "accept",
                "host",
                "user-agent",
                "accept-encoding",
                "date",
                "content-length"
            ]
            .contains(&name.as_str()),
            "the auth service received the header `{name}`"
        );
    }
}

#[actix_web::test]
async fn no_call_is_made_without_a_well_formed_token() {
    let auth = FakeAuth::start(Mode::Healthy);
    let api = Api::against(&auth.url());
    for authorization in [
        None,
        Some("Basic dXNlcjpwYXNz"),
        Some("Bearer two words"),
        Some("Bearer a,b"),
        Some("Bearer"),
    ] {
        let status = get(&api.url("/above/users/1"), authorization).await.code();
        assert!(
            status == 400 || status == 401,
            "{authorization:?}: {status}"
        );
    }
    let huge = format!("Bearer {}", "a".repeat(actix_authorize::MAX_TOKEN_LEN + 1));
    assert_eq!(get(&api.url("/me"), Some(&huge)).await.code(), 400);
    assert_eq!(auth.call_count(), 0);
}

#[actix_web::test]
async fn redirects_are_not_followed() {
    let auth = FakeAuth::start(Mode::Redirect);
    let api = Api::against(&auth.url());
    let reply = get(&api.url("/me"), Some("Bearer admin-token")).await;
    assert_eq!(reply.code(), 502);
    assert_eq!(auth.redirects_followed(), 0);
    assert_eq!(api.probe.handler_runs(), 0);
}
