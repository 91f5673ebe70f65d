"""Gunicorn's settings in production. `gunicorn config.wsgi` reads this file from the working
directory; docs/deploy.md has the command, the service unit and the proxy in front.
"""

import os

from gunicorn.http import wsgi

# On the same machine as the TLS reverse proxy, which is the only thing that should reach it.
# Set GUNICORN_BIND to 0.0.0.0:8000 (or unix:/run/…) when the proxy runs elsewhere.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# Two per core plus one: most requests wait on the database. Report documents are made by the
# background worker (manage.py db_worker), never here. Five on the two-core servers the
# service runs on.
workers = int(os.environ.get("WEB_CONCURRENCY") or 2 * (os.cpu_count() or 1) + 1)

# The slowest request, a report page built cold, takes tens of milliseconds; a sign-in's
# password check about 0.2 s of CPU (Argon2): one at 30 s is stuck.
timeout = 30
# Replace each worker now and then, so no slow growth in memory (WeasyPrint's fonts and
# layouts) can build up over weeks.
max_requests = 1000
max_requests_jitter = 100

# Both logs to standard output and error, where systemd's journal (or a container) keeps them.
accesslog = "-"
errorlog = "-"


# No `Server:` header naming gunicorn and its version: it tells an attacker what to try, and
# gunicorn has no setting to leave it out. nginx in front drops it anyway (and, with
# `server_tokens off`, names no version of its own), but not every proxy does.
_default_headers = wsgi.Response.default_headers


def _default_headers_without_server(response: wsgi.Response) -> list[str]:
    return [h for h in _default_headers(response) if not h.startswith("Server:")]


wsgi.Response.default_headers = _default_headers_without_server
