"""Promises to pay: recorded from a text, reminded that morning, checked after.

While a promise is open and its date has not passed, collection reminders
pause (bot/collection.py). The morning of the date the borrower gets one
reminder; the day after, a promise without payment is marked broken and
flagged for staff. Texts and staff alerts are returned as follow-ups
(bot/payments/followups.py) for the caller to carry out.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from bot.clock import utcnow
from bot.localtime import local_now
from bot.models import Account, EscalationReason, Payment, PaymentStatus, Promise
from bot.money import format_cents
from bot.payments.followups import Notice, StaffAlert

# The morning reminder goes at or after this local hour (quiet hours apply too).
MORNING_HOUR = 9


def cancel_open(session: Session, account_id: int) -> int:
    """Cancel the account's open promises (a new promise or a plan replaces them)."""
    return session.execute(
        update(Promise)
        .where(Promise.account_id == account_id, Promise.status == "open")
        .values(status="canceled", settled_at=utcnow(), updated_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount


def record_promise(session: Session, account: Account, promised_date: date,
                   amount_cents: int | None, words: str) -> Promise:
    """Store a promise (an earlier open one for the account is replaced)."""
    cancel_open(session, account.id)
    promise = Promise(dealer_id=account.dealer_id, account_id=account.id,
                      promised_date=promised_date, amount_cents=amount_cents, words=words)
    session.add(promise)
    session.flush()
    return promise


def _paid_since(session: Session, promise: Promise) -> int:
    return session.execute(
        select(func.coalesce(func.sum(Payment.amount_cents), 0))
        .where(Payment.account_id == promise.account_id,
               Payment.status == PaymentStatus.SUCCEEDED,
               Payment.created_at >= promise.created_at)
    ).scalar_one()


def _open_promises(session: Session) -> list[Promise]:
    return list(session.execute(
        select(Promise).where(Promise.status == "open").order_by(Promise.id)
    ).scalars())


def settle(session: Session, at: datetime) -> tuple[dict[str, int], list[StaffAlert]]:
    """Mark open promises kept (paid in full since) or broken (their date has passed,
    borrower's local date), committing each; counts, and an alert per broken promise."""
    counts = {"kept": 0, "broken": 0}
    alerts = []
    for promise in _open_promises(session):
        account = session.get(Account, promise.account_id)
        today = local_now(account.borrower, account.dealer, at).date()
        due = promise.amount_cents or account.amount_due_cents or 1
        if _paid_since(session, promise) >= due:
            promise.status, promise.settled_at = "kept", utcnow()
            counts["kept"] += 1
        elif promise.promised_date < today:
            promise.status, promise.settled_at = "broken", utcnow()
            alerts.append(StaffAlert(account.id, EscalationReason.BROKEN_PROMISE,
                                     f"promised {promise.promised_date.isoformat()}"))
            counts["broken"] += 1
        session.commit()
    return counts, alerts


def due_for_reminder(session: Session, at: datetime) -> list[tuple[Promise, Notice]]:
    """Open promises whose day it is (from MORNING_HOUR, borrower's local time) and
    that were not reminded yet, each with its notice; `mark_reminded` once it went."""
    found = []
    for promise in _open_promises(session):
        account = session.get(Account, promise.account_id)
        now = local_now(account.borrower, account.dealer, at)
        if (promise.promised_date == now.date() and promise.reminded_at is None
                and now.hour >= MORNING_HOUR):
            amount = format_cents(promise.amount_cents or account.amount_due_cents,
                                  account.dealer.currency, account.borrower.language)
            found.append((promise, Notice(account.id, "promise_today", {"amount": amount})))
    return found


def mark_reminded(promise: Promise) -> None:
    """The borrower was reminded of the promise today (never twice)."""
    promise.reminded_at = utcnow()
