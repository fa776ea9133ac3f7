"""The message log (every text in and out) and each borrower's open question."""

from __future__ import annotations

from sqlalchemy import Column, DateTime, ForeignKey, Index, Integer, String, Text

from bot.models.base import Base, Timestamped


class Message(Timestamped, Base):
    """One SMS, inbound or outbound. `body` is always redacted before storage."""

    __tablename__ = "messages"
    __table_args__ = (Index("ix_messages_status_send_after", "status", "send_after"),)

    dealer_id = Column(ForeignKey("dealers.id", ondelete="CASCADE"), index=True)
    borrower_id = Column(ForeignKey("borrowers.id", ondelete="CASCADE"), index=True)
    account_id = Column(ForeignKey("accounts.id", ondelete="SET NULL"))
    direction = Column(String(10), nullable=False)  # inbound | outbound
    author = Column(String(10), nullable=False)  # borrower | bot | staff | system
    kind = Column(String(30), nullable=False, default="reply")
    body = Column(Text, nullable=False, default="")
    message_sid = Column(String(64), unique=True)
    in_reply_to_id = Column(ForeignKey("messages.id", ondelete="SET NULL"), index=True)
    from_number = Column(String(32))
    to_number = Column(String(32))
    status = Column(String(20), nullable=False, default="received")
    error_code = Column(Integer)
    # A text held back by quiet hours goes at this moment (status "deferred").
    send_after = Column(DateTime)


class ConversationState(Base):
    """What the bot last asked a borrower, so YES/NO always refers to it."""

    __tablename__ = "conversation_states"

    borrower_id = Column(ForeignKey("borrowers.id", ondelete="CASCADE"), primary_key=True)
    awaiting = Column(String(30))  # e.g. "payment_confirmation"; NULL when nothing is asked
    awaiting_ref = Column(Integer)  # the row the question is about (a payment id, ...)
    # For a clarifying question ("Is something wrong with your bill?"): the words it is
    # about, acted on if the answer is YES (bot/dialogue/safety.py).
    awaiting_text = Column(Text)
    asked_at = Column(DateTime)
    # Misunderstood texts in a row; the second escalates to a person.
    fallback_count = Column(Integer, nullable=False, default=0)
    # Set once a hardship reply was sent, so the bot never asks again and again.
    hardship_at = Column(DateTime)
    # Someone using this phone said they are not the borrower ("this is his girlfriend"):
    # until then no account details go out in a reply (bot/dialogue/not_borrower.py).
    not_borrower_until = Column(DateTime)
