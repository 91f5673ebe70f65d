"""Sessions that end after a period of inactivity, without a database write on every request.

Django ends a session SESSION_COOKIE_AGE after it was last saved. Saving it on every request
(SESSION_SAVE_EVERY_REQUEST) would make that an idle limit, but at the cost of a write on every
page view, and on SQLite every write takes the whole database's write lock. So a session in use
is saved again only once its last save is REFRESH_SECONDS old: it ends between
SESSION_COOKIE_AGE - REFRESH_SECONDS and SESSION_COOKIE_AGE after the last request.
"""

import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

REFRESH_SECONDS = 5 * 60
SAVED_AT = "_saved_at"  # in the session's data: the expiry in the database is not loaded


class IdleTimeoutMiddleware:
    """Listed after SessionMiddleware, so the session is saved after this has marked it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = request.session
        if session.is_empty():
            return response  # an anonymous visitor with nothing stored has no session to keep
        now = int(time.time())
        if session.modified:
            session[SAVED_AT] = now  # being saved anyway (signing in, for one): free to stamp
        elif SAVED_AT in session and now - session[SAVED_AT] >= REFRESH_SECONDS:
            session[SAVED_AT] = now  # marks it modified, so SessionMiddleware saves it
        return response
