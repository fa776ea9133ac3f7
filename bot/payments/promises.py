"""Promises to pay: recorded from a text, reminded that morning, checked after.

While a promise is open and its date has not passed, collection reminders
pause (bot/collection.py). The morning of the date the borrower gets one
reminder; the day after, a promise without payment is marked broken and
flagged for staff.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from bot.clock import utcnow
from bot.escalations import open_escalation
from bot.localtime import local_now
from bot.messaging.notices import send_notice
from bot.models import Account, EscalationReason, Payment, PaymentStatus, Promise
from bot.money import format_cents

# The morning reminder goes at or after this local hour (quiet hours apply too).
MORNING_HOUR = 9


def record_promise(session: Session, account: Account, promised_date: date,
                   amount_cents: int | None, words: str) -> Promise:
    """Store a promise (an earlier open one for the account is replaced)."""
    session.execute(
        update(Promise)
        .where(Promise.account_id == account.id, Promise.status == "open")
        .values(status="canceled", settled_at=utcnow(), updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
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


def remind_and_check(session: Session, at: datetime) -> dict[str, int]:
    """Send promise-day reminders and settle promises whose date has passed."""
    counts = {"reminded": 0, "kept": 0, "broken": 0}
    for promise in _open_promises(session):
        account = session.get(Account, promise.account_id)
        now = local_now(account.borrower, account.dealer, at)
        due = promise.amount_cents or account.amount_due_cents or 1
        if _paid_since(session, promise) >= due:
            promise.status, promise.settled_at = "kept", utcnow()
            counts["kept"] += 1
        elif promise.promised_date < now.date():
            promise.status, promise.settled_at = "broken", utcnow()
            open_escalation(session, dealer_id=account.dealer_id,
                            borrower_id=account.borrower_id, account_id=account.id,
                            reason=EscalationReason.BROKEN_PROMISE,
                            detail=f"promised {promise.promised_date.isoformat()}")
            counts["broken"] += 1
        elif (promise.promised_date == now.date() and promise.reminded_at is None
              and now.hour >= MORNING_HOUR):
            amount = format_cents(promise.amount_cents or account.amount_due_cents,
                                  account.dealer.currency, account.borrower.language)
            if send_notice(session, account, "promise_today", amount=amount):
                promise.reminded_at = utcnow()
                counts["reminded"] += 1
        session.commit()
    return counts
