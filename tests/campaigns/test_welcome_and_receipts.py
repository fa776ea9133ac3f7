"""Teaching borrowers the channel: the welcome text, and receipts that thank (and say
"on time")."""

from __future__ import annotations

from datetime import timedelta

from bot import db
from bot.campaigns.reminders import send_due_reminders
from bot.clock import utcnow
from bot.messaging.notices import text_receipt
from bot.models import Account, Payment, Reminder
from bot.payments.ledger import record_payment
from tests.campaigns.conftest import midday_zone


def test_an_account_created_by_the_api_is_welcomed_once(client, shop, twilio_fake):
    shop.update(timezone=midday_zone())
    payload = {"reference": "LN-1", "balance_cents": 120000, "amount_due_cents": 25000,
               "borrower": {"name": "Dana Reyes", "phone": "+15551230101", "language": "es"}}
    assert client.post("/api/v1/accounts", headers=shop.headers(), json=payload).status_code \
        == 201
    welcome = twilio_fake.bodies_to("+15551230101")
    assert len(welcome) == 1
    assert "le escribe Sunrise Auto sobre la cuenta LN-1" in welcome[0]
    assert "PAGAR, PLAN, SALDO, AYUDA" in welcome[0] and "STOP" in welcome[0]
    # A second account for the same phone: no second welcome.
    client.post("/api/v1/accounts", headers=shop.headers(), json={**payload, "reference": "LN-2"})
    assert send_due_reminders(db.new_session, utcnow()).skipped == {"already_welcomed": 1}
    assert len(twilio_fake.bodies_to("+15551230101")) == 1


def test_imported_accounts_are_welcomed_by_the_next_run_within_quiet_hours(client, shop,
                                                                          twilio_fake):
    rows = ["reference,name,phone,balance,timezone"]
    rows += [f"LN-{n},Borrower {n},+1555123{n:04d},100,America/New_York" for n in range(12)]
    client.post("/api/v1/accounts/import", headers={**shop.headers(),
                "Content-Type": "text/csv"}, data="\n".join(rows))
    assert twilio_fake.sent == []  # more than a handful: left to the worker or the next run
    now = utcnow()
    with db.session_scope() as session:
        session.query(Reminder).update({"send_after": now.replace(hour=2)})  # planned at night
    night = send_due_reminders(db.new_session, now.replace(hour=3))  # 22:00/23:00 New York
    assert night.as_json() == {"sent": 0, "skipped": {"quiet_hours": 12}}
    morning = send_due_reminders(db.new_session, now.replace(hour=15))
    assert morning.sent == 12 and len(twilio_fake.sent) == 12
    assert "Just reply to pay or ask: PAY, PLAN, BALANCE, HELP" in twilio_fake.sent[0]["Body"]
    assert send_due_reminders(db.new_session, now.replace(hour=16)).sent == 0


def _succeeded(account_id: int, cents: int) -> None:
    with db.session_scope() as session:
        account = session.get(Account, account_id)
        payment = Payment(dealer_id=account.dealer_id, account_id=account_id, amount_cents=cents,
                          status="processing", source="web", card_brand="Visa",
                          card_last4="4242")
        session.add(payment)
        session.flush()
        record_payment(session, payment)
        text_receipt(session, payment, account)


def test_receipts_thank_the_borrower_and_say_when_it_was_on_time(shop, twilio_fake):
    today = utcnow().date()
    on_time = shop.add_account("LN-1", "+15551230201", zone=midday_zone(),
                               due=today + timedelta(days=2))
    late = shop.add_account("LN-2", "+15551230202", zone=midday_zone(),
                            due=today - timedelta(days=3), language="es")
    _succeeded(on_time, 25000)
    _succeeded(late, 25000)
    first = twilio_fake.bodies_to("+15551230201")[0]
    assert first.startswith("Payment received: $250.00 with Visa ending 4242 toward LN-1.")
    assert "New balance: $950.00. Thank you for paying on time, Dana!" in first
    second = twilio_fake.bodies_to("+15551230202")[0]
    assert second.startswith("Pago recibido: $250.00 con su Visa terminada en 4242")
    assert "¡Gracias, Dana!" in second and "a tiempo" not in second
