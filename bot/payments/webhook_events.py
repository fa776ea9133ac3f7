"""Applying Stripe's webhook events to our records, each event id once.

| event                          | what happens                                        |
| ------------------------------ | --------------------------------------------------- |
| payment_intent.succeeded       | the payment is posted (once) if we charged it (the  |
|                                | borrower said YES) and Stripe confirms it succeeded |
|                                | for that amount; a receipt is texted if the         |
|                                | borrower was not told in a reply                    |
| payment_intent.payment_failed  | the payment is marked failed (never undoes success) |
| charge.refunded                | refunded cents go back on the balance (once)        |
| charge.dispute.created         | the payment is flagged and a person is asked to look|
| checkout.session.completed,    | the new card becomes the card on file and the       |
| setup_intent.succeeded         | secure link is spent                                |

The event row is written in the same transaction as its effects: a handler
that fails rolls both back, and Stripe's redelivery tries again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.models import Account, Payment, PaymentStatus, StripeEvent
from bot.payments import cards, chargebacks, charging, ledger, stripe_gateway

log = logging.getLogger(__name__)

StripeObject = dict[str, Any]


def _payment_for_intent(session: Session, intent_id: str | None,
                        metadata: dict | None = None) -> Payment | None:
    payment = None
    if intent_id:
        payment = session.execute(
            select(Payment).where(Payment.stripe_payment_intent_id == intent_id)
        ).scalars().first()
    key = (metadata or {}).get("textpay_key")
    if payment is None and key:
        payment = session.execute(
            select(Payment).where(Payment.idempotency_key == key)
        ).scalar_one_or_none()
    return payment


# A payment in these states was never charged: the borrower never confirmed it.
NEVER_CHARGED = (PaymentStatus.PENDING, PaymentStatus.CANCELED, PaymentStatus.EXPIRED)


def _intent_succeeded(session: Session, intent: StripeObject) -> str:
    payment = _payment_for_intent(session, intent.get("id"), intent.get("metadata"))
    if payment is None:
        return "unknown_payment"
    if payment.status in NEVER_CHARGED:
        log.warning("payment_intent.succeeded for payment %s, which was never charged (%s)",
                    payment.id, payment.status)
        return "never_charged"
    if payment.status == PaymentStatus.SUCCEEDED:
        return "already_applied"
    if not stripe_gateway.confirms_charge(str(intent.get("id") or ""), payment.amount_cents,
                                          payment.idempotency_key):
        log.warning("payment_intent.succeeded for payment %s not confirmed by Stripe",
                    payment.id)
        return "not_confirmed_by_stripe"
    # A payment still in flight was never confirmed to the borrower in a reply.
    was_in_flight = payment.status in PaymentStatus.IN_FLIGHT
    posted = charging.record_outcome(
        session, payment, stripe_gateway.ChargeResult(stripe_gateway.SUCCEEDED, intent["id"]))
    if posted and was_in_flight:
        cards.send_receipt(session, payment, session.get(Account, payment.account_id))
    return "applied" if posted else "already_applied"


def _intent_failed(session: Session, intent: StripeObject) -> str:
    payment = _payment_for_intent(session, intent.get("id"), intent.get("metadata"))
    if payment is None:
        return "unknown_payment"
    charging.record_outcome(session, payment,
                            stripe_gateway.ChargeResult(stripe_gateway.DECLINED, intent["id"]))
    return "applied"


def _charge_refunded(session: Session, charge: StripeObject) -> str:
    payment = _payment_for_intent(session, charge.get("payment_intent"), charge.get("metadata"))
    if payment is None:
        return "unknown_payment"
    added = ledger.record_refund(session, payment, int(charge.get("amount_refunded") or 0),
                                 reference=str(charge.get("id") or ""))
    return "applied" if added else "already_applied"


def _dispute_created(session: Session, dispute: StripeObject) -> str:
    intent_id = dispute.get("payment_intent")
    if not intent_id and dispute.get("charge"):
        intent_id = stripe_gateway.charge_payment_intent(str(dispute["charge"]))
    payment = _payment_for_intent(session, intent_id)
    if payment is None:
        return "unknown_payment"
    flagged = chargebacks.flag_chargeback(session, payment, int(dispute.get("amount") or 0),
                                          str(dispute.get("reason") or ""))
    return "applied" if flagged else "already_applied"


def _checkout_completed(session: Session, checkout: StripeObject) -> str:
    if checkout.get("mode") != "setup" or not checkout.get("setup_intent"):
        return "ignored"
    method = stripe_gateway.setup_intent_card(str(checkout["setup_intent"]))
    if not method:
        return "no_card"
    return cards.save_card_from_checkout(session, checkout.get("metadata") or {}, method)


def _setup_succeeded(session: Session, setup_intent: StripeObject) -> str:
    method = setup_intent.get("payment_method")
    method = method.get("id") if isinstance(method, dict) else method
    if not method:
        return "no_card"
    return cards.save_card_from_checkout(session, setup_intent.get("metadata") or {}, method)


HANDLERS: dict[str, Callable[[Session, StripeObject], str]] = {
    "payment_intent.succeeded": _intent_succeeded,
    "payment_intent.payment_failed": _intent_failed,
    "charge.refunded": _charge_refunded,
    "charge.dispute.created": _dispute_created,
    "checkout.session.completed": _checkout_completed,
    "setup_intent.succeeded": _setup_succeeded,
}


def apply_event(session: Session, event: dict[str, Any]) -> str:
    """Apply one verified event; a redelivered event id is ignored ("duplicate")."""
    handler = HANDLERS.get(event.get("type", ""))
    record = StripeEvent(event_id=event["id"], event_type=event.get("type", ""))
    session.add(record)
    try:
        # The unique event id: a concurrent delivery waits here, then fails.
        session.flush()
    except IntegrityError:
        session.rollback()
        return "duplicate"
    if handler is None:
        record.outcome = "ignored"
        return "ignored"
    record.outcome = handler(session, event["data"]["object"])
    return record.outcome
