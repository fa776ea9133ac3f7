"""A dealer's business hours ("Mon-Fri 09:00-18:00; Sat 10:00-14:00"), in its time zone.

Used to tell a borrower when a person will get back to them, and by the
console to judge response times: the response clock runs only while the
dealer is open (an escalation at 20:00 on Friday has waited no time at all by
08:59 on Monday).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from babel.dates import format_datetime

from bot.money import locale_for

DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
_PART = re.compile(
    r"^\s*(?P<first>[a-z]{3})(?:\s*-\s*(?P<last>[a-z]{3}))?\s+"
    r"(?P<open>\d{1,2}:\d{2})\s*-\s*(?P<close>\d{1,2}:\d{2})\s*$"
)


@dataclass(frozen=True)
class Opening:
    """Open from `opens` to `closes` on the given weekdays (0 = Monday)."""

    weekdays: frozenset[int]
    opens: time
    closes: time


class BusinessHoursError(ValueError):
    """The business hours text cannot be read; the message shows the expected form."""


def parse_business_hours(text: str) -> list[Opening]:
    """Read "Mon-Fri 09:00-18:00; Sat 10:00-14:00" into Openings."""
    openings = []
    for part in filter(str.strip, (text or "").lower().split(";")):
        match = _PART.match(part)
        if not match or match["first"] not in DAYS or (match["last"] and match["last"] not in DAYS):
            raise BusinessHoursError(
                f"cannot read {part.strip()!r}; write e.g. 'Mon-Fri 09:00-18:00; Sat 10:00-14:00'")
        first = DAYS.index(match["first"])
        last = DAYS.index(match["last"] or match["first"])
        days = frozenset(range(first, last + 1)) if first <= last else \
            frozenset(list(range(first, 7)) + list(range(0, last + 1)))
        opens, closes = (time.fromisoformat(match[k].zfill(5)) for k in ("open", "close"))
        openings.append(Opening(days, opens, closes))
    return openings


def _local(at_utc: datetime, zone: str) -> datetime:
    return at_utc.replace(tzinfo=timezone.utc).astimezone(ZoneInfo(zone))


def is_open(hours: str, zone: str, at_utc: datetime) -> bool:
    """Whether the dealer is open at a (naive UTC) moment."""
    local = _local(at_utc, zone)
    return any(local.weekday() in o.weekdays and o.opens <= local.time() < o.closes
               for o in parse_business_hours(hours))


# Longer waits are not counted day by day (the clock says "over a month" long before).
_MAX_DAYS_COUNTED = 62


def business_minutes(hours: str, zone: str, start_utc: datetime, end_utc: datetime) -> int:
    """Whole minutes between two naive-UTC moments that fall within business hours
    (wall-clock minutes when the hours cannot be read, so a clock never stops)."""
    if end_utc <= start_utc:
        return 0
    try:
        openings = parse_business_hours(hours)
    except BusinessHoursError:
        return int((end_utc - start_utc).total_seconds() // 60)
    local = ZoneInfo(zone)
    start, end = (moment.replace(tzinfo=timezone.utc) for moment in (start_utc, end_utc))
    first_day = max(start.astimezone(local).date(),
                    end.astimezone(local).date() - timedelta(days=_MAX_DAYS_COUNTED))
    seconds = 0.0
    for offset in range((end.astimezone(local).date() - first_day).days + 1):
        day = first_day + timedelta(days=offset)
        for opening in (o for o in openings if day.weekday() in o.weekdays):
            # In UTC, so that a day on which the clocks change is counted as it really lasts.
            opens = datetime.combine(day, opening.opens, tzinfo=local).astimezone(timezone.utc)
            closes = datetime.combine(day, opening.closes, tzinfo=local).astimezone(timezone.utc)
            seconds += max(0.0, (min(closes, end) - max(opens, start)).total_seconds())
    return int(seconds // 60)


def next_opening(hours: str, zone: str, at_utc: datetime) -> datetime | None:
    """The next local moment the dealer opens (None if it never does)."""
    local = _local(at_utc, zone)
    openings = parse_business_hours(hours)
    for days_ahead in range(0, 8):
        day = (local + timedelta(days=days_ahead)).date()
        starts = sorted(
            datetime.combine(day, o.opens, tzinfo=local.tzinfo)
            for o in openings if day.weekday() in o.weekdays
        )
        for start in starts:
            if start > local:
                return start
    return None


def when_a_person_replies(hours: str, zone: str, at_utc: datetime, language: str) -> str:
    """"within the hour" while open, else "after we open Monday at 9:00 AM" (localised)."""
    spanish = language == "es"
    try:
        if is_open(hours, zone, at_utc):
            return "dentro de la próxima hora" if spanish else "within the hour"
        opening = next_opening(hours, zone, at_utc)
    except BusinessHoursError:
        opening = None
    if opening is None:
        return "lo antes posible" if spanish else "as soon as we can"
    pattern = "EEEE 'a las' h:mm a" if spanish else "EEEE 'at' h:mm a"
    moment = format_datetime(opening, pattern, locale=locale_for(language))
    return f"cuando abramos el {moment}" if spanish else f"after we open {moment}"
