"""Two requests in one text: both are answered, and only one YES/NO is ever open."""

from __future__ import annotations

from bot.models import Payment, Plan
from tests.conversations.helpers import rows


def test_pay_and_what_is_left_after(world, stripe_intents):
    reply = world.phone.say("pay 100 and what do i owe after")
    assert "You're paying $100.00" in reply and "leaving $1,100.00 on the account" in reply
    assert "Payment received: $100.00" in world.phone.say("yes")
    assert [intent.amount for intent in stripe_intents()] == [10000]


def test_balance_and_a_plan(world):
    reply = world.phone.say("what's my balance and can I split it")
    assert "your balance is $1,200.00" in reply
    assert "Reply YES to set it up" in reply
    assert [p.status for p in rows(Plan)] == ["proposed"]


def test_a_plan_and_how_much_is_owed_puts_the_balance_first(world):
    reply = world.phone.say("can i split it in 3, how much do i owe?")
    assert reply.index("your balance is $1,200.00") < reply.index("Reply YES to set it up")


def test_balance_and_a_payment(world):
    reply = world.phone.say("whats my balance? i want to pay 50")
    assert "You're paying $50.00" in reply and "leaving $1,150.00" in reply


def test_a_new_card_and_a_payment_never_charges_the_old_card(world, stripe_intents):
    reply = world.phone.say("i got a new card and want to pay 100")
    assert "/secure/card/" in reply and "Once your new card is saved, reply PAY" in reply
    assert rows(Payment) == [] and stripe_intents() == []


def test_spanish_balance_and_plan(make_world):
    world = make_world(language="es")
    reply = world.phone.say("cuanto debo y puedo pagar en 3 partes")
    assert "su saldo es $1,200.00" in reply
    assert "Responda SI para activarlo" in reply
