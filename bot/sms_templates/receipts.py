"""Receipts from the dealer's `receipt` template: thanks, and "on time" when it was.

The same text serves every receipt: the conversation's own (a YES that
charged), and the ones the sender texts later (a payment finished on the
secure page, confirmed by a Stripe webhook, settled by reconcile, a plan
installment).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from bot.clock import utcnow
from bot.localtime import local_today
from bot.models import Account, Payment
from bot.sms_templates.templates import render_message


def receipt_text(session: Session, payment: Payment, account: Account,
                 at: datetime | None = None) -> str:
    """The receipt for a succeeded payment in the borrower's language (paid on or before
    the due date, in the borrower's local time, says so)."""
    borrower = account.borrower
    today = local_today(borrower, account.dealer, at or utcnow())
    session.refresh(account)  # the balance after this payment
    return render_message(session, account.dealer, account, "receipt", borrower.language,
                          today, payment)
