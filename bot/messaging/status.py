"""Twilio's delivery reports for the messages we sent."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.messaging.outbound import apply_carrier_error
from bot.models import Borrower, Message


def apply_status_callback(session: Session, *, message_sid: str, status: str,
                          error_code: str | None) -> bool:
    """Record a delivery status; carrier errors mark the number. False if unknown SID."""
    message = session.execute(
        select(Message).where(Message.message_sid == message_sid)
    ).scalar_one_or_none()
    if message is None or message.direction != "outbound":
        return False
    message.status = (status or message.status)[:20]
    code = int(error_code) if error_code and error_code.isdigit() else None
    if code is not None:
        message.error_code = code
        borrower = session.get(Borrower, message.borrower_id) if message.borrower_id else None
        if borrower is not None:
            apply_carrier_error(session, borrower, code, message_sid)
    return True
