"""A database restart or failover between two requests costs no one an error page."""

import io

import psycopg
import pytest
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection

pytestmark = pytest.mark.django_db(transaction=True)


def get(path: str) -> str:
    """One request through Django's own WSGI handler, as gunicorn makes it: unlike the test
    client, it checks the kept connection as each request starts."""
    statuses = []
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "HTTP_HOST": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": io.StringIO(),
    }

    def start_response(status: str, headers: list, exc_info: object = None) -> None:
        statuses.append(status)

    body = WSGIHandler()(environ, start_response)  # type: ignore[arg-type]
    b"".join(body)
    return statuses[0]


def test_a_kept_connection_the_database_dropped_is_replaced_not_an_error():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no server that can drop a connection.")
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
    assert get("/") == "200 OK"  # the home page reads the trends
    backend = connection.connection.info.backend_pid  # kept for the next request

    params = connection.get_connection_params()
    with psycopg.connect(**params, autocommit=True) as admin:  # as a restart would
        admin.execute("SELECT pg_terminate_backend(%s)", [backend])

    assert get("/") == "200 OK"
    assert connection.connection.info.backend_pid != backend
