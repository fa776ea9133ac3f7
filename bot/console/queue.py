"""The escalation queue: one row per borrower with open or held escalations, oldest first.

A borrower's escalations are one conversation: the row shows every open reason, the
oldest escalation's response clock, the borrower's latest text and who wrote last. The clock
runs from the moment the bot escalated until a person takes the conversation over,
and counts only the dealer's business hours (bot/business_hours.py); it is judged
against the dealer's response target.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from bot.business_hours import business_minutes
from bot.escalations import ACTIVE
from bot.models import Account, Borrower, Dealer, Escalation, EscalationStatus, Message

UNASSIGNED = "unassigned"
MINE = "mine"


@dataclass(frozen=True)
class QueueRow:
    """One borrower's conversation as the queue shows it."""

    escalations: list[Escalation]  # active ones, oldest first
    borrower: Borrower
    account: Account | None
    last_text: Message | None  # the borrower's latest text
    last_message: Message | None  # the conversation's latest message, whoever wrote it
    waited_minutes: int
    target_minutes: int

    @property
    def escalation(self) -> Escalation:
        """The escalation the row opens: the held one, else the oldest."""
        held = [e for e in self.escalations if e.status == EscalationStatus.TAKEN_OVER]
        return (held or self.escalations)[0]

    @property
    def reasons(self) -> list[str]:
        """Every active reason, in the order they came."""
        return list(dict.fromkeys(e.reason for e in self.escalations))

    @property
    def held(self) -> bool:
        """Someone holds the conversation."""
        return any(e.status == EscalationStatus.TAKEN_OVER for e in self.escalations)

    @property
    def holder_name(self) -> str | None:
        """Who holds it, if anyone."""
        return self.escalation.holder_name if self.held else None

    @property
    def overdue(self) -> bool:
        """Still waiting for a person past the dealer's response target."""
        return not self.held and self.waited_minutes > self.target_minutes


def waited_minutes(escalation: Escalation, dealer: Dealer, now: datetime) -> int:
    """Business-hours minutes from escalation to pick-up (or to now, while nobody has)."""
    end = escalation.taken_at if escalation.taken_at is not None else now
    return business_minutes(dealer.business_hours, dealer.timezone, escalation.created_at, end)


def _latest_messages(session: Session, borrower_ids: set[int],
                     *conditions: object) -> dict[int, Message]:
    """Each borrower's latest message (by time) matching `conditions`, in one query."""
    if not borrower_ids:
        return {}
    latest = (select(Message.borrower_id, func.max(Message.created_at).label("at"))
              .where(Message.borrower_id.in_(borrower_ids), *conditions)
              .group_by(Message.borrower_id).subquery())
    found: dict[int, Message] = {}
    for message in session.execute(
            select(Message).join(latest, and_(Message.borrower_id == latest.c.borrower_id,
                                              Message.created_at == latest.c.at))
            .where(*conditions).order_by(Message.id)).scalars():
        found[message.borrower_id] = message  # of two at the same moment, the later one
    return found


def _active(session: Session, dealer: Dealer, reason: str | None, holder: str | None,
            user_id: int | None) -> dict[int, list[Escalation]]:
    """The dealer's active escalations by borrower, for borrowers matching the filters."""
    rows = session.execute(
        select(Escalation).where(Escalation.dealer_id == dealer.id,
                                 Escalation.status.in_(ACTIVE))
        .order_by(Escalation.created_at, Escalation.id)).scalars()
    by_borrower: dict[int, list[Escalation]] = {}
    for escalation in rows:
        by_borrower.setdefault(escalation.borrower_id, []).append(escalation)

    def wanted(escalations: list[Escalation]) -> bool:
        held = [e for e in escalations if e.status == EscalationStatus.TAKEN_OVER]
        if reason and all(e.reason != reason for e in escalations):
            return False
        if holder == UNASSIGNED:
            return not held
        if holder == MINE:
            return bool(held) and held[0].holder_id == user_id
        if holder:
            return bool(held) and held[0].holder_name == holder
        return True

    return {b: es for b, es in by_borrower.items() if wanted(es)}


def queue(session: Session, dealer: Dealer, now: datetime, *, reason: str | None = None,
          holder: str | None = None, user_id: int | None = None) -> list[QueueRow]:
    """One row per borrower with active escalations, the longest waiting first.

    `reason` keeps borrowers with an active escalation of that reason; `holder`:
    "unassigned" (nobody holds it), "mine" (held by `user_id`), or a holder's name.
    """
    conversations = _active(session, dealer, reason, holder, user_id)
    borrowers = set(conversations)
    texts = _latest_messages(session, borrowers, Message.direction == "inbound")
    messages = _latest_messages(session, borrowers)
    rows = []
    for borrower_id, escalations in conversations.items():
        oldest = escalations[0]
        account_id = next((e.account_id for e in escalations if e.account_id), None)
        rows.append(QueueRow(
            escalations=escalations,
            borrower=session.get(Borrower, borrower_id),
            account=session.get(Account, account_id) if account_id else None,
            last_text=texts.get(borrower_id),
            last_message=messages.get(borrower_id),
            waited_minutes=waited_minutes(oldest, dealer, now),
            target_minutes=dealer.response_target_minutes,
        ))
    rows.sort(key=lambda row: (row.escalations[0].created_at, row.escalations[0].id))
    return rows


def holders(session: Session, dealer_id: int) -> list[str]:
    """Names of the people holding conversations now (for the queue's filter)."""
    return sorted(n for n in session.execute(
        select(Escalation.holder_name).where(Escalation.dealer_id == dealer_id,
                                            Escalation.status == EscalationStatus.TAKEN_OVER)
        .distinct()
    ).scalars() if n)


def active_escalation(session: Session, borrower_id: int) -> Escalation | None:
    """The borrower's held escalation, else the oldest open one (for the account page)."""
    rows = list(session.execute(
        select(Escalation).where(Escalation.borrower_id == borrower_id,
                                 Escalation.status.in_(ACTIVE)).order_by(Escalation.id)
    ).scalars())
    held = [e for e in rows if e.status == EscalationStatus.TAKEN_OVER]
    return (held or rows or [None])[0]
