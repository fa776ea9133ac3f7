"""A dealer's realistic day, for screenshots: escalations of every kind, a held
conversation, plans, promises, payments and reminders over the last two weeks."""

from __future__ import annotations

from datetime import date, timedelta

from bot import consent, db
from bot.audit import Actor
from bot.clock import utcnow
from bot.console.takeover import take_over
from bot.escalations import open_escalation
from bot.models import (
    Account,
    Borrower,
    Dealer,
    Dispute,
    Installment,
    LedgerEntry,
    Message,
    Payment,
    Plan,
    Promise,
    Reminder,
)
from bot.wording.catalog import reply
from tests.support.clock import today as clock_today

PEOPLE = (
    # name, phone, language, reference, balance, due, days until due
    ("Miguel Torres", "+15551230002", "es", "LN-1002", 340000, 30000, -3),
    ("Jordan Lee", "+15551230003", "en", "LN-1003", 80000, 15000, -12),
    ("Priya Shah", "+15551230004", "en", "LN-1004", 150000, 45000, -4),
    ("Leo Brown", "+15551230005", "en", "LN-1005", 610000, 62000, -41),
    ("Ana Gómez", "+15551230006", "es", "LN-1006", 90000, 20000, 5),
    ("Chris Park", "+15551230007", "en", "LN-1007", 220000, 0, 20),
)


def _text(session, borrower: Borrower, body: str, author: str, minutes_ago: int,
          kind: str = "reply") -> None:
    session.add(Message(dealer_id=borrower.dealer_id, borrower_id=borrower.id,
                        direction="inbound" if author == "borrower" else "outbound",
                        author=author, kind=kind, body=body, status="received",
                        created_at=utcnow() - timedelta(minutes=minutes_ago)))


def _people(session, dealer: Dealer, today: date) -> dict[str, tuple[Borrower, Account]]:
    made = {}
    for name, phone, language, reference, balance, due, days in PEOPLE:
        borrower = Borrower(dealer_id=dealer.id, name=name, phone=phone, language=language)
        session.add(borrower)
        session.flush()
        account = Account(dealer_id=dealer.id, borrower_id=borrower.id, reference=reference,
                          balance_cents=balance, amount_due_cents=due,
                          due_date=today + timedelta(days=days), card_brand="Visa",
                          card_last4=str(4242 + len(made)))
        session.add(account)
        session.flush()
        consent.given(session, borrower, consent.IMPORT, "signed retail installment contract")
        made[name.split()[0]] = (borrower, account)
    return made


def _history(session, dealer: Dealer, accounts: list[Account], today: date) -> None:
    """Payments and reminders over the last 30 days, for the dashboard."""
    now = utcnow()
    for day in range(30):
        moment = now - timedelta(days=day, hours=2)
        for index, account in enumerate(accounts[: 1 + day % 4]):
            cents = 5000 + 2500 * ((day + index) % 5)
            payment = Payment(dealer_id=dealer.id, account_id=account.id, amount_cents=cents,
                              status="succeeded", created_at=moment)
            session.add(payment)
            session.flush()
            session.add(LedgerEntry(account_id=account.id, payment_id=payment.id, kind="payment",
                                    amount_cents=-cents, balance_after_cents=account.balance_cents,
                                    created_at=moment))
        for index, account in enumerate(accounts):
            template = ("reminder_upcoming", "reminder_due", "reminder_overdue")[index % 3]
            sent = moment - timedelta(hours=3, minutes=index)
            session.add(Reminder(dealer_id=dealer.id, account_id=account.id, template=template,
                                 offset_days=-day - 100 * index, due_date=today, status="sent",
                                 language="en", sent_at=sent))
            if (day * 3 + index) % 11 == 0:
                _text(session, account.borrower, "ok thanks", "borrower",
                      int((now - sent).total_seconds() // 60) - 30)


def seed_showcase(dealer_id: int, dana_borrower_id: int, dana_account_id: int,
                  staff: Actor) -> dict[str, int]:
    """Fill the dealer's books; returns the ids the screenshots open."""
    today = clock_today()
    with db.session_scope() as session:
        dealer = session.get(Dealer, dealer_id)
        dealer.quick_replies = ["Hi {first_name}, this is the Sunrise team.",
                                "You can pay {amount_due} by replying PAY.",
                                "I've paused reminders while we look into this."]
        people = _people(session, dealer, today)
        dana = session.get(Borrower, dana_borrower_id)
        dana_account = session.get(Account, dana_account_id)
        dana_account.card_brand, dana_account.card_last4 = "Visa", "4242"
        _text(session, dana, "Hi Dana, a reminder: $250.00 is due Friday for LN-0001. "
              "Reply PAY to pay with your card on file. Reply STOP to opt out.", "bot", 95,
              "reminder_upcoming")
        _text(session, dana, "i was charged a late fee last month, can someone explain?",
              "borrower", 40)
        _text(session, dana, "Thanks, a person will text you back within the hour.", "bot", 39)
        held = open_escalation(session, dealer_id=dealer_id, borrower_id=dana.id,
                               account_id=dana_account_id, reason="human",
                               detail="can someone explain the late fee?")
        held.created_at = utcnow() - timedelta(minutes=39)
        session.flush()
        take_over(session, held, actor=staff)
        _text(session, dana, "Hi Dana, this is Sam at Sunrise. Let me look at that fee.", "staff",
              0)

        miguel, miguel_account = people["Miguel"]
        _text(session, miguel, "ese monto está mal, ya pagué en la oficina", "borrower", 130)
        session.add(Dispute(dealer_id=dealer_id, account_id=miguel_account.id,
                            words="ese monto está mal, ya pagué en la oficina"))
        late = open_escalation(session, dealer_id=dealer_id, borrower_id=miguel.id,
                               account_id=miguel_account.id, reason="dispute",
                               detail="ese monto está mal")
        late.created_at = utcnow() - timedelta(minutes=128)
        _text(session, miguel, "¿y entonces qué hago?", "borrower", 60)
        confused = open_escalation(session, dealer_id=dealer_id, borrower_id=miguel.id,
                                   account_id=miguel_account.id, reason="fallback",
                                   detail="¿y entonces qué hago?")
        confused.created_at = utcnow() - timedelta(minutes=59)

        jordan, jordan_account = people["Jordan"]
        _text(session, jordan, "I lost my job last week, I can't pay right now", "borrower", 25)
        hardship = open_escalation(session, dealer_id=dealer_id, borrower_id=jordan.id,
                                   account_id=jordan_account.id, reason="hardship",
                                   detail="I lost my job last week")
        hardship.created_at = utcnow() - timedelta(minutes=24)

        priya, priya_account = people["Priya"]
        plan = Plan(dealer_id=dealer_id, account_id=priya_account.id, status="active",
                    total_cents=45000, frequency="biweekly", installment_count=3,
                    accepted_at=utcnow() - timedelta(days=20))
        plan.installments = [
            Installment(account_id=priya_account.id, sequence=1, amount_cents=15000,
                        due_date=today - timedelta(days=18), status="paid"),
            Installment(account_id=priya_account.id, sequence=2, amount_cents=15000,
                        due_date=today - timedelta(days=4), status="failed", failures=2),
            Installment(account_id=priya_account.id, sequence=3, amount_cents=15000,
                        due_date=today + timedelta(days=10)),
        ]
        session.add(plan)
        failed = open_escalation(session, dealer_id=dealer_id, borrower_id=priya.id,
                                 account_id=priya_account.id, reason="failed_installment",
                                 detail="installment 2 of 3 declined twice")
        failed.created_at = utcnow() - timedelta(minutes=8)

        _leo, leo_account = people["Leo"]
        session.add(Promise(dealer_id=dealer_id, account_id=leo_account.id,
                            promised_date=today - timedelta(days=6), amount_cents=62000,
                            status="broken", words="I get paid friday",
                            settled_at=utcnow() - timedelta(days=5)))
        for days_ago in (3, 9, 16):
            session.add(Promise(dealer_id=dealer_id, account_id=people["Chris"][1].id,
                                promised_date=today - timedelta(days=days_ago),
                                amount_cents=20000, status="kept", words="friday",
                                settled_at=utcnow() - timedelta(days=days_ago)))
        ana = people["Ana"][0]
        consent.revoke(session, ana, consent.KEYWORD, "STOP",
                       confirmation=reply("opted_out", "es", dealer=dealer.name))
        accounts = [session.get(Account, dana_account_id)] + [a for _, a in people.values()]
        _history(session, dealer, accounts, today)
        return {"held": held.id, "dispute": late.id, "account": dana_account_id,
                "priya": priya_account.id}
