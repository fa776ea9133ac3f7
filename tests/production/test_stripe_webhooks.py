"""POST /stripe/webhook: signatures, each event applied once, refunds, chargebacks, new cards."""

from __future__ import annotations

import json
import time

import pytest

from bot import db
from bot.models import (
    Account,
    Escalation,
    LedgerEntry,
    Payment,
    PaymentStatus,
    SecureLink,
    StripeEvent,
)
from bot.payments import charging, links, stripe_gateway
from bot.payments.merchant import PLATFORM
from tests.support.stripe_events import WEBHOOK_SECRET, event, post_event, stripe_signature


def ledger_rows(account_id: int) -> list[tuple[str, int]]:
    with db.session_scope() as session:
        return [(row.kind, row.amount_cents) for row in session.query(LedgerEntry)
                .filter_by(account_id=account_id).order_by(LedgerEntry.id)]


def only_payment() -> Payment:
    with db.session_scope() as session:
        payment = session.query(Payment).one()
        session.expunge(payment)
        return payment


def pay_by_text(world, amount: str = "50") -> Payment:
    world.phone.text(f"pay {amount}")
    assert "Payment received" in world.phone.say("yes")
    return only_payment()


def latest_charge(payment: Payment) -> dict:
    intent = PLATFORM.client().v1.payment_intents.retrieve(payment.stripe_payment_intent_id)
    charge_id = getattr(intent.latest_charge, "id", intent.latest_charge)
    return json.loads(str(PLATFORM.client().v1.charges.retrieve(charge_id)))


def test_a_forged_or_missing_signature_is_400_and_changes_nothing(world, client):
    payment = pay_by_text(world)
    body = event("charge.refunded", {"id": "ch_x", "payment_intent":
                                     payment.stripe_payment_intent_id, "amount_refunded": 5000})
    assert post_event(client, body, secret="whsec_not_ours").status_code == 400
    unsigned = client.post("/stripe/webhook", data=json.dumps(body),
                           content_type="application/json")
    assert unsigned.status_code == 400
    payload = json.dumps(body).encode()
    stale = client.post("/stripe/webhook", data=payload, content_type="application/json",
                        headers={"Stripe-Signature": stripe_signature(
                            payload, timestamp=int(time.time()) - 3600)})
    assert stale.status_code == 400  # a replay of an old delivery
    assert ledger_rows(world.account_id) == [("payment", -5000)]
    with db.session_scope() as session:
        assert session.query(StripeEvent).count() == 0


def test_a_refund_goes_back_on_the_balance_once_however_often_it_is_delivered(world, client):
    payment = pay_by_text(world)
    assert world.account().balance_cents == 115000
    gateway = PLATFORM.client()
    gateway.v1.refunds.create(params={"payment_intent": payment.stripe_payment_intent_id,
                                      "amount": 2000})
    first = event("charge.refunded", latest_charge(payment))
    assert post_event(client, first).json["outcome"] == "applied"
    assert post_event(client, first).json["outcome"] == "duplicate"
    assert world.account().balance_cents == 117000

    gateway.v1.refunds.create(params={"payment_intent": payment.stripe_payment_intent_id})
    second = event("charge.refunded", latest_charge(payment))
    # Delivered twice under different event ids (Stripe's retries are new deliveries,
    # but a replayed old event is not): still added back once.
    assert post_event(client, second).json["outcome"] == "applied"
    assert post_event(client, {**second, "id": second["id"] + "b"}).json["outcome"] == \
        "already_applied"
    assert post_event(client, first | {"id": "evt_late_copy"}).json["outcome"] == \
        "already_applied"  # an older, smaller total arriving late changes nothing
    assert ledger_rows(world.account_id) == [("payment", -5000), ("refund", 2000),
                                             ("refund", 3000)]
    assert world.account().balance_cents == 120000
    assert only_payment().refunded_cents == 5000


def test_a_chargeback_flags_the_payment_and_asks_a_person_once(world, client):
    payment = pay_by_text(world)
    charge = latest_charge(payment)
    dispute = {"id": "dp_1", "object": "dispute", "amount": 5000, "charge": charge["id"],
               "payment_intent": payment.stripe_payment_intent_id, "reason": "fraudulent",
               "status": "needs_response"}
    created = event("charge.dispute.created", dispute)
    assert post_event(client, created).json["outcome"] == "applied"
    assert post_event(client, created).json["outcome"] == "duplicate"
    # An older event shape naming only the charge finds the payment through Stripe.
    charge_only = event("charge.dispute.created", {**dispute, "payment_intent": None})
    assert post_event(client, charge_only).json["outcome"] == "already_applied"
    assert only_payment().disputed_at is not None
    with db.session_scope() as session:
        (escalation,) = session.query(Escalation).all()
        assert escalation.reason == "chargeback"
        assert escalation.account_id == world.account_id
        assert payment.confirmation_code in escalation.detail
        assert "fraudulent" in escalation.detail
    assert world.account().balance_cents == 115000  # the bank decides; staff settle it


def test_a_late_failure_report_never_undoes_a_payment(world, client):
    payment = pay_by_text(world)
    failed = event("payment_intent.payment_failed",
                   {"id": payment.stripe_payment_intent_id, "object": "payment_intent",
                    "status": "requires_payment_method", "metadata": {}})
    assert post_event(client, failed).json["outcome"] == "applied"
    assert only_payment().status == PaymentStatus.SUCCEEDED
    assert ledger_rows(world.account_id) == [("payment", -5000)]


def setup_intent_with_card(customer_id: str, metadata: dict) -> dict:
    """A SetupIntent completed in the emulator, as Checkout (setup mode) leaves it."""
    gateway = PLATFORM.client()
    method = stripe_gateway.emulator_card(PLATFORM, "5555555555554444", 12, 2034, "123")
    intent = gateway.v1.setup_intents.create(params={"customer": customer_id,
                                                     "metadata": metadata})
    intent = gateway.v1.setup_intents.confirm(intent.id, params={"payment_method": method})
    assert intent.status == "succeeded"
    return json.loads(str(intent))


@pytest.mark.usefixtures("daytime")  # the confirmation text waits for texting hours
def test_a_card_added_on_stripes_page_becomes_the_card_on_file_once(world, client, twilio_fake):
    with db.session_scope() as session:
        url = links.create_link(session, links.UPDATE_CARD, world.account_id)
        nonce = session.query(SecureLink).one().nonce
    assert "/secure/card/" in url
    metadata = {"textpay_link": nonce, "textpay_account_id": str(world.account_id)}
    setup_intent = setup_intent_with_card(world.account().stripe_customer_id, metadata)
    checkout = {"id": "cs_1", "object": "checkout.session", "mode": "setup",
                "setup_intent": setup_intent["id"], "metadata": metadata,
                "customer": world.account().stripe_customer_id}
    assert post_event(client, event("checkout.session.completed", checkout)).json["outcome"] \
        == "card_saved"
    assert post_event(client, event("setup_intent.succeeded", setup_intent)).json["outcome"] \
        == "already_saved"
    account = world.account()
    assert account.card_last4 == "4444"
    assert account.stripe_payment_method_id == setup_intent["payment_method"]
    with db.session_scope() as session:
        assert session.query(SecureLink).one().used_at is not None
    saved_texts = [b for b in twilio_fake.bodies_to(world.phone.number) if "ending 4444" in b]
    assert len(saved_texts) == 1

    # The link was single-use: a second card completed from it is not taken.
    other = setup_intent_with_card(account.stripe_customer_id, metadata)
    assert post_event(client, event("setup_intent.succeeded", other)).json["outcome"] == \
        "link_used"
    assert world.account().stripe_payment_method_id == setup_intent["payment_method"]


def test_a_forged_link_in_metadata_saves_nothing(world, client):
    metadata = {"textpay_link": "not-a-link", "textpay_account_id": str(world.account_id)}
    setup_intent = setup_intent_with_card(world.account().stripe_customer_id, metadata)
    before = world.account().stripe_payment_method_id
    assert post_event(client, event("setup_intent.succeeded", setup_intent)).json["outcome"] \
        == "unknown_link"
    assert world.account().stripe_payment_method_id == before


def wait_for(predicate, seconds: float = 10.0):
    """Poll until localstripe's delivery (about a second after the event) has landed."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    pytest.fail("the webhook never arrived")


@pytest.mark.usefixtures("daytime")  # the receipt waits for texting hours
def test_stripes_own_signed_webhook_settles_a_payment_whose_answer_was_lost(
        world, client, live_url, localstripe, twilio_fake):
    """End to end: localstripe signs and delivers payment_intent.succeeded to our server."""
    localstripe.register_webhook("textpay-tests", f"{live_url}/stripe/webhook", WEBHOOK_SECRET)
    try:
        with db.session_scope() as session:
            account = session.get(Account, world.account_id)
            payment = charging.create_pending(session, account, 5000)
            session.commit()
            assert charging.claim(session, payment.id)
            payment.status = PaymentStatus.UNKNOWN  # the charge's answer never came back
            key, customer, method = (payment.idempotency_key, account.stripe_customer_id,
                                     account.stripe_payment_method_id)
        intent = PLATFORM.client().v1.payment_intents.create(params={
            "amount": 5000, "currency": "usd", "customer": customer, "payment_method": method,
            "off_session": True, "confirm": True, "metadata": {"textpay_key": key}})
        wait_for(lambda: only_payment().status == PaymentStatus.SUCCEEDED)
        assert only_payment().stripe_payment_intent_id == intent.id
        assert ledger_rows(world.account_id) == [("payment", -5000)]
        receipts = wait_for(lambda: [b for b in twilio_fake.bodies_to(world.phone.number)
                                     if "Payment received: $50.00" in b])
        assert len(receipts) == 1

        # Stripe delivers at least once: the very same event again changes nothing.
        delivered = PLATFORM.client().v1.events.list(
            params={"type": "payment_intent.succeeded"}).data
        same = next(e for e in delivered if e.data.object.id == intent.id)
        assert post_event(client, json.loads(str(same))).json["outcome"] == "duplicate"
        assert ledger_rows(world.account_id) == [("payment", -5000)]
    finally:
        localstripe.register_webhook("textpay-tests", "http://127.0.0.1:9/", WEBHOOK_SECRET)
