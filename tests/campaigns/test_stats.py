"""Results: money from the ledger, replies, opt-outs, promises, plans, adoption, survey."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from bot import db
from bot.campaigns.stats import dealer_stats
from bot.models import (
    Account,
    Dealer,
    Escalation,
    Installment,
    LedgerEntry,
    Message,
    Payment,
    Plan,
    Promise,
    Reminder,
    SurveyResponse,
)
from bot.payments.ledger import record_payment


def pay(session, account_id: int, cents: int, at: datetime, source: str) -> None:
    account = session.get(Account, account_id)
    payment = Payment(dealer_id=account.dealer_id, account_id=account_id, amount_cents=cents,
                      status="processing", source=source)
    session.add(payment)
    session.flush()
    record_payment(session, payment)
    entry = session.query(LedgerEntry).filter_by(payment_id=payment.id).one()
    entry.created_at = payment.settled_at = at


def reminder(session, account_id: int, language: str, due: date, at: datetime) -> None:
    session.add(Reminder(dealer_id=session.get(Account, account_id).dealer_id,
                         account_id=account_id, template="reminder_due", offset_days=0,
                         due_date=due, language=language, status="sent", sent_at=at,
                         send_after=at))


def build_month(shop, clock) -> date:
    """Ten days of history that ended five days ago (New York days); returns its first day."""
    due = clock.today() - timedelta(days=15)

    def at(day: int, hour: int, minute: int = 0) -> datetime:
        return clock.local(due + timedelta(days=day), hour, minute=minute)

    ids = {"dana": shop.add_account("LN-1", "+12125550150", due=due),
           "luis": shop.add_account("LN-2", "+12125550151", due=due, language="es"),
           "ana": shop.add_account("LN-3", "+12125550152", due=due),
           "quiet": shop.add_account("LN-4", "+12125550153", due=due)}
    with db.session_scope() as session:
        for name, language in (("dana", "en"), ("luis", "es"), ("ana", "en")):
            reminder(session, ids[name], language, due, at(0, 10))
        dana = session.get(Account, ids["dana"])
        session.add(Message(dealer_id=shop.dealer_id, borrower_id=dana.borrower_id,
                            direction="inbound", author="borrower", body="pay",
                            created_at=at(0, 10, 20)))
        pay(session, ids["dana"], 25000, at(0, 10, 21), "sms")
        session.get(Account, ids["luis"]).borrower.opted_out_at = at(1, 9)
        pay(session, ids["ana"], 10000, at(9, 15), "web")
        pay(session, ids["quiet"], 5000, at(-1, 15), "sms")  # before the range
        session.add_all([
            Promise(dealer_id=shop.dealer_id, account_id=ids["ana"], promised_date=due,
                    status="kept", settled_at=at(4, 11)),
            Promise(dealer_id=shop.dealer_id, account_id=ids["quiet"], promised_date=due,
                    status="broken", settled_at=at(5, 11)),
            Escalation(dealer_id=shop.dealer_id, account_id=ids["quiet"], reason="dispute",
                       borrower_id=session.get(Account, ids["quiet"]).borrower_id,
                       created_at=at(2, 11)),
            SurveyResponse(dealer_id=shop.dealer_id, borrower_id=dana.borrower_id, score=4,
                           answered_at=at(0, 11)),
            SurveyResponse(dealer_id=shop.dealer_id, borrower_id=dana.borrower_id, score=5,
                           answered_at=at(7, 11)),
        ])
        for account, failures in ((ids["dana"], 0), (ids["luis"], 1)):
            plan = Plan(dealer_id=shop.dealer_id, account_id=account, status="active",
                        total_cents=20000, frequency="weekly", installment_count=2)
            session.add(plan)
            session.flush()
            session.add(Installment(plan_id=plan.id, account_id=account, sequence=1,
                                    due_date=due, amount_cents=10000, failures=failures))
    return due


@pytest.mark.dates
def test_stats_add_up_to_the_ledger_and_credit_the_reminders(client, shop, clock):
    first = build_month(shop, clock)
    last = first + timedelta(days=9)
    response = client.get(f"/api/v1/stats?from={first}&to={last}", headers=shop.headers())
    assert response.status_code == 200, response.json
    stats = response.json
    with db.session_scope() as session:
        ledger = session.query(LedgerEntry).filter(
            LedgerEntry.kind == "payment", LedgerEntry.created_at >= clock.local(first, 0),
            LedgerEntry.created_at < clock.local(last + timedelta(days=1), 0)).all()
    assert stats["collected_cents"] == -sum(e.amount_cents for e in ledger) == 35000
    assert stats["payments"] == len(ledger) == 2
    assert sum(day["collected_cents"] for day in stats["by_day"]) == stats["collected_cents"]
    assert len(stats["by_day"]) == 10
    assert stats["by_day"][0] == {"date": first.isoformat(), "collected_cents": 25000,
                                  "payments": 1, "reminders_sent": 3, "replies": 1,
                                  "opt_outs": 1}
    assert stats["by_day"][9]["collected_cents"] == 10000  # 15:00 in New York, tenth day
    assert (stats["reminders_sent"], stats["replies"], stats["opt_outs"]) == (3, 1, 1)
    assert stats["reply_rate"] == stats["opt_out_rate"] == round(1 / 3, 4)
    due = stats["by_template"]["reminder_due"]
    assert (due["payments"], due["collected_cents"]) == (1, 25000)  # Ana paid 9 days later
    assert stats["by_language"]["en"] == {"sent": 2, "replies": 1, "reply_rate": 0.5,
                                          "opt_outs": 0, "opt_out_rate": 0.0, "payments": 1,
                                          "collected_cents": 25000}
    assert stats["by_language"]["es"]["opt_outs"] == 1
    # The promises were recorded today, after the range: none was made in it.
    assert stats["promises"] == {"made": 0, "kept": 1, "broken": 1, "kept_rate": 0.5}
    assert stats["plans"] == {"active": 2, "on_track": 1, "on_track_rate": 0.5}
    assert stats["escalations"] == {"opened": 1, "resolved": 0, "by_reason": {"dispute": 1}}
    assert stats["adoption"] == {"borrowers": 4, "ever_replied": 1, "ever_replied_share": 0.25,
                                 "payments_by_text": 1, "payments_by_text_share": 0.5}
    assert stats["survey"]["responses"] == 2 and stats["survey"]["average"] == 4.5


@pytest.mark.dates
def test_stats_default_to_the_dealers_last_thirty_local_days(client, shop, clock):
    response = client.get("/api/v1/stats", headers=shop.headers())
    days = [day["date"] for day in response.json["by_day"]]
    assert len(days) == 30
    assert days[-1] == clock.today().isoformat()  # New York's today, not UTC's


def test_stats_range_is_validated(client, shop):
    for query in ("from=2026-12-10&to=2026-12-01", "from=yesterday", "from=1900-01-01",
                  "from=2025-01-01&to=2026-12-31"):
        response = client.get(f"/api/v1/stats?{query}", headers=shop.headers())
        assert response.status_code == 400, query
        assert response.json["error"]["code"] == "invalid_request"


def test_an_empty_range_has_no_rates_rather_than_zeros(client, shop):
    with db.session_scope() as session:
        day = date(2026, 12, 1)
        stats = dealer_stats(session, session.get(Dealer, shop.dealer_id), day, day)
    assert stats["collected_cents"] == 0 and stats["reply_rate"] is None
    assert stats["by_day"] == [{"date": "2026-12-01", "collected_cents": 0, "payments": 0,
                                "reminders_sent": 0, "replies": 0, "opt_outs": 0}]
