"""Helpers for portal tests: users, a second dealer, logging in with CSRF tokens."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from functools import cache

from werkzeug.security import generate_password_hash

from bot import db
from bot.dealers import create_dealer
from bot.escalations import open_escalation
from bot.models import Account, Borrower, EscalationReason, User
from bot.web.portal.helpers import session_id
from tests.support.clock import today

PASSWORD = "correct horse battery staple"
_TOKEN = re.compile(r'name="csrf-token" content="([^"]+)"|name="csrf_token" value="([^"]+)"')


@cache
def _password_hash() -> str:
    # scrypt is slow on purpose; hashing once keeps a hundred tests quick.
    return generate_password_hash(PASSWORD)


def add_user(dealer_id: int, email: str, role: str, name: str | None = None) -> int:
    """A login for a dealer (password PASSWORD). `create_user` itself is tested on its own."""
    with db.session_scope() as session:
        user = User(dealer_id=dealer_id, email=email, role=role, password_hash=_password_hash(),
                    name=name or email.split("@")[0].title())
        session.add(user)
        session.flush()
        return user.id


def sign_in(client, user_id: int) -> None:
    """Start a logged-in session without the form (the form is tested in test_auth.py)."""
    with db.session_scope() as session:
        version = session.get(User, user_id).session_version
    with client.session_transaction() as session:
        session["_user_id"] = session_id(user_id, version)
        session["_fresh"] = True


def escalate(dealer_id: int, borrower_id: int, account_id: int | None,
             reason: str = EscalationReason.HUMAN, detail: str = "can I talk to a person") -> int:
    """Open an escalation as the bot would; its id."""
    with db.session_scope() as session:
        return open_escalation(session, dealer_id=dealer_id, borrower_id=borrower_id,
                               account_id=account_id, reason=reason, detail=detail).id


@dataclass
class OtherDealer:
    """A second dealer with its own key, user, borrower, account and escalation."""

    dealer_id: int
    api_key: str
    borrower_id: int
    account_id: int
    escalation_id: int
    admin_email: str = "boss@other.example"


def make_other_dealer() -> OtherDealer:
    """Everything of another tenant, to prove nothing of it is reachable."""
    with db.session_scope() as session:
        dealer, key = create_dealer(session, name="Other Motors", number="+15550199999")
        borrower = Borrower(dealer_id=dealer.id, name="Olga Other", phone="+15551239999")
        session.add(borrower)
        session.flush()
        account = Account(dealer_id=dealer.id, borrower_id=borrower.id, reference="OT-1",
                          balance_cents=50000, amount_due_cents=10000,
                          due_date=today() - timedelta(days=10))
        session.add(account)
        session.flush()
        ids = dealer.id, borrower.id, account.id
    escalation_id = escalate(ids[0], ids[1], ids[2], EscalationReason.DISPUTE, "not mine")
    other = OtherDealer(ids[0], key, ids[1], ids[2], escalation_id)
    add_user(other.dealer_id, other.admin_email, "admin")
    return other


def csrf_from(html: str) -> str:
    """The CSRF token embedded in a portal page."""
    match = _TOKEN.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1) or match.group(2)


def login(client, email: str, password: str = PASSWORD):
    """Log in through the form; returns the response (302 on success)."""
    token = csrf_from(client.get("/portal/login").get_data(as_text=True))
    return client.post("/portal/login", data={"email": email, "password": password,
                                              "csrf_token": token})


def token(client) -> str:
    """A CSRF token for the logged-in client's session."""
    return csrf_from(client.get("/portal/queue").get_data(as_text=True))


def auth(key: str) -> dict[str, str]:
    """The API's Authorization header."""
    return {"Authorization": f"Bearer {key}"}
