//! actix-authorize against real identity providers from package registries, started on
//! 127.0.0.1: oidc-provider (npm) and django-oauth-toolkit (PyPI). Real tokens come from their
//! own token endpoints; a protected actix app asks them by userinfo and by introspection, with
//! the configuration the README gives for each.
//!
//! Run with `interop/run.sh`, which installs the providers first.

#![allow(clippy::unwrap_used)]

mod idp;

use std::net::TcpListener;
use std::time::Duration;

use actix_authorize::{
    AuthService, AuthServiceBuilder, ClientCredentials, OpenIdProvider, RoleSource, authorize,
};
use actix_web::{App, HttpServer, Responder, get, web};

use idp::{CLIENT, Kind, Provider, SHORT_LIVED_CLIENT};

#[get("/admin")]
#[authorize(roles = ["admin"])]
async fn admin() -> impl Responder {
    "admin area"
}

#[get("/users/{user_id}")]
#[authorize(roles = ["admin"], allow_same_id)]
async fn user(path: web::Path<String>) -> impl Responder {
    format!("user {}", path.into_inner())
}

#[get("/reports")]
#[authorize(scopes = ["read"])]
async fn reports() -> impl Responder {
    "reports"
}

#[get("/reports/edit")]
#[authorize(scopes = ["write"])]
async fn edit_reports() -> impl Responder {
    "editing reports"
}

/// Serves the protected app with `auth` on a free port; its base URL.
fn serve(auth: AuthService) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let server = HttpServer::new(move || {
        App::new()
            .app_data(auth.clone())
            .service(admin)
            .service(user)
            .service(reports)
            .service(edit_reports)
    })
    .workers(1)
    .disable_signals()
    .listen(listener)
    .unwrap()
    .run();
    actix_web::rt::spawn(server);
    base
}

/// The status of `GET base + path` with `token`, if any.
async fn status(base: &str, path: &str, token: Option<&str>) -> u16 {
    let mut request = awc::Client::new().get(format!("{base}{path}"));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let mut response = request.send().await.unwrap();
    let _ = response.body().await;
    response.status().as_u16()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Protocol {
    UserInfo,
    Introspection,
}

/// How each provider is configured, as the README documents it, and what it calls the users.
struct Setup {
    builder: AuthServiceBuilder,
    /// alice (an admin), bob and carol (plain users), as this protocol names them.
    ids: [&'static str; 3],
    /// Whether answers carry the token's scopes (userinfo answers do not).
    scopes: bool,
    /// The scopes alice and bob ask for.
    alice_scope: &'static str,
    bob_scope: &'static str,
}

async fn setup(provider: &Provider, protocol: Protocol, credentials: ClientCredentials) -> Setup {
    let discovered = OpenIdProvider::discover(&provider.issuer).await.unwrap();
    let builder = match protocol {
        Protocol::UserInfo => discovered.userinfo_builder().unwrap(),
        Protocol::Introspection => discovered.introspection_builder(credentials).unwrap(),
    };
    match (provider.kind, protocol) {
        // Roles are a claim of their own; the id is `sub`, the defaults read both.
        (Kind::OidcProvider, _) => Setup {
            builder,
            ids: ["1", "2", "3"],
            scopes: protocol == Protocol::Introspection,
            alice_scope: "openid profile roles read write",
            bob_scope: "openid profile roles read",
        },
        // Userinfo has the superuser flag and the groups; the id is `sub`.
        (Kind::DjangoOauthToolkit, Protocol::UserInfo) => Setup {
            builder: builder.roles_from([
                RoleSource::field("groups"),
                RoleSource::flag("is_superuser", "admin"),
            ]),
            ids: ["1", "2", "3"],
            scopes: false,
            alice_scope: "openid profile read write admin",
            bob_scope: "openid profile read",
        },
        // Introspection has only `username` and `scope`: the `admin` scope, which only
        // superusers are granted, is the role.
        (Kind::DjangoOauthToolkit, Protocol::Introspection) => Setup {
            builder: builder
                .id_field("username")
                .roles_from([RoleSource::space_separated("scope")]),
            ids: ["alice", "bob", "carol"],
            scopes: true,
            alice_scope: "openid profile read write admin",
            bob_scope: "openid profile read",
        },
    }
}

/// Admin, plain user, owner, other user, no token, invalid, revoked and expired, and scopes.
async fn decision_matrix(kind: Kind, protocol: Protocol) {
    let provider = Provider::start(kind);
    let context = format!("{kind:?} by {protocol:?}");
    let setup = setup(
        &provider,
        protocol,
        ClientCredentials::basic(CLIENT.0, CLIENT.1),
    )
    .await;
    let api = serve(setup.builder.without_cache().build().unwrap());
    let [alice_id, bob_id, carol_id] = setup.ids;
    let alice = provider.token(CLIENT, "alice", setup.alice_scope).await;
    let bob = provider.token(CLIENT, "bob", setup.bob_scope).await;

    let cases = [
        ("admin", "/admin", Some(alice.as_str()), 200),
        ("plain user", "/admin", Some(&bob), 403),
        (
            "admin on another's record",
            &format!("/users/{carol_id}"),
            Some(&alice),
            200,
        ),
        ("owner", &format!("/users/{bob_id}"), Some(&bob), 200),
        ("other user", &format!("/users/{carol_id}"), Some(&bob), 403),
        (
            "other user, admin's record",
            &format!("/users/{alice_id}"),
            Some(&bob),
            403,
        ),
        ("no token", "/admin", None, 401),
        (
            "invalid token",
            "/admin",
            Some("not-a-token-this-provider-issued"),
            401,
        ),
    ];
    for (case, path, token, expected) in cases {
        assert_eq!(
            status(&api, path, token).await,
            expected,
            "{context}: {case}"
        );
    }

    // Scopes: only answers that carry them can grant them.
    let (read, write) = if setup.scopes { (200, 403) } else { (403, 403) };
    assert_eq!(
        status(&api, "/reports", Some(&bob)).await,
        read,
        "{context}: read scope"
    );
    assert_eq!(
        status(&api, "/reports/edit", Some(&bob)).await,
        write,
        "{context}: write scope"
    );
    let alice_writes = if setup.scopes { 200 } else { 403 };
    assert_eq!(
        status(&api, "/reports/edit", Some(&alice)).await,
        alice_writes,
        "{context}"
    );

    // Revoked at the provider: refused from the next request on (the cache is off here).
    let owner_path = format!("/users/{bob_id}");
    let revoked = provider.token(CLIENT, "bob", setup.bob_scope).await;
    assert_eq!(
        status(&api, &owner_path, Some(&revoked)).await,
        200,
        "{context}"
    );
    provider.revoke(&revoked).await;
    assert_eq!(
        status(&api, &owner_path, Some(&revoked)).await,
        401,
        "{context}: revoked"
    );

    // Expired: a 2-second token works, then is refused once the provider says it expired.
    let short = provider
        .token(SHORT_LIVED_CLIENT, "bob", setup.bob_scope)
        .await;
    assert_eq!(
        status(&api, &owner_path, Some(&short)).await,
        200,
        "{context}: fresh"
    );
    assert_eq!(
        until_refused(&api, &owner_path, &short).await,
        401,
        "{context}: expired"
    );
}

/// Asks every 250 ms, for at most 10 s (tokens live 2 s), until the token is refused; the
/// last status. Time passing is what is tested here, so there is no signal to wait on.
async fn until_refused(api: &str, path: &str, token: &str) -> u16 {
    let mut last = 0;
    for _ in 0..40 {
        last = status(api, path, Some(token)).await;
        if last != 200 {
            break;
        }
        actix_web::rt::time::sleep(Duration::from_millis(250)).await;
    }
    last
}

#[actix_web::test]
async fn oidc_provider_by_userinfo() {
    decision_matrix(Kind::OidcProvider, Protocol::UserInfo).await;
}

#[actix_web::test]
async fn oidc_provider_by_introspection() {
    decision_matrix(Kind::OidcProvider, Protocol::Introspection).await;
}

#[actix_web::test]
async fn django_oauth_toolkit_by_userinfo() {
    decision_matrix(Kind::DjangoOauthToolkit, Protocol::UserInfo).await;
}

#[actix_web::test]
async fn django_oauth_toolkit_by_introspection() {
    decision_matrix(Kind::DjangoOauthToolkit, Protocol::Introspection).await;
}

/// Each provider refuses wrong client credentials its own way (oidc-provider 401,
/// django-oauth-toolkit 403); both must be a 502, whatever the caller's token.
#[actix_web::test]
async fn refused_client_credentials_are_502_for_every_provider() {
    for kind in [Kind::OidcProvider, Kind::DjangoOauthToolkit] {
        let provider = Provider::start(kind);
        let wrong = ClientCredentials::basic(CLIENT.0, "wrong-secret");
        let setup = setup(&provider, Protocol::Introspection, wrong).await;
        let api = serve(setup.builder.without_cache().build().unwrap());
        let alice = provider.token(CLIENT, "alice", setup.alice_scope).await;
        for token in [alice.as_str(), "not-a-token-this-provider-issued"] {
            assert_eq!(status(&api, "/admin", Some(token)).await, 502, "{kind:?}");
        }
    }
}

/// The django-oauth-toolkit introspection recipe reads the `admin` scope as the admin role;
/// that is only sound because the provider grants it to superusers alone (validators.py).
#[actix_web::test]
async fn only_superusers_are_granted_the_admin_scope() {
    let provider = Provider::start(Kind::DjangoOauthToolkit);
    for scope in ["openid read admin", ""] {
        // No scope at all asks for every scope, `admin` included.
        let (status, answer) = provider.ask_token(CLIENT, "bob", scope).await;
        assert_eq!(
            (status, answer["error"].as_str()),
            (400, Some("invalid_scope")),
            "{scope:?}"
        );
    }
    let (status, answer) = provider
        .ask_token(CLIENT, "alice", "openid read admin")
        .await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["scope"], "openid read admin");
}

/// Django redirects `/o/userinfo` to `/o/userinfo/`: that misconfigured URL is a 502, whose
/// log names the `Location` to configure, never a user.
#[actix_web::test]
async fn a_trailing_slash_redirect_is_not_followed() {
    let provider = Provider::start(Kind::DjangoOauthToolkit);
    let auth = AuthService::builder(format!("{}/userinfo", provider.issuer))
        .without_cache()
        .build()
        .unwrap();
    let api = serve(auth);
    let alice = provider.token(CLIENT, "alice", "openid profile read").await;
    assert_eq!(status(&api, "/admin", Some(&alice)).await, 502);
}

/// With the cache on, an introspected token's `exp` still ends its entry: no expired token
/// is let in from the cache.
#[actix_web::test]
async fn a_cached_introspection_answer_ends_with_the_token() {
    for kind in [Kind::OidcProvider, Kind::DjangoOauthToolkit] {
        let provider = Provider::start(kind);
        let credentials = ClientCredentials::basic(CLIENT.0, CLIENT.1);
        let setup = setup(&provider, Protocol::Introspection, credentials).await;
        let auth = setup
            .builder
            .cache_ttl(Duration::from_secs(60))
            .build()
            .unwrap();
        let api = serve(auth.clone());
        let short = provider
            .token(SHORT_LIVED_CLIENT, "bob", setup.bob_scope)
            .await;
        let path = format!("/users/{}", setup.ids[1]);
        assert_eq!(status(&api, &path, Some(&short)).await, 200, "{kind:?}");
        assert_eq!(auth.cached_tokens().await, 1, "{kind:?}");
        assert_eq!(until_refused(&api, &path, &short).await, 401, "{kind:?}");
    }
}

/// Providers close idle keep-alive connections (Node.js after 5 s); the next request must
/// not fail because the pooled connection went away.
#[actix_web::test]
async fn an_idle_connection_closed_by_the_provider_is_not_a_failure() {
    let provider = Provider::start(Kind::OidcProvider);
    let credentials = ClientCredentials::basic(CLIENT.0, CLIENT.1);
    let setup = setup(&provider, Protocol::Introspection, credentials).await;
    let api = serve(setup.builder.without_cache().build().unwrap());
    let alice = provider.token(CLIENT, "alice", setup.alice_scope).await;
    assert_eq!(status(&api, "/admin", Some(&alice)).await, 200);
    // Idle past Node's 5-second keep-alive timeout: the time passing is what is tested.
    actix_web::rt::time::sleep(Duration::from_secs(6)).await;
    assert_eq!(status(&api, "/admin", Some(&alice)).await, 200);
}
