"""Handing a conversation to a person, and giving it back to the bot.

The bot opens escalations (dispute, hardship, a request for a person, ...);
staff take one over (the bot goes silent for that borrower), reply, and hand
it back (the bot answers again and the escalation is resolved). The console
and the REST API both call these functions.
"""

from __future__ import annotations

import logging

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.clock import utcnow
from bot.models import Escalation, EscalationStatus

log = logging.getLogger(__name__)

ACTIVE = (EscalationStatus.OPEN, EscalationStatus.TAKEN_OVER)


class EscalationConflict(Exception):
    """Someone else holds the conversation (`holder` says who)."""

    def __init__(self, holder: str | None) -> None:
        super().__init__(f"held by {holder or 'someone else'}")
        self.holder = holder


def open_escalation(session: Session, *, dealer_id: int, borrower_id: int,
                    account_id: int | None, reason: str, detail: str | None = None) -> Escalation:
    """Open an escalation, or return the borrower's active one with the same reason."""
    existing = session.execute(
        select(Escalation).where(Escalation.borrower_id == borrower_id,
                                 Escalation.reason == reason,
                                 Escalation.status.in_(ACTIVE))
    ).scalars().first()
    if existing is not None:
        if detail:
            existing.detail = detail
        return existing
    escalation = Escalation(dealer_id=dealer_id, borrower_id=borrower_id, account_id=account_id,
                            reason=reason, detail=detail, status=EscalationStatus.OPEN)
    session.add(escalation)
    session.flush()
    log.info("escalation %s opened: %s", escalation.id, reason)
    return escalation


def taken_over(session: Session, borrower_id: int) -> Escalation | None:
    """The escalation through which staff hold this borrower's conversation, if any."""
    return session.execute(
        select(Escalation).where(Escalation.borrower_id == borrower_id,
                                 Escalation.status == EscalationStatus.TAKEN_OVER)
    ).scalars().first()


def take_over(session: Session, escalation: Escalation, *, holder_name: str,
              holder_id: int | None = None) -> Escalation:
    """Staff take the conversation; the bot goes silent. Raises EscalationConflict
    when someone else already holds this borrower's conversation."""
    other = taken_over(session, escalation.borrower_id)
    if other is not None and other.holder_name != holder_name:
        raise EscalationConflict(other.holder_name)
    if escalation.status == EscalationStatus.RESOLVED:
        raise EscalationConflict(None)
    # Conditional so two people clicking at once cannot both win.
    result = session.execute(
        update(Escalation)
        .where(Escalation.id == escalation.id,
               (Escalation.status == EscalationStatus.OPEN)
               | (Escalation.holder_name == holder_name))
        .values(status=EscalationStatus.TAKEN_OVER, holder_name=holder_name,
                holder_id=holder_id, taken_at=utcnow(), updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    session.refresh(escalation)
    if result.rowcount != 1:
        raise EscalationConflict(escalation.holder_name)
    return escalation


def hand_back(session: Session, escalation: Escalation, note: str | None = None) -> Escalation:
    """The bot answers again and the escalation is resolved, keeping the note."""
    now = utcnow()
    escalation.status = EscalationStatus.RESOLVED
    escalation.resolved_at = now
    escalation.note = note
    session.flush()
    return escalation
