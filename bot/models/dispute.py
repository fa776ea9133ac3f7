"""Disputes ("I don't owe this") and claims of payment ("I already paid")."""

from __future__ import annotations

from sqlalchemy import Column, Date, DateTime, ForeignKey, String, Text

from bot.models.base import Base, Timestamped


class Dispute(Timestamped, Base):
    """An open dispute pauses every collection message on the account."""

    __tablename__ = "disputes"

    dealer_id = Column(ForeignKey("dealers.id", ondelete="CASCADE"), nullable=False, index=True)
    account_id = Column(ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False, index=True)
    status = Column(String(20), nullable=False, default="open", index=True)  # open | resolved
    words = Column(Text, nullable=False, default="")  # the borrower's own (redacted) words
    resolved_at = Column(DateTime)
    resolution = Column(Text)


class PaymentClaim(Timestamped, Base):
    """A borrower says they already paid; staff verify. Reminders pause meanwhile."""

    __tablename__ = "payment_claims"

    dealer_id = Column(ForeignKey("dealers.id", ondelete="CASCADE"), nullable=False, index=True)
    account_id = Column(ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False, index=True)
    status = Column(String(20), nullable=False, default="unverified", index=True)
    paid_on = Column(String(100))  # when, in the borrower's words or as parsed
    method = Column(String(100))  # how (cash at the lot, Zelle, ...)
    words = Column(Text)
    pause_until = Column(Date)
    verified_at = Column(DateTime)
