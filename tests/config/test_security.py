"""What every response and session carries: the Content Security Policy, the other security
headers, and sessions that end after a period of inactivity."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth import get_user
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from config.sessions import SAVED_AT
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]

POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)


@pytest.fixture
def officer(django_user_model):
    return django_user_model.objects.create_user(username="officer", password=PASSWORD)


def sign_in(client):
    response = client.post(
        reverse("assessment:sign_in"), {"username": "officer", "password": PASSWORD}
    )
    assert response.status_code == 302


def session_writes(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in captured if q["sql"].startswith("UPDATE") and "session" in q["sql"]]


@pytest.mark.parametrize("url_name", ["assessment:home", "assessment:sign_in", "admin:login"])
def test_pages_carry_the_content_security_policy_and_security_headers(client, url_name):
    response = client.get(reverse(url_name))

    assert response["Content-Security-Policy"] == POLICY
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_templates_hold_no_inline_script_or_style():
    # The policy refuses them; this names the template before a browser test has to.
    offenders = []
    for template in (ROOT / "templates").rglob("*.html"):
        text = template.read_text()
        for marker in ("<style", " style=", " onclick=", " onload=", "javascript:"):
            if marker in text:
                offenders.append(f"{template.relative_to(ROOT)}: {marker.strip()}")
        for opening in text.split("<script")[1:]:
            if "src=" not in opening.split(">", 1)[0]:
                offenders.append(f"{template.relative_to(ROOT)}: inline <script>")

    assert offenders == []


def test_the_session_cookie_is_http_only_lax_and_ends_with_the_browser(client, officer):
    sign_in(client)

    cookie = client.cookies["sessionid"]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert cookie["max-age"] == "" and cookie["expires"] == ""  # a browser-session cookie


def test_a_session_in_use_has_its_end_pushed_on(client, officer, settings):
    sign_in(client)
    # As if the last save was six minutes ago, and the session had five minutes left.
    store = client.session
    store[SAVED_AT] -= 6 * 60
    store.save()
    Session.objects.update(expire_date=timezone.now() + timedelta(minutes=5))

    assert len(session_writes(client, reverse("assessment:dashboard"))) == 1

    left = Session.objects.get().expire_date - timezone.now()
    assert timedelta(seconds=settings.SESSION_COOKIE_AGE - 60) < left
    assert left <= timedelta(seconds=settings.SESSION_COOKIE_AGE)


def test_requests_in_quick_succession_write_nothing_to_the_session(client, officer):
    sign_in(client)

    assert session_writes(client, reverse("assessment:dashboard")) == []
    assert session_writes(client, reverse("assessment:home")) == []


def test_anonymous_visitors_get_no_session(client):
    client.get(reverse("assessment:home"))

    assert "sessionid" not in client.cookies
    assert not Session.objects.exists()


def test_after_the_idle_time_you_are_signed_out(client, officer):
    client.force_login(officer)
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))

    response = client.get(reverse("assessment:dashboard"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("assessment:sign_in"))
    assert not get_user(client).is_authenticated
