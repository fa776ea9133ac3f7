"""Per-conversation ticket locks, in this process or shared through Redis.

Rasa serialises the turns of one conversation with a ticket lock: each
message takes the next ticket and waits until it is the lowest one left. Its
own `RedisLockStore` reads, changes and writes the lock in three separate
Redis calls, so two workers taking a ticket at the same moment can both get
the same number and run at once; its in-memory store has the same race
between threads; and a waiter polls once a second. These subclasses keep
Rasa's lock format and algorithm but change each lock atomically (a Redis
WATCH/MULTI transaction, or a mutex in process) and poll in milliseconds.

`hold()` is the same lock for synchronous code: the SMS webhook takes it
per phone number before storing a text, so a borrower's texts are handled
one at a time, in the order they arrived, whichever worker got them.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any, TypeVar
from urllib.parse import urlparse

from rasa.core.lock import TicketLock
from rasa.core.lock_store import InMemoryLockStore, LockError, LockStore, RedisLockStore

T = TypeVar("T")

# A turn can include a Stripe call (20 s read timeout, one retry); a holder
# that crashed frees the conversation after this long.
LOCK_LIFETIME_SECONDS = 60.0
_FIRST_POLL, _MAX_POLL = 0.002, 0.05


class _AtomicTickets:
    """Ticket operations that read, change and write a lock as one step."""

    def _change(self, conversation_id: str, change: Callable[[TicketLock], T]) -> T:
        raise NotImplementedError

    def issue_ticket(self, conversation_id: str,
                     lock_lifetime: float = LOCK_LIFETIME_SECONDS) -> int:
        """Take the next ticket for a conversation."""
        try:
            return self._change(conversation_id, lambda lock: lock.issue_ticket(lock_lifetime))
        except Exception as error:
            raise LockError(f"could not issue a ticket: {error}") from error

    def update_lock(self, conversation_id: str) -> None:
        """Drop expired tickets (a holder that died)."""
        self._change(conversation_id, lambda lock: lock.remove_expired_tickets())

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        """Give the ticket back; the lock is deleted when no one else holds a ticket."""
        self._change(conversation_id, lambda lock: lock.remove_ticket_for(ticket_number))

    def _is_my_turn(self, conversation_id: str, ticket: int) -> bool:
        lock = self.get_lock(conversation_id)
        if lock is None:
            raise LockError(f"ticket {ticket} expired before its turn")
        return not lock.is_locked(ticket)

    @asynccontextmanager
    async def lock(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME_SECONDS,
                   wait_time_in_seconds: float = _FIRST_POLL) -> AsyncIterator[TicketLock]:
        """Rasa's lock (used by Agent.handle_message), polling in milliseconds."""
        ticket = self.issue_ticket(conversation_id, lock_lifetime)
        try:
            for delay in _backoff(wait_time_in_seconds):
                if self._is_my_turn(conversation_id, ticket):
                    break
                await asyncio.sleep(delay)
            yield self.get_lock(conversation_id)
        finally:
            self.cleanup(conversation_id, ticket)

    @contextmanager
    def hold(self, conversation_id: str, lifetime: float = LOCK_LIFETIME_SECONDS) -> Iterator[None]:
        """The same lock for synchronous code (a web request's thread)."""
        ticket = self.issue_ticket(conversation_id, lifetime)
        try:
            for delay in _backoff(_FIRST_POLL):
                if self._is_my_turn(conversation_id, ticket):
                    break
                time.sleep(delay)
            yield
        finally:
            self.cleanup(conversation_id, ticket)


def _backoff(first: float) -> Iterator[float]:
    """Poll soon, then less often (a turn takes milliseconds, a Stripe call seconds)."""
    delay = first
    while True:
        yield delay
        delay = min(delay * 2, _MAX_POLL)


class MemoryTicketLocks(_AtomicTickets, InMemoryLockStore):
    """Ticket locks for one process (web threads and the agent's loop share them)."""

    def __init__(self) -> None:
        """An empty store guarded by a mutex."""
        super().__init__()
        self._mutex = threading.Lock()

    def _change(self, conversation_id: str, change: Callable[[TicketLock], T]) -> T:
        with self._mutex:
            lock = self.get_or_create_lock(conversation_id)
            result = change(lock)
            if lock.is_someone_waiting():
                self.save_lock(lock)
            else:
                self.conversation_locks.pop(conversation_id, None)
            return result


class RedisTicketLocks(_AtomicTickets, RedisLockStore):
    """Ticket locks shared by every process through Redis (optimistic transactions)."""

    def _change(self, conversation_id: str, change: Callable[[TicketLock], T]) -> T:
        key = self.key_prefix + conversation_id
        outcome: list[Any] = []

        def attempt(pipe: Any) -> None:
            raw = pipe.get(key)
            lock = (TicketLock.from_dict(json.loads(raw)) if raw
                    else self.create_lock(conversation_id))
            outcome[:] = [change(lock)]
            pipe.multi()
            if lock.is_someone_waiting():
                # Expire the key too, so a crashed holder never leaves it behind.
                pipe.set(key, lock.dumps(), ex=int(LOCK_LIFETIME_SECONDS * 2))
            else:
                pipe.delete(key)

        # redis-py retries `attempt` whenever another client changed the key meanwhile.
        self.red.transaction(attempt, key)
        return outcome[0]


def create_lock_store(redis_url: str | None) -> LockStore:
    """Redis-backed locks when REDIS_URL is set, else in-process ones."""
    if not redis_url:
        return MemoryTicketLocks()
    parsed = urlparse(redis_url)
    return RedisTicketLocks(
        host=parsed.hostname or "localhost",
        port=parsed.port or 6379,
        db=int((parsed.path or "/0").lstrip("/") or 0),
        username=parsed.username,
        password=parsed.password,
        use_ssl=parsed.scheme == "rediss",
        key_prefix="textpay",
    )
