"""The project's addresses, and two that fail as a bug or an outage would (test_errors.py)."""

from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.urls import path

from config.urls import urlpatterns as project_urls

handler500 = "config.errors.server_error"


def bug(request: HttpRequest) -> HttpResponse:
    raise ValueError("A fault in the code.")


def outage(request: HttpRequest) -> HttpResponse:
    raise OperationalError("terminating connection due to administrator command")


urlpatterns = [path("bug/", bug), path("outage/", outage), *project_urls]
