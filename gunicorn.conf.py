"""Gunicorn's settings in production. `gunicorn config.wsgi` reads this file from the working
directory; docs/deploy.md has the command, the service unit and the proxy in front.
"""

import os

from gunicorn.http import wsgi

# On the same machine as the TLS reverse proxy, which is the only thing that should reach it.
# Set GUNICORN_BIND to 0.0.0.0:8000 (or unix:/run/…) when the proxy runs elsewhere.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# Sync workers, two per core plus one: five on the two-core servers the service runs on.
# Chosen by measurement (benchmarks/load.py --officers 100: 60 s of answering on 2 cores,
# December 2026): sync × 5 answered with a 95th percentile of 83 ms at
# 15 ms of CPU a request; gthread × 5 with 2 threads each, 241 ms at 22 ms; gthread × 2 with 4
# threads, 561 ms (99th percentile 2.3 s). A request is mostly Python work (drawing a page),
# which threads in one process take turns at; waits on the database are short. Report
# documents are made by the background worker (manage.py db_worker), never here.
worker_class = "sync"
workers = int(os.environ.get("WEB_CONCURRENCY") or 2 * (os.cpu_count() or 1) + 1)

# The slowest request, a report page built cold, takes tens of milliseconds; a sign-in's
# password check about 0.2 s of CPU (Argon2): one at 30 s is stuck.
timeout = 30
# Replace each worker now and then, so that no slow growth in memory can build up over weeks.
# Not too often: a new worker spends about three seconds of CPU loading the app, and at the
# 100-officer peak (60 requests a second) 1,000 requests would replace one every 17 s.
max_requests = 5000
max_requests_jitter = 500


def post_worker_init(worker: object) -> None:
    """Load the URLconf, and the views with it, before the worker takes its first request:
    otherwise that request, right after each start or deploy, waits about two seconds."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (loading them is the point)


# Both logs to standard output and error, where systemd's journal (or a container) keeps them.
accesslog = "-"
errorlog = "-"


# No `Server:` header naming gunicorn and its version: it tells an attacker what to try, and
# gunicorn has no setting to leave it out. nginx in front drops it anyway (and, with
# `server_tokens off`, names no version of its own), but not every proxy does.
# Reloading (HUP) reads this file again: keep gunicorn's own method once, never wrap ours.
if not hasattr(wsgi.Response, "gunicorn_default_headers"):
    wsgi.Response.gunicorn_default_headers = wsgi.Response.default_headers


def _default_headers_without_server(response: wsgi.Response) -> list[str]:
    headers = response.gunicorn_default_headers()
    return [h for h in headers if not h.startswith("Server:")]


wsgi.Response.default_headers = _default_headers_without_server
