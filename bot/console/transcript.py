"""A borrower's whole conversation: every text in and out, oldest first.

Inbound texts are stored before anything else happens (bot/messaging/inbound.py),
so the transcript also holds what the borrower wrote while staff held the
conversation, and every staff reply with its author.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.clock import iso_utc
from bot.models import Account, Escalation, Message


def messages_for(session: Session, borrower_id: int) -> list[Message]:
    """Every message to or from the borrower, oldest first."""
    return list(session.execute(
        select(Message).where(Message.borrower_id == borrower_id)
        .order_by(Message.created_at, Message.id)
    ).scalars())


def account_messages(session: Session, account: Account) -> list[Message]:
    """The conversation behind an account (one phone, so one conversation per borrower)."""
    return messages_for(session, account.borrower_id)


def message_json(message: Message) -> dict:
    """The API's view of one message."""
    return {
        "id": message.id,
        "direction": message.direction,
        "body": message.body,
        "author": message.author,
        "kind": message.kind,
        "status": message.status,
        "created_at": iso_utc(message.created_at),
    }


def escalations_for(session: Session, borrower_id: int) -> list[Escalation]:
    """Every escalation of the borrower, oldest first (their moments join the timeline)."""
    return list(session.execute(
        select(Escalation).where(Escalation.borrower_id == borrower_id).order_by(Escalation.id)
    ).scalars())
