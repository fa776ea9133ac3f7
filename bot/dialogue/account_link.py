"""The self-service page's link by text ("LINK", "menu", "my account", "ver mi cuenta").

A new single-use link each time it is asked for (each works once, for a day).
Sending it changes nothing on the account, so it needs no clarifying question;
but it shows the account to whoever opens it, so it only ever goes to the
borrower's own phone, in the reply to a text from that phone: never to a number
said to be the wrong one.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot.collection import primary_account
from bot.models import Borrower
from bot.payments import links
from bot.wording.catalog import reply


def link_reply(session: Session, borrower: Borrower, language: str | None = None) -> list[str]:
    """The reply carrying a fresh link to the borrower's page (none for a wrong number)."""
    if borrower.wrong_number:
        return []
    language = language or borrower.language
    account = primary_account(session, borrower)
    if account is None:
        return [reply("no_account", language)]
    url = links.create_link(session, links.SELF_SERVICE, account.id)
    return [reply("self_service_link", language, link=url)]
