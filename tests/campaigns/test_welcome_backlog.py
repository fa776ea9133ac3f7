"""A request never sends a backlog of welcome texts (issue 13, item 9).

After an import too big to welcome inline (no queue configured), creating one
account by the API used to send the whole import's welcomes inside that HTTP
request. What a request sends is counted at the Twilio fake, so the test does
not depend on timing.
"""

from __future__ import annotations

from bot import db
from bot.campaigns.reminders import send_due_reminders
from bot.clock import utcnow
from tests.campaigns.conftest import midday_zone


def test_creating_an_account_after_a_big_import_sends_only_its_own_welcome(client, shop,
                                                                          twilio_fake):
    shop.update(timezone=midday_zone())
    zone = midday_zone()
    rows = ["reference,name,phone,balance,timezone"]
    rows += [f"LN-{n},Borrower {n},+1555123{n:04d},100,{zone}" for n in range(15)]
    imported = client.post("/api/v1/accounts/import", data="\n".join(rows),
                           headers={**shop.headers(), "Content-Type": "text/csv"})
    assert imported.json["created"] == 15
    assert twilio_fake.sent == []  # more than a handful: left to send-reminders
    payload = {"reference": "LN-NEW", "balance_cents": 120000, "amount_due_cents": 25000,
               "borrower": {"name": "Dana Reyes", "phone": "+15559870001", "language": "en"}}
    assert client.post("/api/v1/accounts", headers=shop.headers(), json=payload).status_code \
        == 201
    assert [message["To"] for message in twilio_fake.sent] == ["+15559870001"]
    # The backlog still goes, with the next run of send-reminders.
    assert send_due_reminders(db.new_session, utcnow()).sent == 15
