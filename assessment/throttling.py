"""Throttling: sign-in (the two hooks django-axes calls, settings `AXES_*_CALLABLE`) and
password-reset emails (our own, below).

Axes counts failed sign-ins per username and client address, on our sign-in page and the
admin's alike, and refuses further attempts for a cool-off period once there are too many.
What is ours is which address a request comes from, and the page a locked-out person sees.
"""

from __future__ import annotations

import hashlib
import ipaddress

from django.conf import settings
from django.contrib.auth.views import PasswordResetView
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
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


# Password-reset emails. Asking for one needs no password, so without limits anyone could
# fill an officer's inbox or make the service send mail without end. An address gets at most
# RESETS_PER_ADDRESS emails an hour, silently (the page is the same whether or not one was
# sent, so it tells nobody which addresses have accounts); a client asking for more than
# RESETS_PER_CLIENT an hour, for any addresses, is told to wait.
RESETS_PER_ADDRESS = 3
RESETS_PER_CLIENT = 30
RESET_WINDOW_SECONDS = 60 * 60


def within_limit(kind: str, key: str, limit: int, window_seconds: int) -> bool:
    """Count one more event of `kind` for `key`; False once there were more than `limit` in
    the window that began with the first of them.

    Counts live in the cache: shared by every app server with REDIS_URL, per process
    without it (where the limits then apply per process).
    """
    name = f"throttle:{kind}:{hashlib.sha256(key.encode()).hexdigest()}"
    cache.add(name, 0, window_seconds)
    try:
        count = cache.incr(name)
    except ValueError:  # the window ended between add and incr: this starts a new one
        cache.add(name, 1, window_seconds)
        count = 1
    return count <= limit


class ThrottledPasswordResetView(PasswordResetView):
    def form_valid(self, form):
        minutes = RESET_WINDOW_SECONDS // 60
        if not within_limit(
            "reset-client", client_ip(self.request) or "", RESETS_PER_CLIENT, RESET_WINDOW_SECONDS
        ):
            response = render(
                self.request,
                "assessment/password_reset_limited.html",
                {"minutes": minutes},
                status=429,
            )
            response["Retry-After"] = str(RESET_WINDOW_SECONDS)
            return response
        email = form.cleaned_data["email"].strip().lower()
        if not within_limit("reset-address", email, RESETS_PER_ADDRESS, RESET_WINDOW_SECONDS):
            return HttpResponseRedirect(self.get_success_url())  # as if sent: see above
        return super().form_valid(form)
