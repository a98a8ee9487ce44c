//! Every way the auth service can fail ends in a refusal with the right status; the handler
//! never runs, and the API recovers as soon as the auth service does.

use std::time::{Duration, Instant};

use actix_authorize::AuthService;
use actix_authorize_tests::api::{Api, Wiring};
use actix_authorize_tests::client::{Reply, get};
use actix_authorize_tests::fake_auth::{FakeAuth, Mode};
use actix_authorize_tests::raw_server::{RawServer, Script, closed_port_url};

const USER2: &str = "Bearer user2-token";

fn api_with_timeout(auth_url: &str, timeout: Duration) -> Api {
    let auth = AuthService::builder(auth_url)
        .timeout(timeout)
        .build()
        .unwrap();
    Api::start(Wiring::Plain(auth))
}

/// Calls a macro route and an extractor route as user 2; both must give `status`.
async fn both_refused(api: &Api, status: u16, detail: &str) -> Reply {
    let mut last = None;
    for path in ["/above/users/2", "/me"] {
        let reply = get(&api.url(path), Some(USER2)).await;
        assert_eq!(reply.code(), status, "{path}: {}", reply.body);
        assert_eq!(reply.detail(), detail, "{path}");
        assert_eq!(reply.header("www-authenticate"), None);
        last = Some(reply);
    }
    assert_eq!(api.probe.handler_runs(), 0, "the handler ran");
    last.unwrap()
}

const UNAVAILABLE: &str = "authentication service unavailable";
const BAD_ANSWER: &str = "authentication service returned an invalid answer";

#[actix_web::test]
async fn a_refused_connection_is_503() {
    let api = Api::against(&closed_port_url());
    both_refused(&api, 503, UNAVAILABLE).await;
}

#[actix_web::test]
async fn an_auth_service_that_never_answers_is_503_after_the_timeout() {
    let silent = RawServer::start(Script::Silent).await;
    let api = api_with_timeout(&silent.url(), Duration::from_millis(300));
    let started = Instant::now();
    both_refused(&api, 503, UNAVAILABLE).await;
    assert!(silent.accepted() >= 1);
    // Generous: proves the deadline applies, not how fast this machine is.
    assert!(started.elapsed() < Duration::from_secs(10));
}

#[actix_web::test]
async fn a_slow_answer_counts_only_within_the_timeout() {
    let auth = FakeAuth::start(Mode::Slow(Duration::from_millis(50)));
    let api = api_with_timeout(&auth.url(), Duration::from_secs(5));
    assert_eq!(get(&api.url("/me"), Some(USER2)).await.code(), 200);

    let auth = FakeAuth::start(Mode::Slow(Duration::from_secs(3)));
    let api = api_with_timeout(&auth.url(), Duration::from_millis(200));
    both_refused(&api, 503, UNAVAILABLE).await;
}

#[actix_web::test]
async fn server_errors_and_unexpected_statuses_are_502() {
    for status in [500, 502, 503, 400, 405, 204] {
        let auth = FakeAuth::start(Mode::Status(status));
        let api = Api::against(&auth.url());
        both_refused(&api, 502, BAD_ANSWER).await;
    }
}

#[actix_web::test]
async fn rate_limiting_is_503_with_its_retry_after() {
    let auth = FakeAuth::start(Mode::RateLimited("7"));
    let api = Api::against(&auth.url());
    let reply = both_refused(&api, 503, UNAVAILABLE).await;
    assert_eq!(reply.header("retry-after"), Some("7"));
}

#[actix_web::test]
async fn answers_that_are_not_a_user_are_502() {
    let big_but_valid = format!(r#"{{"id": 2, "pad": "{}"}}"#, "x".repeat(70 * 1024));
    for body in [
        "not json".to_owned(),
        String::new(),
        r#"{"role": "admin"}"#.to_owned(),
        r#"{"id": null, "role": "admin"}"#.to_owned(),
        r#"{"id": 2.5}"#.to_owned(),
        r#"{"id": {"n": 2}}"#.to_owned(),
        r#"{"id": 2, "roles": [1, 2]}"#.to_owned(),
        r#"[{"id": 2}]"#.to_owned(),
        big_but_valid,
        "y".repeat(10 * 1024 * 1024),
    ] {
        let auth = FakeAuth::start(Mode::Body(body.clone().into_bytes()));
        let api = Api::against(&auth.url());
        let preview: String = body.chars().take(40).collect();
        let reply = get(&api.url("/above/users/2"), Some(USER2)).await;
        assert_eq!(reply.code(), 502, "{preview}");
        assert_eq!(api.probe.handler_runs(), 0, "{preview}");
    }
}

#[actix_web::test]
async fn the_size_limit_is_configurable() {
    let auth = FakeAuth::start(Mode::Healthy);
    let service = AuthService::builder(auth.url())
        .max_response_bytes(16)
        .build()
        .unwrap();
    let api = Api::start(Wiring::Plain(service));
    assert_eq!(get(&api.url("/me"), Some(USER2)).await.code(), 502);
}

#[actix_web::test]
async fn broken_connections_are_refused() {
    // A connection dropped before any answer is asked again once, on a new connection; an
    // answer that is broken is not.
    let cases = [
        (Script::Reset, 503, 2),
        (
            Script::Answer(b"HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n{\"id\": 2".to_vec()),
            502,
            1,
        ),
        (Script::Answer(b"this is not HTTP\r\n\r\n".to_vec()), 502, 1),
        (Script::Answer(Vec::new()), 503, 2),
    ];
    for (script, status, connections) in cases {
        let server = RawServer::start(script.clone()).await;
        let api = api_with_timeout(&server.url(), Duration::from_secs(5));
        let reply = get(&api.url("/above/users/2"), Some(USER2)).await;
        assert_eq!(reply.code(), status, "{script:?}: {}", reply.body);
        assert_eq!(api.probe.handler_runs(), 0);
        assert_eq!(server.accepted(), connections, "{script:?}");
    }
}

#[actix_web::test]
async fn an_http_1_0_answer_without_keep_alive_works() {
    let answer =
        b"HTTP/1.0 200 OK\r\ncontent-type: application/json\r\n\r\n{\"id\": 2, \"role\": \"user\"}";
    let server = RawServer::start(Script::Answer(answer.to_vec())).await;
    let api = Api::against_uncached(&server.url());
    for _ in 0..3 {
        assert_eq!(
            get(&api.url("/above/users/2"), Some(USER2)).await.code(),
            200
        );
    }
    assert_eq!(server.accepted(), 3);
}

/// How real providers answer: the status decides, whatever the headers say.
#[actix_web::test]
async fn real_world_answer_shapes_are_read_by_their_status() {
    let json = r#"{"sub": "2", "roles": ["user"]}"#;
    let cases = [
        // JSON served as HTML, with `Connection: close`.
        (
            format!(
                "HTTP/1.1 200 OK\r\ncontent-type: text/html; charset=utf-8\r\n\
                 connection: close\r\ncontent-length: {}\r\n\r\n{json}",
                json.len()
            ),
            200,
        ),
        // 401 with several challenges, without one, and with an HTML page.
        (
            "HTTP/1.1 401 Unauthorized\r\nwww-authenticate: Bearer realm=\"a\", \
             error=\"invalid_token\"\r\nwww-authenticate: Basic realm=\"a\"\r\n\
             content-length: 0\r\n\r\n"
                .to_owned(),
            401,
        ),
        (
            "HTTP/1.1 401 Unauthorized\r\ncontent-length: 0\r\n\r\n".to_owned(),
            401,
        ),
        (
            "HTTP/1.1 401 Unauthorized\r\ncontent-type: text/html\r\n\
             content-length: 13\r\n\r\n<h1>nope</h1>"
                .to_owned(),
            401,
        ),
        // A trailing-slash redirect, as Django gives for `/o/userinfo`: never followed.
        (
            "HTTP/1.1 301 Moved Permanently\r\nlocation: /users/me/\r\n\
             content-length: 0\r\n\r\n"
                .to_owned(),
            502,
        ),
    ];
    for (answer, status) in cases {
        let server = RawServer::start(Script::Answer(answer.clone().into_bytes())).await;
        let api = Api::against_uncached(&server.url());
        let reply = get(&api.url("/above/users/2"), Some(USER2)).await;
        assert_eq!(reply.code(), status, "{answer}: {}", reply.body);
        assert_eq!(server.accepted(), 1, "{answer}");
    }
}

#[actix_web::test]
async fn requests_succeed_again_as_soon_as_the_auth_service_recovers() {
    let auth = FakeAuth::start(Mode::Status(503));
    let api = Api::against_uncached(&auth.url());
    for mode in [
        Mode::Status(500),
        Mode::Body(b"garbage".to_vec()),
        Mode::RateLimited("1"),
        Mode::Redirect,
    ] {
        auth.set_mode(mode.clone());
        assert_ne!(
            get(&api.url("/me"), Some(USER2)).await.code(),
            200,
            "{mode:?}"
        );
        auth.set_mode(Mode::Healthy);
        assert_eq!(
            get(&api.url("/me"), Some(USER2)).await.code(),
            200,
            "after {mode:?}"
        );
    }
}

/// Servers close a kept-alive connection after a few idle seconds, and one closed just as it
/// is reused fails before any answer: the call is asked again on a new connection, not
/// refused with 503.
#[actix_web::test]
async fn a_kept_alive_connection_closed_by_the_auth_service_is_not_a_failure() {
    let auth = FakeAuth::start_closing_idle_after(Mode::Healthy, Duration::from_millis(100));
    let api = Api::against_uncached(&auth.url());
    for round in 0..3 {
        let reply = get(&api.url("/above/users/2"), Some(USER2)).await;
        assert_eq!(reply.code(), 200, "round {round}: {}", reply.body);
        // Idle past the server's keep-alive: the time passing is what is tested.
        actix_web::rt::time::sleep(Duration::from_millis(300)).await;
    }
    assert_eq!(auth.call_count(), 3);
}
