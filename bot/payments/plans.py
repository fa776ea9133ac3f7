"""Payment plans: turn a borrower's request into a concrete schedule the dealer allows.

"can I split it in 3"       -> 3 payments, every two weeks
"50 a week until it's paid" -> $50.00 weekly until the total is covered
"half now half next week"   -> 2 payments, today and in a week

The dealer's plan rules (most installments, smallest installment, longest
plan in days, allowed frequencies) bound every offer. A request outside them
gets the closest plan that fits, and the reason, so the bot can explain.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from dateutil.relativedelta import relativedelta
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.clock import utcnow
from bot.models import Account, Dealer, Installment, Plan, PlanStatus

FREQUENCIES = ("weekly", "biweekly", "monthly")
# When the borrower names no frequency, the first of these the dealer allows.
DEFAULT_FREQUENCY_ORDER = ("biweekly", "weekly", "monthly")


@dataclass(frozen=True)
class PlanRules:
    """What a dealer allows."""

    max_installments: int
    min_installment_cents: int
    max_days: int
    frequencies: tuple[str, ...]

    @classmethod
    def of(cls, dealer: Dealer) -> PlanRules:
        """The rules configured for a dealer."""
        allowed = tuple(f for f in dealer.allowed_frequencies if f in FREQUENCIES) or ("monthly",)
        return cls(dealer.plan_max_installments, dealer.plan_min_installment_cents,
                   dealer.plan_max_days, allowed)


@dataclass(frozen=True)
class PlanRequest:
    """What the borrower asked for (any part may be missing)."""

    total_cents: int
    count: int | None = None
    installment_cents: int | None = None
    frequency: str | None = None
    first_today: bool = False


@dataclass(frozen=True)
class PlanOffer:
    """A concrete schedule, and why it differs from the request (if it does)."""

    amounts: list[int]
    dates: list[date]
    frequency: str
    adjustments: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        """How many installments."""
        return len(self.amounts)


def add_periods(start: date, frequency: str, periods: int) -> date:
    """The date `periods` weekly/biweekly/monthly steps after `start`."""
    if frequency == "weekly":
        return start + timedelta(weeks=periods)
    if frequency == "biweekly":
        return start + timedelta(weeks=2 * periods)
    return start + relativedelta(months=periods)


def split_evenly(total_cents: int, count: int) -> list[int]:
    """Split cents into `count` parts differing by at most a cent (larger first)."""
    base, remainder = divmod(total_cents, count)
    return [base + 1 if i < remainder else base for i in range(count)]


def _span_days(start: date, frequency: str, count: int) -> int:
    return (add_periods(start, frequency, count - 1) - start).days


def _choose_frequency(requested: str | None, rules: PlanRules, notes: list[str]) -> str:
    if requested in rules.frequencies:
        return requested
    if requested is not None:
        notes.append("frequency")
    return next(f for f in DEFAULT_FREQUENCY_ORDER if f in rules.frequencies) \
        if any(f in rules.frequencies for f in DEFAULT_FREQUENCY_ORDER) else rules.frequencies[0]


def _count_for(request: PlanRequest, rules: PlanRules, notes: list[str]) -> int:
    if request.installment_cents:
        count = math.ceil(request.total_cents / request.installment_cents)
    else:
        count = request.count or 2
    most_by_minimum = request.total_cents // max(rules.min_installment_cents, 1)
    if count > rules.max_installments:
        notes.append("max_installments")
        count = rules.max_installments
    if count > most_by_minimum:
        notes.append("min_installment")
        count = most_by_minimum
    return count


def _fit_span(start: date, frequency: str, count: int, rules: PlanRules,
              notes: list[str]) -> tuple[str, int]:
    """Keep the plan within max_days: a shorter frequency first, then fewer payments."""
    if _span_days(start, frequency, count) <= rules.max_days:
        return frequency, count
    notes.append("max_days")
    for shorter in ("biweekly", "weekly"):
        if shorter in rules.frequencies and _span_days(start, shorter, count) <= rules.max_days:
            return shorter, count
    while count > 1 and _span_days(start, frequency, count) > rules.max_days:
        count -= 1
    return frequency, count


def _amounts(request: PlanRequest, count: int) -> list[int]:
    if request.installment_cents and request.installment_cents * count >= request.total_cents:
        amounts = [request.installment_cents] * (count - 1)
        last = request.total_cents - sum(amounts)
        if last > 0:
            return [*amounts, last]
    return split_evenly(request.total_cents, count)


def offer_plan(request: PlanRequest, rules: PlanRules, start: date) -> PlanOffer | None:
    """The plan closest to the request that fits the rules, or None if none does."""
    notes: list[str] = []
    frequency = _choose_frequency(request.frequency, rules, notes)
    count = _count_for(request, rules, notes)
    frequency, count = _fit_span(start, frequency, count, rules, notes)
    if count < 2:
        return None
    amounts = _amounts(request, count)
    if min(amounts) < rules.min_installment_cents:
        amounts = split_evenly(request.total_cents, count)
    dates = [add_periods(start, frequency, i) for i in range(count)]
    return PlanOffer(amounts, dates, frequency, notes)


def plan_start(account: Account, today: date, first_today: bool) -> date:
    """The first installment: today if asked, else the due date when it is still ahead."""
    if first_today or account.due_date is None or account.due_date <= today:
        return today
    return account.due_date


def cancel_plans(session: Session, *conditions: Any) -> list[int]:
    """Cancel the plans matching `conditions`, and their installments still to come (a
    plan that ends early leaves none saying "scheduled"); the ids canceled."""
    ids = list(session.execute(select(Plan.id).where(*conditions)).scalars())
    if not ids:
        return []
    now = utcnow()
    session.execute(
        update(Plan).where(Plan.id.in_(ids), *conditions)
        .values(status=PlanStatus.CANCELED, updated_at=now)
        .execution_options(synchronize_session=False))
    cancel_scheduled_installments(session, ids)
    return ids


def cancel_scheduled_installments(session: Session, plan_ids: list[int]) -> None:
    """The installments of ended plans that were still to come are canceled."""
    session.execute(
        update(Installment)
        .where(Installment.plan_id.in_(plan_ids), Installment.status == "scheduled")
        .values(status="canceled", updated_at=utcnow())
        .execution_options(synchronize_session=False))


def store_proposal(session: Session, account: Account, offer: PlanOffer) -> Plan:
    """Save an offer as a proposed plan (replacing older proposals for the account)."""
    cancel_plans(session, Plan.account_id == account.id, Plan.status == PlanStatus.PROPOSED)
    plan = Plan(dealer_id=account.dealer_id, account_id=account.id, status=PlanStatus.PROPOSED,
                total_cents=sum(offer.amounts), frequency=offer.frequency,
                installment_count=offer.count)
    plan.installments = [
        Installment(account_id=account.id, sequence=i + 1, due_date=day, amount_cents=amount)
        for i, (day, amount) in enumerate(zip(offer.dates, offer.amounts, strict=True))
    ]
    session.add(plan)
    session.flush()
    return plan


def accept(session: Session, plan_id: int) -> bool:
    """YES to a proposed plan: it becomes active (only one acceptance ever counts)."""
    now = utcnow()
    result = session.execute(
        update(Plan)
        .where(Plan.id == plan_id, Plan.status == PlanStatus.PROPOSED)
        .values(status=PlanStatus.ACTIVE, accepted_at=now, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount == 1:
        # An older active plan on the account is superseded by the new one.
        plan = session.get(Plan, plan_id)
        session.refresh(plan)
        cancel_plans(session, Plan.account_id == plan.account_id, Plan.id != plan_id,
                     Plan.status == PlanStatus.ACTIVE)
    return result.rowcount == 1


def decline(session: Session, plan_id: int) -> bool:
    """NO to a proposed plan: it and its installments are canceled."""
    return bool(cancel_plans(session, Plan.id == plan_id, Plan.status == PlanStatus.PROPOSED))
