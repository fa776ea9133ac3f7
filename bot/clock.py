"""The one source of "now".

Every module under `bot/` asks this one for the time (a test fails when any
other calls `datetime.now`, `date.today` or `time.time`). Stored timestamps
are naive UTC; calendar questions ("today", "days late", "due today") are
answered in a zone the caller names, because a borrower's Tuesday evening is
already Wednesday in UTC.

The clock can be *pinned*: it then reads a chosen instant and runs on from
it at the real pace (so two events a moment apart still get increasing
timestamps). Tests pin it through their `clock` fixture (`pytest --now ISO`);
a child process (gunicorn, `textpay worker`, a CLI run) started with
`TEXTPAY_NOW=ISO` in its environment starts at that instant. This is the one
environment variable read outside `bot/settings.py`: the clock must be
pinned before anything else reads it, settings included.
"""

from __future__ import annotations

import os
import time
from datetime import date, datetime, timedelta, timezone, tzinfo

ENVIRONMENT_VARIABLE = "TEXTPAY_NOW"

# The pin: the instant the clock read when it was pinned (aware UTC) and the
# monotonic reading at that moment. None: the real clock.
_pinned_at: datetime | None = None
_pinned_monotonic: float = 0.0


def utcnow() -> datetime:
    """Naive UTC now; every timestamp column stores naive UTC."""
    return now_utc().replace(tzinfo=None)


def now_utc() -> datetime:
    """Aware UTC now."""
    if _pinned_at is None:
        return datetime.now(timezone.utc)
    return _pinned_at + timedelta(seconds=time.monotonic() - _pinned_monotonic)


def now_in(zone: tzinfo) -> datetime:
    """The wall-clock time in a zone (aware)."""
    return now_utc().astimezone(zone)


def today_in(zone: tzinfo) -> date:
    """The calendar date in a zone: a dealer's or borrower's "today"."""
    return now_in(zone).date()


def epoch_seconds() -> float:
    """Real Unix time, never pinned: for rate-limit windows and TTLs that Redis
    keeps in real time, and for checking timestamps other systems signed."""
    return time.time()


def parse_instant(text: str) -> datetime:
    """An ISO 8601 instant ("2027-11-07T06:30:00Z"; no zone means UTC) as aware UTC.

    Raises ValueError with the expected form when the text is not one.
    """
    cleaned = text.strip()
    if cleaned.endswith(("Z", "z")):
        cleaned = cleaned[:-1] + "+00:00"
    try:
        moment = datetime.fromisoformat(cleaned)
    except ValueError:
        raise ValueError(f"not an ISO 8601 instant: {text!r} "
                         "(write e.g. 2027-11-07T06:30:00Z)") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


def pin(at: datetime) -> None:
    """Make the clock read `at` now and run on from it (naive means UTC)."""
    global _pinned_at, _pinned_monotonic
    if at.tzinfo is None:
        at = at.replace(tzinfo=timezone.utc)
    _pinned_at, _pinned_monotonic = at.astimezone(timezone.utc), time.monotonic()


def advance(delta: timedelta) -> None:
    """Move a pinned clock forward (or back) by `delta`; pins it first if it runs free."""
    pin(now_utc() + delta)


def unpin() -> None:
    """Back to the real clock."""
    global _pinned_at
    _pinned_at = None


def is_pinned() -> bool:
    """Whether the clock reads a chosen instant instead of the real time."""
    return _pinned_at is not None


def iso_utc(moment: datetime | None) -> str | None:
    """A stored naive-UTC moment as ISO 8601 with a Z (the API's form)."""
    return moment.isoformat() + "Z" if moment is not None else None


def _pin_from_environment() -> None:
    value = os.environ.get(ENVIRONMENT_VARIABLE, "").strip()
    if value:
        pin(parse_instant(value))


_pin_from_environment()
