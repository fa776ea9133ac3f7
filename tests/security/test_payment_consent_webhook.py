"""A hedged answer to "Reply YES to pay $50.00" never charges, through the signed webhook
and localstripe (issue 13, item 2; the decision itself: test_payment_consent.py)."""

from __future__ import annotations

import pytest

from tests.security.hedges import HEDGED, PROBE


@pytest.mark.parametrize("answer", PROBE)
def test_the_probes_answers_ask_the_question_again_and_charge_nothing(world, stripe_intents,
                                                                      answer):
    assert "Reply YES" in world.phone.say("pay 50")
    again = world.phone.say(answer)
    assert "$50.00" in again and "Reply YES" in again
    assert stripe_intents() == []


@pytest.mark.parametrize("answer", HEDGED)
def test_no_hedged_answer_charges(world, stripe_intents, answer):
    """Each may be asked again, answered, or taken as another request; none charges."""
    world.phone.text("pay 50")
    assert "Payment received" not in world.phone.say(answer)
    assert stripe_intents() == []


def test_after_asking_again_an_unconditional_yes_charges_once(world, stripe_intents):
    world.phone.text("pay 50")
    world.phone.text("sure?")
    assert "Payment received" in world.phone.say("yes please")
    assert [intent.amount for intent in stripe_intents()] == [5000]
