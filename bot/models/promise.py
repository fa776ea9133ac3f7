"""Promises to pay on a date ("I get paid Friday")."""

from __future__ import annotations

from sqlalchemy import Column, Date, DateTime, ForeignKey, Integer, String, Text

from bot.models.base import Base, Timestamped


class Promise(Timestamped, Base):
    """A borrower's promise; reminders pause until its date. open | kept | broken | canceled."""

    __tablename__ = "promises"

    dealer_id = Column(ForeignKey("dealers.id", ondelete="CASCADE"), nullable=False, index=True)
    account_id = Column(ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False, index=True)
    promised_date = Column(Date, nullable=False)
    amount_cents = Column(Integer)
    status = Column(String(20), nullable=False, default="open", index=True)
    words = Column(Text)  # the borrower's own (redacted) words
    reminded_at = Column(DateTime)  # the morning-of reminder
    settled_at = Column(DateTime)
