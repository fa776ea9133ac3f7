"""Token buckets, in process and shared through the real Redis server."""

from __future__ import annotations

import time
import uuid

import pytest

from bot.messaging.rate_limit import TokenBucket
from tests.support.servers import redis_or_skip


@pytest.mark.parametrize("shared", [False, True], ids=["memory", "redis"])
def test_burst_then_refill(shared):
    url = redis_or_skip() if shared else None
    bucket = TokenBucket(rate=20, burst=3, redis_url=url, prefix=f"test:{uuid.uuid4().hex}")
    assert [bucket.try_take("+15550100000").allowed for _ in range(4)] == [True] * 3 + [False]
    assert bucket.try_take("+15550100001").allowed  # other keys have their own bucket
    time.sleep(0.06)
    assert bucket.try_take("+15550100000").allowed


def test_redis_buckets_are_shared_between_instances():
    url = redis_or_skip()
    prefix = f"test:{uuid.uuid4().hex}"
    first = TokenBucket(rate=0.5, burst=2, redis_url=url, prefix=prefix)
    second = TokenBucket(rate=0.5, burst=2, redis_url=url, prefix=prefix)
    assert first.try_take("k").allowed and second.try_take("k").allowed
    refused = first.try_take("k")
    assert not refused.allowed and 0 < refused.wait_seconds <= 2


def test_take_paces_to_the_rate():
    bucket = TokenBucket(rate=50, burst=1)
    started = time.monotonic()
    for _ in range(6):
        assert bucket.take("n")
    assert time.monotonic() - started >= 0.09  # 5 refills at 50/s
