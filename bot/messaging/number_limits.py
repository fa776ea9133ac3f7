"""Per-phone-number caps on texts in and out: the defence against SMS pumping.

A flood of texts from one number (a script, a loop between two bots) must
not make us answer each one, and nothing may make us text one number over
and over. Each number has a token bucket (bot/messaging/rate_limit.py),
shared by every worker through Redis when REDIS_URL is set. Over the cap an
inbound text is still stored (staff can see it) but not answered, and an
outbound text is refused; either way one log line says so, number masked.
"""

from __future__ import annotations

import logging
from functools import cache

from bot.messaging.rate_limit import TokenBucket
from bot.phones import mask, to_e164
from bot.settings import get_settings

log = logging.getLogger(__name__)

INBOUND = "inbound"
OUTBOUND = "outbound"


@cache
def _bucket(direction: str, per_window: int, window_seconds: int,
            redis_url: str | None) -> TokenBucket:
    # A whole window's allowance may be used at once, then it refills steadily.
    return TokenBucket(rate=per_window / window_seconds, burst=per_window,
                       redis_url=redis_url, prefix=f"textpay:cap:{direction}")


def _allowed(direction: str, number: str, per_window: int, window_seconds: int,
             window_name: str) -> bool:
    key = to_e164(number) or number[:40]
    bucket = _bucket(direction, per_window, window_seconds, get_settings().redis_url)
    if bucket.try_take(key).allowed:
        return True
    log.warning(
        "%s rate limit: %s is over %d texts per %s; %s", direction, mask(key), per_window,
        window_name, "stored, not answered" if direction == INBOUND else "not sent",
        extra={"event": "rate_limited", "direction": direction},
    )
    return False


def inbound_allowed(from_number: str) -> bool:
    """May we answer another text from this number now? (INBOUND_TEXTS_PER_MINUTE)"""
    return _allowed(INBOUND, from_number, get_settings().inbound_texts_per_minute, 60, "minute")


def outbound_allowed(to_number: str) -> bool:
    """May we text this number again now? (OUTBOUND_TEXTS_PER_HOUR)"""
    return _allowed(OUTBOUND, to_number, get_settings().outbound_texts_per_hour, 3600, "hour")


def reset() -> None:
    """Forget every in-process bucket (tests start each case with fresh allowances)."""
    _bucket.cache_clear()
