//! The pieces the examples share, also used by the integration tests: an example auth
//! service that issues real HS256 JWTs, and a protected API that uses every feature of
//! `actix-authorize`.

pub mod api;
pub mod auth_server;
