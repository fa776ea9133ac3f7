"""Per-conversation ticket locks: one holder at a time, first come first served,
across threads and processes (Redis), and a crashed holder does not block forever."""

from __future__ import annotations

import asyncio
import threading
import time
import uuid

import pytest

from bot.dialogue.locks import MemoryTicketLocks, RedisTicketLocks, create_lock_store
from tests.support.servers import SCALE_OUT_REDIS_URL, flush_redis_keys, redis_or_skip

REDIS_DB = SCALE_OUT_REDIS_URL


@pytest.fixture(params=["memory", "redis"])
def two_stores(request):
    """Two lock stores sharing state, as two gunicorn workers would (or one process)."""
    if request.param == "memory":
        store = MemoryTicketLocks()
        yield store, store
        return
    url = redis_or_skip(REDIS_DB)
    yield create_lock_store(url), create_lock_store(url)
    flush_redis_keys(url)


def test_only_one_holder_at_a_time(two_stores):
    key = f"sms:{uuid.uuid4().hex}"
    counter = [0]

    def turn(i: int) -> None:
        with two_stores[i % 2].hold(key):
            seen = counter[0]
            time.sleep(0.002)  # a lost update shows up if two hold the lock at once
            counter[0] = seen + 1

    threads = [threading.Thread(target=turn, args=(i,)) for i in range(24)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert counter[0] == 24


def test_waiters_are_served_in_the_order_they_arrived(two_stores):
    key = f"sms:{uuid.uuid4().hex}"
    order: list[int] = []

    def turn(i: int) -> None:
        with two_stores[i % 2].hold(key):
            order.append(i)

    threads = []
    with two_stores[0].hold(key):  # busy: everyone who arrives now must queue
        for i in range(12):
            threads.append(threading.Thread(target=turn, args=(i,)))
            threads[-1].start()
            deadline = time.monotonic() + 5
            while len(two_stores[0].get_lock(key).tickets) < i + 2:  # i's ticket is taken
                assert time.monotonic() < deadline
                time.sleep(0.001)
    for thread in threads:
        thread.join()
    assert order == list(range(12))


def test_rasas_async_lock_is_the_same_lock(two_stores):
    """The agent (asyncio) and the webhook (a thread) serialise on one conversation."""
    key = f"conv:{uuid.uuid4().hex}"
    inside: list[str] = []
    log: list[str] = []

    def webhook_turn() -> None:
        with two_stores[0].hold(key):
            inside.append("webhook")
            log.append("webhook")
            time.sleep(0.05)
            inside.remove("webhook")

    async def agent_turn(store, i: int) -> None:
        async with store.lock(key):
            inside.append("agent")
            assert inside == ["agent"]
            log.append(f"agent{i}")
            await asyncio.sleep(0.002)
            inside.remove("agent")

    async def agents() -> None:
        await asyncio.gather(*(agent_turn(two_stores[i % 2], i) for i in range(10)))

    webhook = threading.Thread(target=webhook_turn)
    webhook.start()
    while not two_stores[1].get_lock(key):
        time.sleep(0.001)
    asyncio.run(agents())
    webhook.join()
    assert log[0] == "webhook" and len(log) == 11


def test_a_holder_that_died_frees_the_conversation_after_its_lifetime(two_stores):
    key = f"sms:{uuid.uuid4().hex}"
    two_stores[0].issue_ticket(key, 0.3)  # taken and never given back
    started = time.monotonic()
    with two_stores[1].hold(key):
        waited = time.monotonic() - started
    assert 0.2 < waited < 3


def test_redis_locks_leave_no_keys_behind():
    url = redis_or_skip(REDIS_DB)
    store = create_lock_store(url)
    assert isinstance(store, RedisTicketLocks)
    key = f"sms:{uuid.uuid4().hex}"
    with store.hold(key):
        assert store.red.exists(store.key_prefix + key)
    assert not store.red.exists(store.key_prefix + key)
