"""One lock per conversation: a phone's texts to a dealer number, one at a time, in order.

Twilio may deliver a borrower's "pay 50" and "yes" to two workers at the same
moment; they must be answered one after the other, in the order they
arrived, whichever worker got them. Each text takes a numbered ticket and
waits until it holds the lowest one; the turn then runs (NLU, dialogue,
payments, storing the reply) and gives the ticket back. This is the only
lock a turn takes: the Rasa agent runs inside it and takes none of its own.

A holder that crashed frees the conversation after its lifetime. With
REDIS_URL the tickets live in Redis (one atomic script per step: taking a
ticket also says whether it is our turn, so an uncontended turn costs two
round trips); without it, in this process.
"""

from __future__ import annotations

import hashlib
import itertools
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

from bot.phones import to_e164

# A turn can include a Stripe call (its timeout, one retry); a holder that
# crashed frees the conversation after this long.
LIFETIME_SECONDS = 60.0
_FIRST_POLL, _MAX_POLL = 0.002, 0.05

# KEYS[1]: the tickets (a sorted set: score = ticket, member = "ticket:expiry_ms");
# KEYS[2]: the ticket counter. ARGV: action (take | check | give), lifetime ms, ticket.
# Returns {ticket, state}: state 1 = our turn, 0 = wait, -1 = our ticket expired.
_SCRIPT = """
local clock = redis.call('TIME')
local now = clock[1] * 1000 + math.floor(clock[2] / 1000)
for _, member in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  if tonumber(string.match(member, ':(%d+)$')) <= now then
    redis.call('ZREM', KEYS[1], member)
  end
end
local action, lifetime = ARGV[1], tonumber(ARGV[2])
local ticket = tonumber(ARGV[3])
if action == 'give' then
  redis.call('ZREMRANGEBYSCORE', KEYS[1], ticket, ticket)
  if redis.call('ZCARD', KEYS[1]) == 0 then redis.call('DEL', KEYS[1], KEYS[2]) end
  return {ticket, 0}
end
if action == 'take' then
  ticket = redis.call('INCR', KEYS[2])
  redis.call('ZADD', KEYS[1], ticket, ticket .. ':' .. (now + lifetime))
  redis.call('PEXPIRE', KEYS[1], lifetime * 2)
  redis.call('PEXPIRE', KEYS[2], lifetime * 2)
elseif #redis.call('ZRANGEBYSCORE', KEYS[1], ticket, ticket) == 0 then
  return {ticket, -1}
end
local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return {ticket, tonumber(first[2]) == ticket and 1 or 0}
"""


class ConversationBusy(RuntimeError):
    """Waited longer than a turn may take; the conversation is still held."""


def conversation_key(from_number: str, to_number: str) -> str:
    """The lock name for one phone texting one dealer number (hashed: no phone
    numbers in Redis keys)."""
    pair = f"{to_e164(to_number) or to_number}|{to_e164(from_number) or from_number}"
    return "sms:" + hashlib.sha256(pair.encode("utf-8", "replace")).hexdigest()[:32]


def _backoff() -> Iterator[float]:
    """Poll soon, then less often (a turn takes milliseconds, a Stripe call seconds)."""
    delay = _FIRST_POLL
    while True:
        yield delay
        delay = min(delay * 2, _MAX_POLL)


class RedisConversationLocks:
    """Tickets shared by every process through Redis."""

    def __init__(self, redis_url: str, prefix: str = "textpay:lock:") -> None:
        """Connect lazily to `redis_url`; keys start with `prefix`."""
        import redis

        self.redis = redis.Redis.from_url(redis_url)
        self.prefix = prefix
        self._script = self.redis.register_script(_SCRIPT)

    def _step(self, key: str, action: str, lifetime: float, ticket: int = 0) -> tuple[int, int]:
        keys = [self.prefix + key, self.prefix + key + ":next"]
        taken, state = self._script(keys=keys, args=[action, int(lifetime * 1000), ticket])
        return int(taken), int(state)

    @contextmanager
    def hold(self, key: str, lifetime: float = LIFETIME_SECONDS) -> Iterator[None]:
        """Wait for this conversation's turn, hold it for the `with` block."""
        ticket, state = self._step(key, "take", lifetime)
        try:
            for delay in _backoff():
                if state == 1:
                    break
                if state == -1:
                    raise ConversationBusy(f"ticket {ticket} expired before its turn")
                time.sleep(delay)
                _, state = self._step(key, "check", lifetime, ticket)
            yield
        finally:
            self._step(key, "give", lifetime, ticket)


class MemoryConversationLocks:
    """Tickets for the threads of one process (the embedded default)."""

    def __init__(self) -> None:
        """No conversation is held."""
        self._changed = threading.Condition()
        self._numbers = itertools.count(1)
        self._tickets: dict[str, dict[int, float]] = {}  # key -> ticket -> expiry

    def _turn_of(self, key: str, ticket: int) -> int:
        tickets = self._tickets.get(key, {})
        now = time.monotonic()
        for number in [n for n, expiry in tickets.items() if expiry <= now]:
            del tickets[number]
        if ticket not in tickets:
            return -1
        return 1 if min(tickets) == ticket else 0

    @contextmanager
    def hold(self, key: str, lifetime: float = LIFETIME_SECONDS) -> Iterator[None]:
        """Wait for this conversation's turn, hold it for the `with` block."""
        with self._changed:
            ticket = next(self._numbers)
            self._tickets.setdefault(key, {})[ticket] = time.monotonic() + lifetime
            while (state := self._turn_of(key, ticket)) != 1:
                if state == -1:
                    raise ConversationBusy(f"ticket {ticket} expired before its turn")
                self._changed.wait(timeout=_MAX_POLL)  # also notices a dead holder's expiry
        try:
            yield
        finally:
            with self._changed:
                tickets = self._tickets.get(key, {})
                tickets.pop(ticket, None)
                if not tickets:
                    self._tickets.pop(key, None)
                self._changed.notify_all()

    def waiting(self, key: str) -> int:
        """How many tickets (the holder's included) a conversation has (tests)."""
        with self._changed:
            return len(self._tickets.get(key, {}))


@cache
def conversation_locks(redis_url: str | None) -> RedisConversationLocks | MemoryConversationLocks:
    """The process's locks: shared through Redis when REDIS_URL is set."""
    return RedisConversationLocks(redis_url) if redis_url else MemoryConversationLocks()
