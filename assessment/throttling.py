"""Throttling of sign-in attempts and of password-reset emails.

For sign-in, the two hooks django-axes calls (settings `AXES_*_CALLABLE`); for password-reset
emails, our own limits (below).

Axes counts failed sign-ins per username and client address, on our sign-in page and the
admin's alike, and refuses further attempts for a cool-off period once there are too many.
What is ours is which address a request comes from, and the page a locked-out person sees.
"""

from __future__ import annotations

import hashlib
import ipaddress
import math
import time

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
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
        forwarded = request.headers.get("x-forwarded-for", "").rsplit(",", 1)[-1].strip()
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
# RESETS_PER_ADDRESS emails in a clock hour, silently (the page is the same whether or not one
# was sent, so it tells nobody which addresses have accounts); a client asking for more than
# RESETS_PER_CLIENT in a clock hour, for any addresses, is told to wait for the next.
RESETS_PER_ADDRESS = 3
RESETS_PER_CLIENT = 30
RESET_WINDOW_SECONDS = 60 * 60


def now() -> float:
    """The clock the windows are counted by (tests set it)."""
    return time.time()


def within_limit(kind: str, key: str, limit: int, window_seconds: int) -> bool:
    """Count one more event of `kind` for `key`; False once there were more than `limit` in
    this window of the clock (this hour, for an hour's window).

    Counts live in the cache: shared by every app server with REDIS_URL, per process
    without it (where the limits then apply per process), and not at all while the cache is
    unreachable (config/cache.py), when every event is allowed. The window's number is part
    of the name, so a count that outlived its expiry (Redis can recreate a key without one if
    it expires between the check and the increment of Django's incr) is never read again.
    """
    window = int(now() // window_seconds)
    name = f"throttle:{kind}:{window}:{hashlib.sha256(key.encode()).hexdigest()}"
    cache.add(name, 0, window_seconds)
    try:
        count = cache.incr(name)
    except ValueError:  # gone between add and incr (evicted, or the cache is unreachable)
        count = 1
    return count <= limit


def client_key(address: str | None) -> str:
    """Who a client is, for counting: its address, or for IPv6 its /64 network, which one
    household or office is given whole (counting its addresses apart would not limit it)."""
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return address or ""
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


class ThrottledPasswordResetView(PasswordResetView):
    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        minutes = RESET_WINDOW_SECONDS // 60
        if not within_limit(
            "reset-client",
            client_key(client_ip(self.request)),
            RESETS_PER_CLIENT,
            RESET_WINDOW_SECONDS,
        ):
            response = render(
                self.request,
                "assessment/password_reset_limited.html",
                {"minutes": minutes},
                status=429,
            )
            # Seconds until the next window, when a request will be counted afresh.
            response["Retry-After"] = str(
                math.ceil(RESET_WINDOW_SECONDS - now() % RESET_WINDOW_SECONDS)
            )
            return response
        email = form.cleaned_data["email"].strip().lower()
        if not within_limit("reset-address", email, RESETS_PER_ADDRESS, RESET_WINDOW_SECONDS):
            return HttpResponseRedirect(self.get_success_url())  # as if sent: see above
        return super().form_valid(form)
