"""Which dealer each customer in the deployment's shared Stripe account belongs to."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, String

from bot.models.base import Base, Timestamped


class PlatformCustomer(Timestamped, Base):
    """A Stripe customer in the deployment's own account, claimed by the first dealer that
    put it on one of its accounts (bot/payments/shared_account.py).

    The unique customer id is what makes the claim race-safe: of two dealers importing
    the same customer at once, the database lets exactly one row in.
    """

    __tablename__ = "platform_customers"

    stripe_customer_id = Column(String(255), nullable=False, unique=True)
    dealer_id = Column(ForeignKey("dealers.id", ondelete="CASCADE"), nullable=False, index=True)
