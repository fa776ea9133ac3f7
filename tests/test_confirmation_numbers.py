"""Confirmation numbers go only to payments that succeed, one after another per dealer:
a canceled prompt or a declined card uses no number; racing successes on PostgreSQL
get consecutive numbers; a transaction that rolls back gives its number back."""

from __future__ import annotations

import threading
import time

import pytest

from bot import db
from bot.dealers import create_dealer
from bot.migrate import upgrade
from bot.models import Account, Borrower, LedgerEntry, Payment
from bot.payments.ledger import record_payment
from bot.settings import set_settings
from tests.portal.support import make_other_dealer
from tests.support.servers import scratch_database


def codes(client, world, key: str) -> list[str | None]:
    answer = client.get("/api/v1/payments", query_string={"account_id": world.account_id},
                        headers={"Authorization": f"Bearer {key}"})
    return [p["confirmation"] for p in answer.json["payments"]]


def test_only_payments_that_succeed_are_numbered_and_without_gaps(client, make_world):
    dana = make_world()
    assert "Reply YES" in dana.phone.say("pay 50")
    dana.phone.say("no")  # canceled: no number
    assert "Reply YES" in dana.phone.say("pay 60")
    assert "TP000001" in dana.phone.say("yes")

    jordan = make_world(card="4000000000000341", phone="+15551230003")  # declines
    jordan.phone.say("pay")
    assert "TP0" not in jordan.phone.say("yes")

    dana.phone.say("pay 70")
    dana.phone.say("pay 75")  # replaces the pending 70: no number for it either
    assert "TP000002" in dana.phone.say("yes")
    assert codes(client, dana, dana.api_key) == [None, "TP000001", None, "TP000002"]
    assert codes(client, jordan, dana.api_key) == [None]


def test_each_dealer_counts_its_own(client, make_world):
    dana = make_world()
    dana.phone.say("pay 50")
    assert "TP000001" in dana.phone.say("yes")
    other = make_other_dealer()
    with db.session_scope() as session:
        payment = Payment(dealer_id=other.dealer_id, account_id=other.account_id,
                          amount_cents=1000, status="processing")
        session.add(payment)
        session.flush()
        record_payment(session, payment)
        assert payment.confirmation_code == "TP000001"


@pytest.mark.postgres
def test_concurrent_successes_on_postgresql_get_consecutive_numbers(client, settings):
    racers = 12
    with scratch_database("textpay_confirmations") as url:
        set_settings(settings.with_overrides(database_url=url))
        try:
            upgrade(url)
            payment_ids = _payments(racers + 1)
            barrier = threading.Barrier(racers + 1)
            errors: list[BaseException] = []

            def succeed(payment_id: int, keep: bool) -> None:
                try:
                    session = db.new_session()
                    barrier.wait(timeout=30)
                    payment = session.get(Payment, payment_id)
                    record_payment(session, payment)
                    time.sleep(0.05)  # hold the counter while the others queue up
                    session.commit() if keep else session.rollback()
                    session.close()
                except BaseException as error:
                    errors.append(error)

            # One of them fails after taking a number (its transaction rolls back).
            threads = [threading.Thread(target=succeed, args=(pid, n != 5))
                       for n, pid in enumerate(payment_ids)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=60)
            assert errors == []
            with db.session_scope() as session:
                numbers = sorted(n for (n,) in session.query(Payment.confirmation_number)
                                 if n is not None)
                assert numbers == list(range(1, racers + 1))  # no gap, no repeat
                assert session.query(LedgerEntry).count() == racers
                # The one that rolled back is still processing, unnumbered and unposted.
                assert session.get(Payment, payment_ids[5]).status == "processing"
                # Reported succeeded again (a webhook after the bot): posted and numbered once.
                again = session.get(Payment, payment_ids[0])
                given = again.confirmation_number
                assert record_payment(session, again) is False
                session.refresh(again)
                assert again.confirmation_number == given
            with db.session_scope() as session:
                assert sorted(n for (n,) in session.query(Payment.confirmation_number)
                              if n is not None) == list(range(1, racers + 1))
        finally:
            set_settings(settings)
            db.configure(settings.database_url)


def _payments(count: int) -> list[int]:
    """A dealer with one account and `count` claimed payments (processing)."""
    with db.session_scope() as session:
        dealer, _ = create_dealer(session, name="Sunrise Auto", number="+15550100000")
        borrower = Borrower(dealer_id=dealer.id, name="Dana Reyes", phone="+15551230001")
        session.add(borrower)
        session.flush()
        accounts = []
        for n in range(count):
            account = Account(dealer_id=dealer.id, borrower_id=borrower.id,
                              reference=f"LN-{n}", balance_cents=100000, amount_due_cents=0)
            session.add(account)
            accounts.append(account)
        session.flush()
        payments = [Payment(dealer_id=dealer.id, account_id=a.id, amount_cents=1000,
                            status="processing") for a in accounts]
        session.add_all(payments)
        session.flush()
        return [p.id for p in payments]
