"""Dealers and accounts for campaign tests, built straight in the database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from bot import db
from bot.dealers import create_dealer
from bot.models import Account, Borrower, Dealer
from tests.support.sms import DEALER_NUMBER


@dataclass
class Shop:
    """A dealer (texting fast enough that tests never wait on pacing) and its API key."""

    dealer_id: int
    api_key: str

    def headers(self) -> dict[str, str]:
        """The dealer API's Authorization header."""
        return {"Authorization": f"Bearer {self.api_key}"}

    def update(self, **values: object) -> None:
        """Change dealer settings (collector_mode, survey_enabled, ...)."""
        with db.session_scope() as session:
            dealer = session.get(Dealer, self.dealer_id)
            for name, value in values.items():
                setattr(dealer, name, value)

    def add_account(self, reference: str, phone: str, *, zone: str | None = None,
                    due: date | None = None, language: str = "en", name: str = "Dana Reyes",
                    amount_due_cents: int = 25000, balance_cents: int = 120000,
                    **borrower_flags: object) -> int:
        """An account (and its borrower); returns the account id."""
        with db.session_scope() as session:
            borrower = Borrower(dealer_id=self.dealer_id, name=name, phone=phone,
                                language=language, timezone=zone, **borrower_flags)
            session.add(borrower)
            session.flush()
            account = Account(dealer_id=self.dealer_id, borrower_id=borrower.id,
                              reference=reference, balance_cents=balance_cents,
                              amount_due_cents=amount_due_cents, due_date=due)
            session.add(account)
            session.flush()
            return account.id


def midday_zone() -> str:
    """An Etc/GMT zone where it is about noon right now: tests that must act at the real
    time (webhooks, API calls) stay clear of quiet hours."""
    from bot.clock import utcnow

    offset = max(-12, min(14, 12 - utcnow().hour))
    return "Etc/GMT" + (f"{-offset:+d}" if offset else "")


@pytest.fixture
def shop(client) -> Shop:
    """Sunrise Auto (New York, sends at 10:00), on an empty database."""
    with db.session_scope() as session:
        dealer, key = create_dealer(session, name="Sunrise Auto", number=DEALER_NUMBER,
                                    timezone="America/New_York", contact_phone="+15550100001")
        dealer.messages_per_second = 1000.0
        return Shop(dealer.id, key)


@pytest.fixture(scope="session")
def live_server(app):
    """The app served over HTTP on 127.0.0.1 (a real server, for schemathesis)."""
    from tests.support.live_server import live_server as serve

    with serve(app) as url:
        yield url
