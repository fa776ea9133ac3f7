"""Single-use secure links (add a new card, approve a payment with the bank, let
someone else pay)."""

from __future__ import annotations

from sqlalchemy import Column, DateTime, ForeignKey, String

from bot.models.base import Base, Timestamped


class SecureLink(Timestamped, Base):
    """A signed link sent by text. The URL carries a signed token naming this row."""

    __tablename__ = "secure_links"

    nonce = Column(String(32), nullable=False, unique=True)
    # update_card | authenticate | self_service | payer
    purpose = Column(String(20), nullable=False)
    account_id = Column(ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False)
    payment_id = Column(ForeignKey("payments.id", ondelete="CASCADE"))
    expires_at = Column(DateTime, nullable=False)
    used_at = Column(DateTime)
