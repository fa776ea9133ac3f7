"""A dealer's reminder schedule: steps relative to each account's due date.

`{"steps": [{"offset_days": -3, "template": "reminder_upcoming"}, ...],
"send_time": "10:00"}` — offsets in days from the due date (negative:
before), sent at `send_time` in the borrower's local time. A dealer that
never set one gets DEFAULT_STEPS.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.messaging.quiet_hours import window
from bot.models import Dealer, ScheduleStep

REMINDER_KINDS = ("reminder_upcoming", "reminder_due", "reminder_overdue")
MAX_STEPS = 12
MAX_OFFSET_DAYS = 120


@dataclass(frozen=True)
class Step:
    """Send `template` `offset_days` from the due date."""

    offset_days: int
    template: str


DEFAULT_STEPS = (Step(-3, "reminder_upcoming"), Step(0, "reminder_due"),
                 Step(3, "reminder_overdue"))


class ScheduleError(ValueError):
    """An unusable schedule; the message names the problem."""


def steps_for(session: Session, dealer: Dealer) -> list[Step]:
    """The dealer's steps by offset (the defaults when it has none)."""
    rows = session.execute(
        select(ScheduleStep).where(ScheduleStep.dealer_id == dealer.id)
        .order_by(ScheduleStep.offset_days)
    ).scalars().all()
    return [Step(r.offset_days, r.template) for r in rows] or list(DEFAULT_STEPS)


def schedule_json(session: Session, dealer: Dealer) -> dict[str, Any]:
    """The API's view: steps, send time, and whether these are the defaults."""
    customised = session.execute(
        select(ScheduleStep.id).where(ScheduleStep.dealer_id == dealer.id).limit(1)
    ).first() is not None
    return {"steps": [{"offset_days": s.offset_days, "template": s.template}
                      for s in steps_for(session, dealer)],
            "send_time": dealer.send_time, "default": not customised}


def parse_send_time(value: Any, dealer: Dealer) -> str:
    """"HH:MM" inside the dealer's sending window, or ScheduleError."""
    if not isinstance(value, str):
        raise ScheduleError("send_time must be a string like \"10:00\"")
    try:
        parsed = time.fromisoformat(value.strip().zfill(5))
    except ValueError:
        raise ScheduleError(f"send_time {value!r} is not a time like \"10:00\"") from None
    start, end = window(dealer)
    if not start <= parsed < end:
        raise ScheduleError(f"send_time must be between {start:%H:%M} and {end:%H:%M} "
                            "(quiet hours)")
    return f"{parsed:%H:%M}"


def parse_steps(value: Any) -> list[Step]:
    """Validate the `steps` list; ScheduleError names the bad step."""
    if not isinstance(value, list) or not value:
        raise ScheduleError("steps must be a non-empty list")
    if len(value) > MAX_STEPS:
        raise ScheduleError(f"at most {MAX_STEPS} steps")
    steps, seen = [], set()
    for number, item in enumerate(value, start=1):
        if not isinstance(item, dict) or set(item) - {"offset_days", "template"}:
            raise ScheduleError(f"step {number}: an object with offset_days and template")
        offset, template = item.get("offset_days"), item.get("template")
        if isinstance(offset, bool) or not isinstance(offset, int) \
                or abs(offset) > MAX_OFFSET_DAYS:
            raise ScheduleError(f"step {number}: offset_days must be an integer from "
                                f"-{MAX_OFFSET_DAYS} to {MAX_OFFSET_DAYS}")
        if template not in REMINDER_KINDS:
            raise ScheduleError(f"step {number}: template must be one of "
                                f"{', '.join(REMINDER_KINDS)}")
        if offset in seen:
            raise ScheduleError(f"step {number}: two steps on day {offset}")
        seen.add(offset)
        steps.append(Step(offset, template))
    return sorted(steps, key=lambda step: step.offset_days)


def save_schedule(session: Session, dealer: Dealer, steps: Any, send_time: Any) -> None:
    """Replace the dealer's schedule (validated first; nothing changes on error)."""
    parsed_steps = parse_steps(steps)
    parsed_time = parse_send_time(send_time, dealer) if send_time is not None \
        else dealer.send_time
    session.execute(delete(ScheduleStep).where(ScheduleStep.dealer_id == dealer.id))
    for position, step in enumerate(parsed_steps):
        session.add(ScheduleStep(dealer_id=dealer.id, offset_days=step.offset_days,
                                 template=step.template, position=position))
    dealer.send_time = parsed_time
    session.flush()
