"""The one open question per borrower, so that YES/NO always answers it.

Stored in the database (not in a Rasa slot) so every worker process agrees
on it and so an old question can expire.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from bot.clock import utcnow
from bot.models import ConversationState
from bot.settings import get_settings

# Questions answered YES / NO.
PAYMENT_CONFIRMATION = "payment_confirmation"
PLAN_CONFIRMATION = "plan_confirmation"
CONFIRMATIONS = (PAYMENT_CONFIRMATION, PLAN_CONFIRMATION)
# Questions answered in the borrower's own words.
PAYMENT_DETAILS = "payment_details"  # "when and how did you pay?"
PROMISE_DATE = "promise_date"  # "what date can you pay?"
# "Is something wrong with your bill?": before acting on words that were not clear
# (bot/dialogue/safety.py); the intent follows the prefix.
CLARIFYING = "clarify:"


def ask(session: Session, borrower_id: int, awaiting: str, ref: int | None,
        now: datetime | None = None, text: str | None = None) -> None:
    """Record that the bot just asked `awaiting` (about row `ref`, or the words `text`)."""
    state = conversation_state(session, borrower_id)
    state.awaiting = awaiting
    state.awaiting_ref = ref
    state.awaiting_text = text
    state.asked_at = now or utcnow()
    session.flush()


def conversation_state(session: Session, borrower_id: int) -> ConversationState:
    """The borrower's state row, created on first use."""
    state = session.get(ConversationState, borrower_id)
    if state is None:
        state = ConversationState(borrower_id=borrower_id, fallback_count=0)
        session.add(state)
        session.flush()
    return state


def open_question(session: Session, borrower_id: int) -> ConversationState | None:
    """The question the borrower has not answered yet, if any."""
    state = session.get(ConversationState, borrower_id)
    if state is None or state.awaiting is None:
        return None
    return state


def is_fresh(question: ConversationState, now: datetime | None = None) -> bool:
    """Whether a question is recent enough to be answered (the confirmation TTL)."""
    ttl = timedelta(minutes=get_settings().confirmation_ttl_minutes)
    return question.asked_at is not None and question.asked_at >= (now or utcnow()) - ttl


def clear(session: Session, borrower_id: int) -> None:
    """The question was answered (or superseded): YES/NO now refer to nothing."""
    state = session.get(ConversationState, borrower_id)
    if state is not None:
        state.awaiting = None
        state.awaiting_ref = None
        state.awaiting_text = None
        session.flush()
