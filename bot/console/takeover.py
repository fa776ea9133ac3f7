"""What staff do with an escalation: take the conversation over (the bot goes
silent for that borrower), reply by SMS, and hand it back (the bot answers
again and the escalation is resolved).

The console and the REST API both call these functions; each action is
written to the audit log and announced to the live console once the session
commits.
"""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.orm import Session

from bot import live_events
from bot.audit import Actor, record
from bot.clock import utcnow
from bot.escalations import announce_change, taken_over
from bot.messaging.outbound import send_sms
from bot.models import Borrower, Escalation, EscalationStatus, Message


class EscalationConflict(Exception):
    """Someone else holds the conversation (`holder` says who)."""

    def __init__(self, holder: str | None) -> None:
        super().__init__(f"held by {holder or 'someone else'}")
        self.holder = holder


class EscalationResolved(Exception):
    """The escalation was already handed back; open the conversation's newer one."""


def _holds(escalation: Escalation, holder_name: str, holder_id: int | None) -> bool:
    """Whether this person (a user by id, an API key by name) holds the escalation."""
    if holder_id is not None or escalation.holder_id is not None:
        return escalation.holder_id == holder_id
    return escalation.holder_name == holder_name


def take_over(session: Session, escalation: Escalation, *, holder_name: str | None = None,
              holder_id: int | None = None, actor: Actor | None = None) -> Escalation:
    """Staff take the conversation; the bot goes silent. Raises EscalationConflict
    when someone else already holds this borrower's conversation, and
    EscalationResolved when it was handed back already."""
    if actor is not None:
        holder_name, holder_id = actor.name, actor.user_id
    holder_name = holder_name or "staff"
    if escalation.status == EscalationStatus.RESOLVED:
        raise EscalationResolved()
    if escalation.status == EscalationStatus.TAKEN_OVER:
        if _holds(escalation, holder_name, holder_id):
            return escalation
        raise EscalationConflict(escalation.holder_name)
    other = taken_over(session, escalation.borrower_id)
    if other is not None and not _holds(other, holder_name, holder_id):
        raise EscalationConflict(other.holder_name)
    # Conditional so two people clicking at once cannot both win.
    now = utcnow()
    result = session.execute(
        update(Escalation)
        .where(Escalation.id == escalation.id, Escalation.status == EscalationStatus.OPEN)
        .values(status=EscalationStatus.TAKEN_OVER, holder_name=holder_name,
                holder_id=holder_id, taken_at=now, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    session.refresh(escalation)
    if result.rowcount != 1 and not _holds(escalation, holder_name, holder_id):
        raise EscalationConflict(escalation.holder_name)
    if actor is not None:
        record(session, escalation.dealer_id, actor, "take_over",
               account_id=escalation.account_id, details=f"escalation {escalation.id}")
    announce_change(session, escalation, "taken_over")
    return escalation


def staff_reply(session: Session, escalation: Escalation, text: str, actor: Actor) -> Message:
    """Text the borrower as staff through the one outbound sender.

    Replying to an open escalation takes it over first (a person is talking
    now, so the bot must be quiet). Raises EscalationConflict when someone else
    holds it, EscalationResolved after hand back, and the sender's SendRefused
    (opted out, quiet hours, ...) when the text may not go.
    """
    escalation = take_over(session, escalation, actor=actor)
    borrower = session.get(Borrower, escalation.borrower_id)
    # Refused rather than deferred in quiet hours: a reply sent hours later may be stale,
    # so staff decide (SendRefused.retry_at says when it could go).
    message = send_sms(session, borrower, text, kind="staff_reply", author="staff",
                       account_id=escalation.account_id, defer=False)
    record(session, escalation.dealer_id, actor, "reply", account_id=escalation.account_id,
           details=f"message {message.id} ({len(text)} characters)")
    live_events.announce(session, escalation.dealer_id, live_events.MESSAGE, id=message.id,
                    borrower_id=borrower.id, account_id=escalation.account_id,
                    direction=message.direction, author=message.author)
    return message


def hand_back(session: Session, escalation: Escalation, note: str | None = None, *,
              actor: Actor | None = None, force: bool = False) -> Escalation:
    """The bot answers again and the escalation is resolved, keeping the note.

    Only the holder may hand back a conversation someone holds, unless `force`
    (a dealer admin, or the dealer's own system through the API).
    """
    if escalation.status == EscalationStatus.RESOLVED:
        raise EscalationResolved()
    if (actor is not None and not force and escalation.status == EscalationStatus.TAKEN_OVER
            and not _holds(escalation, actor.name, actor.user_id)):
        raise EscalationConflict(escalation.holder_name)
    now = utcnow()
    escalation.status = EscalationStatus.RESOLVED
    escalation.resolved_at = now
    escalation.note = (note or "").strip() or None
    session.flush()
    if actor is not None:
        record(session, escalation.dealer_id, actor, "hand_back",
               account_id=escalation.account_id,
               details=f"escalation {escalation.id}" + (f": {escalation.note}"
                                                        if escalation.note else ""))
    announce_change(session, escalation, "handed_back")
    return escalation
