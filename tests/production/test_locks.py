"""The conversation lock: one holder at a time, first come first served, across threads
and processes (Redis), a crashed holder does not block forever, and Rasa takes no second
lock inside it."""

from __future__ import annotations

import threading
import time
import uuid

import pytest

from bot.messaging.conversation_lock import (
    ConversationBusy,
    MemoryConversationLocks,
    RedisConversationLocks,
    conversation_key,
)
from tests.support.servers import SCALE_OUT_REDIS_URL, flush_redis_keys, redis_or_skip

REDIS_DB = SCALE_OUT_REDIS_URL


@pytest.fixture(params=["memory", "redis"])
def two_stores(request):
    """Two lock stores sharing state, as two gunicorn workers would (or one process)."""
    if request.param == "memory":
        store = MemoryConversationLocks()
        yield store, store
        return
    url = redis_or_skip(REDIS_DB)
    yield RedisConversationLocks(url), RedisConversationLocks(url)
    flush_redis_keys(url)


def _tickets(store, key: str) -> int:
    if isinstance(store, MemoryConversationLocks):
        return store.waiting(key)
    return store.redis.zcard(store.prefix + key)


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
            while _tickets(two_stores[0], key) < i + 2:  # i's ticket is taken
                assert time.monotonic() < deadline
                time.sleep(0.001)
    for thread in threads:
        thread.join()
    assert order == list(range(12))


def test_a_holder_that_died_frees_the_conversation_after_its_lifetime(two_stores):
    key = f"sms:{uuid.uuid4().hex}"
    dead = two_stores[0].hold(key, lifetime=0.3)
    dead.__enter__()  # taken and never given back
    started = time.monotonic()
    with two_stores[1].hold(key):
        waited = time.monotonic() - started
    assert 0.2 < waited < 3


def test_a_waiter_whose_own_ticket_expires_gives_up_with_a_clear_error(two_stores):
    key = f"sms:{uuid.uuid4().hex}"
    with (two_stores[0].hold(key, lifetime=5), pytest.raises(ConversationBusy),
          two_stores[1].hold(key, lifetime=0.2)):
        pass


def test_redis_locks_leave_no_keys_behind():
    url = redis_or_skip(REDIS_DB)
    store = RedisConversationLocks(url)
    key = f"sms:{uuid.uuid4().hex}"
    with store.hold(key):
        assert store.redis.exists(store.prefix + key)
    assert not store.redis.exists(store.prefix + key)
    assert not store.redis.exists(store.prefix + key + ":next")


def test_an_uncontended_turn_costs_two_redis_round_trips():
    url = redis_or_skip(REDIS_DB)
    store = RedisConversationLocks(url)
    calls = []
    step = store._step
    store._step = lambda *args, **kwargs: calls.append(args[1]) or step(*args, **kwargs)
    with store.hold(f"sms:{uuid.uuid4().hex}"):
        pass
    assert calls == ["take", "give"]


def test_the_key_is_the_same_however_the_numbers_are_written_and_holds_no_number():
    key = conversation_key("+1 (555) 123-0001", "+15550100000")
    assert key == conversation_key("+15551230001", "(555) 010-0000")
    assert "5551230001" not in key
    assert key != conversation_key("+15551230001", "+15550109999")


def test_the_agent_takes_no_lock_of_its_own(client, world):
    """The turn holds the conversation's lock; Rasa must not wait on a second one. A
    ticket left in Rasa's own lock store (as a second lock would hold) changes nothing."""
    from bot.dialogue.agent import loaded_runner

    loaded_runner().agent.lock_store.issue_ticket(str(world.borrower_id), 30)
    started = time.monotonic()
    assert "$1,200.00" in world.phone.say("what's my balance")
    assert time.monotonic() - started < 5
