"""Dealers (tenants), the Twilio numbers they text from, and their API keys."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import relationship

from bot.models.base import Base, Timestamped


class Dealer(Timestamped, Base):
    """A dealer or buy-here-pay-here lender: every other row belongs to one."""

    __tablename__ = "dealers"

    name = Column(String(200), nullable=False)
    timezone = Column(String(64), nullable=False, default="America/New_York")
    currency = Column(String(3), nullable=False, default="USD")
    country = Column(String(2), nullable=False, default="US")
    minimum_payment_cents = Column(Integer, nullable=False, default=1000)
    contact_phone = Column(String(20))
    collector_mode = Column(String(20), nullable=False, default="first_party")

    numbers = relationship("DealerNumber", back_populates="dealer", cascade="all, delete-orphan")
    api_keys = relationship("ApiKey", back_populates="dealer", cascade="all, delete-orphan")


class DealerNumber(Timestamped, Base):
    """A Twilio number owned by a dealer; an inbound text's `To` picks the dealer."""

    __tablename__ = "dealer_numbers"

    dealer_id = Column(ForeignKey("dealers.id", ondelete="CASCADE"), nullable=False, index=True)
    phone = Column(String(20), nullable=False, unique=True)

    dealer = relationship("Dealer", back_populates="numbers")


class ApiKey(Timestamped, Base):
    """A dealer API key. Only its SHA-256 is stored; the key is shown once."""

    __tablename__ = "api_keys"

    dealer_id = Column(ForeignKey("dealers.id", ondelete="CASCADE"), nullable=False, index=True)
    key_hash = Column(String(64), nullable=False, unique=True)
    prefix = Column(String(16), nullable=False)
    label = Column(String(100), nullable=False, default="default")
    revoked = Column(Boolean, nullable=False, default=False)
    last_used_at = Column(DateTime)

    dealer = relationship("Dealer", back_populates="api_keys")
