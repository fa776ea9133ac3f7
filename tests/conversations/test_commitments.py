"""One source of truth for what the borrower agreed to: disputes, plans and promises never
pile up unmentioned, and the balance reply states them all."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.models import Installment, Plan, Promise
from bot.nlu.dates import resolve_date
from tests.conversations.helpers import local_moment, rows, run_due_at


def _plan_of_three(world) -> list[Installment]:
    world.phone.say("can I split it into 3")
    assert "You're all set" in world.phone.say("yes")
    return rows(Installment)


def test_every_money_question_during_a_dispute_says_it_is_still_open(world):
    world.phone.say("I don't owe this, the amount is wrong")
    pay = world.phone.say("pay 50")
    assert "dispute about" in pay and "still open" in pay
    assert "Reply YES to confirm" in pay  # the borrower may still choose to pay
    world.phone.say("no")
    plan = world.phone.say("can I split it into 3")
    assert "still open" in plan and "Reply YES to set it up" in plan
    world.phone.say("no")
    promise = world.phone.say("I get paid friday, I'll pay then")
    assert "still open" in promise and "We've noted you'll pay" in promise


@pytest.mark.dates
def test_a_promise_during_a_plan_moves_the_next_payment_instead_of_running_beside_it(
        world, clock):
    first, *_ = _plan_of_three(world)
    friday = resolve_date("friday", clock.today())
    reply = world.phone.say("I get paid friday")
    assert "We've moved your plan payment of $83.34" in reply
    assert rows(Promise) == []  # no second commitment beside the plan
    moved = rows(Installment)[0]
    assert (moved.id, moved.next_attempt_on, moved.amount_cents) == (first.id, friday, 8334)


def test_a_smaller_promise_during_a_plan_splits_the_next_payment(world):
    before = _plan_of_three(world)
    reply = world.phone.say("I can pay $30 on friday")
    assert "We'll charge $30.00 on" in reply and "the other $53.34 is now a last plan" in reply
    after = rows(Installment)
    assert len(after) == 4 and sum(i.amount_cents for i in after) == \
        sum(i.amount_cents for i in before) == 25000
    assert after[0].amount_cents == 3000 and after[-1].amount_cents == 5334
    assert after[-1].due_date == before[-1].due_date + timedelta(days=14)


def test_a_plan_replaces_an_open_promise_and_says_so(world):
    world.phone.say("I get paid friday, I'll pay then")
    offer = world.phone.say("can I split it into 3")
    assert "This plan would replace your promise to pay $250.00" in offer
    world.phone.say("yes")
    [promise] = rows(Promise)
    assert promise.status == "canceled"
    assert [p.status for p in rows(Plan)] == ["active"]


def test_the_balance_reply_states_every_open_commitment(world):
    _plan_of_three(world)
    world.phone.say("I already paid")
    world.phone.say("yesterday at the lot, cash")
    reply = world.phone.say("what's my balance")
    assert "your balance is $1,200.00" in reply
    assert "Your next plan payment: $83.34" in reply
    assert "We're checking the payment you told us about" in reply
    world.phone.say("that amount is wrong, I don't owe this")
    disputed = world.phone.say("what's my balance")
    assert "It's under review" in disputed
    assert "plan payments are on hold" in disputed
    assert "Your next plan payment" not in disputed


def test_no_plan_payment_is_charged_while_a_dispute_is_open(world, stripe_intents):
    first, *_ = _plan_of_three(world)
    world.phone.say("that amount is wrong, I don't owe this")
    run_due_at(local_moment(first.due_date, 12))
    assert stripe_intents() == []
    assert rows(Installment)[0].status == "scheduled"
