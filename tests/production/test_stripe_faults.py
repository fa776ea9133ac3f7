"""Stripe misbehaving during a charge: timeouts, 500s, refused connections.

The app talks to localstripe through a fault-injecting proxy
(tests/support/stripe_faults.py). Whatever goes wrong, the borrower is told
the payment did not go through or is being confirmed, nothing is recorded as
paid unless Stripe says so, every retry carries the same idempotency key,
and nothing we do afterwards (a second YES, `textpay reconcile`) creates a
second charge.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest

from bot import db
from bot.campaigns.money_runs import reconcile_and_tell as reconcile
from bot.clock import utcnow
from bot.models import LedgerEntry, Payment, PaymentStatus
from bot.payments.emulator import free_port
from bot.settings import Settings, set_settings
from tests.support.stripe_faults import ERROR_500, PASS, TIMEOUT, StripeFaults

NOT_THROUGH = "it has not gone through"
BEING_CONFIRMED = "still being confirmed"


@pytest.fixture(scope="module")
def faults(localstripe) -> Iterator[StripeFaults]:
    proxy = StripeFaults(localstripe.url, hold_seconds=2.5).start()
    yield proxy
    proxy.stop()


@pytest.fixture
def through_faults(world, settings: Settings, faults: StripeFaults) -> StripeFaults:
    """The world's card is on file; from now on the app reaches Stripe through the proxy."""
    faults.mode, faults.times = PASS, 0
    faults.attempts.clear()
    set_settings(settings.with_overrides(stripe_api_base=faults.url, stripe_timeout_seconds=1.0))
    return faults


def payments() -> list[Payment]:
    with db.session_scope() as session:
        rows = session.query(Payment).order_by(Payment.id).all()
        session.expunge_all()
        return rows


def ledger_count() -> int:
    with db.session_scope() as session:
        return session.query(LedgerEntry).count()


def reconcile_later(minutes: int = 5) -> dict[str, int]:
    with db.session_scope() as session:
        return reconcile(session, now=utcnow() + timedelta(minutes=minutes))


def test_an_answer_lost_after_the_charge_is_settled_once_by_reconcile(
        world, through_faults, stripe_intents, twilio_fake):
    world.phone.text("pay 50")
    through_faults.mode = TIMEOUT
    reply = world.phone.say("yes")
    assert NOT_THROUGH in reply and "Payment received" not in reply
    (payment,) = payments()
    assert payment.status == PaymentStatus.UNKNOWN
    assert ledger_count() == 0 and world.account().balance_cents == 120000

    attempts = through_faults.charge_attempts()
    assert len(attempts) == 2  # the SDK retried once...
    assert {a.idempotency_key for a in attempts} == {payment.idempotency_key}  # ...same key
    assert len(stripe_intents()) == 1  # so Stripe charged once

    through_faults.mode = PASS
    assert BEING_CONFIRMED in world.phone.say("yes")  # a second YES charges nothing
    assert BEING_CONFIRMED in world.phone.say("pay 50")  # nor does a new request meanwhile
    assert reconcile_later() == {"succeeded": 1}
    assert reconcile_later() == {}  # settled for good
    (payment,) = payments()
    assert payment.status == PaymentStatus.SUCCEEDED
    assert ledger_count() == 1 and world.account().balance_cents == 115000
    assert len(through_faults.charge_attempts()) == 2 and len(stripe_intents()) == 1
    receipts = [b for b in twilio_fake.bodies_to(world.phone.number) if "Payment received" in b]
    assert len(receipts) == 1 and "$50.00" in receipts[0]


def test_one_500_is_retried_with_the_same_key_and_charges_once(
        world, through_faults, stripe_intents):
    world.phone.text("pay 50")
    through_faults.mode, through_faults.times = ERROR_500, 1
    assert "Payment received: $50.00" in world.phone.say("yes")
    attempts = through_faults.charge_attempts()
    assert [a.what_happened for a in attempts] == ["error_500", "forwarded"]
    assert attempts[0].idempotency_key == attempts[1].idempotency_key
    assert len(stripe_intents()) == 1 and ledger_count() == 1


def test_500s_on_every_attempt_record_nothing_and_reconcile_finds_no_charge(
        world, through_faults, stripe_intents):
    world.phone.text("pay 50")
    through_faults.mode, through_faults.times = ERROR_500, 5
    assert NOT_THROUGH in world.phone.say("yes")
    assert payments()[0].status == PaymentStatus.UNKNOWN and ledger_count() == 0
    through_faults.mode = PASS
    assert reconcile_later() == {"failed": 1}  # Stripe never saw it: not charged
    assert payments()[0].failure_reason == "not_charged"
    assert stripe_intents() == []
    # Now the borrower can simply pay again (a new payment, a new key).
    world.phone.text("pay 50")
    assert "Payment received: $50.00" in world.phone.say("yes")
    first, second = payments()
    assert first.idempotency_key != second.idempotency_key
    assert len(stripe_intents()) == 1 and ledger_count() == 1


def test_a_refused_connection_charges_nothing(world, settings, through_faults, stripe_intents):
    world.phone.text("pay 50")
    dead = f"http://127.0.0.1:{free_port()}"
    set_settings(settings.with_overrides(stripe_api_base=dead, stripe_timeout_seconds=1.0))
    assert NOT_THROUGH in world.phone.say("yes")
    assert payments()[0].status == PaymentStatus.UNKNOWN and ledger_count() == 0
    assert reconcile_later() == {"unknown": 1}  # Stripe still unreachable: nothing decided
    set_settings(settings.with_overrides(stripe_api_base=through_faults.url))
    assert reconcile_later() == {"failed": 1}
    assert stripe_intents() == [] and world.account().balance_cents == 120000


def test_reconcile_does_not_call_a_young_attempt_uncharged(world, through_faults):
    """Stripe may still be working on a request made seconds ago."""
    world.phone.text("pay 50")
    through_faults.mode, through_faults.times = ERROR_500, 5
    world.phone.text("yes")
    through_faults.mode = PASS
    with db.session_scope() as session:
        assert reconcile(session, now=utcnow()) == {"unknown": 1}
    assert payments()[0].status == PaymentStatus.UNKNOWN
