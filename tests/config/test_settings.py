"""Settings come from the environment and refuse bad production values by name.

Each case starts a fresh Python process, because settings are read once at start-up.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SETTINGS_VARIABLES = {
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DATABASE_URL",
    "LOG_LEVEL",
    "CSRF_TRUSTED_ORIGINS",
    "BEHIND_TLS_PROXY",
    "BALANCE_MARGIN",
    "PEER_MINIMUM",
    "DB_CONN_MAX_AGE",
    "EDITION_IMPORT_MAX_BYTES",
}
GOOD_PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "production-secret-0123456789-abcdefghijklmnopqrstuvwxyz",
    "ALLOWED_HOSTS": "assess.example.gov.uk",
}


def start_django(**env: str) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"}
    }
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings as s; "
            "print(s.DEBUG, s.ALLOWED_HOSTS, s.DATABASES['default']['ENGINE'])",
        ],
        cwd=ROOT,
        env=clean | {"DJANGO_SETTINGS_MODULE": "config.settings"} | env,
        capture_output=True,
        text=True,
        timeout=60,
    )


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
