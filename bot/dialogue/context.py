"""Everything an action needs about the borrower behind a conversation.

The conversation id Rasa sees is the borrower's id; the account, dealer and
language come from the database at the start of every action.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from babel.dates import format_date
from sqlalchemy.orm import Session, joinedload

from bot.clock import utcnow
from bot.collection import primary_account
from bot.models import Account, Borrower, Dealer
from bot.money import format_cents, locale_for
from bot.wording.catalog import SUPPORTED_LANGUAGES, reply


@dataclass
class Turn:
    """One borrower message being answered: who, what they said, what we reply."""

    session: Session
    borrower: Borrower
    dealer: Dealer
    account: Account | None
    language: str
    text: str
    intent: str | None
    confidence: float
    entities: list[dict[str, Any]]
    now: datetime
    replies: list[str] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)

    def say(self, key: str, **values: object) -> None:
        """Queue the reply `key` in the borrower's language."""
        self.replies.append(self.render(key, **values))

    def render(self, key: str, **values: object) -> str:
        """The text of reply `key` in the borrower's language (not queued)."""
        return reply(key, self.language, **values)

    def owing_account(self) -> Account | None:
        """The account, if it has a balance; otherwise say why not and return None."""
        if self.account is None:
            self.say("no_account")
            return None
        if self.account.balance_cents <= 0:
            self.say("nothing_owed", reference=self.account.reference)
            return None
        return self.account

    def entity(self, name: str) -> Any:
        """The first value of an entity in this message, or None."""
        for entity in self.entities:
            if entity.get("entity") == name:
                return entity.get("value")
        return None

    def money(self, cents: int) -> str:
        """Cents shown in the dealer's currency and the borrower's locale."""
        return format_cents(cents, self.dealer.currency, self.language)

    def day(self, value: date) -> str:
        """A date the way the borrower reads it ("Dec 1" / "1 dic")."""
        pattern = "MMM d" if self.language == "en" else "d 'de' MMMM"
        return format_date(value, pattern, locale=locale_for(self.language))

    def card(self, brand: str | None = None, last4: str | None = None) -> str:
        """"Visa ending 4242" for the account's card (or the one given)."""
        account = self.account
        brand = brand or (account.card_brand if account else None) or "card"
        last4 = last4 or (account.card_last4 if account else None) or "----"
        return reply("card_phrase", self.language, brand=brand, last4=last4)


def _message_language(parse_data: dict, current: str) -> str:
    detected = parse_data.get("language")
    return detected if detected in SUPPORTED_LANGUAGES else current


def load_turn(session: Session, tracker: Any) -> Turn | None:
    """Build the Turn for a rasa_sdk Tracker; None if the borrower is unknown."""
    try:
        borrower = session.get(Borrower, int(tracker.sender_id),
                               options=[joinedload(Borrower.dealer)])
    except (TypeError, ValueError):
        return None
    if borrower is None:
        return None
    parse_data = tracker.latest_message or {}
    language = borrower.language
    if not borrower.language_chosen:
        # A borrower who writes in the other language is answered in it — unless they
        # chose their language ("only in Spanish": bot/contact_preferences.py).
        language = _message_language(parse_data, borrower.language)
        borrower.language = language
    return Turn(
        session=session,
        borrower=borrower,
        dealer=borrower.dealer,
        account=primary_account(session, borrower),
        language=language,
        text=parse_data.get("text") or "",
        intent=(parse_data.get("intent") or {}).get("name"),
        confidence=float((parse_data.get("intent") or {}).get("confidence") or 0.0),
        entities=list(parse_data.get("entities") or []),
        now=utcnow(),
    )
