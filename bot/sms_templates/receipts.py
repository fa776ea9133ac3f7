"""Receipts from the dealer's `receipt` template: thanks, and "on time" when it was.

The same text serves every receipt: the conversation's own (a YES that
charged), and the ones the sender texts later (a payment finished on the
secure page, confirmed by a Stripe webhook, settled by reconcile, a plan
installment). A payment someone else made on the payer page says who paid instead
(never their card).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from bot.clock import utcnow
from bot.localtime import local_today
from bot.models import Account, Payment
from bot.money import format_cents
from bot.sms_templates.templates import render_message
from bot.wording.catalog import reply


def receipt_text(session: Session, payment: Payment, account: Account,
                 at: datetime | None = None) -> str:
    """The receipt for a succeeded payment in the borrower's language (paid on or before
    the due date, in the borrower's local time, says so)."""
    borrower = account.borrower
    today = local_today(borrower, account.dealer, at or utcnow())
    session.refresh(account)  # the balance after this payment
    if payment.payer_name:
        return _payer_receipt(payment, account)
    return render_message(session, account.dealer, account, "receipt", borrower.language,
                          today, payment)


def _payer_receipt(payment: Payment, account: Account) -> str:
    """Someone else paid: the borrower is told who, how much, and the new balance. The
    dealer's template names the card charged, and the payer's card is never shown."""
    language = account.borrower.language
    currency = account.dealer.currency
    return reply("payer_receipt", language, payer=payment.payer_name,
                 amount=format_cents(payment.amount_cents, currency, language),
                 reference=account.reference, confirmation=payment.confirmation_code,
                 balance=format_cents(account.balance_cents, currency, language))
