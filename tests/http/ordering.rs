//! Authorization finishes before any of the handler's own extractors runs.

use actix_authorize_tests::api::Api;
use actix_authorize_tests::client::send;
use actix_authorize_tests::fake_auth::{FakeAuth, Mode};

async fn post_note(
    api: &Api,
    path: &str,
    authorization: Option<&str>,
    body: &str,
) -> (u16, String) {
    let mut request = awc::Client::new()
        .post(api.url(path))
        .insert_header(("content-type", "application/json"));
    if let Some(value) = authorization {
        request = request.insert_header(("authorization", value));
    }
    let reply = send(request, body).await;
    (reply.code(), reply.body)
}

#[actix_web::test]
async fn a_refused_caller_gets_401_or_403_even_with_a_bad_body() {
    let auth = FakeAuth::start(Mode::Healthy);
    let api = Api::against(&auth.url());
    let (status, _) = post_note(&api, "/notes/3", Some("Bearer user2-token"), "{not json").await;
    assert_eq!(status, 403);
    let (status, _) = post_note(&api, "/notes/3", None, "{not json").await;
    assert_eq!(status, 401);
    let (status, _) = post_note(&api, "/notes/3", Some("Bearer unknown"), "{not json").await;
    assert_eq!(status, 401);
    assert_eq!(
        api.probe.extractor_runs(),
        0,
        "an extractor ran for a refused caller"
    );
    assert_eq!(api.probe.handler_runs(), 0);
}

#[actix_web::test]
async fn a_failing_auth_service_is_reported_before_a_bad_body() {
    let auth = FakeAuth::start(Mode::Status(500));
    let api = Api::against(&auth.url());
    let (status, _) = post_note(&api, "/notes/2", Some("Bearer user2-token"), "{not json").await;
    assert_eq!(status, 502);
    assert_eq!(api.probe.extractor_runs(), 0);
}

#[actix_web::test]
async fn an_authorized_caller_gets_the_handlers_own_extractors() {
    let auth = FakeAuth::start(Mode::Healthy);
    let api = Api::against(&auth.url());
    let (status, _) = post_note(&api, "/notes/2", Some("Bearer user2-token"), "{not json").await;
    assert_eq!(
        status, 400,
        "the JSON extractor runs once the caller is let in"
    );
    let (status, body) = post_note(
        &api,
        "/notes/2",
        Some("Bearer user2-token"),
        r#"{"text": "hi"}"#,
    )
    .await;
    assert_eq!((status, body.as_str()), (200, "note for 2: hi"));
    assert_eq!(api.probe.extractor_runs(), 2);
    assert_eq!(api.probe.handler_runs(), 1);
}
