"""Settle payments whose outcome we never heard (`textpay reconcile`).

A charge whose answer was lost (timeout, 500, a crash after the claim) is
left `unknown` or `processing`. Stripe is the truth: we look the intent up by
the idempotency key we sent; if Stripe never saw it, nothing was charged.
"""

from __future__ import annotations

import logging
from collections import Counter
from datetime import datetime, timedelta

import stripe
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from bot.clock import utcnow
from bot.models import Account, Payment, PaymentStatus
from bot.payments import charging, merchant, payers, stripe_gateway
from bot.payments.followups import Notice, receipt

log = logging.getLogger(__name__)

# A claimed payment older than this without an answer is treated as lost.
STUCK_AFTER = timedelta(minutes=2)
# Stripe may still be working on a request this young: "not found" proves nothing yet.
NOT_FOUND_GRACE = timedelta(seconds=30)
# Someone else paying (bot/payments/payers.py) may be on Stripe Checkout this long.
PAYER_PAGE = timedelta(seconds=stripe_gateway.CHECKOUT_LIFETIME_SECONDS + 5 * 60)


def _ask_stripe(session: Session, payment: Payment) -> stripe_gateway.ChargeResult | None:
    # The account the charge was made in, even if the dealer has connected another since.
    made_in = merchant.for_payment(payment)
    if payment.stripe_payment_intent_id:
        return stripe_gateway.retrieve_outcome(made_in, payment.stripe_payment_intent_id)
    account = session.get(Account, payment.account_id)
    attempted = payment.confirmed_at or payment.created_at
    # Someone else's card was charged without a customer: look among all the intents.
    customer = None if payment.payer_name else account.stripe_customer_id
    return stripe_gateway.find_intent_for(made_in, payment.idempotency_key, customer,
                                          since=attempted - timedelta(minutes=5))


def settle_unknown(session: Session, payment: Payment, now: datetime | None = None) -> str:
    """Ask Stripe about one payment and record what it says; returns the new status."""
    try:
        result = _ask_stripe(session, payment)
    except stripe.StripeError as error:
        log.warning("reconcile: stripe still unavailable (%s)", type(error).__name__)
        return payment.status
    attempted = payment.confirmed_at or payment.created_at
    if result is None and (now or utcnow()) - attempted < NOT_FOUND_GRACE:
        return payment.status
    if result is None:
        payment.status = PaymentStatus.FAILED
        payment.failure_reason = "not_charged"
        payment.updated_at = utcnow()
    elif result.outcome in (stripe_gateway.PROCESSING, stripe_gateway.UNAVAILABLE):
        payment.stripe_payment_intent_id = result.payment_intent_id
    else:
        charging.record_outcome(session, payment, result)
    session.flush()
    return payment.status


def payments_to_settle(session: Session, now: datetime | None = None) -> list[Payment]:
    """Unknown payments, and processing ones stuck longer than STUCK_AFTER (a payer's on
    Stripe Checkout: longer than the page lives, since until then they may still pay)."""
    now = now or utcnow()
    stuck = Payment.updated_at < now - STUCK_AFTER
    on_checkout = (Payment.source == payers.SOURCE) & (Payment.updated_at >= now - PAYER_PAGE)
    return list(session.execute(
        select(Payment).where(or_(
            Payment.status == PaymentStatus.UNKNOWN,
            (Payment.status == PaymentStatus.PROCESSING) & stuck & ~on_checkout,
        )).order_by(Payment.id)
    ).scalars())


def reconcile(session: Session, now: datetime | None = None,
              ) -> tuple[dict[str, int], list[Notice]]:
    """Settle every payment whose outcome is unknown (committing each); the results
    counted by status, and the receipts now owed."""
    counts: Counter[str] = Counter()
    receipts = []
    for payment in payments_to_settle(session, now):
        status = settle_unknown(session, payment, now)
        if status == PaymentStatus.SUCCEEDED:
            # The borrower was told it had not gone through; now it has.
            receipts.append(receipt(payment.account_id, payment.id))
        counts[status] += 1
        session.commit()
    return dict(counts), receipts
