//! The same handler body behind each contender.

use std::collections::HashSet;
use std::time::Duration;

use actix_authorize::{AuthService, authorize};
use actix_web::dev::ServiceRequest;
use actix_web::http::header;
use actix_web::{App, HttpRequest, HttpServer, web};
use actix_web_grants::GrantsMiddleware;

/// The unprotected baseline.
pub async fn plain(path: web::Path<i64>) -> String {
    format!("user {}", path.into_inner())
}

/// The same body behind `#[authorize]`.
#[authorize(roles = ["admin"], allow_same_id)]
pub async fn authorized(path: web::Path<i64>) -> String {
    format!("user {}", path.into_inner())
}

#[actix_web_grants::protect(any("admin", "user"))]
async fn granted(path: web::Path<i64>) -> String {
    format!("user {}", path.into_inner())
}

thread_local! {
    static GRANTS_CLIENT: awc::Client = client();
    static BARE_CLIENT: awc::Client = client();
}

fn client() -> awc::Client {
    awc::Client::builder()
        .disable_redirects()
        .timeout(Duration::from_secs(2))
        .finish()
}

/// Forwards the request's bearer token to the auth service (whose URL is in `app_data`), as
/// a hand-wired peer does.
async fn ask_auth_service(
    request: &HttpRequest,
    client: awc::Client,
) -> Result<awc::ClientResponse, actix_web::Error> {
    let auth_url = request
        .app_data::<web::Data<String>>()
        .ok_or_else(|| actix_web::error::ErrorInternalServerError("no auth URL"))?;
    let authorization = request
        .headers()
        .get(header::AUTHORIZATION)
        .cloned()
        .ok_or_else(|| actix_web::error::ErrorUnauthorized("no token"))?;
    client
        .get(auth_url.as_str())
        .insert_header((header::AUTHORIZATION, authorization))
        .send()
        .await
        .map_err(actix_web::error::ErrorServiceUnavailable)
}

/// actix-web-grants as its users wire it to a remote auth service: forward the bearer
/// token on every request and read the roles from the answer.
async fn remote_roles(request: &ServiceRequest) -> Result<HashSet<String>, actix_web::Error> {
    let client = GRANTS_CLIENT.with(Clone::clone);
    let mut response = ask_auth_service(request.request(), client).await?;
    if !response.status().is_success() {
        return Err(actix_web::error::ErrorUnauthorized("rejected"));
    }
    let user: serde_json::Value = response
        .json()
        .await
        .map_err(actix_web::error::ErrorBadGateway)?;
    let roles = user["roles"].as_array().into_iter().flatten();
    Ok(roles
        .filter_map(|role| role.as_str().map(str::to_owned))
        .collect())
}

/// The floor of any design that asks the auth service over awc: the peer's call, its answer
/// read but not parsed, and no check beyond the status. Not a contender (any answer lets
/// the caller in), but what is left once everything but the call is gone.
async fn bare_call(request: HttpRequest, path: web::Path<i64>) -> actix_web::Result<String> {
    let client = BARE_CLIENT.with(Clone::clone);
    let mut response = ask_auth_service(&request, client).await?;
    response
        .body()
        .await
        .map_err(actix_web::error::ErrorBadGateway)?;
    if !response.status().is_success() {
        return Err(actix_web::error::ErrorUnauthorized("rejected"));
    }
    Ok(plain(path).await)
}

/// Serves every contender on 127.0.0.1:`port` with one worker.
pub async fn serve(port: u16, auth_url: &str) -> Result<(), Box<dyn std::error::Error>> {
    let cached = AuthService::builder(auth_url).build()?;
    let uncached = AuthService::builder(auth_url).without_cache().build()?;
    let grants_url = web::Data::new(auth_url.to_owned());
    HttpServer::new(move || {
        // Every contender sits in a scope of its own, so that none pays another's regex
        // match; scopes are tried in order, so each pays one more failed prefix comparison
        // than the one before it (a few dozen instructions), the floor last.
        App::new()
            .service(web::scope("/plain").route("/{user_id}", web::get().to(plain)))
            .service(
                web::scope("/cached")
                    .app_data(cached.clone())
                    .route("/{user_id}", web::get().to(authorized)),
            )
            .service(
                web::scope("/uncached")
                    .app_data(uncached.clone())
                    .route("/{user_id}", web::get().to(authorized)),
            )
            .service(
                web::scope("/grants")
                    .app_data(grants_url.clone())
                    .wrap(GrantsMiddleware::with_extractor(remote_roles))
                    .route("/{user_id}", web::get().to(granted)),
            )
            .service(
                web::scope("/bare")
                    .app_data(grants_url.clone())
                    .route("/{user_id}", web::get().to(bare_call)),
            )
    })
    .workers(1)
    .bind(("127.0.0.1", port))?
    .run()
    .await?;
    Ok(())
}
