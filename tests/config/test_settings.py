"""Settings come from the environment and refuse bad production values by name.

Each case starts a fresh Python process, because settings are read once at start-up.
"""

import json
import os
import re
import socketserver
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Every variable config/settings.py reads; test_every_variable_is_read_and_documented keeps
# this list, the settings module and docs/deploy.md in step.
SETTINGS_VARIABLES = {
    "DEBUG",
    "FEEDBACK_URL",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "BEHIND_TLS_PROXY",
    "DATABASE_URL",
    "DB_CONN_MAX_AGE",
    "REDIS_URL",
    "STATIC_ROOT",
    "EMAIL_BACKEND",
    "EMAIL_HOST",
    "EMAIL_PORT",
    "EMAIL_USE_TLS",
    "EMAIL_HOST_USER",
    "EMAIL_HOST_PASSWORD",
    "DEFAULT_FROM_EMAIL",
    "SIGN_IN_FAILURE_LIMIT",
    "SIGN_IN_LOCKOUT_MINUTES",
    "SESSION_IDLE_MINUTES",
    "SECURE_SSL_REDIRECT",
    "HSTS_SECONDS",
    "HSTS_INCLUDE_SUBDOMAINS",
    "HSTS_PRELOAD",
    "BALANCE_MARGIN",
    "PEER_MINIMUM",
    "REPORT_RENDER_PATIENCE_SECONDS",
    "EDITION_IMPORT_MAX_BYTES",
    "LOG_LEVEL",
    "FEEDBACK_EMAIL",
}
GOOD_PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "production-secret-0123456789-abcdefghijklmnopqrstuvwxyz",
    "ALLOWED_HOSTS": "assess.example.gov.uk",
}


def fresh_process(code: str, **env: str) -> subprocess.CompletedProcess:
    """Run `code` in a new Python process with only `env` set of the settings' variables."""
    # The browser tests' conftest allows async-unsafe ORM calls for this process; a deploy
    # never would (and `check --deploy` says so).
    inherited = SETTINGS_VARIABLES | {"DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in inherited}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=clean | {"DJANGO_SETTINGS_MODULE": "config.settings"} | env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def start_django(**env: str) -> subprocess.CompletedProcess:
    return fresh_process(
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DEBUG, s.ALLOWED_HOSTS, s.DATABASES['default']['ENGINE'])",
        **env,
    )


def settings_of(*names: str, **env: str) -> dict:
    """The named settings as a fresh process with `env` sees them (as JSON: tuples are lists)."""
    result = fresh_process(
        "import django, json; django.setup(); from django.conf import settings as s; "
        f"print(json.dumps({{n: getattr(s, n, None) for n in {list(names)!r}}}, default=str))",
        **env,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


def test_development_needs_no_variables():
    result = start_django()

    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[0] == "True"
    assert "sqlite3" in result.stdout


def test_production_starts_with_the_required_values():
    result = start_django(**GOOD_PRODUCTION)

    assert result.returncode == 0, result.stderr
    assert "False ['assess.example.gov.uk']" in result.stdout


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"SECRET_KEY": ""}, "SECRET_KEY must be set when DEBUG is off"),
        ({"SECRET_KEY": "short"}, "SECRET_KEY is too weak for production"),
        ({"SECRET_KEY": "k" * 60}, "SECRET_KEY is too weak for production"),
        ({"LOG_LEVEL": "verbose"}, "LOG_LEVEL='VERBOSE' is not a level"),
        ({"DATABASE_URL": "sqlite://"}, "DATABASE_URL names no database"),
        ({"CSRF_TRUSTED_ORIGINS": "assess.example.gov.uk"}, "must start with https://"),
        ({"BEHIND_TLS_PROXY": "perhaps"}, "BEHIND_TLS_PROXY='perhaps' is not a boolean"),
        ({"BALANCE_MARGIN": "0"}, "BALANCE_MARGIN=0 is below the minimum of 1"),
        ({"PEER_MINIMUM": "2"}, "PEER_MINIMUM=2 is below the minimum of 3"),
        ({"ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS must be set when DEBUG is off"),
        ({"DEBUG": "maybe"}, "DEBUG='maybe' is not a boolean"),
        ({"DATABASE_URL": "mongodb://db/assess"}, "DATABASE_URL is not a database URL we can use"),
        ({"DATABASE_URL": "postgres://db.internal:5432"}, "DATABASE_URL names no database"),
        ({"DB_CONN_MAX_AGE": "forever"}, "DB_CONN_MAX_AGE='forever' is not a whole number"),
        ({"EDITION_IMPORT_MAX_BYTES": "5"}, "EDITION_IMPORT_MAX_BYTES=5 is below the minimum"),
        ({"REDIS_URL": "cache.internal:6379"}, "REDIS_URL must start with redis://"),
        ({"REDIS_URL": "http://cache.internal/"}, "REDIS_URL must start with redis://"),
        ({"SIGN_IN_FAILURE_LIMIT": "0"}, "SIGN_IN_FAILURE_LIMIT=0 is below the minimum of 1"),
        ({"SIGN_IN_LOCKOUT_MINUTES": "soon"}, "SIGN_IN_LOCKOUT_MINUTES='soon' is not a whole"),
        ({"SESSION_IDLE_MINUTES": "5"}, "SESSION_IDLE_MINUTES=5 is below the minimum of 10"),
        ({"SECURE_SSL_REDIRECT": "sometimes"}, "SECURE_SSL_REDIRECT='sometimes' is not a boolean"),
        ({"HSTS_SECONDS": "-1"}, "HSTS_SECONDS=-1 is below the minimum of 0"),
        ({"HSTS_INCLUDE_SUBDOMAINS": "2"}, "HSTS_INCLUDE_SUBDOMAINS='2' is not a boolean"),
        ({"HSTS_PRELOAD": "later"}, "HSTS_PRELOAD='later' is not a boolean"),
    ],
)
def test_a_bad_production_value_stops_start_up_naming_the_variable(env, message):
    result = start_django(**(GOOD_PRODUCTION | env))

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_postgresql_is_chosen_by_database_url():
    result = start_django(DATABASE_URL="postgres://app@db.internal:5432/assess")

    assert result.returncode == 0, result.stderr
    assert "django.db.backends.postgresql" in result.stdout


def test_a_redis_url_with_a_password_is_not_echoed_when_refused():
    result = start_django(**GOOD_PRODUCTION, REDIS_URL="https://:hunter2-secret@cache/0")

    assert "REDIS_URL must start with redis://" in result.stderr
    assert "hunter2-secret" not in result.stderr


def test_production_is_https_only_with_hsts_and_secure_cookies():
    seen = settings_of(
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "CSRF_COOKIE_HTTPONLY",
        "SESSION_COOKIE_SAMESITE",
        "SECURE_PROXY_SSL_HEADER",
        **GOOD_PRODUCTION,
    )

    assert seen == {
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31_536_000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": False,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "CSRF_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SECURE_PROXY_SSL_HEADER": None,
    }


def test_development_stays_on_plain_http_without_hsts():
    seen = settings_of("SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SESSION_COOKIE_SECURE")

    assert seen == {
        "SECURE_SSL_REDIRECT": False,
        "SECURE_HSTS_SECONDS": 0,
        "SESSION_COOKIE_SECURE": False,
    }


def test_behind_a_tls_proxy_django_trusts_its_forwarded_proto():
    seen = settings_of(
        "BEHIND_TLS_PROXY", "SECURE_PROXY_SSL_HEADER", **GOOD_PRODUCTION, BEHIND_TLS_PROXY="true"
    )

    assert seen == {
        "BEHIND_TLS_PROXY": True,
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
    }


def test_hsts_and_the_https_redirect_can_be_tuned():
    seen = settings_of(
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
        "SILENCED_SYSTEM_CHECKS",
        **GOOD_PRODUCTION,
        SECURE_SSL_REDIRECT="false",
        HSTS_SECONDS="300",
        HSTS_INCLUDE_SUBDOMAINS="false",
        HSTS_PRELOAD="true",
    )

    assert seen == {
        "SECURE_SSL_REDIRECT": False,
        "SECURE_HSTS_SECONDS": 300,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": False,
        "SECURE_HSTS_PRELOAD": True,
        "SILENCED_SYSTEM_CHECKS": [],  # preload on: nothing left to silence
    }


def test_sessions_end_after_the_idle_time_and_with_the_browser():
    default = settings_of("SESSION_COOKIE_AGE", "SESSION_EXPIRE_AT_BROWSER_CLOSE")
    shorter = settings_of("SESSION_COOKIE_AGE", SESSION_IDLE_MINUTES="30")

    assert default == {"SESSION_COOKIE_AGE": 8 * 60 * 60, "SESSION_EXPIRE_AT_BROWSER_CLOSE": True}
    assert shorter == {"SESSION_COOKIE_AGE": 30 * 60}


def test_sign_in_throttling_limits_come_from_the_environment():
    default = settings_of("AXES_FAILURE_LIMIT", "AXES_COOLOFF_TIME")
    tuned = settings_of(
        "AXES_FAILURE_LIMIT",
        "AXES_COOLOFF_TIME",
        SIGN_IN_FAILURE_LIMIT="10",
        SIGN_IN_LOCKOUT_MINUTES="60",
    )

    assert default == {"AXES_FAILURE_LIMIT": 5, "AXES_COOLOFF_TIME": "0:15:00"}
    assert tuned == {"AXES_FAILURE_LIMIT": 10, "AXES_COOLOFF_TIME": "1:00:00"}


class _Relay(socketserver.StreamRequestHandler):
    """Just enough of an SMTP relay to accept one message and keep what it was told."""

    def handle(self) -> None:
        said = self.server.said  # type: ignore[attr-defined]
        self.wfile.write(b"220 relay.test ESMTP\r\n")
        while line := self.rfile.readline():
            command = line.decode().strip()
            said.append(command)
            verb = command.split(" ", 1)[0].upper()
            if verb == "DATA":
                self.wfile.write(b"354 go ahead\r\n")
                body = []
                while (data := self.rfile.readline()) not in (b".\r\n", b""):
                    body.append(data.decode())
                said.append("".join(body))
                self.wfile.write(b"250 queued\r\n")
            elif verb == "QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"250 ok\r\n")


def test_production_sends_email_through_the_relay_the_variables_name():
    relay = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Relay)
    relay.said = []  # type: ignore[attr-defined]
    threading.Thread(target=relay.serve_forever, daemon=True).start()
    try:
        result = fresh_process(
            "import django; django.setup(); from django.core.mail import send_mail; "
            "send_mail('Reset your password', 'Follow the link.', None, "
            "['officer@example.gov.uk'])",
            **GOOD_PRODUCTION,
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=str(relay.server_address[1]),
            DEFAULT_FROM_EMAIL="Digital maturity <noreply@assess.example.gov.uk>",
        )
    finally:
        relay.shutdown()
        relay.server_close()

    assert result.returncode == 0, result.stderr
    commands = [said.lower() for said in relay.said[:-2]]  # type: ignore[attr-defined]
    message = relay.said[-2]  # type: ignore[attr-defined]
    assert "mail from:<noreply@assess.example.gov.uk>" in commands
    assert "rcpt to:<officer@example.gov.uk>" in commands
    assert "From: Digital maturity <noreply@assess.example.gov.uk>" in message
    assert "Subject: Reset your password" in message


def test_the_relays_credentials_and_tls_come_from_the_environment():
    seen = settings_of(
        "MAILERS",
        **GOOD_PRODUCTION,
        EMAIL_HOST="smtp.council.example",
        EMAIL_PORT="587",
        EMAIL_USE_TLS="true",
        EMAIL_HOST_USER="assess",
        EMAIL_HOST_PASSWORD="relay-secret",
    )
    development = settings_of("MAILERS")

    assert seen["MAILERS"]["default"] == {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": "smtp.council.example",
            "port": 587,
            "use_tls": True,
            "timeout": 10,
            "username": "assess",
            "password": "relay-secret",
        },
    }
    assert development["MAILERS"]["default"] == {
        "BACKEND": "django.core.mail.backends.console.EmailBackend",
        "OPTIONS": {},
    }


def test_without_redis_each_process_has_its_own_cache_and_sessions_use_the_database():
    seen = settings_of("CACHES", "SESSION_ENGINE", **GOOD_PRODUCTION)

    assert seen["CACHES"]["default"]["BACKEND"] == ("django.core.cache.backends.locmem.LocMemCache")
    assert seen["SESSION_ENGINE"] == "django.contrib.sessions.backends.db"


@pytest.mark.parametrize("url", ["redis://cache.internal:6379/0", "rediss://:pw@cache:6380/1"])
def test_redis_url_gives_a_shared_cache_and_cached_sessions(url):
    seen = settings_of("CACHES", "SESSION_ENGINE", **GOOD_PRODUCTION, REDIS_URL=url)

    assert seen["CACHES"]["default"] == {
        "BACKEND": "config.cache.ForgivingRedisCache",
        "LOCATION": url,
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
    assert seen["SESSION_ENGINE"] == "django.contrib.sessions.backends.cached_db"


def test_production_serves_hashed_compressed_static_files_with_whitenoise():
    production = settings_of("STORAGES", "MIDDLEWARE", **GOOD_PRODUCTION)
    development = settings_of("STORAGES", "MIDDLEWARE")

    assert production["STORAGES"]["staticfiles"]["BACKEND"] == (
        "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )
    # Right after SecurityMiddleware, so static files skip sessions and the database.
    assert production["MIDDLEWARE"][:2] == [
        "django.middleware.security.SecurityMiddleware",
        "whitenoise.middleware.WhiteNoiseMiddleware",
    ]
    assert "whitenoise.middleware.WhiteNoiseMiddleware" not in development["MIDDLEWARE"]


def test_every_variable_is_read_and_documented():
    source = (ROOT / "config" / "settings.py").read_text()
    read = set(re.findall(r'(?:env_bool|env_int|env_list|os\.environ\.get)\(\s*"(\w+)"', source))
    guide = (ROOT / "docs" / "deploy.md").read_text()
    documented = set(re.findall(r"^\| `(\w+)` \|", guide, re.MULTILINE))

    assert read == SETTINGS_VARIABLES
    assert SETTINGS_VARIABLES - documented == set()
