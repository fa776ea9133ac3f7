"""Sending paced to the team: a reminder wave spread over the hours staff answer, so the
escalations it causes arrive no faster than the people on duty can take them.

A dealer says how many people answer escalations (`escalation_staff`) and how
many escalations one of them handles in an hour (`escalations_per_staff_hour`);
its business hours say when they work. From the dealer's own history — the
escalations opened within 3 days of a reminder, per reminder sent over the
last 60 days — comes the number of escalations a reminder is expected to
cause (DEFAULT_RATE until MIN_HISTORY reminders have had their 3 days). So an
hour with staff on duty takes

    reminders per hour = staff * escalations per person-hour / escalations per reminder

and never more than the sending numbers can carry at the dealer's pace. The
hour in progress keeps what it has not used yet; the rest of a wave is held
(`deferred`, reason `paced`) to the next staffed hours where it fits, in the
order the reminders were planned, each at an hour inside the borrower's
texting window. The next `send-reminders` run after that hour sends them.
A dealer that has not said how many people answer is not paced.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from bot.business_hours import BusinessHoursError, is_open
from bot.campaigns.attribution import ATTRIBUTION, followed, times_by
from bot.campaigns.planner import WELCOME
from bot.models import Account, Dealer, DealerNumber, Escalation, Reminder, ReminderStatus

PACED = "paced"
DEFAULT_RATE = 0.05  # escalations per reminder before the dealer has its own history
MIN_HISTORY = 100  # settled reminders needed before the dealer's own rate is used
HISTORY = timedelta(days=60)
HORIZON_HOURS = 7 * 24  # a week always holds the staffed hours, if there are any


@dataclass
class Plan:
    """The pace for one wave: how many reminders each staffed hour takes."""

    rate: float  # expected escalations per reminder
    per_hour: int  # reminders an hour with staff on duty takes
    slots: list[datetime]  # starts (naive UTC) of the staffed hours ahead
    room: dict[datetime, int] = field(default_factory=dict)  # what each hour has left


def escalations_per_reminder(session: Session, dealer: Dealer, at: datetime) -> float:
    """The dealer's escalations opened within 3 days of a reminder, per reminder, over
    the last 60 days (only reminders whose 3 days are over); DEFAULT_RATE until there
    are MIN_HISTORY of them."""
    sent = session.execute(
        select(Reminder.account_id, Reminder.sent_at, Account.borrower_id)
        .join(Account, Account.id == Reminder.account_id)
        .where(Reminder.dealer_id == dealer.id, Reminder.status == ReminderStatus.SENT,
               Reminder.template != WELCOME, Reminder.sent_at >= at - HISTORY,
               Reminder.sent_at <= at - ATTRIBUTION)
    ).all()
    if len(sent) < MIN_HISTORY:
        return DEFAULT_RATE
    escalations = times_by(session.execute(
        select(Escalation.borrower_id, Escalation.created_at.label("at"))
        .where(Escalation.dealer_id == dealer.id, Escalation.created_at >= at - HISTORY)
    ).all(), "borrower_id")
    caused = sum(followed(escalations.get(row.borrower_id, []), row.sent_at) is not None
                 for row in sent)
    return caused / len(sent)


def _hour_start(at: datetime, zone: ZoneInfo) -> datetime:
    local = at.replace(tzinfo=timezone.utc).astimezone(zone)
    start = local.replace(minute=0, second=0, microsecond=0)
    return start.astimezone(timezone.utc).replace(tzinfo=None)


def _staffed(dealer: Dealer, moment: datetime) -> bool:
    try:
        return is_open(dealer.business_hours, dealer.timezone, moment)
    except BusinessHoursError:
        return True  # unreadable hours must not hold every reminder forever


def _carrying_capacity(session: Session, dealer: Dealer) -> int:
    """Reminders the dealer's numbers can send in an hour at its pace."""
    numbers = session.execute(select(func.count()).where(
        DealerNumber.dealer_id == dealer.id)).scalar_one()
    return int((dealer.messages_per_second or 1.0) * 3600 * max(numbers, 1))


def _used(session: Session, dealer: Dealer, hour: datetime, at: datetime) -> Counter:
    """Reminders already sent in the hour in progress, and those held for later hours."""
    used: Counter = Counter()
    used[hour] = session.execute(select(func.count()).where(
        Reminder.dealer_id == dealer.id, Reminder.template != WELCOME,
        or_(Reminder.status.in_((ReminderStatus.ENQUEUED, ReminderStatus.SENDING)),
            (Reminder.status == ReminderStatus.SENT) & (Reminder.sent_at >= hour)))
    ).scalar_one()
    held = session.execute(
        select(Reminder.send_after, func.count())
        .where(Reminder.dealer_id == dealer.id, Reminder.status == ReminderStatus.DEFERRED,
               Reminder.reason == PACED, Reminder.send_after > at)
        .group_by(Reminder.send_after)
    ).all()
    for send_after, count in held:
        used[send_after] += count
    return used


def plan_for(session: Session, dealer: Dealer, at: datetime) -> Plan | None:
    """The pace for a wave judged at `at`, or None when the dealer is not paced."""
    if not dealer.escalation_staff:
        return None
    rate = escalations_per_reminder(session, dealer, at)
    capacity = dealer.escalation_staff * max(dealer.escalations_per_staff_hour or 1, 1)
    per_hour = min(int(capacity / rate) if rate > 0 else 10**9,
                   _carrying_capacity(session, dealer))
    zone = ZoneInfo(dealer.timezone or "America/New_York")
    hour = _hour_start(at, zone)
    slots = [hour] if _staffed(dealer, at) else []
    for n in range(1, HORIZON_HOURS):
        start = hour + timedelta(hours=n)
        if _staffed(dealer, start):
            slots.append(start)
    used = _used(session, dealer, hour, at)
    room = {slot: max(per_hour - used[slot], 0) for slot in slots}
    return Plan(rate, per_hour, slots, room)


# `allowed(row, moment)`: whether a text may go to that row's borrower at the moment.
Allowed = Callable[[object, datetime], bool]


def spread(plan: Plan, rows: list, at: datetime, allowed: Allowed) -> dict[int, datetime]:
    """Hold back what does not fit the hour in progress: {row position: hour it waits for}.

    Rows keep their order; each takes the earliest staffed hour with room whose start
    is inside its borrower's texting window (the hour in progress: `at` itself, which
    was judged allowed already). When a week of staffed hours is full, the rest wait
    for the last of them.
    """
    held: dict[int, datetime] = {}
    current = plan.slots[0] if plan.slots and plan.slots[0] <= at else None
    for position, row in enumerate(rows):
        slot = next((s for s in plan.slots if plan.room[s] > 0
                     and (s == current or allowed(row, s))), None)
        if slot is None:
            slot = next((s for s in reversed(plan.slots) if allowed(row, s)),
                        plan.slots[-1] if plan.slots else None)
            if slot is None:
                continue  # no staffed hours at all: nothing to pace against
        plan.room[slot] = plan.room.get(slot, 0) - 1
        if slot != current:
            held[position] = slot
    return held

