"""A borrower objecting to what the bot has just done goes to a person with an apology,
and the objection is never read as a new request (found by texting the demo: "no i said
125 not 100" was asked "Did we text the wrong number?")."""

from __future__ import annotations

from bot import db
from bot.models import Borrower, Promise
from tests.conversations.helpers import escalation_reasons, rows

APOLOGY = "will check what we set up"


def test_correcting_a_promise_just_recorded_goes_to_a_person(world):
    world.phone.say("I get paid friday, I'll pay then")
    [promise] = rows(Promise)
    reply = world.phone.say("no i said 125 not 100. and the 11th not the 4th")
    assert "Sorry about that" in reply and APOLOGY in reply
    assert "wrong number" not in reply.lower()
    assert escalation_reasons() == ["human"]
    with db.session_scope() as session:
        assert not session.query(Borrower).one().wrong_number
    assert [(p.id, p.amount_cents) for p in rows(Promise)] == [(promise.id, promise.amount_cents)]


def test_a_spanish_complaint_right_after_a_charge_goes_to_a_person(make_world):
    world = make_world(language="es")
    world.phone.say("quiero pagar 80")
    assert "Pago recibido" in world.phone.say("sí")
    reply = world.phone.say("QUE?? yo dije el 15!! no hoy")
    assert reply.startswith("Disculpe.") and "para corregirlo" in reply
    assert escalation_reasons() == ["human"]


def test_the_same_words_with_nothing_just_done_are_read_as_usual(world):
    reply = world.phone.say("wait no i meant whats my balance")
    assert APOLOGY not in reply
    assert escalation_reasons() == []


def test_an_objection_long_after_is_read_as_usual(world, clock):
    world.phone.say("I get paid friday, I'll pay then")
    clock.advance(minutes=31)
    reply = world.phone.say("no i said 125 not 100")
    assert APOLOGY not in reply


def test_correcting_a_plan_still_on_offer_is_not_sent_to_a_person(world):
    world.phone.say("can I split it in 3")
    reply = world.phone.say("no i meant 4 payments")
    assert APOLOGY not in reply
    assert escalation_reasons() == []
