"""The payer page in production: Stripe Checkout in payment mode (no customer, the
payment's key in the metadata), and what `textpay reconcile` does with payers'
payments. localstripe has no Checkout, so the Checkout Session call is caught here."""

from __future__ import annotations

import time
from types import SimpleNamespace

import pytest
import stripe

from bot import db
from bot.models import Payment, PaymentStatus
from bot.payments import links, payers, reconcile, stripe_gateway
from bot.payments.merchant import PLATFORM
from bot.settings import Settings
from tests.payer.conftest import payer_path

CHECKOUT_URL = "https://checkout.stripe.com/c/pay/cs_test_payer"


@pytest.fixture
def production(monkeypatch):
    """The payer page as in production (Checkout, not the stand-in); the Checkout
    Sessions asked for are recorded, or fail when `fail` is set."""
    asked: list[dict] = []
    state = SimpleNamespace(asked=asked, fail=False)

    def checkout(merchant, amount_cents, currency, **params):
        if state.fail:
            raise stripe.APIConnectionError("Stripe is down")
        asked.append({"amount_cents": amount_cents, "currency": currency, **params})
        return CHECKOUT_URL

    monkeypatch.setattr(Settings, "stripe_emulated", property(lambda self: False))
    monkeypatch.setattr(stripe_gateway, "checkout_payment_url", checkout)
    return state


def test_the_payer_goes_to_checkout_and_the_link_is_spent(world, payer, production,
                                                          stripe_intents):
    path = payer_path(world.phone.say("my mom is paying"))
    page = payer.open(path).get_data(as_text=True)
    assert "Continue to secure payment" in page and "Test card" not in page
    answer = payer.pay(path, "Maria Lopez", card="")
    assert answer.status_code == 303 and answer.location == CHECKOUT_URL
    with db.session_scope() as session:
        payment = session.query(Payment).one()
        assert (payment.status, payment.payer_name, payment.amount_cents) == (
            PaymentStatus.PROCESSING, "Maria Lopez", 15000)
        key = payment.idempotency_key
    [asked] = production.asked
    assert asked["amount_cents"] == 15000 and asked["idempotency_key"] == key
    assert asked["metadata"]["textpay_key"] == key
    assert stripe_intents() == []  # Checkout charges; we did not
    assert payer.pay(path, "Maria Lopez", card="").status_code == 410  # pressed again


def test_when_checkout_cannot_open_nothing_is_charged_and_the_link_works_again(
        world, payer, production):
    production.fail = True
    path = payer_path(world.phone.say("my mom is paying"))
    answer = payer.pay(path, "Maria Lopez", card="")
    assert answer.status_code == 503 and b"Nothing was charged" in answer.data
    with db.session_scope() as session:
        assert session.query(Payment).one().status == PaymentStatus.FAILED
    assert payer.open(path).status_code == 200


def test_the_checkout_session_saves_no_card_and_names_the_payment():
    created = []
    sessions = SimpleNamespace(create=lambda params, options: created.append(
        (params, options)) or SimpleNamespace(url=CHECKOUT_URL))
    client = SimpleNamespace(v1=SimpleNamespace(checkout=SimpleNamespace(sessions=sessions)))
    merchant = SimpleNamespace(client=lambda: client)
    url = stripe_gateway.checkout_payment_url(
        merchant, 15000, "USD", description="Sunrise Auto: LN-0001",
        success_url="https://textpay.test/pay/done", cancel_url="https://textpay.test/pay/done",
        metadata={"textpay_key": "textpay-payer-abc-1"}, idempotency_key="textpay-payer-abc-1",
        locale="es")
    assert url == CHECKOUT_URL
    [(params, options)] = created
    assert params["mode"] == "payment" and params["locale"] == "es"
    assert "customer" not in params and "setup_future_usage" not in str(params)
    assert params["line_items"][0]["price_data"]["unit_amount"] == 15000
    assert params["payment_intent_data"]["metadata"] == {"textpay_key": "textpay-payer-abc-1"}
    assert 0 < params["expires_at"] - time.time() <= 30 * 60
    assert options == {"idempotency_key": "textpay-payer-abc-1"}


def test_reconcile_finds_a_payers_lost_charge_but_leaves_one_still_on_checkout(world, clock):
    path = payer_path(world.phone.say("my mom is paying"))
    with db.session_scope() as session:
        link = links.find_link(session, path.rsplit("/", 1)[1], links.PAYER)
        key = payers.start(session, link, "Maria Lopez", 15000).payment.idempotency_key
    card = stripe_gateway.emulator_card(PLATFORM, "4242424242424242", 12, 2034, "123")
    PLATFORM.client().v1.payment_intents.create(params={
        "amount": 15000, "currency": "usd", "payment_method": card, "confirm": True,
        "metadata": {"textpay_key": key}})  # charged; our record of the answer was lost

    clock.advance(minutes=5)
    with db.session_scope() as session:
        assert reconcile.reconcile(session) == ({}, [])  # the payer may be on Checkout
    clock.advance(minutes=40)
    with db.session_scope() as session:
        counts, receipts = reconcile.reconcile(session)
    assert counts == {PaymentStatus.SUCCEEDED: 1} and len(receipts) == 1
    assert world.account().balance_cents == 105000
