"""Run django-oauth-toolkit as a throw-away OAuth2/OIDC provider on 127.0.0.1.

    .venv/bin/python serve.py --port 0

Fresh sqlite DB in a temp dir, migrations, seed data, then a threaded WSGI
server. Prints exactly one JSON line to stdout once listening:
    {"issuer": "http://127.0.0.1:43123/o", "port": 43123}
Everything else goes to stderr. Exits on stdin EOF (unless --ignore-stdin),
SIGTERM or SIGINT, and deletes the temp dir.
"""
import argparse
import contextlib
import json
import os
import shutil
import signal
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

USERS = [  # pk, username, password, superuser/staff, groups
    (1, "alice", "alice-password", True, ["admin"]),
    (2, "bob", "bob-password", False, []),
    (3, "carol", "carol-password", False, []),
]
APPS = [  # client_id, client_secret (plain)
    ("actix-api", "actix-api-secret"),
    ("short-lived", "short-lived-secret"),  # 2 s tokens, see settings.token_expires_in
]


def log(msg):
    print(f"serve.py: {msg}", file=sys.stderr, flush=True)


def rsa_pem():
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def seed():
    from django.contrib.auth.models import Group, User
    from oauth2_provider.models import Application

    for pk, name, password, admin, groups in USERS:
        u = User(pk=pk, username=name, email=f"{name}@example.com",
                 is_superuser=admin, is_staff=admin)
        u.set_password(password)
        u.save()
        for g in groups:
            u.groups.add(Group.objects.get_or_create(name=g)[0])
    for client_id, secret in APPS:
        # client_secret is set in plain text; DOT's ClientSecretField hashes it
        # on save (hash_client_secret=True), so Basic auth with the plain value works.
        Application.objects.create(
            client_id=client_id,
            client_secret=secret,
            name=client_id,
            client_type=Application.CLIENT_CONFIDENTIAL,
            authorization_grant_type=Application.GRANT_PASSWORD,
            algorithm=Application.RS256_ALGORITHM,
        )


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--port", type=int, default=0, help="0 = ephemeral")
    ap.add_argument("--ignore-stdin", action="store_true",
                    help="do not exit on stdin EOF (for `serve.py &` from a shell)")
    ap.add_argument("--syncdb", action="store_true",
                    help="create tables from the models instead of running migrations "
                         "(about 1.5 s faster; same schema on an empty DB)")
    args = ap.parse_args()
    t0 = time.monotonic()

    # Install the exit triggers first, so a SIGTERM or stdin EOF that arrives
    # during start-up still unwinds through the temp-dir cleanup below.
    stop = threading.Event()
    serving = threading.Event()

    def on_signal(signum, _frame):
        stop.set()
        if not serving.is_set():
            raise SystemExit(128 + signum)

    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, on_signal)
    if not args.ignore_stdin:
        def watch_stdin():
            with contextlib.suppress(Exception):
                while sys.stdin.buffer.read1(65536):
                    pass
            log("stdin EOF, shutting down")
            stop.set()
        threading.Thread(target=watch_stdin, daemon=True).start()

    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler

    # Bind first so the issuer (which needs the port) can go into the settings.
    httpd = ThreadedWSGIServer(("127.0.0.1", args.port), WSGIRequestHandler)
    port = httpd.server_address[1]
    issuer = f"http://127.0.0.1:{port}/o"

    tmp = tempfile.mkdtemp(prefix="dot-harness-")
    try:
        os.environ["DJANGO_SETTINGS_MODULE"] = "dotharness.settings"
        os.environ["DOT_HARNESS_DB"] = os.path.join(tmp, "db.sqlite3")
        os.environ["DOT_HARNESS_ISSUER"] = issuer
        os.environ["DOT_HARNESS_RSA_KEY"] = rsa_pem()
        os.environ["DOT_HARNESS_SYNCDB"] = "1" if args.syncdb else "0"

        import django
        from django.core.management import call_command
        from django.core.wsgi import get_wsgi_application
        from django.db import connections

        with contextlib.redirect_stdout(sys.stderr):  # keep stdout for the JSON line
            django.setup()
            t1 = time.monotonic()
            call_command("migrate", verbosity=0, interactive=False,
                         run_syncdb=args.syncdb, stdout=sys.stderr)
            t2 = time.monotonic()
            seed()
            connections.close_all()
            httpd.set_app(get_wsgi_application())
        log(f"{'syncdb' if args.syncdb else 'migrate'} {t2 - t1:.2f}s, total start-up {time.monotonic() - t0:.2f}s, db {tmp}")

        if stop.is_set():  # stdin closed during start-up
            return 1
        serving.set()
        threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.2},
                         daemon=True).start()
        sys.stdout.write(json.dumps({"issuer": issuer, "port": port}) + "\n")
        sys.stdout.flush()

        while not stop.wait(0.2):
            pass
        log("stopping")
        httpd.shutdown()
    finally:
        httpd.server_close()
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
