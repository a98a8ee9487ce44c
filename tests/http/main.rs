//! Integration tests over real HTTP: a protected API and an auth service, both on 127.0.0.1.

// Test code: a failed unwrap is a failed test, with its message.
#![allow(clippy::unwrap_used)]

mod cache;
mod decisions;
mod demo;
mod discovery;
mod faults;
mod introspection;
mod ordering;
mod outgoing;
mod tls;
