"""What people see when the service itself fails: GOV.UK-styled pages, never Django's bare text.

`server_error` is the project's handler500. It draws its page from the template alone, with
no request context, so that it works while the database (sessions, users) does not. A
database that cannot be reached, or that dropped the connection, is an outage, not a bug:
those get the 503 page, "try again in a few minutes", with `Retry-After`.
"""

from __future__ import annotations

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import loader

from config.context_processors import service

# How long a client is asked to wait before trying again while the database is unreachable.
RETRY_AFTER_SECONDS = 120


def server_error(request: HttpRequest) -> HttpResponse:
    """Called by Django inside its handling of an uncaught exception: the exception in hand
    says whether this is an outage (503) or a fault (500)."""
    outage = isinstance(sys.exception(), OperationalError | InterfaceError)
    status, template = (503, "503.html") if outage else (500, "500.html")
    context = service(request)  # what every page's layout reads, none of it from the database
    response = HttpResponse(loader.get_template(template).render(context), status=status)
    if outage:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
