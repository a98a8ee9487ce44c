//! The shared cache: one auth-service call per token however many requests race for it,
//! failures never remembered, and no entry outliving its token or its answer's headers.

use std::time::Duration;

use actix_authorize::{AuthService, BearerToken};
use actix_authorize_tests::api::{Api, Wiring};
use actix_authorize_tests::client::get;
use actix_authorize_tests::fake_auth::{FakeAuth, Mode};
use futures_util::future::join_all;

/// `count` concurrent `GET /me` with each token; every status.
async fn race(api: &Api, tokens: &[String], count: usize) -> Vec<u16> {
    let url = api.url("/me");
    let requests = tokens.iter().flat_map(|token| {
        let authorization = format!("Bearer {token}");
        let url = url.clone();
        (0..count).map(move |_| {
            let (url, authorization) = (url.clone(), authorization.clone());
            async move { get(&url, Some(&authorization)).await.code() }
        })
    });
    join_all(requests).await
}

fn two_worker_api(auth: &FakeAuth) -> Api {
    let service = AuthService::builder(auth.url()).build().unwrap();
    Api::start_with_workers(Wiring::Plain(service), 2)
}

#[actix_web::test]
async fn a_stampede_on_one_new_token_makes_one_call() {
    let auth = FakeAuth::start(Mode::Slow(Duration::from_millis(300)));
    let api = two_worker_api(&auth);
    let statuses = race(&api, &["id-77".to_owned()], 64).await;
    assert!(statuses.iter().all(|&status| status == 200), "{statuses:?}");
    assert_eq!(auth.call_count(), 1);
    assert_eq!(api.probe.handler_runs(), 64);
}

#[actix_web::test]
async fn distinct_tokens_make_one_call_each() {
    let auth = FakeAuth::start(Mode::Slow(Duration::from_millis(200)));
    let api = two_worker_api(&auth);
    let tokens: Vec<String> = (1..=10).map(|id| format!("id-{id}")).collect();
    let statuses = race(&api, &tokens, 8).await;
    assert!(statuses.iter().all(|&status| status == 200), "{statuses:?}");
    assert_eq!(auth.call_count(), 10);
    assert_eq!(race(&api, &tokens, 2).await.len(), 20);
    assert_eq!(auth.call_count(), 10, "cached users were asked for again");
}

#[actix_web::test]
async fn a_failed_call_is_shared_with_its_waiters_but_not_remembered() {
    // Slow, so that all 16 requests wait on the one call even on a loaded machine.
    let auth = FakeAuth::start(Mode::SlowStatus(Duration::from_secs(1), 500));
    let api = two_worker_api(&auth);
    let statuses = race(&api, &["id-8".to_owned()], 16).await;
    assert!(statuses.iter().all(|&status| status == 502), "{statuses:?}");
    assert_eq!(auth.call_count(), 1, "each waiter made its own call");

    auth.set_mode(Mode::Healthy);
    let statuses = race(&api, &["id-8".to_owned()], 16).await;
    assert!(statuses.iter().all(|&status| status == 200), "{statuses:?}");
    assert_eq!(auth.call_count(), 2, "the failure was remembered");
    assert_eq!(api.probe.handler_runs(), 16);
}

#[actix_web::test]
async fn a_known_user_is_served_from_the_cache_while_the_auth_service_is_down() {
    let auth = FakeAuth::start(Mode::Healthy);
    let api = Api::against(&auth.url());
    assert_eq!(get(&api.url("/me"), Some("Bearer id-3")).await.code(), 200);
    auth.set_mode(Mode::Status(503));
    assert_eq!(get(&api.url("/me"), Some("Bearer id-3")).await.code(), 200);
    assert_eq!(get(&api.url("/me"), Some("Bearer id-4")).await.code(), 502);
}

async fn calls_for_two_requests(mode: Mode, token: &str) -> usize {
    let auth = FakeAuth::start(mode);
    let api = Api::against(&auth.url());
    for _ in 0..2 {
        assert_eq!(
            get(&api.url("/me"), Some(&format!("Bearer {token}")))
                .await
                .code(),
            200
        );
    }
    auth.call_count()
}

#[actix_web::test]
async fn the_answers_cache_headers_and_the_tokens_expiry_are_honoured() {
    assert_eq!(calls_for_two_requests(Mode::Healthy, "id-1").await, 1);
    let no_store = Mode::HealthyWithHeader("cache-control", "no-store");
    assert_eq!(calls_for_two_requests(no_store, "id-1").await, 2);
    let stale = Mode::HealthyWithHeader("cache-control", "max-age=0");
    assert_eq!(calls_for_two_requests(stale, "id-1").await, 2);
    let fresh = Mode::HealthyWithHeader("cache-control", "max-age=600");
    assert_eq!(calls_for_two_requests(fresh, "id-1").await, 1);

    // {"alg":"HS256"} . {"sub":"5","exp":1000000000} . signature: expired in 2001.
    let expired_jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI1IiwiZXhwIjoxMDAwMDAwMDAwfQ.c2ln";
    assert_eq!(calls_for_two_requests(Mode::Healthy, expired_jwt).await, 2);
    // The same with exp in 2286.
    let live_jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI1IiwiZXhwIjo5OTk5OTk5OTk5fQ.c2ln";
    assert_eq!(calls_for_two_requests(Mode::Healthy, live_jwt).await, 1);
}

#[actix_web::test]
async fn an_evicted_or_cleared_token_is_asked_for_again() {
    let auth = FakeAuth::start(Mode::Healthy);
    let service = AuthService::builder(auth.url()).build().unwrap();
    let api = Api::start(Wiring::Plain(service.clone()));
    let url = api.url("/me");
    let me = || get(&url, Some("Bearer id-9"));
    assert_eq!(me().await.code(), 200);
    assert_eq!(me().await.code(), 200);
    assert_eq!(auth.call_count(), 1);
    assert_eq!(service.cached_tokens().await, 1);

    service
        .evict(&BearerToken::parse(b"Bearer id-9").unwrap().unwrap())
        .await;
    assert_eq!(me().await.code(), 200);
    assert_eq!(auth.call_count(), 2);
    service.clear_cache();
    assert_eq!(me().await.code(), 200);
    assert_eq!(auth.call_count(), 3);
}

#[actix_web::test]
async fn rejected_tokens_are_remembered_only_when_asked() {
    let auth = FakeAuth::start(Mode::Healthy);
    let api = Api::against(&auth.url());
    for _ in 0..2 {
        assert_eq!(
            get(&api.url("/me"), Some("Bearer nobody")).await.code(),
            401
        );
    }
    assert_eq!(auth.call_count(), 2);

    let auth = FakeAuth::start(Mode::Healthy);
    let service = AuthService::builder(auth.url())
        .negative_cache_ttl(Duration::from_secs(5))
        .build()
        .unwrap();
    let api = Api::start(Wiring::Plain(service));
    for _ in 0..2 {
        assert_eq!(
            get(&api.url("/me"), Some("Bearer nobody")).await.code(),
            401
        );
    }
    assert_eq!(auth.call_count(), 1);
}
