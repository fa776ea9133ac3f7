"""Quiet hours: texts we start go only between 8:00 and 21:00 where the borrower is,
and inside the hours and days the borrower asked for (bot/contact_preferences.py).

A dealer may tighten the window (never widen it). Where we are unsure where
the borrower is — their recorded time zone and the time zones of their phone
number (`phonenumbers.timezone`) disagree — a text goes only when it is
inside the window in every one of them. Times are naive UTC, as stored.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta, timezone
from functools import lru_cache
from types import SimpleNamespace
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot import contact_preferences

# The legal window and the dealer's tighter one live with the local calendars, so the
# contact preferences (a layer below) clip to the same hours.
from bot.localtime import EARLIEST as EARLIEST
from bot.localtime import LATEST as LATEST
from bot.localtime import borrower_zone, local_now
from bot.localtime import sending_window as window
from bot.models import Borrower, Dealer
from bot.phones import timezones_for

QUIET_HOURS = "quiet_hours"
PREFERRED_HOURS = "preferred_hours"  # outside the hours the borrower asked for
AVOIDED_DAY = "avoided_day"  # a weekday the borrower asked us to avoid
# Why a text we start is held until later (what `hold_reason` answers).
HOLD_REASONS = (QUIET_HOURS, PREFERRED_HOURS, AVOIDED_DAY)
# A number whose zones span more than this says nothing about where its owner
# is (toll-free and non-geographic numbers list every zone of the country).
MAX_PHONE_ZONES = 4


@lru_cache(maxsize=4096)
def _zone(name: str) -> ZoneInfo | None:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def stored_phone_zones(phone: str) -> str:
    """What `Borrower.phone_zones` stores for a number: its telling zones, comma-separated."""
    zones = timezones_for(phone)
    return ",".join(zones) if len(zones) <= MAX_PHONE_ZONES else ""


def zones_for(borrower: Borrower, dealer: Dealer) -> list[ZoneInfo]:
    """Every zone the borrower may be in: the recorded one (else the dealer's) and the phone's."""
    if borrower.phone_zones is None:  # not stored yet: looked up from the number
        phone = tuple(timezones_for(borrower.phone))
        return list(_zone_set(borrower_zone(borrower, dealer), phone))
    return list(_stored_zone_set(borrower.timezone, dealer.timezone, borrower.phone_zones))


@lru_cache(maxsize=4096)
def _stored_zone_set(recorded: str | None, dealer_zone: str | None,
                     stored: str) -> tuple[ZoneInfo, ...]:
    # Campaigns ask for every borrower; most share a handful of combinations.
    zone = borrower_zone(SimpleNamespace(timezone=recorded), SimpleNamespace(timezone=dealer_zone))
    return _zone_set(zone, tuple(name for name in stored.split(",") if name))


@lru_cache(maxsize=4096)
def _zone_set(recorded: ZoneInfo, phone: tuple[str, ...]) -> tuple[ZoneInfo, ...]:
    zones = [recorded]
    if len(phone) <= MAX_PHONE_ZONES:
        for name in phone:
            zone = _zone(name)
            if zone is not None and zone not in zones:
                zones.append(zone)
    return tuple(zones)


def _utc(at: datetime) -> datetime:
    return at.replace(tzinfo=timezone.utc) if at.tzinfo is None else at


def inside(zones: list[ZoneInfo], start: time, end: time, at: datetime) -> bool:
    """Whether the naive-UTC moment `at` is inside [start, end) in every zone."""
    moment = _utc(at)
    for zone in zones:
        local = moment.astimezone(zone).time()
        if not start <= local < end:
            return False
    return True


def may_send_now(borrower: Borrower, dealer: Dealer, at: datetime) -> bool:
    """Whether a text we start may go to this borrower at the naive-UTC moment `at`."""
    start, end = window(dealer)
    return inside(zones_for(borrower, dealer), start, end, at)


def earliest_inside(zones: list[ZoneInfo], start: time, end: time,
                    at: datetime) -> datetime | None:
    """The first naive-UTC moment at or after `at` inside the window everywhere, if any."""
    if inside(zones, start, end, at):
        return at.replace(tzinfo=None)
    moment = _utc(at)
    candidates = []
    for zone in zones:
        local_day = moment.astimezone(zone).date()
        for days in range(0, 3):
            opening = datetime.combine(local_day + timedelta(days=days), start, tzinfo=zone)
            if opening > moment:
                candidates.append(opening.astimezone(timezone.utc))
    for candidate in sorted(candidates):
        if inside(zones, start, end, candidate):
            return candidate.replace(tzinfo=None)
    return None


def _legal_next(borrower: Borrower, dealer: Dealer, at: datetime) -> datetime:
    """The next moment inside the legal window (the recorded zone alone decides when the
    zones share no moment at all)."""
    start, end = window(dealer)
    zones = zones_for(borrower, dealer)
    found = earliest_inside(zones, start, end, at)
    if found is None:
        found = earliest_inside(zones[:1], start, end, at)
    return found


def next_allowed(borrower: Borrower, dealer: Dealer, at: datetime) -> datetime:
    """The next naive-UTC moment (`at` itself if allowed) a text we start may go to this
    borrower: inside the legal window and the hours and days they asked for.

    When the zones share no moment at all, the recorded zone alone decides; when the
    borrower's hours no longer meet the dealer's (a dealer tightened its window since),
    the legal window alone does.
    """
    moment = _legal_next(borrower, dealer, at)
    for _ in range(16):  # each round moves to a later day or closes the gap
        wished = contact_preferences.next_allowed_moment(borrower, moment, dealer)
        if wished == moment:
            return moment
        moment = _legal_next(borrower, dealer, wished)
    return _legal_next(borrower, dealer, at)


def hold_reason(borrower: Borrower, dealer: Dealer, at: datetime) -> str | None:
    """Why a text we start may not go at `at` (QUIET_HOURS, AVOIDED_DAY, PREFERRED_HOURS),
    or None when it may."""
    if not may_send_now(borrower, dealer, at):
        return QUIET_HOURS
    preferences = contact_preferences.of(borrower)
    local = local_now(borrower, dealer, at)
    if preferences.allows(local) or next_allowed(borrower, dealer, at) == at:
        return None  # the hours they asked for no longer meet the dealer's: the law decides
    return AVOIDED_DAY if local.weekday() in preferences.avoid_days else PREFERRED_HOURS
