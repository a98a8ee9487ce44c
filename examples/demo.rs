//! The main demo: an example auth service and a protected API in one process, on 127.0.0.1.
//!
//! ```text
//! cargo run --example demo
//! cargo run --example demo -- --api-port 9000 --auth-port 9001 --secret s3cret
//! ```
//!
//! It prints ready tokens and curl commands, with the status each should give.

use std::net::TcpListener;

use actix_authorize::AuthService;
use actix_authorize_examples::auth_server::{DEMO_USERS, Tokens};
use actix_authorize_examples::{api, auth_server};
use actix_web::{App, HttpServer};
use clap::Parser;

/// Starts an example auth service and an API protected by actix-authorize.
#[derive(Parser)]
struct Options {
    /// Port of the protected API on 127.0.0.1 (0 picks a free one).
    #[arg(long, env = "DEMO_API_PORT", default_value_t = 8000)]
    api_port: u16,
    /// Port of the example auth service on 127.0.0.1 (0 picks a free one).
    #[arg(long, env = "DEMO_AUTH_PORT", default_value_t = 8001)]
    auth_port: u16,
    /// Secret that signs the demo's JWTs.
    #[arg(
        long,
        env = "DEMO_JWT_SECRET",
        default_value = "demo-secret-not-for-production"
    )]
    secret: String,
}

#[actix_web::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "actix_authorize=debug".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let options = Options::parse();

    let auth_listener = bind(options.auth_port, "auth service", "--auth-port")?;
    let api_listener = bind(options.api_port, "API", "--api-port")?;
    let auth_addr = auth_listener.local_addr()?;
    let api_addr = api_listener.local_addr()?;

    let tokens = Tokens::new(&options.secret)?;
    let auth_service = auth_server::serve(auth_listener, tokens.clone())?;

    let auth = AuthService::builder(format!("http://{auth_addr}/users/me")).build()?;
    let api_server =
        HttpServer::new(move || App::new().app_data(auth.clone()).configure(api::configure))
            .workers(2)
            .listen(api_listener)?
            .run();

    print_guide(
        &format!("http://{api_addr}"),
        &format!("http://{auth_addr}"),
        &tokens,
    );
    futures_join(auth_service, api_server).await
}

async fn futures_join(
    auth_service: actix_web::dev::Server,
    api_server: actix_web::dev::Server,
) -> Result<(), Box<dyn std::error::Error>> {
    let auth = actix_web::rt::spawn(auth_service);
    api_server.await?;
    auth.await??;
    Ok(())
}

fn bind(port: u16, what: &str, flag: &str) -> Result<TcpListener, String> {
    TcpListener::bind(("127.0.0.1", port)).map_err(|error| {
        format!("cannot listen on 127.0.0.1:{port} for the {what} ({error}); pick another port with {flag}")
    })
}

fn print_guide(api: &str, auth: &str, tokens: &Tokens) {
    let [alice, bob, _carol] = &DEMO_USERS;
    let admin = tokens.issue(alice);
    let user = tokens.issue(bob);
    println!(
        r#"
actix-authorize demo
  protected API:        {api}
  example auth service: {auth}  (POST /token, GET /users/me)

Users: alice (id 1, admin), bob (id 2, user), carol (id 3, user); password "<name>-password".
Ready tokens, valid for an hour:
  export ADMIN={admin}
  export BOB={user}

Try (expected status on the right):
  curl -i {api}/users/2 -H "Authorization: Bearer $BOB"                    # 200: bob reads his own record
  curl -i {api}/users/3 -H "Authorization: Bearer $BOB"                    # 403: not bob's, and bob is no admin
  curl -i {api}/users/3 -H "Authorization: Bearer $ADMIN"                  # 200: admins read anyone
  curl -i {api}/users                                                      # 401: no token
  curl -i {api}/users -H "Authorization: Bearer not-a-real-token"          # 401: the auth service rejects it
  curl -i {api}/users -H "Authorization: Bearer two words"                 # 400: malformed header
  curl -i {api}/users/3/settings -H "Authorization: Bearer $ADMIN"         # 403: settings are owner-only
  curl -i -X PUT {api}/users/3/email -H "Authorization: Bearer $BOB" -d 'not json'   # 403, not 400: checked before the body
  curl -i -X DELETE {api}/teams/core/members/2 -H "Authorization: Bearer $BOB"       # 200: bob leaves his team
  curl -i {api}/me -H "Authorization: Bearer $BOB"                         # 200: who am I
  curl -i {api}/hello                                                      # 200: anonymous is fine here

A token of your own:
  curl -s {auth}/token -d username=carol -d password=carol-password

Press Ctrl-C to stop.
"#
    );
}
