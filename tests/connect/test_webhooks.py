"""Webhooks from connected accounts (Stripe Connect): routed to the dealer owning the
account by `event.account`; anything else changes nothing."""

from __future__ import annotations

import logging
import time

import pytest

from bot import db
from bot.audit import entries
from bot.models import Account, Dealer, LedgerEntry, Payment, PaymentStatus, StripeEvent
from bot.payments import charging
from tests.connect.conftest import CONNECT_SECRET, Tenant, TwoDealers, payments_of
from tests.support.live_server import live_server
from tests.support.stripe_events import event, post_event


def lost_payment(tenant: Tenant, cents: int = 5000) -> Payment:
    """A payment claimed for the tenant's borrower whose charge answer never came back."""
    with db.session_scope() as session:
        account = session.get(Account, tenant.account_id)
        payment = charging.create_pending(session, account, cents)
        session.commit()
        assert charging.claim(session, payment.id)
        payment.status = PaymentStatus.UNKNOWN
        session.flush()
        session.expunge(payment)
        return payment


def charge_in_stripe(tenant: Tenant, payment: Payment) -> str:
    """The charge that did happen, in the tenant's own Stripe account; the intent's id."""
    return tenant.stripe.client().v1.payment_intents.create(params={
        "amount": payment.amount_cents, "currency": "usd", "customer": tenant.customer_id,
        "payment_method": tenant.payment_method_id, "off_session": True, "confirm": True,
        "metadata": {"textpay_key": payment.idempotency_key}}).id


def succeeded(intent_id: str, payment: Payment, account: str | None) -> dict:
    body = event("payment_intent.succeeded", {
        "id": intent_id, "object": "payment_intent", "status": "succeeded",
        "metadata": {"textpay_key": payment.idempotency_key}})
    if account:
        body["account"] = account
    return body


def status_of(payment: Payment) -> str:
    with db.session_scope() as session:
        return session.get(Payment, payment.id).status


def wait_for(predicate, seconds: float = 10.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    pytest.fail("the webhook never arrived")


def test_a_connected_accounts_own_webhook_settles_its_dealers_payment(
        app, two_dealers: TwoDealers):
    """End to end: A's emulator signs nothing we trust; the router delivers its event as
    Stripe's Connect endpoint does (account added, signed with the Connect secret)."""
    a = two_dealers.a
    with live_server(app) as url:
        two_dealers.router.connect_webhooks(f"{url}/stripe/webhook", CONNECT_SECRET)
        payment = lost_payment(a)
        intent_id = charge_in_stripe(a, payment)
        wait_for(lambda: status_of(payment) == PaymentStatus.SUCCEEDED)
    [settled] = payments_of(a.account_id)
    assert settled.stripe_payment_intent_id == intent_id
    with db.session_scope() as session:
        assert session.get(Account, a.account_id).balance_cents == 115000
        applied = session.query(StripeEvent).filter_by(
            event_type="payment_intent.succeeded").one()
        assert applied.outcome == "applied"


def test_an_event_from_an_account_no_dealer_connected_changes_nothing(
        client, two_dealers: TwoDealers, caplog):
    a = two_dealers.a
    payment = lost_payment(a)
    intent_id = charge_in_stripe(a, payment)
    with caplog.at_level(logging.WARNING, logger="bot.payments.webhook_events"):
        response = post_event(client, succeeded(intent_id, payment, "acct_nobodys"),
                              secret=CONNECT_SECRET)
    assert response.status_code == 200
    assert response.json["outcome"] == "unknown_account"
    assert "no dealer has connected" in caplog.text
    assert status_of(payment) == PaymentStatus.UNKNOWN
    with db.session_scope() as session:
        assert session.query(StripeEvent).count() == 0
        assert session.query(LedgerEntry).count() == 0


def test_another_accounts_event_cannot_settle_a_dealers_payment(client,
                                                                 two_dealers: TwoDealers):
    """B's account (or the deployment's own) naming A's payment: not theirs to settle."""
    a, b = two_dealers.a, two_dealers.b
    payment = lost_payment(a)
    intent_id = charge_in_stripe(a, payment)
    from_b = post_event(client, succeeded(intent_id, payment, b.stripe_account),
                        secret=CONNECT_SECRET)
    from_platform = post_event(client, succeeded(intent_id, payment, None))
    assert from_b.json["outcome"] == from_platform.json["outcome"] == "unknown_payment"
    assert status_of(payment) == PaymentStatus.UNKNOWN

    from_a = post_event(client, succeeded(intent_id, payment, a.stripe_account),
                        secret=CONNECT_SECRET)
    assert from_a.json["outcome"] == "applied"
    assert status_of(payment) == PaymentStatus.SUCCEEDED


def test_a_connect_event_signed_with_another_secret_is_refused(client,
                                                                two_dealers: TwoDealers):
    a = two_dealers.a
    payment = lost_payment(a)
    forged = post_event(client, succeeded("pi_forged", payment, a.stripe_account),
                        secret="whsec_someone_elses")
    assert forged.status_code == 400
    assert status_of(payment) == PaymentStatus.UNKNOWN


def test_an_account_that_disconnects_at_stripe_is_forgotten_and_audited(
        client, two_dealers: TwoDealers):
    a, b = two_dealers.a, two_dealers.b
    body = event("account.application.deauthorized",
                 {"id": "ca_textpay", "object": "application", "name": "textpay"})
    body["account"] = a.stripe_account
    assert post_event(client, body, secret=CONNECT_SECRET).json["outcome"] == "disconnected"
    with db.session_scope() as session:
        assert session.get(Dealer, a.dealer_id).stripe_account_id is None
        assert session.get(Dealer, b.dealer_id).stripe_account_id == b.stripe_account
        [entry] = entries(session, a.dealer_id, action="stripe_disconnected")
        assert entry.actor == "stripe" and a.stripe_account in entry.details
    assert "can't take card payments by text" in a.phone.say("pay 50")
    assert a.intents() == []
