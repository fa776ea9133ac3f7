"""Signed Stripe events are checked against the clock, our own records and Stripe itself
(issue 13, low items: an event signed an hour in the future was accepted; a
payment_intent.succeeded matching only metadata.textpay_key posted a payment the
borrower never confirmed)."""

from __future__ import annotations

import json
import time

from bot import db
from bot.models import Payment, PaymentStatus
from bot.payments.merchant import PLATFORM
from tests.support.stripe_events import event, post_event, stripe_signature


def the_payment() -> Payment:
    with db.session_scope() as session:
        payment = session.query(Payment).one()
        session.expunge(payment)
        return payment


def succeeded(intent_id: str, payment: Payment, amount: int | None = None) -> dict:
    return event("payment_intent.succeeded", {
        "id": intent_id, "object": "payment_intent", "status": "succeeded",
        "amount": amount or payment.amount_cents, "currency": "usd",
        "metadata": {"textpay_key": payment.idempotency_key}})


def intent_in_stripe(world, payment: Payment, amount: int) -> str:
    """A real PaymentIntent in the emulator carrying our payment's key."""
    account = world.account()
    intent = PLATFORM.client().v1.payment_intents.create(params={
        "amount": amount, "currency": "usd", "customer": account.stripe_customer_id,
        "payment_method": account.stripe_payment_method_id, "off_session": True,
        "confirm": True, "metadata": {"textpay_key": payment.idempotency_key}})
    return intent.id


def answer_lost(payment_id: int) -> None:
    """The bot claimed and charged the payment, but Stripe's answer never came back."""
    with db.session_scope() as session:
        session.get(Payment, payment_id).status = PaymentStatus.UNKNOWN


def test_an_event_signed_in_the_future_is_refused(world, client):
    world.phone.text("pay 50")
    payment = the_payment()
    answer_lost(payment.id)
    body = succeeded(intent_in_stripe(world, payment, 5000), payment)
    payload = json.dumps(body).encode()
    future = client.post("/stripe/webhook", data=payload, content_type="application/json",
                         headers={"Stripe-Signature": stripe_signature(
                             payload, timestamp=int(time.time()) + 3600)})
    assert future.status_code == 400
    assert world.account().balance_cents == 120000
    assert post_event(client, body).json["outcome"] == "applied"  # signed now: fine


def test_a_payment_the_borrower_never_confirmed_is_not_posted(world, client):
    assert "Reply YES" in world.phone.say("pay 50")  # asked, never confirmed
    payment = the_payment()
    outcome = post_event(client, succeeded("pi_forged_0000", payment)).json["outcome"]
    assert outcome == "never_charged"
    assert world.account().balance_cents == 120000
    assert the_payment().status == PaymentStatus.PENDING
    assert "Reply YES" in world.phone.say("pay 50")  # and the bot still asks


def test_an_event_stripe_does_not_confirm_is_not_posted(world, client):
    world.phone.text("pay 50")
    payment = the_payment()
    answer_lost(payment.id)
    smaller = intent_in_stripe(world, payment, 100)  # Stripe charged $1.00, not $50.00
    assert post_event(client, succeeded(smaller, payment)).json["outcome"] == \
        "not_confirmed_by_stripe"
    assert post_event(client, succeeded("pi_not_in_stripe", payment)).json["outcome"] == \
        "not_confirmed_by_stripe"
    assert world.account().balance_cents == 120000
    assert the_payment().status == PaymentStatus.UNKNOWN  # reconcile will ask Stripe
