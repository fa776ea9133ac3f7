"""Whether collection messages may go to an account now, and if not, why.

Reminders, payment prompts and plan notices all ask `pause_reason`: an open
dispute, a promise or plan in good standing, a claim of payment being
verified, staff holding the conversation, an opted-out or wrong number, or
nothing owed.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from bot.models import (
    Account,
    Borrower,
    Dispute,
    Escalation,
    EscalationStatus,
    PaymentClaim,
    Plan,
    PlanStatus,
    Promise,
)

# Reasons, as counted by `textpay send-reminders --json` (DESIGN.md).
OPTED_OUT = "opted_out"
WRONG_NUMBER = "wrong_number"
DISPUTE = "dispute"
TAKEN_OVER = "taken_over"
PROMISE = "promise"
PLAN = "plan"
ALREADY_PAID = "already_paid"
PAID = "paid"


def open_dispute(session: Session, account_id: int) -> Dispute | None:
    """The account's open dispute, if any."""
    return session.execute(
        select(Dispute).where(Dispute.account_id == account_id, Dispute.status == "open")
    ).scalars().first()


def open_promise(session: Session, account_id: int, today: date) -> Promise | None:
    """A promise whose date has not passed yet."""
    return session.execute(
        select(Promise).where(Promise.account_id == account_id, Promise.status == "open",
                              Promise.promised_date >= today)
        .order_by(Promise.promised_date)
    ).scalars().first()


def active_plan(session: Session, account_id: int) -> Plan | None:
    """The account's active plan, if any."""
    return session.execute(
        select(Plan).where(Plan.account_id == account_id, Plan.status == PlanStatus.ACTIVE)
    ).scalars().first()


def pause_reason(session: Session, account: Account, today: date) -> str | None:
    """Why no collection message may go to this account today, or None."""
    borrower = session.get(Borrower, account.borrower_id)
    if borrower.opted_out:
        return OPTED_OUT
    if borrower.wrong_number or borrower.invalid_number:
        return WRONG_NUMBER
    if session.execute(select(exists().where(
            Escalation.borrower_id == borrower.id,
            Escalation.status == EscalationStatus.TAKEN_OVER))).scalar():
        return TAKEN_OVER
    if open_dispute(session, account.id) is not None:
        return DISPUTE
    if account.balance_cents <= 0 or account.amount_due_cents <= 0:
        return PAID
    if open_promise(session, account.id, today) is not None:
        return PROMISE
    if active_plan(session, account.id) is not None:
        return PLAN
    if session.execute(select(exists().where(
            PaymentClaim.account_id == account.id, PaymentClaim.status == "unverified",
            PaymentClaim.pause_until >= today))).scalar():
        return ALREADY_PAID
    return None
