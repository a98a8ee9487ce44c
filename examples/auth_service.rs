//! The example auth service on its own, for pointing other services at it.
//!
//! ```text
//! cargo run --example auth_service -- --port 8001
//! curl -s http://127.0.0.1:8001/token -d username=alice -d password=alice-password
//! ```

use std::net::TcpListener;

use actix_authorize_examples::auth_server::{self, Tokens};
use clap::Parser;

/// Serves the example auth service on 127.0.0.1.
#[derive(Parser)]
struct Options {
    /// Port on 127.0.0.1 (0 picks a free one).
    #[arg(long, env = "DEMO_AUTH_PORT", default_value_t = 8001)]
    port: u16,
    /// Secret that signs the JWTs.
    #[arg(
        long,
        env = "DEMO_JWT_SECRET",
        default_value = "demo-secret-not-for-production"
    )]
    secret: String,
}

#[actix_web::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let options = Options::parse();
    let listener = TcpListener::bind(("127.0.0.1", options.port))?;
    let addr = listener.local_addr()?;
    println!("example auth service on http://{addr}");
    println!("  curl -s http://{addr}/token -d username=alice -d password=alice-password");
    println!("  curl -s http://{addr}/users/me -H \"Authorization: Bearer <access_token>\"");
    auth_server::serve(listener, Tokens::new(&options.secret)?)?.await?;
    Ok(())
}
