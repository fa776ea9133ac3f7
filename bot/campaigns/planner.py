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
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from bot.campaigns.schedule import Step, steps_for
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


def insert_new(session: Session, rows: list[dict]) -> None:
    """Insert reminder rows, silently keeping the existing row on a duplicate key."""
    if not rows:
        return
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    elif dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    else:  # pragma: no cover - other databases rely on the pre-check alone
        session.execute(insert(Reminder), rows)
        return
    session.execute(dialect_insert(Reminder).on_conflict_do_nothing(), rows)


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


def plan_due_steps(session: Session, dealer: Dealer, at: datetime) -> int:
    """Write down every step due now for the dealer's accounts; returns how many are new."""
    steps = steps_for(session, dealer)
    send_time = time.fromisoformat(dealer.send_time.zfill(5))
    offsets = [s.offset_days for s in steps]
    # Due dates whose steps can be current now (zones are at most a day apart).
    first = at.date() - timedelta(days=max(offsets) + CATCH_UP.days + 2)
    last = at.date() - timedelta(days=min(offsets) - 2)
    accounts = session.execute(
        select(Account.id, Account.due_date, Borrower.timezone, Borrower.language)
        .join(Borrower, Borrower.id == Account.borrower_id)
        .where(Account.dealer_id == dealer.id, Account.due_date.between(first, last))
    ).all()
    planned = set(session.execute(
        select(Reminder.account_id, Reminder.offset_days, Reminder.due_date)
        .where(Reminder.dealer_id == dealer.id, Reminder.due_date.between(first, last),
               Reminder.template != WELCOME)
    ).all())
    rows = []
    for account in accounts:
        current = current_step(steps, account.due_date, account.timezone or dealer.timezone,
                               send_time, at)
        if current is None:
            continue
        step, moment = current
        if (account.id, step.offset_days, account.due_date) in planned:
            continue
        rows.append({"dealer_id": dealer.id, "account_id": account.id,
                     "template": step.template, "offset_days": step.offset_days,
                     "due_date": account.due_date, "language": account.language or "en",
                     "status": ReminderStatus.QUEUED, "send_after": moment, "attempts": 0})
    insert_new(session, rows)
    return len(rows)


def queue_welcomes(session: Session, dealer: Dealer, account_ids: Iterable[int],
                   at: datetime) -> int:
    """Plan the one welcome text of each new account (sent within quiet hours)."""
    rows = [{"dealer_id": dealer.id, "account_id": account_id, "template": WELCOME,
             "offset_days": 0, "due_date": at.date(), "language": "en",
             "status": ReminderStatus.QUEUED, "send_after": at, "attempts": 0}
            for account_id in account_ids]
    insert_new(session, rows)
    return len(rows)
