"""Small helpers for conversation tests: reading what the bot stored."""

from __future__ import annotations

from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo

from bot import db
from bot.campaigns.money_runs import run_due
from bot.clock import today_in
from bot.collection import pause_reason
from bot.models import Account, Escalation


def escalation_reasons() -> list[str]:
    """Reasons of every escalation, oldest first."""
    with db.session_scope() as session:
        return [e.reason for e in session.query(Escalation).order_by(Escalation.id)]


def rows(model) -> list:
    """Every row of a model, detached."""
    with db.session_scope() as session:
        found = session.query(model).order_by(model.id).all()
        session.expunge_all()
        return found


def paused_because(account_id: int, today: date | None = None) -> str | None:
    """Why reminders are paused for an account today (New York's today by default)."""
    with db.session_scope() as session:
        return pause_reason(session, session.get(Account, account_id),
                            today or today_in(ZoneInfo("America/New_York")))


def ordinal(day: int) -> str:
    """1 -> "1st", 22 -> "22nd", 13 -> "13th" (as borrowers write days of the month)."""
    suffix = "th" if 11 <= day % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


def local_moment(day: date, hour: int, zone: str = "America/New_York") -> datetime:
    """A local wall-clock moment as naive UTC (what the app stores and --at takes)."""
    local = datetime.combine(day, time(hour), tzinfo=ZoneInfo(zone))
    return local.astimezone(timezone.utc).replace(tzinfo=None)


def run_due_at(moment: datetime) -> dict:
    """`textpay run-due --at moment`."""
    with db.session_scope() as session:
        return run_due(session, moment)
