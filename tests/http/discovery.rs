//! OpenID discovery against a real server on 127.0.0.1 serving discovery documents.

use std::net::TcpListener;

use actix_authorize::{ClientCredentials, ConfigError, OpenIdProvider};
use actix_web::http::StatusCode;
use actix_web::{App, HttpResponse, HttpServer, web};

/// Serves `documents` (path, status, body) on `listener`, over TLS with `tls` if given; every
/// answer also carries a `Location`, which only redirects use.
fn serve(
    listener: TcpListener,
    documents: Vec<(String, u16, String)>,
    tls: Option<rustls::ServerConfig>,
) {
    let server = HttpServer::new(move || {
        let mut app = App::new();
        for (path, status, body) in documents.clone() {
            let status = StatusCode::from_u16(status).unwrap();
            app = app.route(
                &path,
                web::get().to(move || {
                    let body = body.clone();
                    async move {
                        HttpResponse::build(status)
                            .insert_header(("location", "/elsewhere"))
                            .content_type("application/json")
                            .body(body)
                    }
                }),
            );
        }
        app
    })
    .workers(1)
    .disable_signals();
    let server = match tls {
        Some(config) => server.listen_rustls_0_23(listener, config),
        None => server.listen(listener),
    };
    actix_web::rt::spawn(server.unwrap().run());
}

/// An issuer at `http://127.0.0.1:<port>/o` whose OIDC document is `document`, and whose
/// OAuth2 metadata is `metadata` if given; `ISSUER` in either is replaced by the issuer.
fn serve_issuer(document: &str, metadata: Option<&str>) -> String {
    serve_issuer_over(document, metadata, None)
}

/// [`serve_issuer`], over https with `tls` if given; `AUTHORITY` is also replaced, by the
/// issuer's host and port.
fn serve_issuer_over(
    document: &str,
    metadata: Option<&str>,
    tls: Option<rustls::ServerConfig>,
) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let authority = listener.local_addr().unwrap().to_string();
    let scheme = if tls.is_some() { "https" } else { "http" };
    let issuer = format!("{scheme}://{authority}/o");
    let fill = |text: &str| {
        text.replace("ISSUER", &issuer)
            .replace("AUTHORITY", &authority)
    };
    let mut documents = vec![(
        "/o/.well-known/openid-configuration".to_owned(),
        200,
        fill(document),
    )];
    if let Some(metadata) = metadata {
        documents.push((
            "/o/.well-known/oauth-authorization-server".to_owned(),
            200,
            fill(metadata),
        ));
    }
    serve(listener, documents, tls);
    issuer
}

fn reason(error: ConfigError) -> String {
    match error {
        ConfigError::Discovery { reason, .. } => reason,
        other => panic!("not a discovery error: {other:?}"),
    }
}

#[actix_web::test]
async fn both_endpoints_are_found_and_become_builders() {
    let document = r#"{"issuer": "ISSUER", "userinfo_endpoint": "ISSUER/userinfo/",
                       "introspection_endpoint": "ISSUER/introspect/", "jwks_uri": "x"}"#;
    let issuer = serve_issuer(document, None);
    let provider = OpenIdProvider::discover(&issuer).await.unwrap();
    assert_eq!(provider.issuer(), issuer);
    assert_eq!(
        provider.userinfo_endpoint(),
        Some(format!("{issuer}/userinfo/").as_str())
    );
    assert!(provider.userinfo_builder().unwrap().build().is_ok());
    let introspection = provider
        .introspection_builder(ClientCredentials::basic("api", "secret"))
        .unwrap()
        .build()
        .unwrap();
    assert!(format!("{introspection:?}").contains("introspection"));
}

#[actix_web::test]
async fn introspection_listed_only_in_oauth_metadata_is_found() {
    let issuer = serve_issuer(
        r#"{"issuer": "ISSUER", "userinfo_endpoint": "ISSUER/userinfo/"}"#,
        Some(r#"{"issuer": "ISSUER", "introspection_endpoint": "ISSUER/introspect/"}"#),
    );
    let provider = OpenIdProvider::discover(&issuer).await.unwrap();
    assert_eq!(
        provider.introspection_endpoint(),
        Some(format!("{issuer}/introspect/").as_str())
    );
}

#[actix_web::test]
async fn oauth_metadata_naming_another_issuer_is_ignored() {
    // RFC 8414 section 3.3: metadata whose issuer differs must not be used.
    let issuer = serve_issuer(
        r#"{"issuer": "ISSUER", "userinfo_endpoint": "ISSUER/userinfo/"}"#,
        Some(r#"{"issuer": "ISSUER/other", "introspection_endpoint": "ISSUER/introspect/"}"#),
    );
    let provider = OpenIdProvider::discover(&issuer).await.unwrap();
    assert_eq!(provider.introspection_endpoint(), None);
}

#[actix_web::test]
async fn unusable_documents_are_clear_errors() {
    let issuer = serve_issuer(r#"{"issuer": "ISSUER"}"#, None);
    let provider = OpenIdProvider::discover(&issuer).await.unwrap();
    let missing = reason(provider.userinfo_builder().unwrap_err());
    assert_eq!(missing, "the discovery document has no userinfo_endpoint");
    let missing = provider.introspection_builder(ClientCredentials::basic("a", "b"));
    assert!(reason(missing.unwrap_err()).contains("no introspection_endpoint"));

    let other = serve_issuer(r#"{"issuer": "http://127.0.0.1:1/o"}"#, None);
    // The issuer must be exactly the one asked for, trailing slash included.
    let slash = format!("{issuer}/");
    let error = reason(OpenIdProvider::discover(&slash).await.unwrap_err());
    assert_eq!(
        error,
        format!("the document names another issuer, `{issuer}`")
    );
    let error = reason(OpenIdProvider::discover(&other).await.unwrap_err());
    assert_eq!(
        error,
        "the document names another issuer, `http://127.0.0.1:1/o`"
    );

    let broken = serve_issuer(r#"{"issuer": 7}"#, None);
    let error = reason(OpenIdProvider::discover(&broken).await.unwrap_err());
    assert!(error.contains("is not a discovery document"), "{error}");

    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let moved = "/moved/.well-known/openid-configuration".to_owned();
    serve(listener, vec![(moved, 301, String::new())], None);
    let error = reason(
        OpenIdProvider::discover(&format!("{base}/moved"))
            .await
            .unwrap_err(),
    );
    assert!(
        error.ends_with("answered 301 Moved Permanently, redirecting to /elsewhere"),
        "{error}"
    );
    let error = reason(
        OpenIdProvider::discover(&format!("{base}/none"))
            .await
            .unwrap_err(),
    );
    assert!(error.ends_with("answered 404 Not Found"), "{error}");
    let error = reason(
        OpenIdProvider::discover("ftp://127.0.0.1:1")
            .await
            .unwrap_err(),
    );
    assert!(error.contains("http://"), "{error}");
}

#[actix_web::test]
async fn an_https_issuer_is_trusted_through_the_roots_given_and_keeps_to_https() {
    // An https issuer whose OIDC document lists a userinfo endpoint and whose OAuth2 metadata
    // lists an introspection endpoint, each with the scheme given.
    let serve_https = |userinfo: &str, introspection: &str| {
        let (ca_pem, config) = actix_authorize_tests::tls::server_config_for_localhost();
        let issuer = serve_issuer_over(
            &format!(
                r#"{{"issuer": "ISSUER", "userinfo_endpoint": "{userinfo}://AUTHORITY/o/userinfo/"}}"#
            ),
            Some(&format!(
                r#"{{"issuer": "ISSUER", "introspection_endpoint": "{introspection}://AUTHORITY/o/introspect/"}}"#
            )),
            Some(config),
        );
        (issuer, vec![ca_pem.into_bytes()])
    };

    let (issuer, roots) = serve_https("https", "https");
    let provider = OpenIdProvider::discover_trusting(&issuer, &roots)
        .await
        .unwrap();
    assert!(
        provider
            .userinfo_endpoint()
            .unwrap()
            .starts_with("https://")
    );
    assert!(
        provider
            .introspection_endpoint()
            .unwrap()
            .starts_with("https://")
    );
    // The builders trust the same roots (an http endpoint would refuse them).
    assert!(provider.userinfo_builder().unwrap().build().is_ok());
    assert!(!format!("{provider:?}").contains("BEGIN"));
    let untrusted = reason(OpenIdProvider::discover(&issuer).await.unwrap_err());
    assert!(untrusted.starts_with("could not read"), "{untrusted}");

    for (userinfo, introspection) in [("http", "https"), ("https", "http")] {
        let (issuer, roots) = serve_https(userinfo, introspection);
        let downgrade = reason(
            OpenIdProvider::discover_trusting(&issuer, &roots)
                .await
                .unwrap_err(),
        );
        assert!(
            downgrade.starts_with("the https issuer lists an endpoint that is not https"),
            "{userinfo}, {introspection}: {downgrade}"
        );
    }
}
