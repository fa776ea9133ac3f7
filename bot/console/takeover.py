"""What staff do with a borrower's conversation: take it over (the bot goes silent for
that borrower), reply by SMS, and hand it back (the bot answers again), optionally with
what was agreed (bot/console/agreements.py).

A borrower may have several open escalations at once (a dispute, a hardship, a
request for a person); they are one conversation. Each operation is addressed
through any one of them (the REST API's per-escalation routes) and acts on all of
the borrower's active escalations: taking over takes them all, handing back
resolves them all. Every escalation changed is written to the audit log and
announced to the live console once the session commits.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot import live_events
from bot.audit import Actor, record
from bot.clock import utcnow
from bot.collection import primary_account
from bot.console import agreements
from bot.console.agreements import Agreement
from bot.escalations import ACTIVE, announce_change, taken_over
from bot.messaging.outbound import send_sms
from bot.models import Account, Borrower, Escalation, EscalationStatus, Message


class EscalationConflict(Exception):
    """Someone else holds the conversation (`holder` says who)."""

    def __init__(self, holder: str | None) -> None:
        super().__init__(f"held by {holder or 'someone else'}")
        self.holder = holder


class EscalationResolved(Exception):
    """The escalation was already handed back; open the conversation's newer one."""


def conversation(session: Session, borrower_id: int) -> list[Escalation]:
    """The borrower's active escalations (one conversation), oldest first."""
    return list(session.execute(
        select(Escalation).where(Escalation.borrower_id == borrower_id,
                                 Escalation.status.in_(ACTIVE))
        .order_by(Escalation.created_at, Escalation.id)).scalars())


def _holds(escalation: Escalation, holder_name: str, holder_id: int | None) -> bool:
    """Whether this person (a user by id, an API key by name) holds the escalation."""
    if holder_id is not None or escalation.holder_id is not None:
        return escalation.holder_id == holder_id
    return escalation.holder_name == holder_name


def _take_one(session: Session, escalation: Escalation, holder_name: str,
              holder_id: int | None, now: datetime) -> bool:
    """Take one open escalation; False when someone else got it first."""
    # Conditional so two people clicking at once cannot both win.
    result = session.execute(
        update(Escalation)
        .where(Escalation.id == escalation.id, Escalation.status == EscalationStatus.OPEN)
        .values(status=EscalationStatus.TAKEN_OVER, holder_name=holder_name,
                holder_id=holder_id, taken_at=now, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    session.refresh(escalation)
    return result.rowcount == 1 or _holds(escalation, holder_name, holder_id)


def take_over(session: Session, escalation: Escalation, *, holder_name: str | None = None,
              holder_id: int | None = None, actor: Actor | None = None) -> Escalation:
    """Staff take the borrower's conversation (every active escalation of it); the bot
    goes silent. Raises EscalationConflict when someone else already holds it, and
    EscalationResolved when this escalation was handed back already."""
    if actor is not None:
        holder_name, holder_id = actor.name, actor.user_id
    holder_name = holder_name or "staff"
    if escalation.status == EscalationStatus.RESOLVED:
        raise EscalationResolved()
    held = taken_over(session, escalation.borrower_id)
    if held is not None and not _holds(held, holder_name, holder_id):
        raise EscalationConflict(held.holder_name)
    now = utcnow()  # one moment for the whole conversation
    for each in conversation(session, escalation.borrower_id):
        if each.status != EscalationStatus.OPEN:
            continue
        if not _take_one(session, each, holder_name, holder_id, now):
            raise EscalationConflict(each.holder_name)
        if actor is not None:
            record(session, each.dealer_id, actor, "take_over", account_id=each.account_id,
                   details=f"escalation {each.id} ({each.reason})")
        announce_change(session, each, "taken_over")
    session.refresh(escalation)
    return escalation


def staff_reply(session: Session, escalation: Escalation, text: str, actor: Actor) -> Message:
    """Text the borrower as staff through the one outbound sender.

    Replying to an open conversation takes it over first (a person is talking
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


def _account_for(session: Session, escalations: list[Escalation]) -> Account | None:
    """The account an agreement is about: the conversation's, else the borrower's main one."""
    for escalation in escalations:
        if escalation.account_id is not None:
            return session.get(Account, escalation.account_id)
    borrower = session.get(Borrower, escalations[0].borrower_id)
    return primary_account(session, borrower)


def _resolve(session: Session, escalation: Escalation, note: str | None, actor: Actor | None,
             action: str, now: datetime) -> None:
    escalation.status = EscalationStatus.RESOLVED
    escalation.resolved_at = now
    escalation.note = note
    if actor is not None:
        record(session, escalation.dealer_id, actor, action, account_id=escalation.account_id,
               details=f"escalation {escalation.id} ({escalation.reason})"
                       + (f": {note}" if note else ""))
    announce_change(session, escalation, "handed_back")


def hand_back(session: Session, escalation: Escalation, note: str | None = None, *,
              actor: Actor | None = None, force: bool = False,
              agreement: Agreement | None = None) -> Escalation:
    """The bot answers again and every escalation of the conversation is resolved,
    keeping the note; with an `agreement`, its record is made first (raises
    AgreementError, changing nothing, when it does not fit).

    Only the holder may hand back a conversation someone holds, unless `force`
    (a dealer admin, or the dealer's own system through the API).
    """
    if escalation.status == EscalationStatus.RESOLVED:
        raise EscalationResolved()
    if (actor is not None and not force and escalation.status == EscalationStatus.TAKEN_OVER
            and not _holds(escalation, actor.name, actor.user_id)):
        raise EscalationConflict(escalation.holder_name)
    escalations = conversation(session, escalation.borrower_id)
    note = (note or "").strip() or None
    summary = ""
    if agreement is not None and agreement.kind != agreements.NOTHING:
        account = _account_for(session, escalations)
        if account is None:
            raise agreements.AgreementError("the borrower has no account to record it on")
        if note and not agreement.note:  # the note says what the record was agreed on
            agreement = replace(agreement, note=note)
        summary = agreements.record_agreement(session, account, agreement, actor, utcnow(),
                                              agreements.IN_CONVERSATION).summary
    note = " ".join(part for part in (summary, note) if part) or None
    now = utcnow()  # one moment for the whole conversation
    for each in escalations:
        _resolve(session, each, note, actor, "hand_back", now)
    session.flush()
    return escalation


def resolve_answered(session: Session, borrower_id: int, reasons: Collection[str],
                     actor: Actor, why: str) -> list[Escalation]:
    """Resolve the borrower's active escalations whose reason is among `reasons` (what a
    call's outcome answered), each in the audit log; the ones resolved."""
    answered = [e for e in conversation(session, borrower_id) if e.reason in reasons]
    now = utcnow()
    for each in answered:
        _resolve(session, each, f"Answered by a {why}", actor, "resolve", now)
    session.flush()
    return answered
