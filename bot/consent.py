"""The consent ledger: a record per phone number and dealer of when consent to texts was
given, by what source, and every revocation and restoration since — the exact inbound text
or source, the confirmation we sent, and when.

Under the FCC's revocation rule a borrower may revoke consent by any reasonable means;
this record is the dealer's proof that it was honoured. Every change of
`Borrower.opted_out` goes through `revoke` or `restore` here, so the flag and the ledger
never disagree. Entries are never changed or deleted: the ORM refuses it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.audit import Actor, append_only
from bot.clock import utcnow
from bot.models import Borrower, ConsentChange, ConsentEvent, Message, end_page_sessions

# How consent changed hands (`ConsentEvent.source`).
IMPORT = "import"  # a CSV import created the borrower
API = "api"  # POST /api/v1/accounts created the borrower
KEYWORD = "keyword"  # STOP / START and their variants, by text
WORDS = "words"  # "stop texting me", understood by the bot
CARRIER = "carrier"  # Twilio error 21610: the carrier says the number opted out
CALL = "call"  # staff recorded it after a phone call
PAGE = "page"  # the borrower's self-service page (contact preferences)
STAFF = "staff"  # support staff changed contact preferences in the console, for the borrower
SOURCE_LABELS = {
    IMPORT: "CSV import", API: "API", KEYWORD: "Keyword by text", WORDS: "Own words by text",
    CARRIER: "Carrier (Twilio 21610)", CALL: "Phone call (staff)",
    PAGE: "Self-service page", STAFF: "Staff (console)",
    "legacy": "Before the ledger",
}
NOT_STATED = "not stated"


class ConsentLedgerIsAppendOnly(RuntimeError):
    """Raised when code tries to change or delete a consent entry."""


append_only(ConsentEvent, ConsentLedgerIsAppendOnly, "consent entries")


def _entry(session: Session, borrower: Borrower, change: str, source: str,
           evidence: str | None, confirmation: str | None, actor: Actor | None,
           at: datetime | None, detail: str | None = None) -> ConsentEvent:
    entry = ConsentEvent(at=at or utcnow(), dealer_id=borrower.dealer_id,
                         borrower_id=borrower.id, phone=borrower.phone, change=change,
                         source=source, evidence=evidence, confirmation=confirmation,
                         actor=actor.label if actor else None, detail=detail)
    session.add(entry)
    return entry


def given(session: Session, borrower: Borrower, source: str,
          consent_source: str | None) -> ConsentEvent:
    """Record the consent a new borrower came with (`consent_source`: the dealer's words,
    e.g. "signed retail installment contract 2026-03-01"; None is recorded as not stated)."""
    return _entry(session, borrower, ConsentChange.GIVEN, source,
                  (consent_source or "").strip() or NOT_STATED, None, None, None)


def given_in_bulk(session: Session, dealer_id: int, borrowers: dict[str, int],
                  consent_sources: dict[str, str | None], source: str) -> None:
    """`given` for many new borrowers at once (an import): phone -> borrower id."""
    now = utcnow()
    session.add_all([
        ConsentEvent(at=now, dealer_id=dealer_id, borrower_id=borrower_id, phone=phone,
                     change=ConsentChange.GIVEN, source=source,
                     evidence=(consent_sources.get(phone) or "").strip() or NOT_STATED)
        for phone, borrower_id in borrowers.items()])


def revoke(session: Session, borrower: Borrower, source: str, evidence: str | None, *,
           confirmation: str | None = None, actor: Actor | None = None) -> ConsentEvent | None:
    """The borrower may no longer be texted; None when consent was already revoked."""
    if borrower.opted_out:
        return None
    now = utcnow()
    borrower.opted_out, borrower.opted_out_at = True, now
    # An open self-service page stops too, and stays stopped if they opt back in.
    end_page_sessions(session, borrower_id=borrower.id)
    return _entry(session, borrower, ConsentChange.REVOKED, source, evidence, confirmation,
                  actor, now)


def restore(session: Session, borrower: Borrower, source: str, evidence: str | None, *,
            confirmation: str | None = None) -> ConsentEvent | None:
    """The borrower texted START (or YES after STOP); None when they had not opted out."""
    if not borrower.opted_out:
        return None
    borrower.opted_out, borrower.opted_out_at = False, None
    return _entry(session, borrower, ConsentChange.RESTORED, source, evidence, confirmation,
                  None, None)


def preference_changed(session: Session, borrower: Borrower, source: str,
                       evidence: str | None, detail: str, *, confirmation: str | None = None,
                       actor: Actor | None = None) -> ConsentEvent:
    """Note a change of contact preferences (bot/contact_preferences.py): `detail` is
    what they are now ("window 18:00-21:00; avoid sat,sun")."""
    return _entry(session, borrower, ConsentChange.PREFERENCE, source,
                  (evidence or "").strip() or NOT_STATED, confirmation, actor, None, detail)


def history(session: Session, dealer_id: int, phone: str) -> list[ConsentEvent]:
    """Every entry for a phone number at a dealer, oldest first."""
    return list(session.execute(
        select(ConsentEvent).where(ConsentEvent.dealer_id == dealer_id,
                                   ConsentEvent.phone == phone)
        .order_by(ConsentEvent.at, ConsentEvent.id)).scalars())


def between(session: Session, dealer_id: int, start: datetime,
            end: datetime) -> list[ConsentEvent]:
    """A dealer's entries with `start <= at < end` (naive UTC), oldest first."""
    return list(session.execute(
        select(ConsentEvent).where(ConsentEvent.dealer_id == dealer_id,
                                   ConsentEvent.at >= start, ConsentEvent.at < end)
        .order_by(ConsentEvent.at, ConsentEvent.id)).scalars())


# Outbound statuses of a text that really left (or may have): not held back or refused.
_NOT_SENT = ("deferred", "canceled", "failed", "undelivered")


@dataclass(frozen=True)
class Honoured:
    """How revocations in a period were honoured: goal, no text after any of them."""

    revocations: int
    by_source: dict[str, int]
    sends_after: int  # texts we started after a revocation, while it stood
    longest_seconds: float  # from a revocation to the last text sent after it (0: none)


def _texts_after(session: Session, entry: ConsentEvent, until: datetime | None) -> list:
    """Texts we started to this borrower after a revocation (answers to their own texts,
    such as the STOP confirmation or a HELP reply, are not texts we started)."""
    query = select(Message.created_at).where(
        Message.dealer_id == entry.dealer_id, Message.to_number == entry.phone,
        Message.direction == "outbound", Message.in_reply_to_id.is_(None),
        Message.status.not_in(_NOT_SENT), Message.created_at > entry.at)
    if until is not None:
        query = query.where(Message.created_at < until)
    return list(session.execute(query).scalars())


def honoured(session: Session, dealer_id: int, start: datetime, end: datetime) -> Honoured:
    """Revocations with `start <= at < end` and any text we sent after them."""
    revoked = [e for e in between(session, dealer_id, start, end)
               if e.change == ConsentChange.REVOKED]
    by_source: dict[str, int] = {}
    sends, longest = 0, 0.0
    for entry in revoked:
        by_source[entry.source] = by_source.get(entry.source, 0) + 1
        texts = _texts_after(session, entry, _restored_after(session, entry))
        sends += len(texts)
        if texts:
            longest = max(longest, (max(texts) - entry.at).total_seconds())
    return Honoured(len(revoked), by_source, sends, longest)


def _restored_after(session: Session, entry: ConsentEvent) -> datetime | None:
    return session.execute(
        select(ConsentEvent.at).where(ConsentEvent.dealer_id == entry.dealer_id,
                                      ConsentEvent.phone == entry.phone,
                                      ConsentEvent.change == ConsentChange.RESTORED,
                                      ConsentEvent.at > entry.at)
        .order_by(ConsentEvent.at).limit(1)).scalar_one_or_none()
