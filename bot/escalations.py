"""Escalations as records: the bot opens them (dispute, hardship, a request for a
person, ...) and asks whether staff hold a conversation.

What staff do with them (take over, reply, hand back) is in
bot/console/takeover.py. Every change is announced to the live console once
the session commits.
"""

from __future__ import annotations

import logging

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import live_events
from bot.clock import utcnow
from bot.models import Account, Escalation, EscalationStatus

log = logging.getLogger(__name__)

ACTIVE = (EscalationStatus.OPEN, EscalationStatus.TAKEN_OVER)


def announce_change(session: Session, escalation: Escalation, action: str) -> None:
    """Live consoles show the escalation's new state once the session commits."""
    live_events.announce(session, escalation.dealer_id, live_events.ESCALATION, id=escalation.id,
                    action=action, account_id=escalation.account_id,
                    borrower_id=escalation.borrower_id, reason=escalation.reason,
                    status=escalation.status, holder=escalation.holder_name)


def open_escalation(session: Session, *, dealer_id: int, borrower_id: int,
                    account_id: int | None, reason: str, detail: str | None = None) -> Escalation:
    """Open an escalation, or return the borrower's active one with the same reason.

    While staff hold the borrower's conversation a new escalation joins it, held by the
    same person: the conversation has one state, whatever the number of reasons.
    """
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
    held = taken_over(session, borrower_id)
    if held is not None:
        escalation.status, escalation.taken_at = EscalationStatus.TAKEN_OVER, utcnow()
        escalation.holder_id, escalation.holder_name = held.holder_id, held.holder_name
    session.add(escalation)
    session.flush()
    announce_change(session, escalation, "opened")
    log.info("escalation %s opened: %s", escalation.id, reason)
    return escalation


def escalate_account(session: Session, account_id: int, reason: str,
                     detail: str | None = None) -> Escalation:
    """Open (or add to) an escalation for an account's borrower."""
    account = session.get(Account, account_id)
    return open_escalation(session, dealer_id=account.dealer_id,
                           borrower_id=account.borrower_id, account_id=account.id,
                           reason=reason, detail=detail)


def taken_over(session: Session, borrower_id: int) -> Escalation | None:
    """The escalation through which staff hold this borrower's conversation, if any."""
    return session.execute(
        select(Escalation).where(Escalation.borrower_id == borrower_id,
                                 Escalation.status == EscalationStatus.TAKEN_OVER)
    ).scalars().first()
