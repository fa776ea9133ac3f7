"""Applying Stripe's webhook events to our records, each event id once.

| event                          | what happens                                        |
| ------------------------------ | --------------------------------------------------- |
| payment_intent.succeeded       | the payment is posted (once) if we charged it (the  |
|                                | borrower said YES) and Stripe confirms it succeeded |
|                                | for that amount; a receipt follows if the borrower  |
|                                | was not told in a reply                             |
| payment_intent.payment_failed  | the payment is marked failed (never undoes success) |
| charge.refunded                | refunded cents go back on the balance (once)        |
| charge.dispute.created         | the payment is flagged; a person must look          |
| checkout.session.completed,    | the new card becomes the card on file and the       |
| setup_intent.succeeded         | secure link is spent                                |
| checkout.session.completed     | someone else paid on Checkout (payment mode): posted|
| (payment mode)                 | as payment_intent.succeeded is, under their name    |
| checkout.session.expired       | a payer left Checkout unpaid: the payment ends, the |
|                                | payer link opens again                              |
| account.application.           | the dealer's Stripe account disconnected itself     |
| deauthorized                   | from the platform: it is forgotten (audited)        |

Events come from the deployment's own Stripe account or, through Stripe
Connect, from a dealer's connected account (`event.account`). Each is applied
only to what was made in that account: a connected account's event touches
only its dealer's payments and links, and the deployment's own events only
payments made in the deployment's account. An event from an account no dealer
has connected changes nothing (outcome `unknown_account`, logged).

The event row is written in the same transaction as its effects: a handler
that fails rolls both back, and Stripe's redelivery tries again. Texts and
escalations are follow-ups for the caller to carry out once that commits.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.models import Dealer, Payment, PaymentStatus, StripeEvent
from bot.payments import (
    cards,
    chargebacks,
    charging,
    connect,
    ledger,
    payers,
    stripe_gateway,
)
from bot.payments.followups import FollowUp, receipt
from bot.payments.merchant import PLATFORM, Merchant

log = logging.getLogger(__name__)

StripeObject = dict[str, Any]


@dataclass
class Applied:
    """What an event did (`outcome`, stored on the event row) and what must follow."""

    outcome: str
    followups: list[FollowUp] = field(default_factory=list)


def _payment_for_intent(session: Session, made_in: Merchant, intent_id: str | None,
                        metadata: dict | None = None) -> Payment | None:
    """The payment behind an intent, among the payments made in the event's account."""
    in_account = (Payment.stripe_account_id.is_(None) if made_in.is_platform
                  else Payment.stripe_account_id == made_in.stripe_account)
    payment = None
    if intent_id:
        payment = session.execute(
            select(Payment).where(Payment.stripe_payment_intent_id == intent_id, in_account)
        ).scalars().first()
    key = (metadata or {}).get("textpay_key")
    if payment is None and key:
        payment = session.execute(
            select(Payment).where(Payment.idempotency_key == key, in_account)
        ).scalar_one_or_none()
    return payment


# A payment in these states was never charged: the borrower never confirmed it.
NEVER_CHARGED = (PaymentStatus.PENDING, PaymentStatus.CANCELED, PaymentStatus.EXPIRED)


def _intent_succeeded(session: Session, made_in: Merchant, intent: StripeObject) -> Applied:
    payment = _payment_for_intent(session, made_in, intent.get("id"), intent.get("metadata"))
    if payment is None:
        return Applied("unknown_payment")
    if payment.status in NEVER_CHARGED:
        log.warning("payment_intent.succeeded for payment %s, which was never charged (%s)",
                    payment.id, payment.status)
        return Applied("never_charged")
    if payment.status == PaymentStatus.SUCCEEDED:
        return Applied("already_applied")
    if not stripe_gateway.confirms_charge(made_in, str(intent.get("id") or ""),
                                          payment.amount_cents, payment.idempotency_key):
        log.warning("payment_intent.succeeded for payment %s not confirmed by Stripe",
                    payment.id)
        return Applied("not_confirmed_by_stripe")
    # A payment still in flight was never confirmed to the borrower in a reply.
    was_in_flight = payment.status in PaymentStatus.IN_FLIGHT
    posted = charging.record_outcome(
        session, payment, stripe_gateway.ChargeResult(stripe_gateway.SUCCEEDED, intent["id"]))
    if posted and was_in_flight:
        return Applied("applied", [receipt(payment.account_id, payment.id)])
    return Applied("applied" if posted else "already_applied")


def _intent_failed(session: Session, made_in: Merchant, intent: StripeObject) -> Applied:
    payment = _payment_for_intent(session, made_in, intent.get("id"), intent.get("metadata"))
    if payment is None:
        return Applied("unknown_payment")
    charging.record_outcome(session, payment,
                            stripe_gateway.ChargeResult(stripe_gateway.DECLINED, intent["id"]))
    return Applied("applied")


def _charge_refunded(session: Session, made_in: Merchant, charge: StripeObject) -> Applied:
    payment = _payment_for_intent(session, made_in, charge.get("payment_intent"),
                                  charge.get("metadata"))
    if payment is None:
        return Applied("unknown_payment")
    added = ledger.record_refund(session, payment, int(charge.get("amount_refunded") or 0),
                                 reference=str(charge.get("id") or ""))
    return Applied("applied" if added else "already_applied")


def _dispute_created(session: Session, made_in: Merchant, dispute: StripeObject) -> Applied:
    intent_id = dispute.get("payment_intent")
    if not intent_id and dispute.get("charge"):
        intent_id = stripe_gateway.charge_payment_intent(made_in, str(dispute["charge"]))
    payment = _payment_for_intent(session, made_in, intent_id)
    if payment is None:
        return Applied("unknown_payment")
    alert = chargebacks.flag_chargeback(session, payment, int(dispute.get("amount") or 0),
                                        str(dispute.get("reason") or ""))
    return Applied("applied", [alert]) if alert else Applied("already_applied")


def _checkout_completed(session: Session, made_in: Merchant, checkout: StripeObject) -> Applied:
    if checkout.get("mode") == "payment":
        return _payer_checkout_paid(session, made_in, checkout)
    if checkout.get("mode") != "setup" or not checkout.get("setup_intent"):
        return Applied("ignored")
    method = stripe_gateway.setup_intent_card(made_in, str(checkout["setup_intent"]))
    if not method:
        return Applied("no_card")
    return Applied(*cards.save_card_from_checkout(session, made_in,
                                                  checkout.get("metadata") or {}, method))


def _payer_checkout_paid(session: Session, made_in: Merchant, checkout: StripeObject) -> Applied:
    """Someone else paid on Checkout (payment mode): post it as payment_intent.succeeded
    would (whichever event comes first posts it; Stripe is asked either way)."""
    intent = checkout.get("payment_intent")
    intent = intent.get("id") if isinstance(intent, dict) else intent
    if checkout.get("payment_status") != "paid" or not intent:
        return Applied("ignored")
    return _intent_succeeded(session, made_in,
                             {"id": intent, "metadata": checkout.get("metadata") or {}})


def _checkout_expired(session: Session, made_in: Merchant, checkout: StripeObject) -> Applied:
    """A payer left Checkout unpaid: the payment never happened, the link opens again."""
    if checkout.get("mode") != "payment":
        return Applied("ignored")
    payment = _payment_for_intent(session, made_in, None, checkout.get("metadata"))
    if payment is None or payment.source != payers.SOURCE:
        return Applied("unknown_payment")
    return Applied("expired" if payers.checkout_ended(session, payment) else "already_applied")


def _setup_succeeded(session: Session, made_in: Merchant, setup_intent: StripeObject) -> Applied:
    method = setup_intent.get("payment_method")
    method = method.get("id") if isinstance(method, dict) else method
    if not method:
        return Applied("no_card")
    return Applied(*cards.save_card_from_checkout(session, made_in,
                                                  setup_intent.get("metadata") or {}, method))


def _deauthorized(session: Session, made_in: Merchant, _application: StripeObject) -> Applied:
    if made_in.is_platform:
        return Applied("ignored")
    forgotten = connect.forget_deauthorized(session, made_in.stripe_account)
    return Applied("disconnected" if forgotten else "already_disconnected")


HANDLERS: dict[str, Callable[[Session, Merchant, StripeObject], Applied]] = {
    "payment_intent.succeeded": _intent_succeeded,
    "payment_intent.payment_failed": _intent_failed,
    "charge.refunded": _charge_refunded,
    "charge.dispute.created": _dispute_created,
    "checkout.session.completed": _checkout_completed,
    "checkout.session.expired": _checkout_expired,
    "setup_intent.succeeded": _setup_succeeded,
    "account.application.deauthorized": _deauthorized,
}


def _source(session: Session, event: dict[str, Any]) -> Merchant | None:
    """The account an event comes from: the platform's, or a dealer's connected one.

    None for a connected account that no dealer has connected (now).
    """
    account = event.get("account")
    if not account:
        return PLATFORM
    owned = session.execute(
        select(Dealer.id).where(Dealer.stripe_account_id == str(account))).first()
    return Merchant(str(account)) if owned else None


def apply_event(session: Session, event: dict[str, Any]) -> Applied:
    """Apply one verified event; a redelivered event id is ignored ("duplicate")."""
    made_in = _source(session, event)
    if made_in is None:
        log.warning("stripe event %s from an account no dealer has connected: ignored",
                    event.get("id"), extra={"stripe_account": str(event.get("account"))})
        return Applied("unknown_account")
    handler = HANDLERS.get(event.get("type", ""))
    record = StripeEvent(event_id=event["id"], event_type=event.get("type", ""))
    session.add(record)
    try:
        # The unique event id: a concurrent delivery waits here, then fails.
        session.flush()
    except IntegrityError:
        session.rollback()
        return Applied("duplicate")
    applied = handler(session, made_in, event["data"]["object"]) if handler \
        else Applied("ignored")
    record.outcome = applied.outcome
    return applied
