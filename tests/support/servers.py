"""The real Redis and PostgreSQL servers on 127.0.0.1 (skipped when absent, except under CI).

Tests that need a server call `redis_or_skip()` / `postgres_or_skip()`; on a
machine without them the test is skipped with the reason, but under CI=true
a missing server is a failure: CI must run everything.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

# Two Redis databases of their own (TEST_REDIS_DB and the one below it), so that two
# checkouts can run the suite at once on one machine without touching each other's keys.
_REDIS_DB = int(os.environ.get("TEST_REDIS_DB", "15"))
REDIS_URL = f"redis://127.0.0.1:6379/{_REDIS_DB}"
SCALE_OUT_REDIS_URL = f"redis://127.0.0.1:6379/{_REDIS_DB - 1}"
POSTGRES_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


def _missing(what: str) -> None:
    message = f"{what} is not answering on 127.0.0.1"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{message} (required under CI=true)")
    pytest.skip(message)


def redis_answers(url: str = REDIS_URL) -> bool:
    """Whether the Redis server at `url` answers."""
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.ConnectionError:
        return False
    return True


def redis_or_skip(url: str = REDIS_URL) -> str:
    """`url` if the Redis server answers; otherwise skip (fail under CI=true)."""
    if not redis_answers(url):
        _missing("Redis (port 6379)")
    return url


def postgres_or_skip() -> str:
    """The admin URL if PostgreSQL answers; otherwise skip (fail under CI=true)."""
    if not postgres_answers():
        _missing("PostgreSQL (port 5432, user postgres)")
    return POSTGRES_ADMIN_URL


def postgres_answers() -> bool:
    """Whether PostgreSQL answers on 127.0.0.1:5432 (user postgres, trust auth)."""
    import psycopg2

    try:
        psycopg2.connect(POSTGRES_ADMIN_URL, connect_timeout=2).close()
    except psycopg2.OperationalError:
        return False
    return True


def _admin(statement: str) -> None:
    import psycopg2

    connection = psycopg2.connect(POSTGRES_ADMIN_URL)
    connection.autocommit = True  # CREATE/DROP DATABASE cannot run in a transaction
    try:
        with connection.cursor() as cursor:
            cursor.execute(statement)
    finally:
        connection.close()


@contextmanager
def new_database(prefix: str) -> Iterator[str]:
    """Create an empty PostgreSQL database, yield its URL, drop it afterwards."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    _admin(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql://postgres@127.0.0.1:5432/{name}"
    finally:
        from bot import db

        if db._engine is not None and db._engine.url.database == name:
            db._engine.dispose()
        _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def scratch_database(prefix: str = "textpay_test") -> Iterator[str]:
    """A new, empty PostgreSQL database for a test (skipped without the server)."""
    postgres_or_skip()
    with new_database(prefix) as url:
        yield url


def flush_redis_keys(url: str, pattern: str = "textpay:*") -> None:
    """Delete our keys from a test Redis database (never FLUSHDB: it may be shared)."""
    import redis

    client = redis.Redis.from_url(url)
    for key in client.scan_iter(pattern):
        client.delete(key)
