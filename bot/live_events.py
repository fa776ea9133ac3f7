"""Live events for the staff console: announced here, streamed to browsers (SSE).

Within one process an in-memory fan-out is enough. With several workers
(gunicorn) set REDIS_URL and events travel through Redis pub/sub, so a text
handled by one worker appears in a console streamed by another.

Events are announced on a database session and published only once that
session commits: a browser that reacts by fetching the page never races the
data, and a rolled-back change is never announced.
"""

from __future__ import annotations

import json
import logging
import queue
import threading
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache

from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session

from bot.settings import get_settings

log = logging.getLogger(__name__)

ESCALATION = "escalation"  # opened, taken over, handed back
MESSAGE = "message"  # a text in or out of a borrower's conversation

_PENDING = "textpay_pending_events"
# Redis pub/sub channels are shared by every database of a Redis server: the channel
# names the database, so two deployments (or test runs) on one server never hear each other.
CHANNEL = "textpay:events:{db}:{dealer_id}"


def channel(redis_url: str, dealer_id: int | str) -> str:
    """The pub/sub channel of a dealer's events ("*": every dealer's, for a pattern)."""
    from redis.connection import parse_url

    return CHANNEL.format(db=parse_url(redis_url).get("db", 0), dealer_id=dealer_id)


@dataclass(frozen=True)
class Event:
    """Something a dealer's consoles should show now."""

    dealer_id: int
    kind: str
    data: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        """The event as plain data."""
        return {"dealer_id": self.dealer_id, "kind": self.kind, "data": self.data}

    @classmethod
    def from_dict(cls, data: dict) -> Event:
        """Read `as_dict` back."""
        return cls(int(data["dealer_id"]), str(data["kind"]), dict(data["data"]))


def to_wire(events: list[Event]) -> str:
    """One Redis message for a commit's events of one dealer (a text and its reply travel
    together: listeners wake once for both)."""
    return json.dumps([event.as_dict() for event in events])


def from_wire(raw: str | bytes) -> list[Event]:
    """The events of one Redis message (a single event's object is read too)."""
    data = json.loads(raw)
    return [Event.from_dict(item) for item in (data if isinstance(data, list) else [data])]


class Subscription:
    """One listener's stream of a dealer's events; `get` waits up to `timeout` seconds."""

    def get(self, timeout: float) -> Event | None:
        """The next event, or None when nothing came within `timeout`."""
        raise NotImplementedError

    def close(self) -> None:
        """Stop listening."""


class MemoryBroker:
    """Fan-out within this process: one bounded queue per listener."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._listeners: dict[int, set[queue.Queue]] = {}

    def publish_all(self, events: list[Event]) -> None:
        """Hand each event to every listener of its dealer."""
        for event in events:
            self.publish(event)

    def publish(self, event: Event) -> None:
        """Hand the event to every listener of its dealer (a full queue drops it)."""
        with self._lock:
            listeners = list(self._listeners.get(event.dealer_id, ()))
        for inbox in listeners:
            try:
                inbox.put_nowait(event)
            except queue.Full:
                log.warning("a console is not reading its events; dropping one")

    def subscribe(self, dealer_id: int) -> Subscription:
        """Start listening to a dealer's events."""
        inbox: queue.Queue = queue.Queue(maxsize=1000)
        with self._lock:
            self._listeners.setdefault(dealer_id, set()).add(inbox)
        broker = self

        class _MemorySubscription(Subscription):
            def get(self, timeout: float) -> Event | None:
                try:
                    return inbox.get(timeout=timeout)
                except queue.Empty:
                    return None

            def close(self) -> None:
                with broker._lock:
                    broker._listeners.get(dealer_id, set()).discard(inbox)

        return _MemorySubscription()


class RedisBroker:
    """Fan-out across processes through Redis pub/sub (one channel per dealer)."""

    def __init__(self, url: str) -> None:
        import redis

        self._url = url
        self._redis = redis.Redis.from_url(url)

    def publish_all(self, events: list[Event]) -> None:
        """Publish them on their dealers' channels, one message per dealer, all in one
        round trip."""
        by_dealer: dict[int, list[Event]] = {}
        for event in events:
            by_dealer.setdefault(event.dealer_id, []).append(event)
        pipe = self._redis.pipeline(transaction=False)
        for dealer_id, batch in by_dealer.items():
            pipe.publish(channel(self._url, dealer_id), to_wire(batch))
        pipe.execute()

    def subscribe(self, dealer_id: int) -> Subscription:
        """Subscribe to the dealer's channel (before returning, so nothing is missed)."""
        pubsub = self._redis.pubsub(ignore_subscribe_messages=True)
        pubsub.subscribe(channel(self._url, dealer_id))

        received: deque[Event] = deque()  # the rest of a message's events

        class _RedisSubscription(Subscription):
            def get(self, timeout: float) -> Event | None:
                # get_message returns None early when it only read a subscribe
                # confirmation, so keep reading until a message or the deadline.
                deadline = time.monotonic() + timeout
                while not received and (left := deadline - time.monotonic()) > 0:
                    message = pubsub.get_message(timeout=left)
                    if message is not None and message.get("type") == "message":
                        received.extend(from_wire(message["data"]))
                return received.popleft() if received else None

            def close(self) -> None:
                pubsub.close()

        return _RedisSubscription()


@cache
def _broker_for(redis_url: str | None) -> MemoryBroker | RedisBroker:
    return RedisBroker(redis_url) if redis_url else MemoryBroker()


def broker() -> MemoryBroker | RedisBroker:
    """The broker for this process's configuration (Redis when REDIS_URL is set)."""
    return _broker_for(get_settings().redis_url)


def publish(*events: Event) -> None:
    """Publish now. Never raises: a console missing an event must not fail a text."""
    try:
        broker().publish_all(list(events))
    except Exception:
        log.exception("could not publish a live event")


@contextmanager
def subscription(dealer_id: int) -> Iterator[Subscription]:
    """Listen to a dealer's events for the duration of a `with` block."""
    listener = broker().subscribe(dealer_id)
    try:
        yield listener
    finally:
        listener.close()


def announce(session: Session, dealer_id: int, kind: str, **data: object) -> None:
    """Publish an event once `session` commits (dropped if it rolls back)."""
    session.info.setdefault(_PENDING, []).append(Event(dealer_id, kind, dict(data)))


@sa_event.listens_for(Session, "after_commit")
def _publish_committed(session: Session) -> None:
    pending = session.info.pop(_PENDING, [])
    if pending:
        publish(*pending)  # a turn's events (its text and the reply) in one round trip


@sa_event.listens_for(Session, "after_rollback")
def _forget_rolled_back(session: Session) -> None:
    session.info.pop(_PENDING, None)
