"""The pay conversation through the real model, the real webhook and localstripe."""

from __future__ import annotations

import re

import pytest

from bot import db
from bot.models import LedgerEntry, Payment


def succeeded(intents) -> list:
    return [pi for pi in intents() if pi.status == "succeeded"]


def test_pay_then_yes_charges_the_amount_due_and_sends_a_receipt(world, stripe_intents):
    prompt = world.phone.say("pay")
    assert "You're paying $250.00 with Visa ending 4242 toward LN-" in prompt
    assert "Reply YES to confirm or NO to cancel" in prompt
    assert stripe_intents() == []  # asking is not charging

    receipt = world.phone.say("yes")
    assert "Payment received: $250.00" in receipt
    assert "ending 4242" in receipt
    assert "New balance: $950.00" in receipt
    charged = succeeded(stripe_intents)
    assert [pi.amount for pi in charged] == [25000]
    account = world.account()
    assert (account.balance_cents, account.amount_due_cents) == (95000, 0)
    with db.session_scope() as session:
        payment = session.query(Payment).one()
        assert payment.status == "succeeded"
        assert payment.stripe_payment_intent_id == charged[0].id
        assert payment.confirmation_code in receipt
        entry = session.query(LedgerEntry).one()
        assert (entry.amount_cents, entry.balance_after_cents) == (-25000, 95000)


def test_stated_amount_is_charged(world, stripe_intents):
    assert "You're paying $150.00" in world.phone.say("pay 150")
    assert "Payment received: $150.00" in world.phone.say("yes")
    assert [pi.amount for pi in succeeded(stripe_intents)] == [15000]
    assert world.account().balance_cents == 105000


def test_more_than_the_balance_offers_the_balance(make_world, stripe_intents):
    world = make_world(balance_cents=30000, amount_due_cents=30000)
    offer = world.phone.say("pay 5000")
    assert "more than your balance of $300.00" in offer
    assert "Reply YES to pay the full $300.00" in offer
    assert "New balance: $0.00" in world.phone.say("yes")
    assert [pi.amount for pi in succeeded(stripe_intents)] == [30000]


def test_below_the_dealer_minimum_names_the_minimum(make_world, stripe_intents):
    world = make_world(minimum_payment_cents=2500)
    reply = world.phone.say("pay 5")
    assert "smallest payment we can take by text is $25.00" in reply
    # Nothing is pending, so a YES now charges nothing.
    assert "nothing waiting" in world.phone.say("yes")
    assert stripe_intents() == []


def test_no_cancels_and_nothing_is_charged(world, stripe_intents):
    world.phone.say("pay 100")
    assert "nothing was charged" in world.phone.say("no").lower()
    assert "nothing waiting" in world.phone.say("yes")
    assert stripe_intents() == []
    with db.session_scope() as session:
        assert session.query(Payment).one().status == "canceled"


def test_declined_card_is_explained_plainly_with_a_secure_link(make_world, stripe_intents):
    world = make_world(card="4000000000000341")
    world.phone.say("pay 50")
    reply = world.phone.say("yes")
    assert "was declined, so no payment was made" in reply
    assert "https://textpay.test/secure/card/" in reply
    assert "card_declined" not in reply
    assert succeeded(stripe_intents) == []
    assert world.account().balance_cents == 120000
    with db.session_scope() as session:
        payment = session.query(Payment).one()
        assert (payment.status, payment.failure_reason) == ("failed", "declined")


@pytest.mark.dates
def test_yes_after_thirty_minutes_never_charges_and_asks_again(world, stripe_intents, clock):
    world.phone.say("pay 75")
    clock.advance(minutes=31)
    reply = world.phone.say("yes")
    assert "timed out, so nothing was charged" in reply
    assert "You're paying $75.00" in reply  # it asks again
    assert stripe_intents() == []
    assert "Payment received: $75.00" in world.phone.say("yes")
    assert len(succeeded(stripe_intents)) == 1


def test_yes_with_nothing_pending_charges_nothing(world, stripe_intents):
    assert "nothing waiting for your OK" in world.phone.say("yes")
    assert stripe_intents() == []


def test_double_yes_charges_exactly_once(world, stripe_intents):
    world.phone.say("pay 60")
    first = world.phone.say("yes")
    second = world.phone.say("yes")
    assert "Payment received: $60.00" in first
    assert "already went through" in second
    assert [pi.amount for pi in stripe_intents()] == [6000]
    assert world.account().balance_cents == 114000


def test_no_card_on_file_sends_a_link_instead_of_charging(make_world, stripe_intents):
    world = make_world(card=None)
    reply = world.phone.say("pay 50")
    assert "don't have a card on file" in reply
    assert "/secure/card/" in reply
    assert stripe_intents() == []


def test_gibberish_never_confirms_a_payment(world, stripe_intents):
    world.phone.say("pay 50")
    for noise in ("sdfsdf sdf", "xyz", "hmm", "qwerty uiop"):
        reply = world.phone.say(noise)
        assert "Payment received" not in reply
    assert stripe_intents() == []
    assert "Payment received: $50.00" in world.phone.say("yes")


def test_a_bank_approval_is_finished_on_the_secure_page(make_world, client, stripe_intents,
                                                       twilio_fake):
    world = make_world(card="4000002760003184")
    world.phone.say("pay 80")
    reply = world.phone.say("yes")
    assert "Your bank needs you to approve this payment of $80.00" in reply
    assert world.account().balance_cents == 120000  # nothing recorded as paid yet
    path = re.search(r"https://textpay\.test(/secure/approve/\S+)", reply).group(1)
    page = client.get(path)
    assert page.status_code == 200 and b"$80.00" in page.data
    token = re.search(rb'name="csrf_token" value="([^"]+)"', page.data).group(1).decode()
    done = client.post(path, data={"csrf_token": token})
    assert b"Payment approved" in done.data
    assert [pi.status for pi in stripe_intents()] == ["succeeded"]
    assert world.account().balance_cents == 112000
    assert any("$80.00" in body for body in twilio_fake.bodies_to(world.phone.number))
    assert client.get(path).status_code == 404  # the link worked once
