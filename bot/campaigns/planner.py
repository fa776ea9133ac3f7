"""Planning: which schedule step is due for each account, written down once.

A step is due at `send_time` on (due date + offset) in the borrower's local
time. At any moment each account has at most one current step — the latest
one whose moment has come, if that was less than CATCH_UP ago — so a run
that was missed for a day still sends, while a stale step is superseded by
the next one instead of piling up.

Each planned step becomes one `Reminder` row, unique per account, offset and
due date. That row is what makes sending idempotent: however often the
command or job runs, a step is planned once and sent at most once.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.campaigns.bulk import insert_ignoring_duplicates
from bot.campaigns.schedule import Step, steps_for
from bot.clock import utcnow
from bot.messaging.quiet_hours import stored_phone_zones
from bot.models import Account, Borrower, Dealer, Reminder, ReminderStatus

# How long after its moment a step may still go (a missed run, quiet hours).
CATCH_UP = timedelta(hours=48)
WELCOME = "welcome"


@lru_cache(maxsize=1024)
def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("America/New_York")


@lru_cache(maxsize=65536)
def step_moment(zone_name: str, day: date, send_time: time) -> datetime:
    """`send_time` on `day` in a zone, as naive UTC."""
    local = datetime.combine(day, send_time, tzinfo=_zone(zone_name))
    return local.astimezone(timezone.utc).replace(tzinfo=None)


def current_step(steps: list[Step], due: date, zone_name: str, send_time: time,
                 at: datetime) -> tuple[Step, datetime] | None:
    """The latest step whose moment has come (less than CATCH_UP ago), with its moment."""
    found = None
    for step in steps:  # sorted by offset, so moments ascend
        moment = step_moment(zone_name, due + timedelta(days=step.offset_days), send_time)
        if moment > at:
            break
        found = (step, moment)
    if found is None or at - found[1] >= CATCH_UP:
        return None
    return found


def insert_new(session: Session, rows: list[dict], now: datetime | None = None) -> None:
    """Insert reminder rows, silently keeping the existing row on a duplicate key.

    Every row gets `now` as its creation time (given here rather than computed
    per row by the column default; callers find their rows again by it).
    """
    now = now or utcnow()
    insert_ignoring_duplicates(session, Reminder.__table__,
                               [{"created_at": now, "updated_at": now, "reason": None, **row}
                                for row in rows])


def fill_phone_zones(session: Session, dealer_id: int) -> int:
    """Look up the phone time zones of borrowers that have none stored yet."""
    rows = session.execute(
        select(Borrower.id, Borrower.phone)
        .where(Borrower.dealer_id == dealer_id, Borrower.phone_zones.is_(None))
    ).all()
    if rows:
        session.bulk_update_mappings(Borrower, [
            {"id": row.id, "phone_zones": stored_phone_zones(row.phone)} for row in rows])
    return len(rows)


class Planned(NamedTuple):
    """A step due now for an account, not written down yet, with what judging it needs
    (the same names as the rows `dispatch` reads back from the database)."""

    account_id: int
    template: str
    offset_days: int
    due_date: date
    language: str
    send_after: datetime
    borrower_id: int
    timezone: str | None
    phone: str
    phone_zones: str | None
    opted_out: bool
    wrong_number: bool
    invalid_number: bool
    state: Any  # the account's AccountState (bot/collection.py), for pause reasons
    # The hours and days the borrower asked for (bot/contact_preferences.py).
    contact_window_start: str | None = None
    contact_window_end: str | None = None
    contact_avoid_days: str | None = None
    id: None = None  # no row yet

    def values(self, dealer_id: int) -> dict:
        """The reminder row's columns (status and reason are added when judged)."""
        return {"dealer_id": dealer_id, "account_id": self.account_id,
                "template": self.template, "offset_days": self.offset_days,
                "due_date": self.due_date, "language": self.language,
                "send_after": self.send_after, "attempts": 0}


def due_steps(session: Session, dealer: Dealer, at: datetime) -> list[Planned]:
    """Every step due now for the dealer's accounts that was not written down before."""
    steps = steps_for(session, dealer)
    send_time = time.fromisoformat(dealer.send_time.zfill(5))
    offsets = [s.offset_days for s in steps]
    # Due dates whose steps can be current now (zones are at most a day apart).
    first = at.date() - timedelta(days=max(offsets) + CATCH_UP.days + 2)
    last = at.date() - timedelta(days=min(offsets) - 2)
    accounts = session.execute(
        select(Account.id, Account.due_date, Account.borrower_id, Account.balance_cents,
               Account.amount_due_cents, Borrower.timezone, Borrower.language, Borrower.phone,
               Borrower.phone_zones, Borrower.opted_out, Borrower.wrong_number,
               Borrower.invalid_number, Borrower.contact_window_start,
               Borrower.contact_window_end, Borrower.contact_avoid_days)
        .join(Borrower, Borrower.id == Account.borrower_id)
        .where(Account.dealer_id == dealer.id, Account.due_date.between(first, last))
    ).all()
    planned = set(session.execute(
        select(Reminder.account_id, Reminder.offset_days, Reminder.due_date)
        .where(Reminder.dealer_id == dealer.id, Reminder.due_date.between(first, last),
               Reminder.template != WELCOME)
    ).all())
    due = []
    # Accounts share due dates and zones: each pair's current step is found once.
    current_for: dict[tuple[str, date], tuple[Step, datetime] | None] = {}
    for account in accounts:  # unpacked by position: the fastest way through 100,000 rows
        (account_id, due_date, borrower_id, _balance, _due_cents, zone, language, phone,
         phone_zones, opted_out, wrong_number, invalid_number, window_start, window_end,
         avoid_days) = account
        key = (zone or dealer.timezone, due_date)
        current = current_for.get(key, False)
        if current is False:
            current = current_for[key] = current_step(steps, due_date, key[0], send_time, at)
        if current is None or (account_id, current[0].offset_days, due_date) in planned:
            continue
        step, moment = current
        due.append(Planned(account_id, step.template, step.offset_days, due_date,
                           language or "en", moment, borrower_id, zone, phone, phone_zones,
                           opted_out, wrong_number, invalid_number, account, window_start,
                           window_end, avoid_days))
    return due


def queue_welcomes(session: Session, dealer: Dealer, account_ids: Iterable[int],
                   at: datetime) -> int:
    """Plan the one welcome text of each new account (sent within quiet hours)."""
    rows = [{"dealer_id": dealer.id, "account_id": account_id, "template": WELCOME,
             "offset_days": 0, "due_date": at.date(), "language": "en",
             "status": ReminderStatus.QUEUED, "send_after": at, "attempts": 0}
            for account_id in account_ids]
    insert_new(session, rows)
    return len(rows)
