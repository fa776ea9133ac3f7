"""Stripe webhook events already applied (each event id is applied once)."""

from __future__ import annotations

from sqlalchemy import Column, String

from bot.models.base import Base, Timestamped


class StripeEvent(Timestamped, Base):
    """A Stripe event we received; the unique id makes redelivery harmless."""

    __tablename__ = "stripe_events"

    event_id = Column(String(255), nullable=False, unique=True)
    event_type = Column(String(100), nullable=False)
    outcome = Column(String(40), nullable=False, default="applied")
