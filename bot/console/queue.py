"""The escalation queue: open and held conversations, oldest first, with a response clock.

The clock runs from the moment the bot escalated until a person takes the
conversation over, and is judged against the dealer's response target.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.escalations import ACTIVE
from bot.models import Account, Borrower, Dealer, Escalation, EscalationStatus, Message

UNASSIGNED = "unassigned"
MINE = "mine"


@dataclass(frozen=True)
class QueueRow:
    """One escalation as the queue shows it."""

    escalation: Escalation
    borrower: Borrower
    account: Account | None
    last_text: Message | None
    waited_minutes: int
    target_minutes: int

    @property
    def overdue(self) -> bool:
        """Still waiting for a person past the dealer's response target."""
        return (self.escalation.status == EscalationStatus.OPEN
                and self.waited_minutes > self.target_minutes)


def _last_borrower_text(session: Session, borrower_id: int) -> Message | None:
    return session.execute(
        select(Message).where(Message.borrower_id == borrower_id,
                              Message.direction == "inbound")
        .order_by(Message.created_at.desc(), Message.id.desc()).limit(1)
    ).scalars().first()


def waited_minutes(escalation: Escalation, now: datetime) -> int:
    """Minutes from escalation to pick-up (or to now, while nobody has picked it up)."""
    end = escalation.taken_at if escalation.taken_at is not None else now
    return max(0, int((end - escalation.created_at).total_seconds() // 60))


def queue(session: Session, dealer: Dealer, now: datetime, *, reason: str | None = None,
          holder: str | None = None, user_id: int | None = None) -> list[QueueRow]:
    """Active escalations of a dealer, oldest first.

    `holder` filters: "unassigned" (nobody holds it), "mine" (held by `user_id`),
    or a holder's name as shown.
    """
    query = select(Escalation).where(Escalation.dealer_id == dealer.id,
                                     Escalation.status.in_(ACTIVE))
    if reason:
        query = query.where(Escalation.reason == reason)
    if holder == UNASSIGNED:
        query = query.where(Escalation.status == EscalationStatus.OPEN)
    elif holder == MINE:
        query = query.where(Escalation.holder_id == user_id,
                            Escalation.status == EscalationStatus.TAKEN_OVER)
    elif holder:
        query = query.where(Escalation.holder_name == holder,
                            Escalation.status == EscalationStatus.TAKEN_OVER)
    rows = []
    for escalation in session.execute(query.order_by(Escalation.created_at, Escalation.id)
                                      ).scalars():
        rows.append(QueueRow(
            escalation=escalation,
            borrower=session.get(Borrower, escalation.borrower_id),
            account=session.get(Account, escalation.account_id) if escalation.account_id else None,
            last_text=_last_borrower_text(session, escalation.borrower_id),
            waited_minutes=waited_minutes(escalation, now),
            target_minutes=dealer.response_target_minutes,
        ))
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
