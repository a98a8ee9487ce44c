//! The processes of the load benchmark (`bench/load.sh`), each on 127.0.0.1 with one worker:
//!
//! - `bench-server auth --port P`: an auth service that answers any `id-<n>` token with a
//!   typical ~300-byte user, and counts its calls (`GET /stats`).
//! - `bench-server api --port P --auth URL`: one route per contender, the same handler body:
//!   `/plain/{user_id}` unprotected, `/cached/{user_id}` and `/uncached/{user_id}` behind
//!   `#[authorize(roles = ["admin"], allow_same_id)]` with the cache on and off, and
//!   `/grants/{user_id}` behind actix-web-grants calling the auth service on every request.
//!   `/bare/{user_id}` is no contender but the floor of any awc-based design: the same call
//!   as the peer's, with its answer read and nothing else.
//! - `bench-server memory --auth URL --users N`: RSS growth for N cached users.

use actix_authorize_bench::{auth, contenders, memory};
use clap::{Parser, Subcommand};

#[derive(Parser)]
struct Options {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// The auth service.
    Auth {
        /// Port on 127.0.0.1.
        #[arg(long)]
        port: u16,
    },
    /// The API with every contender.
    Api {
        /// Port on 127.0.0.1.
        #[arg(long)]
        port: u16,
        /// The auth service's "who am I" URL.
        #[arg(long)]
        auth: String,
    },
    /// RSS for a cache of `users` users.
    Memory {
        /// The auth service's "who am I" URL.
        #[arg(long)]
        auth: String,
        /// How many distinct users to cache.
        #[arg(long, default_value_t = 100_000)]
        users: u32,
    },
}

#[actix_web::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    match Options::parse().command {
        Command::Auth { port } => {
            let listener = std::net::TcpListener::bind(("127.0.0.1", port))?;
            auth::serve(listener)?.await?;
        }
        Command::Api { port, auth } => contenders::serve(port, &auth).await?,
        Command::Memory { auth, users } => memory::report(&auth, users).await?,
    }
    Ok(())
}
