"""Receipts from the dealer's `receipt` template: thanks, and "on time" when it was.

Used for every receipt the sender texts (a payment finished on the secure
page, confirmed by a Stripe webhook, settled by reconcile, a plan
installment); the conversation's own receipt can use the same text.
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy.orm import Session

from bot.campaigns.templates import render_message
from bot.clock import utcnow
from bot.localtime import local_today
from bot.messaging.outbound import SendRefused, send_sms
from bot.models import Account, Payment

log = logging.getLogger(__name__)


def receipt_text(session: Session, payment: Payment, account: Account,
                 at: datetime | None = None) -> str:
    """The receipt for a succeeded payment in the borrower's language (paid on or before
    the due date, in the borrower's local time, says so)."""
    borrower = account.borrower
    today = local_today(borrower, account.dealer, at or utcnow())
    session.refresh(account)  # the balance after this payment
    return render_message(session, account.dealer, account, "receipt", borrower.language,
                          today, payment)


def text_receipt(session: Session, payment: Payment, account: Account,
                 at: datetime | None = None) -> bool:
    """Text the receipt through the one sender; False (logged) if it was refused."""
    try:
        send_sms(session, account.borrower, receipt_text(session, payment, account, at),
                 kind="receipt", account_id=account.id, at=at)
    except SendRefused as refused:
        log.info("receipt for payment %s not sent: %s", payment.id, refused.reason)
        return False
    return True
