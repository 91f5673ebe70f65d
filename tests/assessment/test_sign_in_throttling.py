"""Too many wrong passwords lock a username out from that address for a while (django-axes)."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from axes.utils import reset
from django.contrib.auth import get_user
from django.db.models import F
from django.urls import reverse

from assessment.throttling import client_ip
from tests.pages import texts

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"
LIMIT = 5  # SIGN_IN_FAILURE_LIMIT's default
MINUTES = 15  # SIGN_IN_LOCKOUT_MINUTES's default


@pytest.fixture
def officer(django_user_model):
    return django_user_model.objects.create_user(username="officer", password=PASSWORD)


def sign_in(client, username="officer", password=PASSWORD, *, url=None, **extra):
    return client.post(
        url or reverse("assessment:sign_in"),
        {"username": username, "password": password},
        **extra,
    )


def fail_until_locked(client, username="officer", **extra):
    responses = [sign_in(client, username, "not-the-password", **extra) for _ in range(LIMIT)]
    assert [r.status_code for r in responses[:-1]] == [200] * (LIMIT - 1)
    return responses[-1]


def assert_locked_out_page(response):
    assert response.status_code == 429
    assert response["Retry-After"] == str(MINUTES * 60)
    assert "assessment/sign_in_locked.html" in [t.name for t in response.templates]
    assert 'name="password"' not in response.text  # the lockout page, not the form again
    assert texts(response.text, "h1") == [f"Your account is locked for {MINUTES} minutes"]
    assert "<title>Your account is locked – Digital maturity self-assessment</title>" in (
        response.text
    )
    assert "reset your password</a>" in response.text
    assert "Traceback" not in response.text


def test_four_wrong_passwords_still_show_the_usual_error(client, officer):
    for _ in range(LIMIT - 1):
        response = sign_in(client, password="not-the-password")

    assert response.status_code == 200
    assert "Enter a correct username and password" in response.text
    assert sign_in(client).status_code == 302


def test_the_fifth_wrong_password_locks_the_account_with_a_clear_page(client, officer):
    response = fail_until_locked(client)

    assert_locked_out_page(response)
    assert not get_user(client).is_authenticated


def test_once_locked_even_the_right_password_is_refused(client, officer):
    fail_until_locked(client)

    response = sign_in(client)

    assert_locked_out_page(response)
    assert not get_user(client).is_authenticated


def test_another_user_at_the_same_address_can_still_sign_in(client, officer, django_user_model):
    django_user_model.objects.create_user(username="colleague", password=PASSWORD)
    fail_until_locked(client)

    response = sign_in(client, "colleague")

    assert response.status_code == 302
    assert get_user(client).username == "colleague"


def test_the_same_user_from_another_address_can_still_sign_in(client, officer):
    fail_until_locked(client)

    response = sign_in(client, REMOTE_ADDR="192.0.2.44")

    assert response.status_code == 302
    assert get_user(client).is_authenticated


def test_after_the_cool_off_the_right_password_works_again(client, officer):
    fail_until_locked(client)
    # As if the failures happened a minute longer ago than the cool-off.
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=MINUTES + 1))

    response = sign_in(client)

    assert response.status_code == 302
    assert get_user(client).is_authenticated


def test_an_administrator_can_unlock_an_account_before_the_cool_off(client, officer):
    fail_until_locked(client)

    reset(username="officer")  # what `manage.py axes_reset_username officer` does

    assert sign_in(client).status_code == 302


def test_a_successful_sign_in_forgets_earlier_failures(client, officer):
    for _ in range(LIMIT - 1):
        sign_in(client, password="not-the-password")
    assert sign_in(client).status_code == 302
    client.post(reverse("assessment:sign_out"))

    for _ in range(LIMIT - 1):
        response = sign_in(client, password="not-the-password")

    assert response.status_code == 200


def test_the_admin_login_is_throttled_too(client, django_user_model):
    django_user_model.objects.create_superuser(username="boss", password=PASSWORD)
    admin_login = reverse("admin:login")

    for _ in range(LIMIT):
        response = sign_in(client, "boss", "not-the-password", url=admin_login)
    assert_locked_out_page(response)

    response = sign_in(client, "boss", url=admin_login)

    assert_locked_out_page(response)
    assert f'href="{admin_login}"' in response.text
    assert client.get(reverse("admin:index")).status_code == 302  # still not signed in


def test_a_forged_forwarded_address_does_not_dodge_the_lockout(client, officer):
    # Not behind a proxy (the default), so X-Forwarded-For is whatever the client sent.
    for n in range(LIMIT):
        sign_in(client, password="not-the-password", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")

    response = sign_in(client, HTTP_X_FORWARDED_FOR="198.51.100.99")

    assert_locked_out_page(response)


class TestClientAddress:
    def request(self, rf, forwarded=None):
        extra = {"REMOTE_ADDR": "10.0.0.5"}
        if forwarded is not None:
            extra["HTTP_X_FORWARDED_FOR"] = forwarded
        return rf.post("/sign-in/", **extra)

    def test_without_a_proxy_it_is_the_connecting_address(self, rf, settings):
        settings.BEHIND_TLS_PROXY = False

        assert client_ip(self.request(rf, "203.0.113.9")) == "10.0.0.5"

    @pytest.mark.parametrize(
        ("forwarded", "expected"),
        [
            ("203.0.113.9", "203.0.113.9"),
            # The client sent the first entry; our proxy appended the real one.
            ("198.51.100.1, 203.0.113.9", "203.0.113.9"),
            ("2001:db8::7", "2001:db8::7"),
            ("", "10.0.0.5"),
            ("not-an-address", "10.0.0.5"),
        ],
    )
    def test_behind_a_proxy_it_is_the_address_the_proxy_added(
        self, rf, settings, forwarded, expected
    ):
        settings.BEHIND_TLS_PROXY = True

        assert client_ip(self.request(rf, forwarded)) == expected

    def test_behind_a_proxy_failures_are_counted_per_real_client(self, client, settings, officer):
        settings.BEHIND_TLS_PROXY = True
        attacker = {"HTTP_X_FORWARDED_FOR": "203.0.113.9", "REMOTE_ADDR": "127.0.0.1"}
        fail_until_locked(client, **attacker)

        assert_locked_out_page(sign_in(client, **attacker))
        officer_elsewhere = {"HTTP_X_FORWARDED_FOR": "198.51.100.7", "REMOTE_ADDR": "127.0.0.1"}
        assert sign_in(client, **officer_elsewhere).status_code == 302
