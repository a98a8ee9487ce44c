"""Settings for the DOT interop harness.

serve.py sets the DOT_HARNESS_* environment variables before django.setup():
  DOT_HARNESS_DB      path of the (fresh, temporary) sqlite file
  DOT_HARNESS_ISSUER  e.g. http://127.0.0.1:43123/o
  DOT_HARNESS_RSA_KEY PEM of the RSA key generated at start-up
  DOT_HARNESS_SYNCDB  "1" (serve.py --syncdb): build tables straight from the
                      models instead of running the ~24 DOT migrations
"""
import os
import secrets

SECRET_KEY = secrets.token_urlsafe(50)  # per process; nothing persistent is signed
DEBUG = False
# Django strips the port before matching, so this accepts 127.0.0.1:<any port>.
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
USE_TZ = True
TIME_ZONE = "UTC"
ROOT_URLCONF = "dotharness.urls"
WSGI_APPLICATION = None
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "oauth2_provider",
]
MIDDLEWARE = [
    "django.middleware.common.CommonMiddleware",  # APPEND_SLASH redirects
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
TEMPLATES = [{"BACKEND": "django.template.backends.django.DjangoTemplates", "APP_DIRS": True}]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("DOT_HARNESS_DB", ":memory:"),
        # Threaded server + sqlite: wait for locks instead of failing, and take the
        # write lock up front so concurrent token requests do not deadlock.
        "OPTIONS": {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            # Throw-away DB: no fsync, rollback journal in memory (faster migrate).
            "init_command": "PRAGMA synchronous=OFF; PRAGMA journal_mode=MEMORY;",
        },
    }
}

if os.environ.get("DOT_HARNESS_SYNCDB") == "1":
    MIGRATION_MODULES = {app.rsplit(".", 1)[-1]: None for app in INSTALLED_APPS}

# Test-only: Django's fast MD5 hasher (what Django recommends for test suites).
# Passwords AND client secrets (DOT hashes them with make_password) use it, so
# each token/introspection request does not pay ~0.5 s of PBKDF2.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

ACCESS_TOKEN_SECONDS = 3600
SHORT_LIVED_CLIENT_ID = "short-lived"
SHORT_LIVED_SECONDS = 2


def token_expires_in(request):
    """oauthlib's BearerToken accepts a callable expires_in(oauthlib_request).
    request.client is the already-authenticated DOT Application."""
    client_id = getattr(getattr(request, "client", None), "client_id", None)
    return SHORT_LIVED_SECONDS if client_id == SHORT_LIVED_CLIENT_ID else ACCESS_TOKEN_SECONDS


OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    "OIDC_RSA_PRIVATE_KEY": os.environ.get("DOT_HARNESS_RSA_KEY", ""),
    "OIDC_ISS_ENDPOINT": os.environ.get("DOT_HARNESS_ISSUER", ""),
    "OAUTH2_VALIDATOR_CLASS": "dotharness.validators.HarnessValidator",
    "SCOPES": {
        "openid": "OpenID Connect",
        "profile": "Profile claims",
        "read": "Reading scope",
        "write": "Writing scope",
        "introspection": "Introspect tokens",
        "admin": "Administration (superusers only, see validators.py)",
    },
    "ACCESS_TOKEN_EXPIRE_SECONDS": ACCESS_TOKEN_SECONDS,
    # EXTRA_SERVER_KWARGS overrides the token_expires_in that DOT derives from
    # ACCESS_TOKEN_EXPIRE_SECONDS; callables must be given directly here.
    "EXTRA_SERVER_KWARGS": {"token_expires_in": token_expires_in},
    "ALLOWED_REDIRECT_URI_SCHEMES": ["http", "https"],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"stderr": {"class": "logging.StreamHandler", "stream": "ext://sys.stderr"}},
    "loggers": {
        "django.server": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        "oauth2_provider": {"handlers": ["stderr"], "level": "WARNING", "propagate": False},
    },
    "root": {"handlers": ["stderr"], "level": "WARNING"},
}
