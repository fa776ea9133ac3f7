"""Escalations: conversations a person must look at, and who holds them."""

from __future__ import annotations

from sqlalchemy import Column, DateTime, ForeignKey, String, Text

from bot.models.base import Base, Timestamped


class EscalationReason:
    """Why a conversation went to a person (shown in the staff console)."""

    DISPUTE = "dispute"
    HARDSHIP = "hardship"
    HUMAN = "human"
    FALLBACK = "fallback"
    WRONG_NUMBER = "wrong_number"
    FAILED_INSTALLMENT = "failed_installment"
    BROKEN_PROMISE = "broken_promise"
    ALREADY_PAID = "already_paid"
    CHARGEBACK = "chargeback"  # the card holder disputed a charge with their bank


class EscalationStatus:
    """open -> taken_over -> resolved (hand back resolves)."""

    OPEN = "open"
    TAKEN_OVER = "taken_over"
    RESOLVED = "resolved"


class Escalation(Timestamped, Base):
    """One conversation waiting for (or held by) a person."""

    __tablename__ = "escalations"

    dealer_id = Column(ForeignKey("dealers.id", ondelete="CASCADE"), nullable=False, index=True)
    account_id = Column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    borrower_id = Column(ForeignKey("borrowers.id", ondelete="CASCADE"), nullable=False,
                         index=True)
    reason = Column(String(30), nullable=False)
    status = Column(String(20), nullable=False, default=EscalationStatus.OPEN, index=True)
    detail = Column(Text)  # e.g. the borrower's words, the failed installment
    holder_id = Column(ForeignKey("users.id", ondelete="SET NULL"))
    holder_name = Column(String(200))  # who took over (a user, or an API key's label)
    taken_at = Column(DateTime)
    resolved_at = Column(DateTime)
    note = Column(Text)  # the hand-back note
