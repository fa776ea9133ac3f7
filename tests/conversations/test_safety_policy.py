"""Act only on what was clearly said: unrelated or vague texts change nothing, a short
question comes first, YES acts on the words it was about, NO leaves everything as it was."""

from __future__ import annotations

import pytest

from bot import db
from bot.models import (
    Borrower,
    ConversationState,
    Dispute,
    Escalation,
    Payment,
    PaymentClaim,
    Plan,
    Promise,
)
from tests.conversations.helpers import rows

UNRELATED = [
    "text my wife that im running late",
    "<script>alert(1)</script>",
    "I'm not sure",
    "why is the sky blue",
    "delete the text from john",
    "bloquea ese número de spam",
    "what's the speed of light in a vacuum",
    "can you order me a pizza",
]


def account_changes(world) -> dict:
    """Everything a text could have changed on Dana's account."""
    with db.session_scope() as session:
        borrower = session.get(Borrower, world.borrower_id)
        state = session.get(ConversationState, world.borrower_id)
        flags = (borrower.opted_out, borrower.wrong_number,
                 state.hardship_at if state else None)
    return {"flags": flags, **{model.__name__: len(rows(model)) for model in
                               (Dispute, Escalation, Payment, PaymentClaim, Plan, Promise)}}


UNCHANGED = {"flags": (False, False, None), "Dispute": 0, "Escalation": 0, "Payment": 0,
             "PaymentClaim": 0, "Plan": 0, "Promise": 0}


@pytest.mark.parametrize("text", UNRELATED)
def test_an_unrelated_text_changes_nothing_and_says_what_the_bot_can_do(world, text):
    reply = world.phone.say(text)
    assert account_changes(world) == UNCHANGED
    assert any(word in reply for word in ("PAY", "HELP", "PAGAR", "AYUDA"))


def test_a_clear_request_acts_at_once(world):
    reply = world.phone.say("please stop texting me")
    assert "unsubscribed" in reply
    assert account_changes(world)["flags"][0] is True


def test_a_vague_complaint_is_asked_about_first_and_yes_acts_on_its_words(world):
    asked = world.phone.say("that's not what we agreed")
    assert "Is something wrong with your bill?" in asked
    assert account_changes(world) == UNCHANGED
    acted = world.phone.say("yes")
    assert "paused payment reminders" in acted
    [dispute] = rows(Dispute)
    assert dispute.words == "that's not what we agreed"
    assert [e.reason for e in rows(Escalation)] == ["dispute"]


def test_no_to_a_clarifying_question_changes_nothing(world):
    asked = world.phone.say("things are hard")
    assert "Is something making it hard to pay right now?" in asked
    assert "nothing has changed" in world.phone.say("no")
    assert account_changes(world) == UNCHANGED


def test_a_clarifying_question_is_dropped_when_the_borrower_moves_on(world):
    world.phone.say("that's not what we agreed")
    assert "your balance is $1,200.00" in world.phone.say("what's my balance")
    assert "Is something wrong" not in world.phone.say("yes")
    assert account_changes(world) == UNCHANGED


def test_spanish_gets_the_question_in_spanish_and_si_acts(make_world):
    world = make_world(language="es")
    asked = world.phone.say("eso no es lo que acordamos")
    assert "¿Hay algo mal con su cuenta? Responda SI" in asked
    assert account_changes(world) == UNCHANGED
    world.phone.say("si")
    assert [d.words for d in rows(Dispute)] == ["eso no es lo que acordamos"]


def test_a_contact_preference_without_its_words_is_asked_about_and_no_changes_nothing(world):
    asked = world.phone.say("text me after work")
    assert "Do you want to change when or how we text you?" in asked
    assert "nothing has changed" in world.phone.say("no")
    with db.session_scope() as session:
        borrower = session.get(Borrower, world.borrower_id)
        assert (borrower.contact_window_start, borrower.contact_avoid_days) == (None, None)
    assert account_changes(world) == UNCHANGED
