"""A production configuration passes Django's deploy checks, shares its cache through Redis,
and serves hashed, compressed static files with WhiteNoise.

Each case starts fresh processes, as a deploy does, because settings are read once at start-up.
"""

import http.client
import os
import socket
import subprocess
import sys
import time
import uuid

import pytest
import redis

from tests.config.test_settings import GOOD_PRODUCTION, ROOT, SETTINGS_VARIABLES, fresh_process

# A database number of its own on the machine's Redis, so the tests touch nothing else there.
TEST_REDIS_URL = "redis://127.0.0.1:6379/15"


def manage(*args: str, **env: str):
    return fresh_process(
        f"import sys; sys.argv = ['manage.py', *{list(args)!r}]; "
        "from django.core.management import execute_from_command_line; "
        "execute_from_command_line(sys.argv)",
        **env,
    )


@pytest.mark.parametrize(
    "extra",
    [
        {},
        {"BEHIND_TLS_PROXY": "true", "CSRF_TRUSTED_ORIGINS": "https://assess.example.gov.uk"},
        {"REDIS_URL": TEST_REDIS_URL},
    ],
    ids=["direct", "behind-a-proxy", "with-redis"],
)
def test_check_deploy_finds_nothing_to_warn_about(extra):
    result = manage("check", "--deploy", "--fail-level", "WARNING", **GOOD_PRODUCTION, **extra)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_does_warn_when_hsts_is_switched_off():
    # The check above is clean because the settings are right, not because checks are silenced.
    result = manage("check", "--deploy", **GOOD_PRODUCTION, HSTS_SECONDS="0")

    assert "security.W004" in result.stdout + result.stderr


@pytest.fixture
def test_redis():
    server = redis.Redis.from_url(TEST_REDIS_URL)
    try:
        server.ping()
    except redis.ConnectionError:
        pytest.skip(f"no Redis server answers at {TEST_REDIS_URL}")
    yield server
    server.close()


def test_with_redis_one_app_server_reads_what_another_cached(test_redis):
    key = f"shared-cache-test-{uuid.uuid4().hex}"
    cache_code = (
        "import django; django.setup(); from django.core.cache import cache; "
        "from django.conf import settings; assert settings.SESSION_ENGINE.endswith('cached_db'); "
    )
    env = GOOD_PRODUCTION | {"REDIS_URL": TEST_REDIS_URL}
    try:
        writer = fresh_process(cache_code + f"cache.set({key!r}, {{'pdf': b'%PDF'}}, 60)", **env)
        assert writer.returncode == 0, writer.stderr

        reader = fresh_process(cache_code + f"print(cache.get({key!r}))", **env)
        assert reader.returncode == 0, reader.stderr
        assert reader.stdout.strip() == "{'pdf': b'%PDF'}"
    finally:
        test_redis.delete(f":1:{key}")  # Django's default key prefix and version

    assert not any(test_redis.scan_iter(match=f"*{key}*"))


def test_collectstatic_then_whitenoise_serves_hashed_compressed_files(tmp_path):
    if not (ROOT / "build" / "static" / "css" / "app.css").exists():
        pytest.skip("the stylesheet is not built: run `npm run build:css` (make does)")
    static_root = tmp_path / "static"
    env = GOOD_PRODUCTION | {"STATIC_ROOT": str(static_root)}

    collected = manage("collectstatic", "--noinput", "-v", "0", **env)
    assert collected.returncode == 0, collected.stderr

    assert (static_root / "govuk" / "govuk-frontend.min.js").exists()

    served = fresh_process(
        "import django; django.setup(); "
        "from django.templatetags.static import static; from django.test import Client; "
        "url = static('css/app.css'); "
        "response = Client().get(url, HTTP_ACCEPT_ENCODING='gzip', secure=True); "
        "print(url, response.status_code, response.get('Content-Encoding'), "
        "response['Cache-Control'], sep='|')",
        **env,
    )
    assert served.returncode == 0, served.stderr
    url, status, encoding, cache_control = served.stdout.strip().split("|")
    assert (
        url.startswith("/static/css/app.") and url.endswith(".css") and url != "/static/css/app.css"
    )
    assert status == "200"
    assert encoding == "gzip"
    assert "immutable" in cache_control and "max-age=315360000" in cache_control


def test_gunicorn_config_binds_from_the_environment_and_logs_to_stdout():
    result = fresh_process(
        "import runpy, json; c = runpy.run_path('gunicorn.conf.py'); "
        "print(json.dumps({k: c[k] for k in ['bind', 'workers', 'accesslog', 'errorlog']}))",
        GUNICORN_BIND="0.0.0.0:9000",
        WEB_CONCURRENCY="3",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        '{"bind": "0.0.0.0:9000", "workers": 3, "accesslog": "-", "errorlog": "-"}'
    )


def test_gunicorn_config_loads_in_gunicorn_itself():
    result = fresh_process(
        "import sys; from gunicorn.app.wsgiapp import WSGIApplication; "
        "sys.argv = ['gunicorn', '--check-config', '-c', 'gunicorn.conf.py', 'config.wsgi']; "
        "WSGIApplication('%(prog)s [OPTIONS] [APP_MODULE]').run()",
        **GOOD_PRODUCTION,
    )

    assert result.returncode == 0, result.stdout + result.stderr


def test_gunicorn_does_not_name_itself_in_a_server_header(tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    clean = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARIABLES}
    env = (
        clean
        | GOOD_PRODUCTION
        | {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "ALLOWED_HOSTS": "127.0.0.1",
            "BEHIND_TLS_PROXY": "true",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "WEB_CONCURRENCY": "1",
        }
    )
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi:application"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        headers = None
        for _ in range(300):  # up to 30 s on a busy machine
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                connection.request(
                    "GET", "/sector/data.csv", headers={"X-Forwarded-Proto": "https"}
                )
                response = connection.getresponse()
                status, headers = response.status, dict(response.getheaders())
                connection.close()
                break
            except OSError:
                time.sleep(0.1)
    finally:
        server.terminate()
        server.wait(timeout=30)

    assert headers is not None, "gunicorn never answered"
    # Django answered, through gunicorn: to the sign-in page, with a header of ours.
    assert status == 302 and "Permissions-Policy" in headers
    assert "Server" not in headers
