"""A payment with a later day in it is a promise for that day, never a charge today
(found by texting the demo: "no, mejor le pago todo el 15" charged a $3,400 balance at
once). A charge prompt says "today", so a YES to it cannot mean another day."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.models import Payment, Promise
from tests.conversations.helpers import ordinal, rows


@pytest.mark.dates
def test_pay_100_on_a_later_day_is_a_promise_and_charges_nothing(world, clock, stripe_intents):
    later = clock.today() + timedelta(days=6)
    reply = world.phone.say(f"pay 100 on the {ordinal(later.day)}")
    assert f"We've noted you'll pay $100.00 on {later:%b} {later.day}" in reply
    assert "Reply YES" not in reply
    [promise] = rows(Promise)
    assert (promise.promised_date, promise.amount_cents) == (later, 10000)
    assert rows(Payment) == [] and stripe_intents() == []
    assert "Payment received" not in world.phone.say("yes")
    assert stripe_intents() == []


@pytest.mark.dates
def test_le_pago_todo_el_dia_is_a_promise_of_the_balance(make_world, clock, stripe_intents):
    world = make_world(language="es")
    later = clock.today() + timedelta(days=6)
    reply = world.phone.say(f"no, mejor le pago todo el {later.day}")
    assert "Anotamos que pagara $1,200.00" in reply  # GSM-7: no á
    [promise] = rows(Promise)
    assert (promise.promised_date, promise.amount_cents) == (later, 120000)
    assert "Pago recibido" not in world.phone.say("sí")
    assert stripe_intents() == []


@pytest.mark.parametrize("text", ["pay 100 today", "pay 100", "pay 100 now"])
def test_a_payment_today_is_offered_and_the_prompt_says_today(world, text):
    reply = world.phone.say(text)
    assert "You're paying $100.00 with Visa ending 4242 toward LN-" in reply
    assert "today. Reply YES to confirm" in reply
    assert rows(Promise) == []


def test_the_spanish_prompt_says_hoy(make_world):
    world = make_world(language="es")
    assert "a la cuenta LN-" in (reply := world.phone.say("quiero pagar 80"))
    assert " hoy." in reply
