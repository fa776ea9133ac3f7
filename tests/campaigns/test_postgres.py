"""The campaign engine on the real PostgreSQL server: import, plan, send once, stats."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from bot import db
from bot.campaigns.imports import import_csv
from bot.campaigns.reminders import send_due_reminders
from bot.campaigns.stats import dealer_stats
from bot.dealers import create_dealer
from bot.migrate import upgrade
from bot.models import Dealer, Reminder
from bot.settings import set_settings
from tests.support.servers import scratch_database

pytestmark = pytest.mark.postgres

CSV = """reference,name,phone,balance,amount_due,due_date,timezone
LN-1,Dana Reyes,(212) 555-0101,"1,200.00",250.00,2026-12-01,America/New_York
LN-2,Luis Ortega,(310) 555-0102,980.00,98.00,2026-12-01,America/Los_Angeles
LN-3,Ana Ruiz,(310) 555-0103,500.00,50.00,2026-12-01,America/New_York
LN-4,Bad Phone,12345,1.00,1.00,2026-12-01,
"""


def test_a_campaign_on_postgresql(client, settings, twilio_fake):
    with scratch_database("textpay_campaign") as url:
        set_settings(settings.with_overrides(database_url=url))
        try:
            upgrade(url)
            with db.session_scope() as session:
                dealer, _ = create_dealer(session, name="Sunrise Auto", number="+15550100000")
                dealer.messages_per_second = 1000.0
                report = import_csv(session, dealer, CSV)
                dealer_id = dealer.id
            assert (report.created, [line for line, _ in report.errors]) == (3, [5])
            with db.session_scope() as session:  # welcomed long ago: only reminders here
                session.query(Reminder).update({"status": "sent",
                                                "sent_at": datetime(2026, 11, 1)})
            at = datetime(2026, 12, 1, 15)  # 10:00 New York, 7:00 Los Angeles
            first = send_due_reminders(db.new_session, at)
            assert first.as_json() == {"sent": 1, "skipped": {"quiet_hours": 1}}
            assert send_due_reminders(db.new_session, at).sent == 0
            later = send_due_reminders(db.new_session, datetime(2026, 12, 1, 18))
            assert later.sent == 2  # the deferred one at 8:00 there, and LA's own 10:00
            assert sorted(m["To"] for m in twilio_fake.sent) == [
                "+12125550101", "+13105550102", "+13105550103"]
            with db.session_scope() as session:
                stats = dealer_stats(session, session.get(Dealer, dealer_id), date(2026, 12, 1),
                                     date(2026, 12, 1))
            assert stats["reminders_sent"] == 3
        finally:
            set_settings(settings)
            db.configure(settings.database_url)
