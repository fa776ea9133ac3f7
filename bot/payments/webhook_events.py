"""Applying Stripe's webhook events to our records, each event id once."""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.models import Account, Payment, StripeEvent
from bot.payments import cards, charging, stripe_gateway

log = logging.getLogger(__name__)


def _payment_for_intent(session: Session, intent: dict[str, Any]) -> Payment | None:
    payment = session.execute(
        select(Payment).where(Payment.stripe_payment_intent_id == intent.get("id"))
    ).scalar_one_or_none()
    if payment is None:
        key = (intent.get("metadata") or {}).get("textpay_key")
        if key:
            payment = session.execute(
                select(Payment).where(Payment.idempotency_key == key)
            ).scalar_one_or_none()
    return payment


def _intent_succeeded(session: Session, intent: dict[str, Any]) -> str:
    payment = _payment_for_intent(session, intent)
    if payment is None:
        return "unknown_payment"
    was_in_flight = payment.status in ("requires_action", "unknown", "processing")
    charging.record_outcome(session, payment,
                            stripe_gateway.ChargeResult(stripe_gateway.SUCCEEDED, intent["id"]))
    if was_in_flight:
        # The borrower never saw a receipt in a reply; text one now.
        cards.send_receipt(session, payment, session.get(Account, payment.account_id))
    return "applied"


def _intent_failed(session: Session, intent: dict[str, Any]) -> str:
    payment = _payment_for_intent(session, intent)
    if payment is None:
        return "unknown_payment"
    charging.record_outcome(session, payment,
                            stripe_gateway.ChargeResult(stripe_gateway.DECLINED, intent["id"]))
    return "applied"


HANDLERS = {
    "payment_intent.succeeded": _intent_succeeded,
    "payment_intent.payment_failed": _intent_failed,
}


def apply_event(session: Session, event: dict[str, Any]) -> str:
    """Apply one verified event; a redelivered event id is ignored ("duplicate")."""
    handler = HANDLERS.get(event.get("type", ""))
    record = StripeEvent(event_id=event["id"], event_type=event.get("type", ""))
    session.add(record)
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        return "duplicate"
    if handler is None:
        record.outcome = "ignored"
        return "ignored"
    record.outcome = handler(session, event["data"]["object"])
    return record.outcome
