"""The one open question per borrower, so that YES/NO always answers it.

Stored in the database (not in a Rasa slot) so every worker process agrees
on it and so an old question can expire.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from bot.clock import utcnow
from bot.models import ConversationState

PAYMENT_CONFIRMATION = "payment_confirmation"


def ask(session: Session, borrower_id: int, awaiting: str, ref: int | None,
        now: datetime | None = None) -> None:
    """Record that the bot just asked `awaiting` (about row `ref`)."""
    state = session.get(ConversationState, borrower_id)
    if state is None:
        state = ConversationState(borrower_id=borrower_id)
        session.add(state)
    state.awaiting = awaiting
    state.awaiting_ref = ref
    state.asked_at = now or utcnow()
    session.flush()


def open_question(session: Session, borrower_id: int) -> ConversationState | None:
    """The question the borrower has not answered yet, if any."""
    state = session.get(ConversationState, borrower_id)
    if state is None or state.awaiting is None:
        return None
    return state


def clear(session: Session, borrower_id: int) -> None:
    """The question was answered (or superseded): YES/NO now refer to nothing."""
    state = session.get(ConversationState, borrower_id)
    if state is not None:
        state.awaiting = None
        state.awaiting_ref = None
        session.flush()
