"""Promises, disputes, "already paid", hardship, a person, wrong numbers, opt-out in words."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot import db
from bot.models import Borrower, Dealer, Dispute, PaymentClaim, Promise
from bot.nlu.dates import resolve_date
from tests.conversations.helpers import (
    escalation_reasons,
    local_moment,
    ordinal,
    paused_because,
    rows,
    run_due_at,
)


@pytest.mark.dates
def test_promise_is_recorded_confirmed_and_pauses_reminders(world, clock):
    reply = world.phone.say("I get paid friday, I'll pay then")
    friday = resolve_date("friday", clock.today())
    assert "We've noted you'll pay $250.00 on" in reply
    assert f"{friday:%b} {friday.day}" in reply
    [promise] = rows(Promise)
    assert (promise.promised_date, promise.amount_cents, promise.status) == (friday, 25000, "open")
    assert paused_because(world.account_id) == "promise"


@pytest.mark.dates
def test_promise_day_reminder_then_broken_promise_goes_to_staff(world, twilio_fake):
    world.phone.say("I can pay you tomorrow")
    promised = rows(Promise)[0].promised_date
    run_due_at(local_moment(promised, 7))  # too early in the morning
    assert twilio_fake.bodies_to(world.phone.number) == []
    run_due_at(local_moment(promised, 10))
    run_due_at(local_moment(promised, 11))
    reminders = [b for b in twilio_fake.bodies_to(world.phone.number) if "planned to pay" in b]
    assert len(reminders) == 1
    run_due_at(local_moment(promised + timedelta(days=1), 10))
    assert rows(Promise)[0].status == "broken"
    assert escalation_reasons() == ["broken_promise"]


def test_a_kept_promise_is_not_flagged(world):
    world.phone.say("i get paid friday")
    world.phone.say("pay 250")
    world.phone.say("yes")
    promised = rows(Promise)[0].promised_date
    run_due_at(local_moment(promised + timedelta(days=1), 10))
    assert rows(Promise)[0].status == "kept"
    assert escalation_reasons() == []


@pytest.mark.dates
def test_a_promise_too_far_out_gets_a_plan_instead(world, clock):
    far = clock.today() + timedelta(days=40)
    reply = world.phone.say(f"i can pay on {far:%B} {far.day}")
    assert "further out than we can hold" in reply
    assert "Reply YES to set it up" in reply
    assert rows(Promise) == []


@pytest.mark.dates
def test_promise_without_a_date_asks_for_it(world, clock):
    assert "What date" in world.phone.say("i will pay later, can you wait")
    day = clock.today() + timedelta(days=5)  # inside the dealer's 14-day hold
    reply = world.phone.say(f"the {ordinal(day.day)}")
    assert "We've noted you'll pay" in reply
    [promise] = rows(Promise)
    assert promise.promised_date == day


def test_dispute_captures_words_pauses_and_escalates(world):
    reply = world.phone.say("I don't owe this, the amount is wrong")
    assert "paused payment reminders" in reply
    assert "will contact you" in reply
    [dispute] = rows(Dispute)
    assert "amount is wrong" in dispute.words
    assert escalation_reasons() == ["dispute"]
    assert paused_because(world.account_id) == "dispute"
    balance = world.phone.say("what's my balance")
    assert "$1,200.00" in balance and "PAY" not in balance  # no payment prompts


def test_already_paid_asks_when_and_how_then_records_it(world):
    assert "When did you pay, and how" in world.phone.say("I already paid")
    reply = world.phone.say("last friday, cash at the dealership")
    assert "paused reminders for 5 days" in reply
    [claim] = rows(PaymentClaim)
    assert "cash" in claim.words
    assert escalation_reasons() == ["already_paid"]
    assert paused_because(world.account_id) == "already_paid"


def test_hardship_is_kind_offers_help_and_never_repeats_the_ask(world):
    first = world.phone.say("I lost my job last week")
    assert "sorry" in first.lower()
    assert "$" not in first  # no amounts, no pressure
    assert "PLAN" in first and "AGENT" in first
    again = world.phone.say("im in the hospital too")
    assert "PLAN" not in again
    assert escalation_reasons() == ["hardship"]


@pytest.mark.parametrize("text", ["I LOST MY JOB 2 WEEKS AGO AND CANT PAY RN",
                                  "PERDI MI TRABAJO Y NO PUEDO PAGAR ESTE MES"])
def test_hardship_in_capitals_is_still_hardship(world, text):
    reply = world.phone.say(text)
    assert "sorry" in reply.lower() or "siento" in reply.lower()
    assert "$" not in reply
    assert escalation_reasons() == ["hardship"]


def test_request_for_a_person_says_when(world):
    reply = world.phone.say("can I talk to a real person")
    assert "A person from Sunrise Auto will text or call you" in reply
    assert ("within the hour" in reply) or ("after we open" in reply)
    assert escalation_reasons() == ["human"]


def test_wrong_number_reveals_nothing_and_stops_all_texts(world):
    reply = world.phone.say("wrong number, I don't know who that is")
    assert "won't text this number again" in reply
    for secret in ("$", "LN-", "Dana", "Sunrise", "balance"):
        assert secret not in reply
    assert escalation_reasons() == ["wrong_number"]
    assert world.phone.text("hello?") == []
    assert paused_because(world.account_id) == "wrong_number"


def test_stop_texting_me_in_words_opts_out_like_stop(world):
    reply = world.phone.say("please stop texting me")
    assert "unsubscribed" in reply
    with db.session_scope() as session:
        assert session.query(Borrower).one().opted_out
    assert world.phone.text("what's my balance") == []


def test_a_collection_agency_discloses_itself_but_never_to_a_wrong_number(make_world):
    world = make_world()
    with db.session_scope() as session:
        session.query(Dealer).one().collector_mode = "third_party"
    balance = world.phone.say("what's my balance")
    assert "This is a communication from a debt collector." in balance
    assert "STOP" in balance
    wrong = world.phone.say("wrong number")
    assert "debt" not in wrong.lower()
