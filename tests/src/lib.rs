//! What the integration tests share: a fake auth service whose behaviour can be switched while
//! the API under test runs, an introspection endpoint, raw TCP servers for faults no HTTP server would make, a protected
//! test API, and a client. Everything listens on 127.0.0.1 only.

pub mod api;
pub mod client;
pub mod fake_auth;
pub mod fake_introspection;
pub mod raw_server;
pub mod tls;
