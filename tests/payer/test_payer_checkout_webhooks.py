"""Production's path for someone else paying: Stripe Checkout (payment mode) takes the
card, and Stripe's signed webhook posts the payment under the payer's name.

The emulator has no Checkout, so the page's part is played here: the payment is
started as the payer page starts it, and the PaymentIntent Checkout would make is
made in localstripe with the metadata we give Checkout."""

from __future__ import annotations

from bot import db
from bot.models import LedgerEntry, Payment, PaymentStatus
from bot.payments import links, payers, stripe_gateway
from bot.payments.merchant import PLATFORM
from tests.payer.conftest import payer_path
from tests.support.stripe_events import event, post_event


def _start_payment(world, payer_name: str = "Maria Lopez", cents: int = 15000) -> tuple[str, str]:
    """Text for a link and start the payer's payment on it: (the page's path, the key)."""
    path = payer_path(world.phone.say("my mom is paying"))
    with db.session_scope() as session:
        link = links.find_link(session, path.rsplit("/", 1)[1], links.PAYER)
        started = payers.start(session, link, payer_name, cents)
        return path, started.payment.idempotency_key


def _checkout_pays(key: str, cents: int = 15000) -> str:
    """What Stripe Checkout does when the payer pays: a PaymentIntent with our metadata,
    no customer."""
    card = stripe_gateway.emulator_card(PLATFORM, "4242424242424242", 12, 2034, "123")
    intent = PLATFORM.client().v1.payment_intents.create(params={
        "amount": cents, "currency": "usd", "payment_method": card, "confirm": True,
        "metadata": {"textpay_key": key}})
    assert intent.status == "succeeded"
    return intent.id


def test_checkout_completed_posts_the_payment_under_the_payers_name(world, client,
                                                                    twilio_fake, daytime):
    _path, key = _start_payment(world)
    intent = _checkout_pays(key)
    completed = event("checkout.session.completed", {
        "id": "cs_test_1", "object": "checkout.session", "mode": "payment",
        "payment_status": "paid", "payment_intent": intent, "metadata": {"textpay_key": key}})
    assert post_event(client, completed).json["outcome"] == "applied"
    succeeded = event("payment_intent.succeeded", {"id": intent, "object": "payment_intent",
                                                   "metadata": {"textpay_key": key}})
    assert post_event(client, succeeded).json["outcome"] == "already_applied"

    assert world.account().balance_cents == 105000
    with db.session_scope() as session:
        payment = session.query(Payment).one()
        assert (payment.status, payment.payer_name) == (PaymentStatus.SUCCEEDED, "Maria Lopez")
        assert [e.description for e in session.query(LedgerEntry)] == [
            f"Paid by Maria Lopez {intent}"]
    receipts = [b for b in twilio_fake.bodies_to(world.phone.number) if "paid $150.00" in b]
    assert len(receipts) == 1 and receipts[0].startswith("Maria Lopez paid $150.00")


def test_an_intent_that_is_not_ours_posts_nothing(world, client):
    _path, key = _start_payment(world)
    stranger = _checkout_pays("textpay-payer-someone-elses", 15000)
    completed = event("checkout.session.completed", {
        "id": "cs_test_2", "object": "checkout.session", "mode": "payment",
        "payment_status": "paid", "payment_intent": stranger, "metadata": {"textpay_key": key}})
    assert post_event(client, completed).json["outcome"] == "not_confirmed_by_stripe"
    assert world.account().balance_cents == 120000


def test_an_abandoned_checkout_ends_the_payment_and_reopens_the_link(world, client, payer):
    path, key = _start_payment(world)
    assert payer.open(path).status_code == 410  # spent while the payer is on Checkout
    expired = event("checkout.session.expired", {
        "id": "cs_test_3", "object": "checkout.session", "mode": "payment",
        "payment_status": "unpaid", "metadata": {"textpay_key": key}})
    assert post_event(client, expired).json["outcome"] == "expired"
    with db.session_scope() as session:
        assert session.query(Payment).one().status == PaymentStatus.EXPIRED
    assert payer.open(path).status_code == 200
    assert world.account().balance_cents == 120000
