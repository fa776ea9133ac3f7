"""arrange_plan: proposals within the dealer's rules, YES, and installments charged by run-due."""

from __future__ import annotations

from datetime import timedelta

import pytest
from dateutil.relativedelta import relativedelta

from bot import db
from bot.models import Dealer, Installment, Plan
from tests.conversations.helpers import escalation_reasons, local_moment, rows, run_due_at


@pytest.mark.dates
def test_split_in_three_proposes_a_concrete_biweekly_schedule(make_world, stripe_intents):
    world = make_world(amount_due_cents=30000)
    offer = world.phone.say("can I split it into 3")
    assert "3 payments of $100.00 on" in offer
    assert "with Visa ending 4242" in offer
    assert "Reply YES to set it up or NO to cancel" in offer
    first = world.account().due_date
    expected = [first + timedelta(days=14 * i) for i in range(3)]
    assert f"{expected[2]:%b} {expected[2].day}" in offer
    accepted = world.phone.say("yes")
    assert "You're all set" in accepted
    [plan] = rows(Plan)
    assert (plan.status, plan.frequency, plan.total_cents) == ("active", "biweekly", 30000)
    assert [i.due_date for i in rows(Installment)] == expected
    assert stripe_intents() == []  # nothing is charged before its date


@pytest.mark.dates
def test_installments_are_charged_once_on_their_date_with_notices(
        make_world, stripe_intents, twilio_fake):
    world = make_world(amount_due_cents=30000)
    world.phone.say("can I split it into 3")
    world.phone.say("yes")
    first = world.account().due_date
    run_due_at(local_moment(first - timedelta(days=1), 12))
    assert any("due tomorrow" in b for b in twilio_fake.bodies_to(world.phone.number))
    run_due_at(local_moment(first, 12))
    run_due_at(local_moment(first, 13))  # a second run the same day charges nothing more
    charged = [pi for pi in stripe_intents() if pi.status == "succeeded"]
    assert [pi.amount for pi in charged] == [10000]
    receipts = [b for b in twilio_fake.bodies_to(world.phone.number)
                if "$100.00" in b and "received" in b.lower()]
    assert len(receipts) == 1
    assert [i.status for i in rows(Installment)] == ["paid", "scheduled", "scheduled"]
    assert world.account().balance_cents == 110000


def test_a_failed_installment_retries_then_escalates(make_world, twilio_fake):
    world = make_world(card="4000000000000341", amount_due_cents=30000)
    world.phone.say("split it in 3 please")
    world.phone.say("yes")
    first = world.account().due_date
    run_due_at(local_moment(first, 12))
    assert any("try again tomorrow" in b for b in twilio_fake.bodies_to(world.phone.number))
    assert escalation_reasons() == []
    run_due_at(local_moment(first + timedelta(days=1), 12))
    assert escalation_reasons() == ["failed_installment"]
    assert rows(Plan)[0].status == "failed"
    assert [i.status for i in sorted(rows(Installment), key=lambda i: i.sequence)] == [
        "failed", "canceled", "canceled"]
    assert world.account().balance_cents == 120000


def test_a_request_outside_the_rules_gets_the_closest_plan_kindly(make_world):
    world = make_world(amount_due_cents=40000)
    offer = world.phone.say("can i pay it in 10 payments")
    assert "at most 4 parts" in offer
    assert "4 payments of $100.00" in offer


def test_fifty_a_week_until_paid(make_world):
    world = make_world(amount_due_cents=20000)
    offer = world.phone.say("can i do 50 a week until its paid")
    assert "4 payments of $50.00" in offer
    world.phone.say("yes")
    [plan] = rows(Plan)
    assert plan.frequency == "weekly"


def test_half_now_half_next_week_charges_the_first_half_at_once(make_world, stripe_intents):
    world = make_world(amount_due_cents=30000)
    offer = world.phone.say("can I pay half now and half next week")
    assert "2 payments of $150.00" in offer
    reply = world.phone.say("yes")
    assert "You're all set" in reply
    assert "Payment received: $150.00" in reply
    assert [pi.amount for pi in stripe_intents() if pi.status == "succeeded"] == [15000]


def test_a_counter_offer_replaces_the_proposal(make_world):
    world = make_world(amount_due_cents=40000)
    world.phone.say("can I split it in 2")
    counter = world.phone.say("can we do 4 payments instead")
    assert "4 payments of $100.00" in counter
    world.phone.say("yes")
    assert [p.status for p in rows(Plan)] == ["canceled", "active"]
    replaced, active = rows(Plan)
    assert {i.status for i in rows(Installment) if i.plan_id == replaced.id} == {"canceled"}
    assert {i.status for i in rows(Installment) if i.plan_id == active.id} == {"scheduled"}


def test_no_declines_the_plan(make_world):
    world = make_world()
    world.phone.say("payment plan?")
    assert "no plan was set up" in world.phone.say("no")
    assert [p.status for p in rows(Plan)] == ["canceled"]
    # Nothing of a declined plan still says it is coming (the account page shows these).
    assert {i.status for i in rows(Installment)} == {"canceled"}


def test_dealer_rules_bound_the_offer(make_world):
    world = make_world(amount_due_cents=30000)
    with db.session_scope() as session:
        dealer = session.query(Dealer).one()
        dealer.plan_frequencies = "monthly"
        dealer.plan_max_days = 90
    offer = world.phone.say("can I split it in 3")
    third = world.account().due_date + relativedelta(months=2)
    assert "3 payments of $100.00" in offer
    assert f"{third:%b} {third.day}" in offer
    world.phone.say("yes")
    assert rows(Plan)[0].frequency == "monthly"


def test_a_bare_number_while_a_plan_is_offered_is_a_counter_offer(make_world):
    world = make_world(amount_due_cents=40000)
    world.phone.say("can I split it in 2")
    assert "4 payments of $100.00" in world.phone.say("4?")


def test_the_worker_runs_run_due_from_the_job_queue(make_world, stripe_intents, settings):
    from rq import SimpleWorker

    from bot import jobs
    from bot.campaigns.money_runs import run_due_job
    from bot.settings import set_settings
    from tests.support.servers import REDIS_URL, redis_or_skip

    redis_or_skip()
    world = make_world(amount_due_cents=30000)
    world.phone.say("can I split it into 3")
    world.phone.say("yes")
    set_settings(settings.with_overrides(redis_url=REDIS_URL))
    try:
        queue = jobs.queue()
        queue.empty()
        queue.enqueue(run_due_job, local_moment(world.account().due_date, 12).isoformat())
        SimpleWorker([queue], connection=queue.connection).work(burst=True)
    finally:
        set_settings(settings)
    assert [pi.amount for pi in stripe_intents() if pi.status == "succeeded"] == [10000]
    assert [i.status for i in rows(Installment)] == ["paid", "scheduled", "scheduled"]


def test_a_yes_that_names_a_plan_with_nothing_waiting_offers_one(world):
    """'fine. PLAN' (found by texting the demo) used to get 'nothing is waiting'."""
    reply = world.phone.say("fine. PLAN")
    assert "payments of" in reply and "Reply YES to set it up" in reply
    world.phone.say("yes")
    [plan] = rows(Plan)
    assert plan.status == "active"


def test_a_plain_yes_with_nothing_waiting_changes_nothing(world, stripe_intents):
    reply = world.phone.say("yes")
    assert "payments of" not in reply and "You're paying" not in reply
    assert stripe_intents() == []
