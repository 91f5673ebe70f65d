"""The one settings module. Every value that differs between machines comes from the environment.

Development works with no variables set (DEBUG on, SQLite file, a throwaway secret key).
With DEBUG off, SECRET_KEY and ALLOWED_HOSTS are required, and any malformed value stops the
app at start-up with a message that names the variable, so a bad deploy fails loudly, not later.
"""

import os
from datetime import timedelta
from email.utils import parseaddr
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name, "").strip().lower()
    if raw == "":
        return default
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean: use true or false.")


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    raw = os.environ.get(name, "").strip()
    if raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name}={value} is below the minimum of {minimum}.")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", default=True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off: generate one with "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`."
        )
    SECRET_KEY = "development-only-not-secret"  # never used with DEBUG off
elif not DEBUG and (len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5):
    # The same bar as Django's own deploy check (security.W009).
    raise ImproperlyConfigured(
        "SECRET_KEY is too weak for production: use at least 50 characters, not all the same."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS must be set when DEBUG is off: a comma-separated list of host names."
    )
# Behind a load balancer that ends TLS, Django must be told which header says "this was HTTPS",
# and which origins may post forms, or every sign-in fails its CSRF check.
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
for _origin in CSRF_TRUSTED_ORIGINS:
    if not _origin.startswith(("https://", "http://")):
        raise ImproperlyConfigured(
            f"CSRF_TRUSTED_ORIGINS entry {_origin!r} must start with https:// (or http://)."
        )
BEHIND_TLS_PROXY = env_bool("BEHIND_TLS_PROXY", default=False)
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # Named as it is, not as a subclass with narrower ignore patterns: pytest-django's live
    # server serves static files only when it finds this exact name.
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_forms_gds",
    # django-axes, named "Sign-in lockouts" in the admin index (its label stays "axes").
    "config.apps.SignInLockoutsConfig",
    "trends",
    # Before django_tasks_db, so that our db_worker (which loads WeasyPrint first) is the one run.
    "assessment",
    "django_tasks_db",
]

# Background work: Django's tasks framework, queued in the database (django-tasks-db) and run
# by `manage.py db_worker`, a process of its own beside the web server. It makes the report's
# documents whenever what they show changes (assessment.reporting.documents).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # In production WhiteNoise answers /static/ from STATIC_ROOT before sessions or the database
    # are touched. In development runserver (and the tests' live server) serve the source
    # folders themselves, and there is no STATIC_ROOT for WhiteNoise to read.
    *([] if DEBUG else ["whitenoise.middleware.WhiteNoiseMiddleware"]),
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "config.headers.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.sessions.IdleTimeoutMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, so it turns a locked-out sign-in into our lockout page whichever login view ran.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "config.context_processors.service",
            ],
        },
    },
]


def _database_from_url(url: str) -> dict:
    try:
        # Connections are kept between requests; each is checked before a request reuses it,
        # so one the server dropped (a restart, a failover) is replaced, not an error page.
        config = dj_database_url.parse(
            url, conn_max_age=env_int("DB_CONN_MAX_AGE", 60), conn_health_checks=True
        )
    except ValueError as error:
        raise ImproperlyConfigured(
            f"DATABASE_URL is not a database URL we can use: {error}"
        ) from None
    if not config.get("NAME") or config["NAME"] == ":memory:":
        raise ImproperlyConfigured(
            "DATABASE_URL names no database (the path after the host, or a SQLite file)."
        )
    return dict(config)


DATABASES = {
    "default": _database_from_url(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite ignores row locks; taking the write lock when a transaction starts makes
    # concurrent saves wait their turn instead of failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {})["transaction_mode"] = "IMMEDIATE"
    # The tests' database is a file, not memory, so that a real worker process a test starts
    # (manage.py db_worker) reads and writes the same database as the test.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "test-db.sqlite3")}

# Argon2 first: it costs about a third of the CPU of Django's PBKDF2 for a slow-to-guess hash
# (benchmarks/password_hashing.py), and a hundred officers signing in at once before a deadline
# filled every worker with PBKDF2. Older hashes still check, and are rehashed with Argon2 at
# their owner's next sign-in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sign-in throttling (django-axes). Its backend comes first and refuses a locked-out sign-in
# before any password is checked; ModelBackend does the checking. Both our sign-in page and
# the admin's pass the request to authenticate(), which axes needs.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Failures are counted per username *and* address: someone guessing passwords is stopped, but
# cannot lock the real officer out from the council's own network.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = env_int("SIGN_IN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("SIGN_IN_LOCKOUT_MINUTES", 15, minimum=1))
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "assessment.throttling.client_ip"
AXES_LOCKOUT_CALLABLE = "assessment.throttling.locked_out"
# Failed attempts are kept only until their cool-off ends; a log of every successful sign-in
# with its address would be personal data we have no use for (Django keeps last_login).
AXES_DISABLE_ACCESS_LOG = True

LOGIN_URL = "assessment:sign_in"
LOGIN_REDIRECT_URL = "assessment:dashboard"
LOGOUT_REDIRECT_URL = "assessment:home"
# A day: long enough to find the email, short enough that a stale link is useless.
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

STATIC_URL = "/static/"
# `collectstatic` gathers everything here; in production WhiteNoise serves it from here with
# hashed names (cached for a year) and pre-compressed copies.
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or BASE_DIR / "staticfiles")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# GOV.UK Frontend is installed by npm at set-up and our Sass is compiled into build/, so
# neither is committed; the compiled CSS points its fonts and images at /static/govuk/assets/.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    BASE_DIR / "build" / "static",
    ("govuk", BASE_DIR / "node_modules" / "govuk-frontend" / "dist" / "govuk"),
]

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

# Development prints email (password resets) to the console; production sends by SMTP, to
# the relay named by the EMAIL_* variables (a local Postfix on port 25 by default).
_EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
_SMTP: dict[str, object] = {}
if _EMAIL_BACKEND == "django.core.mail.backends.smtp.EmailBackend":
    _SMTP = {
        "host": os.environ.get("EMAIL_HOST", "localhost"),
        "port": env_int("EMAIL_PORT", 25, minimum=1),
        "use_tls": env_bool("EMAIL_USE_TLS", default=False),
        # A relay that does not answer must not hold a worker until gunicorn kills it.
        "timeout": 10,
    }
    if _email_user := os.environ.get("EMAIL_HOST_USER", ""):
        _SMTP |= {"username": _email_user, "password": os.environ.get("EMAIL_HOST_PASSWORD", "")}
MAILERS = {"default": {"BACKEND": _EMAIL_BACKEND, "OPTIONS": _SMTP}}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "webmaster@localhost")

# A shared cache for several app servers: rendered report pages and open data, and sessions (read
# from the cache, written through to the database, so a Redis restart signs nobody out).
# Without REDIS_URL each process keeps its own small cache and sessions live in the database.
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
if REDIS_URL:
    if not REDIS_URL.startswith(("redis://", "rediss://")):
        # The value is not echoed: it may hold the Redis password.
        raise ImproperlyConfigured(
            "REDIS_URL must start with redis:// (or rediss:// for TLS), "
            "like redis://cache.internal:6379/0."
        )
    CACHES = {
        "default": {
            # Django's Redis cache, but a Redis outage makes it a miss, not an error page.
            "BACKEND": "config.cache.ForgivingRedisCache",
            "LOCATION": REDIS_URL,
            # Seconds to wait for Redis before carrying on without it.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Sessions end after a period of inactivity, and when the browser closes: officers use shared
# council machines. config.sessions.IdleTimeoutMiddleware pushes the end on while a session is
# used, saving it at most every five minutes rather than on every request.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 8 * 60, minimum=10) * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = CSRF_COOKIE_HTTPONLY = True  # no script of ours reads either cookie
# Lax, not Strict: a link to the service in an email must arrive signed in.
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = "Lax"

# HTTPS only once DEBUG is off. Behind a TLS proxy, SECURE_PROXY_SSL_HEADER (above) is what lets
# Django see that a request was HTTPS; without it every request would be redirected forever.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", 0 if DEBUG else 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", default=False)
if not SECURE_HSTS_PRELOAD:
    # Preloading commits the whole registrable domain (the council's, not ours) to HTTPS in
    # every browser, for months: the domain's owner decides, so its deploy warning is silenced.
    SILENCED_SYSTEM_CHECKS = ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content Security Policy, on in development too so a violation shows up before it ships.
# Every script and stylesheet is a file of ours under /static/: nothing inline, no other host.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# Shown in the header and page titles; one place so the service can be renamed.
SERVICE_NAME = "Digital maturity self-assessment"

# How many points one index must lead the other by before the report warns of imbalance
# (docs/scoring.md, "Balance").
BALANCE_MARGIN = env_int("BALANCE_MARGIN", 15, minimum=1)

# Peer comparisons show figures only when at least this many other organisations have submitted
# (docs/scoring.md, "Peer comparison"): fewer and one council's scores could be singled out.
PEER_MINIMUM = env_int("PEER_MINIMUM", 5, minimum=3)

# A queued render of the report's documents not done after this many seconds is queued again
# (the worker may have been down), and the "preparing" page says it is taking longer than usual.
REPORT_RENDER_PATIENCE_SECONDS = env_int("REPORT_RENDER_PATIENCE_SECONDS", 120, minimum=10)

# The largest edition file an admin may import (bytes). Editions are ~100 KB; this refuses
# accidents and abuse long before they cost memory.
EDITION_IMPORT_MAX_BYTES = env_int("EDITION_IMPORT_MAX_BYTES", 2_000_000, minimum=10_000)

LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO").strip().upper()
if LOG_LEVEL not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
    raise ImproperlyConfigured(
        f"LOG_LEVEL={LOG_LEVEL!r} is not a level: use DEBUG, INFO, WARNING, ERROR or CRITICAL."
    )
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    # WeasyPrint narrates every layout step at INFO; its warnings still show.
    # Axes announces itself and every successful sign-in at INFO; its lockouts still show.
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}

# Where feedback reaches the team that runs the service: the phase banner's link and the
# accessibility statement's contact. A web form (https://…) or an email (mailto:…); unset, an
# email to FEEDBACK_EMAIL, else to the address mail is sent from.
FEEDBACK_EMAIL = os.environ.get("FEEDBACK_EMAIL", "")
FEEDBACK_URL = os.environ.get("FEEDBACK_URL", "").strip()
if not FEEDBACK_URL:
    _feedback_address = FEEDBACK_EMAIL.strip() or parseaddr(DEFAULT_FROM_EMAIL)[1]
    if "@" not in _feedback_address:
        raise ImproperlyConfigured(
            "FEEDBACK_URL is not set and DEFAULT_FROM_EMAIL holds no email address to use "
            "instead: set FEEDBACK_URL (https://… or mailto:…) or FEEDBACK_EMAIL."
        )
    FEEDBACK_URL = f"mailto:{_feedback_address}"
if not FEEDBACK_URL.startswith(("https://", "mailto:")):
    raise ImproperlyConfigured(
        f"FEEDBACK_URL={FEEDBACK_URL!r} must start with https:// (a web form) or mailto: "
        "(an email address)."
    )
