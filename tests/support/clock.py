"""The suite's clock: every test runs with the product's clock pinned.

`pytest --now 2027-11-07T06:30:00Z` runs the whole suite as if `bot/clock.py`
read that instant when each test started; without `--now` each test starts
at the real time. Tests build their dates from the `clock` fixture (never
from the machine's own date), in the zone the product uses, and move time forward
through it. Child processes (gunicorn, the CLI, workers) inherit the pinned
instant through `TEXTPAY_NOW`.

Tests marked `dates` also run at the instants below, chosen where calendars
disagree: month and year ends that are already tomorrow in UTC, the hour
when New York is in quiet hours and Chicago is not, a night that is quiet in
every US zone, both DST changes in Chicago and New York, and a leap day.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from bot import clock as product_clock

NEW_YORK = ZoneInfo("America/New_York")
CHICAGO = ZoneInfo("America/Chicago")

# instant (UTC) -> why it is hard
ADVERSARIAL_INSTANTS: dict[str, str] = {
    "2027-01-31T23:30:00Z": "US month-end afternoon, 23:30 UTC",
    "2027-02-01T04:30:00Z": "Jan 31 evening in the US, already Feb 1 in UTC",
    "2027-01-13T02:30:00Z": "21:30 in New York (quiet), 20:30 in Chicago (not)",
    "2027-01-20T09:00:00Z": "night in every US zone",
    "2027-03-14T07:30:00Z": "spring forward: 03:30 EDT in New York, 01:30 CST in Chicago",
    "2027-03-14T08:30:00Z": "spring forward in Chicago: 02:30 never happened",
    "2027-11-07T05:30:00Z": "fall back: first 01:30 in New York",
    "2027-11-07T06:30:00Z": "fall back: second 01:30 in New York, first in Chicago",
    "2027-11-07T07:30:00Z": "fall back: second 01:30 in Chicago",
    "2028-01-01T04:30:00Z": "Dec 31 23:30 in New York, already next year in UTC",
    "2028-02-29T17:00:00Z": "leap day, midday",
}


@dataclass
class PinnedClock:
    """The product's clock as a test sees and moves it."""

    started: datetime  # aware UTC: the instant this test started at

    def now(self) -> datetime:
        """Naive UTC now, as the product stores it."""
        return product_clock.utcnow()

    def today(self, zone: str | ZoneInfo = NEW_YORK) -> date:
        """Today in a zone (default: New York, the test dealers' zone)."""
        return product_clock.today_in(_zone(zone))

    def local(self, day: date, hour: int, zone: str | ZoneInfo = NEW_YORK,
              minute: int = 0) -> datetime:
        """A local wall-clock moment on `day` as naive UTC (what --at takes)."""
        local = datetime.combine(day, time(hour, minute), tzinfo=_zone(zone))
        return local.astimezone(timezone.utc).replace(tzinfo=None)

    def advance(self, **delta: float) -> datetime:
        """Let time pass (`advance(minutes=31)`); returns the new naive-UTC now."""
        product_clock.advance(timedelta(**delta))
        _export(product_clock.now_utc())
        return self.now()

    def move_to(self, moment: datetime) -> datetime:
        """Jump to a moment (naive means UTC); returns it as naive UTC."""
        product_clock.pin(moment)
        _export(product_clock.now_utc())
        return self.now()

    def move_to_local_hour(self, hour: int, zone: str | ZoneInfo = NEW_YORK) -> datetime:
        """Let time pass until the next `hour`:00 in `zone` (for tests whose subject
        must happen in daytime, e.g. a staff reply outside quiet hours)."""
        now = product_clock.now_utc()
        day = now.astimezone(_zone(zone)).date()
        for offset in range(3):
            target = self.local(day + timedelta(days=offset), hour, zone)
            if target > now.replace(tzinfo=None):
                return self.move_to(target)
        raise AssertionError("unreachable: some day has that hour")


def _zone(zone: str | ZoneInfo) -> ZoneInfo:
    return zone if isinstance(zone, ZoneInfo) else ZoneInfo(zone)


def _export(moment: datetime) -> None:
    """Child processes started from now on begin at this instant."""
    os.environ[product_clock.ENVIRONMENT_VARIABLE] = moment.isoformat()


_session_instant: datetime | None = None


def start_session(instant: datetime | None) -> None:
    """`--now`: pin the clock for the whole run, so servers that a module or the session
    starts (before any test's own pin) begin at that instant too."""
    global _session_instant
    _session_instant = instant
    stop()


def start(instant: datetime | None) -> PinnedClock:
    """Pin the product's clock for one test (`None`: the real time now)."""
    product_clock.unpin()  # so that "now" below is the real time, read the product's way
    at = instant or product_clock.now_utc()
    product_clock.pin(at)
    _export(at)
    return PinnedClock(started=at)


def stop() -> None:
    """After a test: back to the session's instant (`--now`), else to the real clock."""
    if _session_instant is None:
        product_clock.unpin()
        os.environ.pop(product_clock.ENVIRONMENT_VARIABLE, None)
    else:
        product_clock.pin(_session_instant)
        _export(_session_instant)


def today(zone: str | ZoneInfo = NEW_YORK) -> date:
    """Today in a zone by the product's (pinned) clock; the test dealers are in New York."""
    return product_clock.today_in(_zone(zone))
