"""Someone else pays: helpers to open the payer page and submit it as a browser would."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from bot import db
from bot.models import Account, Dealer

LINK = re.compile(r"https://textpay\.test(/pay/\S+)")
CSRF = re.compile(rb'name="csrf_token" value="([^"]+)"')


def payer_path(reply: str) -> str:
    """The /pay/<token> path of the link in a reply (fails when there is none)."""
    found = LINK.search(reply)
    assert found, reply
    return found.group(1)


@dataclass
class PayerBrowser:
    """The person paying: opens the forwarded link and submits the form."""

    client: object

    def open(self, path: str):
        """GET the page."""
        return self.client.get(path)

    token: str = ""

    def pay(self, path: str, name: str, amount: str = "150.00",
            card: str = "4000056655665556"):
        """Open the page, then submit name, amount and a test card with the CSRF token of
        this browser's session (kept from the last page that had a form)."""
        found = CSRF.search(self.client.get(path).data)
        if found:
            self.token = found.group(1).decode()
        return self.client.post(path, data={"csrf_token": self.token, "payer_name": name,
                                            "amount": amount, "card": card})


@pytest.fixture
def payer(client) -> PayerBrowser:
    """A browser for the person paying."""
    return PayerBrowser(client)


@pytest.fixture
def approve_payers() -> Callable[[int, list[str]], None]:
    """Turn the dealer's approved-payers setting on, with these names on the account."""
    def approve(account_id: int, names: list[str]) -> None:
        with db.session_scope() as session:
            account = session.get(Account, account_id)
            session.get(Dealer, account.dealer_id).payers_must_be_approved = True
            account.approved_payers = names
    return approve
