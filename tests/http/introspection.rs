//! RFC 7662 introspection: what is sent, what each answer means, and the checks on it.

use actix_authorize::{AuthService, ClientCredentials, RoleSource};
use actix_authorize_tests::api::{Api, Wiring};
use actix_authorize_tests::client::{bearer, get};
use actix_authorize_tests::fake_introspection::{
    CLIENT_ID, CLIENT_SECRET, FakeIntrospection, ISSUER,
};

fn api(endpoint: &FakeIntrospection, credentials: ClientCredentials) -> Api {
    let auth = AuthService::builder(endpoint.url())
        .introspection(credentials)
        .expect_audience("orders")
        .expect_issuer(ISSUER)
        .expect_client_ids(["web"])
        .roles_from([
            RoleSource::field("roles"),
            RoleSource::flag("is_superuser", "admin"),
        ])
        .without_cache()
        .build()
        .unwrap();
    Api::start(Wiring::Plain(auth))
}

fn our_credentials() -> ClientCredentials {
    ClientCredentials::basic(CLIENT_ID, CLIENT_SECRET)
}

#[actix_web::test]
async fn the_token_is_posted_as_a_form_with_our_client_credentials() {
    let endpoint = FakeIntrospection::start();
    let api = api(&endpoint, our_credentials());
    // A token with the characters a form must escape.
    let reply = get(&api.url("/admin"), Some("Bearer a+b/c==")).await;
    assert_eq!(reply.code(), 401, "{}", reply.body);
    let calls = endpoint.calls();
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0].method, "POST");
    assert_eq!(
        calls[0].content_type.as_deref(),
        Some("application/x-www-form-urlencoded")
    );
    let form: Vec<(&str, &str)> = calls[0]
        .form
        .iter()
        .map(|(name, value)| (name.as_str(), value.as_str()))
        .collect();
    assert_eq!(
        form,
        [("token", "a+b/c=="), ("token_type_hint", "access_token")]
    );
}

#[actix_web::test]
async fn active_answers_decide_by_roles_flags_scopes_and_ids() {
    let endpoint = FakeIntrospection::start();
    let api = api(&endpoint, our_credentials());
    let cases = [
        ("admin", "/admin", 200),
        ("admin", "/orders", 200),
        ("admin", "/users/3/orders", 200),
        ("reader-2", "/orders", 200),
        ("reader-2", "/users/2/orders", 200),
        ("reader-2", "/users/3/orders", 403),
        ("reader-2", "/admin", 403),
        ("no-scope-3", "/orders", 403),
        ("no-scope-3", "/users/3/orders", 403),
        ("no-scope-3", "/below/users/3", 200),
        ("superuser-4", "/admin", 200),
        ("superuser-4", "/orders", 403),
    ];
    for (token, path, status) in cases {
        let reply = get(&api.url(path), Some(&bearer(token))).await;
        assert_eq!(reply.code(), status, "{token} on {path}: {}", reply.body);
        if status == 403 {
            assert_eq!(
                reply.header("www-authenticate"),
                Some(r#"Bearer error="insufficient_scope""#)
            );
        }
    }
    let runs = cases.iter().filter(|case| case.2 == 200).count();
    assert_eq!(api.probe.handler_runs(), runs);
}

#[actix_web::test]
async fn inactive_or_foreign_tokens_are_invalid_and_broken_answers_are_502() {
    let endpoint = FakeIntrospection::start();
    let api = api(&endpoint, our_credentials());
    for (token, status) in [
        ("never-issued", 401),
        ("mobile-client", 401),
        ("other-audience", 401),
        ("other-issuer", 401),
        ("active-but-expired", 401),
        ("active-no-id", 502),
        ("active-as-string", 502),
        ("refresh-token", 401),
        ("bound-token", 401),
    ] {
        let reply = get(&api.url("/below/users/1"), Some(&bearer(token))).await;
        assert_eq!(reply.code(), status, "{token}: {}", reply.body);
        let challenge = (status == 401).then_some(r#"Bearer error="invalid_token""#);
        assert_eq!(reply.header("www-authenticate"), challenge, "{token}");
    }
    assert_eq!(api.probe.handler_runs(), 0);
}

#[test]
fn the_checks_apply_to_user_from_answer_too() {
    // Reading an answer makes no call: the URL is never asked.
    let auth = AuthService::builder("http://127.0.0.1:1/introspect")
        .introspection(our_credentials())
        .build()
        .unwrap();
    let refused = auth
        .user_from_answer(br#"{"active": false, "sub": "1", "roles": ["admin"]}"#)
        .unwrap_err();
    assert_eq!(
        refused.to_string(),
        "the answer refuses the token: the token is inactive"
    );
    let user = auth
        .user_from_answer(br#"{"active": true, "sub": "1", "roles": ["admin"]}"#)
        .unwrap();
    assert!(user.has_role("admin"));
}

#[actix_web::test]
async fn the_id_falls_back_to_username() {
    let endpoint = FakeIntrospection::start();
    let api = api(&endpoint, our_credentials());
    let owner = get(
        &api.url("/teams/t/owners/dana"),
        Some("Bearer username-only"),
    )
    .await;
    assert_eq!((owner.code(), owner.body.as_str()), (200, "t/dana"));
}

#[actix_web::test]
async fn refused_client_credentials_are_a_502_never_a_grant_or_an_invalid_token() {
    for refusal in [400, 401, 403] {
        let endpoint = FakeIntrospection::start_refusing_with(refusal);
        for credentials in [
            ClientCredentials::basic(CLIENT_ID, "wrong"),
            ClientCredentials::basic("someone-else", CLIENT_SECRET),
            ClientCredentials::bearer("not-a-client-token"),
        ] {
            let api = api(&endpoint, credentials);
            for token in ["admin", "never-issued"] {
                let reply = get(&api.url("/admin"), Some(&bearer(token))).await;
                assert_eq!(reply.code(), 502, "{refusal}, {token}: {}", reply.body);
                assert_eq!(reply.header("www-authenticate"), None);
            }
            assert_eq!(api.probe.handler_runs(), 0);
        }
    }
}

#[actix_web::test]
async fn a_wrong_introspection_url_is_a_502_not_an_invalid_token() {
    // A 404, as userinfo services answer for unknown tokens, here from an API without the path.
    let other_api = Api::start(Wiring::Missing);
    let auth = AuthService::builder(other_api.url("/no-such-endpoint"))
        .introspection(our_credentials())
        .build()
        .unwrap();
    let api = Api::start(Wiring::Plain(auth));
    let reply = get(&api.url("/admin"), Some("Bearer admin")).await;
    assert_eq!(reply.code(), 502, "{}", reply.body);
}
