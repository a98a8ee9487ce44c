//! Not public API: exactly what `#[authorize]` expansions name. It may change in any release.

pub use actix_web::web::Payload;
pub use actix_web::{HttpRequest, Responder};

pub use crate::policy::Policy;

use actix_web::{FromRequest, Handler};

/// Decides first; only for a caller who may go on, extracts `handler`'s parameters and calls it.
pub async fn authorize_then_call<F, Args>(
    policy: Policy,
    request: HttpRequest,
    payload: Payload,
    handler: F,
) -> Result<F::Output, actix_web::Error>
where
    F: Handler<Args>,
    Args: FromRequest,
    F::Output: Responder,
{
    policy.authorize(&request).await?;
    let mut payload = payload.into_inner();
    let args = Args::from_request(&request, &mut payload)
        .await
        .map_err(Into::into)?;
    Ok(handler.call(args).await)
}
