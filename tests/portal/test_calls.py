"""The call list: who needs a call and why, and logging a call's outcome, which
changes the account exactly as the same answer by text does."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot import db
from bot.clock import utcnow
from bot.collection import DISPUTE, PLAN, PROMISE, WRONG_NUMBER, pause_reason
from bot.console.call_list import call_list
from bot.messaging.outbound import SendRefused, send_sms
from bot.models import (
    Account,
    Borrower,
    CallLog,
    Dealer,
    Dispute,
    Escalation,
    Installment,
    Plan,
    Promise,
)
from tests.portal.support import escalate, token
from tests.support.clock import today


def _account(portal, name: str, phone: str, days_late: int, due_cents: int = 20000,
             **borrower: object) -> int:
    with db.session_scope() as session:
        person = Borrower(dealer_id=portal.world.dealer_id, name=name, phone=phone, **borrower)
        session.add(person)
        session.flush()
        account = Account(dealer_id=portal.world.dealer_id, borrower_id=person.id,
                          reference=f"C-{name.split()[0]}", balance_cents=900000,
                          amount_due_cents=due_cents,
                          due_date=today() - timedelta(days=days_late))
        session.add(account)
        session.flush()
        return account.id


def _ranked(portal) -> list[tuple[str, list[str]]]:
    with db.session_scope() as session:
        dealer = session.get(Dealer, portal.world.dealer_id)
        return [(c.account.reference, c.reasons) for c in call_list(session, dealer, utcnow())]


@pytest.mark.dates
def test_the_list_ranks_by_urgency_and_says_why(as_staff, portal):
    broke = _account(portal, "Leo Brown", "+15551230005", 20, due_cents=60000)
    hard = _account(portal, "Jordan Lee", "+15551230003", 2)
    late = _account(portal, "Pat Late", "+15551230008", 5)
    disputed = _account(portal, "Dee Spute", "+15551230009", 40)
    _account(portal, "Wren Wrong", "+15551230010", 40, wrong_number=True)
    with db.session_scope() as session:
        session.add(Promise(dealer_id=portal.world.dealer_id, account_id=broke, status="broken",
                            promised_date=today() - timedelta(days=3)))
        session.add(Dispute(dealer_id=portal.world.dealer_id, account_id=disputed, words="no"))
        hard_borrower = session.get(Account, hard).borrower_id
    escalate(portal.world.dealer_id, hard_borrower, hard, "hardship")
    ranked = _ranked(portal)
    assert [reference for reference, _ in ranked] == ["C-Leo", "C-Jordan", "C-Pat"]
    leo_reasons = ranked[0][1]
    assert leo_reasons[0].startswith("Broke a promise to pay on")
    assert "20 days late" in leo_reasons and "$600.00 at risk" in leo_reasons
    assert ranked[1][1] == ["Told us about hardship", "2 days late"]
    assert late  # Pat is late only: last
    page = as_staff.get("/portal/calls").get_data(as_text=True)
    assert page.index("Leo Brown") < page.index("Jordan Lee") < page.index("Pat Late")
    assert "Dee Spute" not in page and "Wren Wrong" not in page and "Olga" not in page
    assert "Told us about hardship" in page


def test_failed_installments_and_unanswered_reminders_raise_the_rank(portal):
    quiet = _account(portal, "Quinn Quiet", "+15551230011", 3)
    failing = _account(portal, "Fay Fail", "+15551230012", 3)
    with db.session_scope() as session:
        plan = Plan(dealer_id=portal.world.dealer_id, account_id=failing, status="active",
                    total_cents=20000, frequency="weekly", installment_count=2)
        plan.installments = [Installment(account_id=failing, sequence=1, amount_cents=10000,
                                         due_date=today(), status="failed", failures=2)]
        session.add(plan)
        from bot.models import Reminder

        for days in (1, 4):
            session.add(Reminder(dealer_id=portal.world.dealer_id, account_id=quiet,
                                 template="reminder_overdue", offset_days=days,
                                 due_date=today(), status="sent",
                                 sent_at=utcnow() - timedelta(days=days)))
    ranked = dict(_ranked(portal))
    assert ranked["C-Fay"][0] == "1 failed plan installment(s)"
    assert ranked["C-Quinn"][0] == "No reply to the last 2 reminders"


def _log(client, account_id: int, **form):
    return client.post(f"/portal/calls/{account_id}",
                       data={"csrf_token": token(client), **form})


def test_a_promise_by_phone_pauses_reminders_like_a_promise_by_text(as_staff, portal):
    account_id = _account(portal, "Leo Brown", "+15551230005", 10)
    day = today() + timedelta(days=5)
    response = _log(as_staff, account_id, outcome="promise", promised_date=day.isoformat(),
                    amount="150", note="gets paid Friday")
    assert response.status_code == 302
    with db.session_scope() as session:
        promise = session.query(Promise).filter_by(account_id=account_id).one()
        assert (promise.promised_date, promise.amount_cents, promise.status) == (day, 15000,
                                                                                "open")
        assert promise.words == "by phone: gets paid Friday"
        assert pause_reason(session, session.get(Account, account_id), today()) == PROMISE
        call = session.query(CallLog).one()
        assert (call.outcome, call.user_id) == ("promise", portal.staff_id)
    assert "C-Leo" not in dict(_ranked(portal))  # called: off the list for two days
    flashed = as_staff.get("/portal/calls").get_data(as_text=True)
    assert "Promise recorded: $150.00 on" in flashed


def test_a_call_resolves_the_escalations_its_outcome_answers(as_staff, portal):
    from bot.audit import entries

    world = portal.world
    answered = [escalate(world.dealer_id, world.borrower_id, world.account_id, reason)
                for reason in ("hardship", "human")]
    disputed = escalate(world.dealer_id, world.borrower_id, world.account_id, "dispute")
    day = today() + timedelta(days=3)
    _log(as_staff, world.account_id, outcome="promise", promised_date=day.isoformat())
    with db.session_scope() as session:
        assert [session.get(Escalation, e).status for e in answered] == ["resolved"] * 2
        assert session.get(Escalation, disputed).status == "open"  # a promise settles no dispute
        resolved = [e.details for e in entries(session, world.dealer_id, action="resolve")]
    assert len(resolved) == 2 and all("call: promised to pay" in d for d in resolved)
    assert "2 escalations answered by this call." in as_staff.get("/portal/calls").get_data(
        as_text=True)


def test_no_answer_answers_nothing(as_staff, portal):
    world = portal.world
    waiting = escalate(world.dealer_id, world.borrower_id, world.account_id, "human")
    _log(as_staff, world.account_id, outcome="no_answer")
    with db.session_scope() as session:
        assert session.get(Escalation, waiting).status == "open"


def test_a_promise_too_far_away_is_refused(as_staff, portal):
    account_id = _account(portal, "Leo Brown", "+15551230005", 10)
    far = (today() + timedelta(days=40)).isoformat()
    response = _log(as_staff, account_id, outcome="promise", promised_date=far)
    assert response.status_code == 400
    assert "at most 14 days away" in response.get_data(as_text=True)
    with db.session_scope() as session:
        assert session.query(Promise).count() == session.query(CallLog).count() == 0


def test_a_plan_by_phone_is_active_within_the_dealers_rules(as_staff, portal):
    account_id = _account(portal, "Pat Plan", "+15551230013", 1, due_cents=30000)
    response = _log(as_staff, account_id, outcome="plan", installments="3", frequency="weekly")
    assert response.status_code == 302
    with db.session_scope() as session:
        plan = session.query(Plan).filter_by(account_id=account_id).one()
        assert (plan.status, plan.frequency, plan.installment_count, plan.total_cents) == \
            ("active", "weekly", 3, 30000)
        assert [i.amount_cents for i in plan.installments] == [10000, 10000, 10000]
        assert pause_reason(session, session.get(Account, account_id), today()) == PLAN


def test_a_dispute_by_phone_pauses_collection_and_escalates(as_staff, portal):
    account_id = _account(portal, "Dee Spute", "+15551230009", 10)
    _log(as_staff, account_id, outcome="dispute", note="says the car was returned")
    with db.session_scope() as session:
        dispute = session.query(Dispute).filter_by(account_id=account_id).one()
        assert dispute.words == "by phone: says the car was returned"
        escalation = session.query(Escalation).filter_by(account_id=account_id).one()
        assert (escalation.reason, escalation.status) == ("dispute", "open")
        assert pause_reason(session, session.get(Account, account_id), today()) == DISPUTE


def test_a_wrong_number_by_phone_stops_every_text(as_staff, portal):
    account_id = _account(portal, "Wren Wrong", "+15551230010", 10)
    _log(as_staff, account_id, outcome="wrong_number")
    with db.session_scope() as session:
        account = session.get(Account, account_id)
        assert pause_reason(session, account, today()) == WRONG_NUMBER
        try:
            send_sms(session, account.borrower, "hello", kind="reminder_due")
            raise AssertionError("a wrong number must not be texted")
        except SendRefused as refused:
            assert refused.reason == "wrong_number"


def test_no_answer_records_only_the_call(as_staff, portal):
    account_id = _account(portal, "Nat Noanswer", "+15551230014", 10)
    _log(as_staff, account_id, outcome="no_answer", note="rang out")
    with db.session_scope() as session:
        assert session.query(CallLog).one().note == "rang out"
        assert session.query(Promise).count() == session.query(Dispute).count() == 0
        assert pause_reason(session, session.get(Account, account_id), today()) is None
