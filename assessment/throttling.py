"""Sign-in throttling: the two hooks django-axes calls (settings `AXES_*_CALLABLE`).

Axes counts failed sign-ins per username and client address, on our sign-in page and the
admin's alike, and refuses further attempts for a cool-off period once there are too many.
What is ours is which address a request comes from, and the page a locked-out person sees.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def client_ip(request: HttpRequest) -> str | None:
    """The address a sign-in comes from, for counting its failures.

    Behind a TLS proxy every request arrives from the proxy, so the client is the *last* entry
    of X-Forwarded-For, the one our proxy added. Entries before it were sent by the client and
    could be anything, and without a proxy the whole header could be, so neither is trusted.
    """
    if settings.BEHIND_TLS_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").rsplit(",", 1)[-1].strip()
        try:
            return str(ipaddress.ip_address(forwarded))
        except ValueError:
            pass  # no header, or not an address: count the proxy's own address instead
    return request.META.get("REMOTE_ADDR")


def locked_out(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict | None
) -> HttpResponse:
    """Our page, in place of the login view's response, once a sign-in has been locked out."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    response = render(
        request,
        "assessment/sign_in_locked.html",
        # Back to the login page that was used: ours or the admin's.
        {"minutes": minutes, "sign_in_url": request.get_full_path()},
        status=429,
    )
    response["Retry-After"] = str(minutes * 60)
    return response
