"""Answers to the satisfaction survey ("How did we do? Reply 1-5").

A bare 1-5 sent back within two days, while the question is still the last
thing we said, is recorded by the inbound turn before the text reaches the
NLU (which would read "5" as an amount). Asking is a campaign's job
(bot/campaigns/survey.py).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.clock import utcnow
from bot.models import Borrower, Message, SurveyResponse

# Events older than this are not asked about any more; answers older are not counted.
ANSWER_WINDOW = timedelta(days=2)
_SCORE = re.compile(r"^\s*([1-5])\s*[.!]?\s*$")
THANKS = {"en": "Thank you for your feedback!", "es": "¡Gracias por su respuesta!"}


def _open_question(session: Session, borrower: Borrower, at: datetime) -> SurveyResponse | None:
    """The unanswered survey, if its question is recent and still the last thing we said."""
    survey = session.execute(
        select(SurveyResponse).where(SurveyResponse.borrower_id == borrower.id,
                                     SurveyResponse.score.is_(None),
                                     SurveyResponse.created_at >= at - ANSWER_WINDOW)
        .order_by(SurveyResponse.id.desc()).limit(1)
    ).scalar_one_or_none()
    if survey is None:
        return None
    last_outbound = session.execute(
        select(Message.id).where(Message.borrower_id == borrower.id,
                                 Message.direction == "outbound")
        .order_by(Message.id.desc()).limit(1)
    ).scalar_one_or_none()
    return survey if last_outbound == survey.message_id else None


def record_answer(session: Session, borrower: Borrower, body: str,
                  at: datetime | None = None) -> list[str] | None:
    """Record a bare 1-5 answering our survey and return the thanks; None if it is not one."""
    match = _SCORE.match(body or "")
    if match is None:
        return None
    at = at or utcnow()
    survey = _open_question(session, borrower, at)
    if survey is None:
        return None
    survey.score, survey.answered_at = int(match.group(1)), at
    session.flush()
    return [THANKS.get(borrower.language, THANKS["en"])]
