"""Django's Redis cache, made to carry on without Redis.

Everything this service keeps in the cache can be made again: rendered reports and open
data, sign-in sessions (whose truth is in the database: the cached_db engine), and the
password-reset counts. So when Redis is down or unreachable, each cache operation here acts as
a miss or a no-op, and the service goes on, slower, instead of answering every page with an
error. A warning is logged, at most once a minute per process, so the outage is seen.

django-redis's IGNORE_EXCEPTIONS was weighed and does not do this job (it hides misuse, and its
incr() answers None while Redis is down): see "Why not django-redis" in docs/deploy.md.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from functools import wraps
from typing import Any, NoReturn

import redis
from django.core.cache.backends.redis import RedisCache, RedisCacheClient

logger = logging.getLogger(__name__)

WARN_EVERY_SECONDS = 60
_last_warning = 0.0


# Redis cannot be reached or cannot take writes (a replica after a failover, or full). Wrong
# credentials are among the connection errors: they are logged as errors, to be fixed.
FORGIVEN = (
    redis.ConnectionError,
    redis.TimeoutError,
    redis.exceptions.ReadOnlyError,
    redis.exceptions.OutOfMemoryError,
)
MISCONFIGURED = (redis.AuthenticationError, redis.exceptions.AuthorizationError)


def _warn(error: Exception) -> None:
    global _last_warning
    now = time.monotonic()
    if now - _last_warning >= WARN_EVERY_SECONDS:
        _last_warning = now
        logger.log(
            logging.ERROR if isinstance(error, MISCONFIGURED) else logging.WARNING,
            "Redis is unavailable; carrying on without the cache: %s",
            error,
        )


def _or(fallback: Callable[..., Any]) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """On one of the FORGIVEN errors, answer `fallback(*args)` instead."""

    def decorate(method: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(method)
        def guarded(self: RedisCacheClient, *args: Any) -> Any:
            try:
                return method(self, *args)
            except FORGIVEN as error:
                _warn(error)
                return fallback(*args)

        return guarded

    return decorate


def _missing(key: Any, delta: int) -> NoReturn:
    # What Django's cache API raises for incr() of a key it does not have.
    raise ValueError(f"Key {key!r} not found.")


class ForgivingRedisCacheClient(RedisCacheClient):
    add = _or(lambda key, value, timeout: False)(RedisCacheClient.add)
    get = _or(lambda key, default: default)(RedisCacheClient.get)
    set = _or(lambda key, value, timeout: None)(RedisCacheClient.set)
    touch = _or(lambda key, timeout: False)(RedisCacheClient.touch)
    delete = _or(lambda key: False)(RedisCacheClient.delete)
    get_many = _or(lambda keys: {})(RedisCacheClient.get_many)
    has_key = _or(lambda key: False)(RedisCacheClient.has_key)
    incr = _or(_missing)(RedisCacheClient.incr)
    set_many = _or(lambda data, timeout: None)(RedisCacheClient.set_many)
    delete_many = _or(lambda keys: None)(RedisCacheClient.delete_many)
    clear = _or(lambda: False)(RedisCacheClient.clear)


class ForgivingRedisCache(RedisCache):
    def __init__(self, server: str | list[str], params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = ForgivingRedisCacheClient
