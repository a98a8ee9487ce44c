//! The demo's auth service and API together: what the demo's printed curl lines promise.

use std::net::TcpListener;

use actix_authorize::AuthService;
use actix_authorize_examples::auth_server::{DEMO_USERS, Tokens};
use actix_authorize_examples::{api, auth_server};
use actix_authorize_tests::client::{bearer, get, send};
use actix_web::{App, HttpServer};

struct Demo {
    api: String,
    auth: String,
}

fn start_demo() -> Demo {
    let auth_listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let auth_addr = auth_listener.local_addr().unwrap();
    let server = auth_server::serve(auth_listener, Tokens::new("test-secret").unwrap()).unwrap();
    actix_web::rt::spawn(server);

    let auth = AuthService::builder(format!("http://{auth_addr}/users/me"))
        .build()
        .unwrap();
    let api_listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let api_addr = api_listener.local_addr().unwrap();
    let server =
        HttpServer::new(move || App::new().app_data(auth.clone()).configure(api::configure))
            .workers(1)
            .disable_signals()
            .listen(api_listener)
            .unwrap()
            .run();
    actix_web::rt::spawn(server);
    Demo {
        api: format!("http://{api_addr}"),
        auth: format!("http://{auth_addr}"),
    }
}

async fn login(demo: &Demo, username: &str, password: &str) -> (u16, serde_json::Value) {
    let request = awc::Client::new()
        .post(format!("{}/token", demo.auth))
        .insert_header(("content-type", "application/x-www-form-urlencoded"));
    let reply = send(request, &format!("username={username}&password={password}")).await;
    (reply.code(), reply.json())
}

#[actix_web::test]
async fn the_demo_gives_what_its_guide_promises() {
    let demo = start_demo();
    let (status, answer) = login(&demo, "bob", "bob-password").await;
    assert_eq!(status, 200);
    assert_eq!(answer["token_type"], "bearer");
    let bob = bearer(answer["access_token"].as_str().unwrap());
    let admin = bearer(&Tokens::new("test-secret").unwrap().issue(&DEMO_USERS[0]));

    let url = |path: &str| format!("{}{path}", demo.api);
    let cases: [(&str, Option<&str>, u16); 10] = [
        ("/users/2", Some(&bob), 200),
        ("/users/3", Some(&bob), 403),
        ("/users/3", Some(&admin), 200),
        ("/users", None, 401),
        ("/users", Some("Bearer not-a-real-token"), 401),
        ("/users", Some("Bearer two words"), 400),
        ("/users/3/settings", Some(&admin), 403),
        ("/users/2/settings", Some(&bob), 200),
        ("/me", Some(&bob), 200),
        ("/hello", None, 200),
    ];
    for (path, authorization, status) in cases {
        let reply = get(&url(path), authorization).await;
        assert_eq!(reply.code(), status, "{path}: {}", reply.body);
    }

    let settings = get(&url("/users/2/settings"), Some(&bob)).await.json();
    assert_eq!(settings["profile"]["email"], "bob@example.com");

    let put = |token: &str, path: &str| {
        awc::Client::new()
            .put(url(path))
            .insert_header(("authorization", token.to_owned()))
            .insert_header(("content-type", "application/json"))
    };
    assert_eq!(
        send(put(&bob, "/users/3/email"), "not json").await.code(),
        403
    );
    assert_eq!(
        send(put(&bob, "/users/2/email"), "not json").await.code(),
        400
    );
    let reply = send(put(&bob, "/users/2/email"), r#"{"email": "b@example.com"}"#).await;
    assert_eq!(reply.code(), 200);

    let leave = awc::Client::new()
        .delete(url("/teams/core/members/2"))
        .insert_header(("authorization", bob.clone()));
    assert_eq!(send(leave, "").await.code(), 200);
}

#[actix_web::test]
async fn the_demo_auth_service_refuses_bad_logins_and_tokens() {
    let demo = start_demo();
    assert_eq!(login(&demo, "bob", "wrong").await.0, 401);
    let other_secret = Tokens::new("another-secret").unwrap().issue(&DEMO_USERS[1]);
    let reply = get(&format!("{}/me", demo.api), Some(&bearer(&other_secret))).await;
    assert_eq!(reply.code(), 401);
}
