"""Token buckets: pace outbound texts per sending number, cap texts per phone.

One bucket per key holds up to `burst` tokens and refills at `rate` tokens a
second. In one process a dict is enough; with REDIS_URL every worker shares
the bucket through one atomic Lua script, so the limit holds across workers.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from bot.clock import epoch_seconds

# KEYS[1] bucket; ARGV: rate, burst, now, cost. Returns {allowed, wait_ms}.
_LUA = """
local bucket = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local rate, burst, now, cost = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]),
  tonumber(ARGV[4])
local tokens = tonumber(bucket[1]) or burst
local at = tonumber(bucket[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - at) * rate)
local allowed, wait = 0, 0
if tokens >= cost then
  tokens = tokens - cost
  allowed = 1
else
  wait = (cost - tokens) / rate
end
redis.call('HSET', KEYS[1], 'tokens', tokens, 'at', now)
redis.call('PEXPIRE', KEYS[1], math.ceil((burst / rate) * 1000) + 1000)
return {allowed, math.ceil(wait * 1000)}
"""


@dataclass(frozen=True)
class Decision:
    """Whether a token was taken, and if not, how long until one is free."""

    allowed: bool
    wait_seconds: float


class TokenBucket:
    """`rate` tokens per second, at most `burst` saved up, per key."""

    def __init__(self, rate: float, burst: float, redis_url: str | None = None,
                 prefix: str = "textpay:bucket") -> None:
        """`redis_url` shares the buckets between processes."""
        if rate <= 0 or burst <= 0:
            raise ValueError("rate and burst must be positive")
        self.rate, self.burst, self.prefix = rate, burst, prefix
        self._lock = threading.Lock()
        self._local: dict[str, tuple[float, float]] = {}
        self._script = None
        if redis_url:
            import redis

            self._script = redis.Redis.from_url(redis_url).register_script(_LUA)

    def try_take(self, key: str, cost: float = 1.0) -> Decision:
        """Take `cost` tokens from `key`'s bucket if it has them."""
        now = epoch_seconds()  # real time: Redis expires the buckets in real time
        if self._script is not None:
            allowed, wait_ms = self._script(keys=[f"{self.prefix}:{key}"],
                                            args=[self.rate, self.burst, now, cost])
            return Decision(bool(allowed), wait_ms / 1000)
        with self._lock:
            tokens, at = self._local.get(key, (self.burst, now))
            tokens = min(self.burst, tokens + max(0.0, now - at) * self.rate)
            if tokens >= cost:
                self._local[key] = (tokens - cost, now)
                return Decision(True, 0.0)
            self._local[key] = (tokens, now)
            return Decision(False, (cost - tokens) / self.rate)

    def take(self, key: str, cost: float = 1.0, max_wait: float = 60.0) -> bool:
        """Wait (sleeping) until `cost` tokens are free; False if that exceeds `max_wait`."""
        deadline = time.monotonic() + max_wait
        while True:
            decision = self.try_take(key, cost)
            if decision.allowed:
                return True
            if time.monotonic() + decision.wait_seconds > deadline:
                return False
            time.sleep(decision.wait_seconds)
