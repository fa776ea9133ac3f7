"""Amounts as people text them, "who is this", and unrelated texts: through the real
model, the signed webhook and localstripe (issue 12, items 2, 3 and 5)."""

from __future__ import annotations

import pytest

from bot import db
from bot.models import Borrower, Dealer, Dispute, Payment, Plan
from tests.conversations.helpers import escalation_reasons, rows
from tests.support.sms import Phone


def succeeded(intents) -> list[int]:
    return [pi.amount for pi in intents() if pi.status == "succeeded"]


@pytest.mark.parametrize("text", ["pay 0", "pay -50", "pay 50.999", "pagar -20"])
def test_an_amount_no_one_can_pay_gets_how_much_and_stores_nothing(world, stripe_intents, text):
    reply = world.phone.say(text)
    assert "How much would you like to pay?" in reply or "Cuanto le gustaria pagar?" in reply
    assert "$250.00" not in reply and "$1,200.00" not in reply  # never a default offer
    world.phone.say("yes")
    assert rows(Payment) == []
    assert stripe_intents() == []


def test_fifty_cents_is_below_the_minimum_and_asks_for_more(world, stripe_intents):
    reply = world.phone.say("pay $.50")
    assert "smallest payment we can take by text is $10.00" in reply
    assert "Reply PAY and an amount" in reply
    assert "$250.00" not in reply
    assert rows(Payment) == []


def test_an_invalid_amount_leaves_the_open_prompt_alone(world):
    world.phone.say("pay 50")
    assert "How much would you like to pay?" in world.phone.say("pay 0")
    assert [(p.amount_cents, p.status) for p in rows(Payment)] == [(5000, "pending")]


@pytest.mark.parametrize(("text", "offer"), [
    ("pay two fifty", "$250.00"), ("can i pay two fifty five", "$255.00"),
    ("pay a hundred and twenty", "$120.00"), ("I can pay $1,150.50 today", "$1,150.50"),
])  # fmt: skip
def test_amounts_as_people_say_them(make_world, text, offer):
    world = make_world(amount_due_cents=10000)  # the default offer would be $100.00
    assert f"You're paying {offer} with Visa ending 4242" in world.phone.say(text)


def test_spanish_thousands_and_decimals(make_world):
    world = make_world(language="es", amount_due_cents=10000)
    assert "Va a pagar $1,150.50" in world.phone.say("quiero pagar 1.150,50")


def test_half_is_half_the_amount_due_and_says_so(world, stripe_intents):
    offer = world.phone.say("can i pay half")
    assert "Half of the $250.00 due is $125.00" in offer
    assert "Reply YES to confirm" in offer
    assert "Payment received: $125.00" in world.phone.say("yes")
    assert succeeded(stripe_intents) == [12500]


def test_la_mitad(make_world):
    world = make_world(language="es")
    assert "La mitad de los $250.00 que vencen es $125.00" in world.phone.say(
        "puedo pagar la mitad")


def test_all_of_it_offers_the_whole_balance(world):
    assert "You're paying $1,200.00" in world.phone.say("all of it")


def test_an_amount_every_week_is_the_installment(make_world):
    world = make_world(amount_due_cents=10000)
    offer = world.phone.say("pay 25 every week")
    assert "4 payments of $25.00" in offer
    [plan] = rows(Plan)
    assert (plan.frequency, plan.total_cents, plan.installment_count) == ("weekly", 10000, 4)
    assert rows(Payment) == []  # a plan offer, not a $25 charge


def test_a_corrected_amount_replaces_the_pending_one(world, stripe_intents):
    assert "You're paying $50.00" in world.phone.say("pay 50")
    assert "You're paying $200.00" in world.phone.say("actually make it 200")
    assert "Payment received: $200.00" in world.phone.say("yes")
    assert "already went through" in world.phone.say("yes")
    assert succeeded(stripe_intents) == [20000]
    assert [(p.amount_cents, p.status) for p in rows(Payment)] == [
        (5000, "canceled"), (20000, "succeeded")]


@pytest.mark.parametrize("text", ["who is this", "lol who dis"])
def test_who_is_this_as_a_first_text_names_the_dealer_and_nothing_of_the_account(world, text):
    reply = world.phone.say(text)
    assert "Sunrise Auto" in reply
    assert "+15550100001" in reply  # how to confirm who they are
    assert "WRONG NUMBER" in reply
    assert "$" not in reply and "LN-" not in reply and "Dana" not in reply
    assert escalation_reasons() == []


def test_who_is_this_later_in_a_conversation_names_the_account_but_no_amount(world):
    world.phone.say("hi")
    reply = world.phone.say("who is this?")
    assert "This is Sunrise Auto" in reply
    assert f"LN-{world.borrower_id:04d}" in reply
    assert "$" not in reply


def test_quien_habla(make_world):
    world = make_world(language="es")
    reply = world.phone.say("quien habla")
    assert "Sunrise Auto" in reply and "llame al +15550100001" in reply
    assert "$" not in reply


def test_a_collection_agency_says_it_is_one(world):
    with db.session_scope() as session:
        session.get(Dealer, world.dealer_id).collector_mode = "third_party"
    reply = world.phone.say("who is this")
    assert "debt collector attempting to collect a debt" in reply
    assert "Reply STOP to opt out" in reply
    assert "$" not in reply


def test_who_is_this_from_a_number_we_do_not_know(world, client):
    reply = Phone(client, "+15557654321").say("who is this")
    assert "Sunrise Auto" in reply
    assert "$" not in reply and "LN-" not in reply


@pytest.mark.parametrize("text", [
    "text my wife that im running late", "delete the text from john",
    "bloquea ese número de spam", "<script>alert(1)</script>", "I'm not sure",
])  # fmt: skip
def test_unrelated_texts_change_nothing(world, text):
    reply = world.phone.say(text)
    assert "Payment" not in reply and "$" not in reply
    with db.session_scope() as session:
        borrower = session.get(Borrower, world.borrower_id)
        assert (borrower.opted_out, borrower.wrong_number) == (False, False)
    assert rows(Dispute) == [] and rows(Payment) == [] and escalation_reasons() == []


def test_an_unrelated_text_leaves_an_open_payment_prompt_waiting(world):
    world.phone.say("pay 50")
    reply = world.phone.say("what's the capital of peru")
    assert "I can only help with your Sunrise Auto account" in reply
    assert "Your payment of $50.00 is still waiting" in reply
    assert [(p.amount_cents, p.status) for p in rows(Payment)] == [(5000, "pending")]
