"""Logging a call from the call list: the outcome changes the account exactly as
the same outcome by text does (the same rows, through the same services).

    promise       a Promise (bot/payments/promises.py), within the dealer's limit
    plan          an active Plan with its Installments (bot/payments/plans.py)
    dispute       an open Dispute, and an escalation so someone resolves it
    wrong_number  the number is never texted again, and an escalation to fix it
    no_answer     only the call itself is recorded
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy.orm import Session

from bot.audit import Actor, record
from bot.collection import open_dispute
from bot.escalations import open_escalation
from bot.localtime import local_today
from bot.models import Account, Borrower, CallLog, Dealer, Dispute, EscalationReason
from bot.money import format_cents
from bot.payments import plans, promises
from bot.payments.charging import default_amount

OUTCOMES = {
    "promise": "Promised to pay",
    "plan": "Agreed a payment plan",
    "dispute": "Disputes the debt",
    "no_answer": "No answer",
    "wrong_number": "Wrong number",
}


class CallOutcomeError(ValueError):
    """The outcome's details do not fit (a date too far, a plan the rules forbid)."""


@dataclass(frozen=True)
class CallOutcome:
    """What staff entered after a call."""

    outcome: str
    note: str = ""
    promised_date: date | None = None
    amount_cents: int | None = None
    installments: int | None = None
    frequency: str | None = None
    whole_balance: bool = False


@dataclass
class LoggedCall:
    """The call as recorded, and a sentence saying what changed."""

    call: CallLog
    summary: str
    adjustments: list[str] = field(default_factory=list)


def _promise(session: Session, account: Account, dealer: Dealer, today: date,
             entry: CallOutcome) -> str:
    day = entry.promised_date
    if day is None or day < today:
        raise CallOutcomeError("choose the date they promised to pay (today or later)")
    if (day - today).days > dealer.promise_max_days:
        raise CallOutcomeError(f"a promise may be at most {dealer.promise_max_days} days away; "
                               "offer a payment plan instead")
    amount = entry.amount_cents or default_amount(account)
    words = f"by phone: {entry.note}".strip() if entry.note else "by phone"
    promises.record_promise(session, account, day, amount, words)
    return f"Promise recorded: {format_cents(amount, dealer.currency)} on {day:%b %d, %Y}."


def _plan(session: Session, account: Account, dealer: Dealer, today: date,
          entry: CallOutcome) -> tuple[str, list[str]]:
    total = account.balance_cents if entry.whole_balance else default_amount(account)
    if total <= 0:
        raise CallOutcomeError("nothing is owed, so there is nothing to split")
    request = plans.PlanRequest(total_cents=total, count=entry.installments,
                                frequency=entry.frequency)
    offer = plans.offer_plan(request, plans.PlanRules.of(dealer),
                             plans.plan_start(account, today, first_today=False))
    if offer is None:
        raise CallOutcomeError("the dealer's plan rules allow no plan for this amount")
    plan = plans.store_proposal(session, account, offer)
    plans.accept(session, plan.id)
    amounts = ", ".join(format_cents(a, dealer.currency) for a in offer.amounts)
    return (f"Plan active: {offer.count} {offer.frequency} payments ({amounts}) from "
            f"{offer.dates[0]:%b %d, %Y}.", offer.adjustments)


def _dispute(session: Session, account: Account, entry: CallOutcome) -> str:
    words = f"by phone: {entry.note}".strip()
    existing = open_dispute(session, account.id)
    if existing is None:
        session.add(Dispute(dealer_id=account.dealer_id, account_id=account.id, words=words))
    else:
        existing.words = f"{existing.words}\n{words}".strip()
    open_escalation(session, dealer_id=account.dealer_id, borrower_id=account.borrower_id,
                    account_id=account.id, reason=EscalationReason.DISPUTE, detail=words)
    return "Dispute recorded: collection messages are paused until it is resolved."


def _wrong_number(session: Session, account: Account, borrower: Borrower,
                  entry: CallOutcome) -> str:
    borrower.wrong_number = True
    open_escalation(session, dealer_id=account.dealer_id, borrower_id=borrower.id,
                    account_id=account.id, reason=EscalationReason.WRONG_NUMBER,
                    detail=f"by phone: {entry.note}".strip())
    return "Marked as a wrong number: this phone will not be texted again."


def log_call(session: Session, account: Account, entry: CallOutcome, actor: Actor,
             now: datetime) -> LoggedCall:
    """Record a call and apply its outcome to the account (raises CallOutcomeError)."""
    if entry.outcome not in OUTCOMES:
        raise CallOutcomeError(f"outcome must be one of {', '.join(OUTCOMES)}")
    dealer = session.get(Dealer, account.dealer_id)
    borrower = session.get(Borrower, account.borrower_id)
    today = local_today(borrower, dealer, now)
    adjustments: list[str] = []
    if entry.outcome == "promise":
        summary = _promise(session, account, dealer, today, entry)
    elif entry.outcome == "plan":
        summary, adjustments = _plan(session, account, dealer, today, entry)
    elif entry.outcome == "dispute":
        summary = _dispute(session, account, entry)
    elif entry.outcome == "wrong_number":
        summary = _wrong_number(session, account, borrower, entry)
    else:
        summary = "Call recorded: no answer."
    call = CallLog(dealer_id=account.dealer_id, account_id=account.id, user_id=actor.user_id,
                   outcome=entry.outcome, note=entry.note or None)
    session.add(call)
    session.flush()
    record(session, account.dealer_id, actor, "call_logged", account_id=account.id,
           details=f"{entry.outcome}: {summary}")
    return LoggedCall(call, summary, adjustments)
