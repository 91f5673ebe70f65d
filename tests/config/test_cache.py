"""A Redis outage slows the service but does not stop it (config/cache.py)."""

import logging
import socket

import pytest
import redis
from django.core import mail
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

import config.cache
from assessment.models import Answer
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis_is_down(monkeypatch):
    """The production cache settings, pointed at a port where nothing listens."""
    monkeypatch.setattr(config.cache, "_last_warning", float("-inf"))  # no earlier warning
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with override_settings(
        CACHES={
            "default": {
                "BACKEND": "config.cache.ForgivingRedisCache",
                "LOCATION": f"redis://127.0.0.1:{port}/0",
                "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
            }
        },
        SESSION_ENGINE="django.contrib.sessions.backends.cached_db",
    ):
        yield


def test_without_redis_an_officer_signs_in_answers_and_finds_the_answer(
    client, council, redis_is_down, caplog
):
    caplog.set_level(logging.WARNING, logger="config.cache")
    section = reverse("assessment:section", args=[council.assessment.pk, "ai"])
    ai1 = council.assessment.edition.questions.get(key="ai-01")

    signed_in = client.post(
        reverse("assessment:sign_in"), {"username": "officer", "password": PASSWORD}
    )
    saved = client.post(section, {f"q{ai1.pk}-response": "3"}, follow=True)
    again = client.get(section)

    assert signed_in.status_code == 302
    assert saved.status_code == 200 and "1 answer saved." in saved.text
    assert Answer.objects.get(question=ai1).response == "3"
    assert 'value="3" checked' in again.text  # the session was read back from the database
    # The outage is logged, once rather than for every one of the many cache calls.
    warnings = [r for r in caplog.records if r.name == "config.cache"]
    assert len(warnings) == 1
    assert "Redis is unavailable" in warnings[0].getMessage()


def test_without_redis_a_password_reset_is_still_sent(client, council, redis_is_down):
    council.officer.email = "officer@example.gov.uk"
    council.officer.save()

    response = client.post(
        reverse("assessment:password_reset"), {"email": "officer@example.gov.uk"}, follow=True
    )

    assert "Check your email</h1>" in response.text
    assert len(mail.outbox) == 1


def test_without_redis_every_cache_call_answers_as_a_miss(redis_is_down):
    assert cache.add("k", 1) is False
    assert cache.get("k", "default") == "default"
    cache.set("k", 1)  # and no error
    assert cache.touch("k") is False
    assert cache.delete("k") is False
    assert cache.get_many(["k"]) == {}
    assert cache.has_key("k") is False
    assert cache.set_many({"k": 1}) == []
    cache.delete_many(["k"])
    with pytest.raises(ValueError):
        cache.incr("k")


class _Refusing:
    """A Redis client whose every command fails with `error`."""

    def __init__(self, error: Exception):
        self.error = error

    def __getattr__(self, command):
        def refuse(*args, **kwargs):
            raise self.error

        return refuse


def refuse_every_command(monkeypatch, error: Exception) -> None:
    client = cache._cache  # type: ignore[attr-defined]  # Django's client of the Redis library
    monkeypatch.setattr(client, "get_client", lambda *args, **kwargs: _Refusing(error))


@pytest.mark.parametrize(
    ("error", "level"),
    [
        (redis.exceptions.ReadOnlyError("You can't write against a read only replica."), "WARNING"),
        (redis.exceptions.OutOfMemoryError("OOM command not allowed"), "WARNING"),
        (redis.AuthenticationError("invalid username-password pair"), "ERROR"),
    ],
)
def test_a_replica_a_full_redis_or_wrong_credentials_are_carried_on_from(
    redis_is_down, monkeypatch, caplog, error, level
):
    refuse_every_command(monkeypatch, error)

    cache.set("k", 1)
    assert cache.get("k") is None

    assert [r.levelname for r in caplog.records if r.name == "config.cache"] == [level]


def test_an_error_in_how_the_cache_is_used_is_not_hidden(redis_is_down, monkeypatch):
    wrong_type = redis.ResponseError("WRONGTYPE Operation against a key holding the wrong kind")
    refuse_every_command(monkeypatch, wrong_type)

    with pytest.raises(redis.ResponseError):
        cache.get("k")
