"""Local calendars: a borrower's (their recorded zone, else the dealer's) and a dealer's.

"Today", "days late" and "due today" are local questions: at 21:30 in Chicago it
is already tomorrow in UTC. Everything that asks them goes through here.
"""

from __future__ import annotations

from datetime import date, datetime, time, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.clock import utcnow
from bot.models import Borrower, Dealer

DEFAULT_ZONE = "America/New_York"
# Texts we start go only between these local times (the dealer may tighten them).
EARLIEST = time(8, 0)
LATEST = time(21, 0)


@lru_cache(maxsize=1024)
def zone_named(name: str | None) -> ZoneInfo | None:
    """The zone of an IANA name, or None for an empty or unknown one."""
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def dealer_zone(dealer: Dealer) -> ZoneInfo:
    """The dealer's zone (New York when it has none we know)."""
    return zone_named(dealer.timezone) or ZoneInfo(DEFAULT_ZONE)


def borrower_zone(borrower: Borrower, dealer: Dealer) -> ZoneInfo:
    """The zone we speak to a borrower in (recorded zone, else the dealer's)."""
    return zone_named(borrower.timezone) or dealer_zone(dealer)


def local_now(borrower: Borrower, dealer: Dealer, at_utc: datetime) -> datetime:
    """A naive-UTC moment as the borrower's local (aware) time."""
    return at_utc.replace(tzinfo=timezone.utc).astimezone(borrower_zone(borrower, dealer))


def local_today(borrower: Borrower, dealer: Dealer, at_utc: datetime) -> date:
    """The borrower's calendar date at a naive-UTC moment."""
    return local_now(borrower, dealer, at_utc).date()


def dealer_today(dealer: Dealer, at_utc: datetime | None = None) -> date:
    """The dealer's calendar date at a naive-UTC moment (default: now)."""
    moment = (at_utc or utcnow()).replace(tzinfo=timezone.utc)
    return moment.astimezone(dealer_zone(dealer)).date()


def clock_time(text: str | None, fallback: time | None = None) -> time | None:
    """"18:00" (or "8:00") as a time; `fallback` for an empty or malformed one."""
    try:
        return time.fromisoformat((text or "").strip().zfill(5))
    except ValueError:
        return fallback


def sending_window(dealer: Dealer) -> tuple[time, time]:
    """The local (start, end) of the sending window: 8:00-21:00, or the dealer's tighter one."""
    start = max(EARLIEST, clock_time(dealer.quiet_end, EARLIEST))
    end = min(LATEST, clock_time(dealer.quiet_start, LATEST))
    if start >= end:  # a nonsensical setting must not silence everything
        return EARLIEST, LATEST
    return start, end
