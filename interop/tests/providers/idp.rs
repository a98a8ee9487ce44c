//! A real identity provider, started from `interop/providers/<name>` on a free port of
//! 127.0.0.1, and the calls a client makes to it: tokens and revocation.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// How long a provider may take to start (Django runs its migrations, Node loads modules).
const START_TIMEOUT: Duration = Duration::from_secs(60);

/// The providers under test.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `oidc-provider` from npm, on Node.js.
    OidcProvider,
    /// `django-oauth-toolkit` from PyPI, on Django.
    DjangoOauthToolkit,
}

/// The client the API introspects with, and users get tokens through.
pub const CLIENT: (&str, &str) = ("actix-api", "actix-api-secret");
/// A client whose tokens expire 2 seconds after they are issued.
pub const SHORT_LIVED_CLIENT: (&str, &str) = ("short-lived", "short-lived-secret");

/// A running provider; it stops when dropped (and by itself if this process dies, since its
/// standard input then closes).
pub struct Provider {
    pub kind: Kind,
    /// Its issuer URL, as its discovery document names it.
    pub issuer: String,
    child: Child,
    _stdin: ChildStdin,
}

impl Provider {
    /// Starts `kind`; its packages must have been installed by `interop/run.sh`.
    pub fn start(kind: Kind) -> Self {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("providers");
        let mut command = match kind {
            Kind::OidcProvider => {
                let mut command = Command::new("node");
                command
                    .current_dir(dir.join("oidc-provider"))
                    .arg("server.mjs");
                command
            }
            Kind::DjangoOauthToolkit => {
                let dir = dir.join("django-oauth-toolkit");
                let mut command = Command::new(dir.join(".venv/bin/python"));
                command.current_dir(&dir).args(["serve.py", "--syncdb"]);
                command
            }
        };
        let stderr = if std::env::var_os("INTEROP_VERBOSE").is_some() {
            Stdio::inherit()
        } else {
            Stdio::null()
        };
        let mut child = command
            .args(["--port", "0"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(stderr)
            .spawn()
            .unwrap_or_else(|error| {
                panic!("cannot start {kind:?} ({error}); run interop/run.sh, which installs it")
            });
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        // The first line of its output says where it listens; read it with a deadline.
        let (sender, receiver) = mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = sender.send(line);
        });
        let line = receiver.recv_timeout(START_TIMEOUT).unwrap_or_default();
        let ready: serde_json::Value = serde_json::from_str(&line).unwrap_or_else(|_| {
            let _ = child.kill();
            panic!("{kind:?} did not start (set INTEROP_VERBOSE=1 to see why): {line:?}")
        });
        Self {
            kind,
            issuer: ready["issuer"].as_str().unwrap().to_owned(),
            child,
            _stdin: stdin,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.issuer)
    }

    /// A real access token for `user` (password `<user>-password`) with `scope`, from the
    /// provider's own token endpoint (the resource-owner password grant).
    pub async fn token(&self, client: (&str, &str), user: &str, scope: &str) -> String {
        let answer = self.ask_token(client, user, scope).await;
        let token = answer.1["access_token"].as_str();
        token
            .unwrap_or_else(|| panic!("no token for {user}: {answer:?}"))
            .to_owned()
    }

    /// The token endpoint's answer to `user` asking for `scope` through `client`: its status
    /// and JSON.
    pub async fn ask_token(
        &self,
        client: (&str, &str),
        user: &str,
        scope: &str,
    ) -> (u16, serde_json::Value) {
        let path = match self.kind {
            Kind::OidcProvider => "/token",
            Kind::DjangoOauthToolkit => "/token/",
        };
        let password = format!("{user}-password");
        let form = [
            ("grant_type", "password"),
            ("username", user),
            ("password", &password),
            ("scope", scope),
        ];
        post_form(&self.url(path), client, &form).await
    }

    /// Revokes `token` at the provider (RFC 7009).
    pub async fn revoke(&self, token: &str) {
        let path = match self.kind {
            Kind::OidcProvider => "/token/revocation",
            Kind::DjangoOauthToolkit => "/revoke_token/",
        };
        let form = [("token", token), ("token_type_hint", "access_token")];
        let (status, body) = post_form(&self.url(path), CLIENT, &form).await;
        assert_eq!(status, 200, "revocation failed: {body}");
    }
}

impl Drop for Provider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `POST` a form with HTTP Basic client authentication; the status and the JSON answer.
async fn post_form(
    url: &str,
    client: (&str, &str),
    form: &[(&str, &str)],
) -> (u16, serde_json::Value) {
    let mut response = awc::Client::new()
        .post(url)
        .basic_auth(client.0, client.1)
        .send_form(&form)
        .await
        .unwrap_or_else(|error| panic!("POST {url}: {error}"));
    let body = response.body().await.unwrap();
    let json = serde_json::from_slice(&body).unwrap_or(serde_json::Value::Null);
    (response.status().as_u16(), json)
}
