"""Dealers (tenants), the Twilio numbers they text from, and their API keys."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    false,
)
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

    # Plan rules: what the bot may offer when a borrower asks to split a payment.
    plan_max_installments = Column(Integer, nullable=False, default=4)
    plan_min_installment_cents = Column(Integer, nullable=False, default=2500)
    plan_max_days = Column(Integer, nullable=False, default=60)
    plan_frequencies = Column(String(60), nullable=False, default="weekly,biweekly,monthly")
    # Promises and "I already paid": how long collection messages pause.
    promise_max_days = Column(Integer, nullable=False, default=14)
    already_paid_pause_days = Column(Integer, nullable=False, default=5)
    # The longest pause of reminders a borrower may ask for themselves ("pause until
    # the 15th"); a longer wish is capped at this (bot/contact_preferences.py).
    max_pause_days = Column(Integer, nullable=False, default=30, server_default="30")
    # Reminders: local send time, quiet hours (never tighter than 08:00-21:00
    # is allowed to be loosened), and a cap per account per 7 days.
    send_time = Column(String(5), nullable=False, default="10:00")
    quiet_start = Column(String(5), nullable=False, default="21:00")
    quiet_end = Column(String(5), nullable=False, default="08:00")
    reminder_cap_per_week = Column(Integer, nullable=False, default=3)
    messages_per_second = Column(Float, nullable=False, default=1.0)
    # Staff: when people answer, and how fast an escalation should be picked up.
    business_hours = Column(String(120), nullable=False, default="Mon-Fri 09:00-18:00")
    response_target_minutes = Column(Integer, nullable=False, default=60)
    quick_replies = Column(JSON, nullable=False, default=list)
    # Pacing reminder waves to the team (bot/campaigns/pacing.py): how many people answer
    # escalations in business hours (None: waves are not paced), and how many
    # escalations one of them handles in an hour.
    escalation_staff = Column(Integer)
    escalations_per_staff_hour = Column(Integer, nullable=False, default=4,
                                        server_default="4")
    survey_enabled = Column(Boolean, nullable=False, default=False)
    # Someone else pays (bot/payments/payers.py): only the names approved per account may.
    payers_must_be_approved = Column(Boolean, nullable=False, default=False,
                                     server_default=false())
    # Whose Stripe account the dealer's money lands in (bot/payments/merchant.py): its
    # connected account (Stripe Connect, acct_...); else the deployment's own account,
    # shared with the other dealers that have none (shared platform mode, the default);
    # else, for a dealer that must connect first (uses_platform_stripe false), none.
    stripe_account_id = Column(String(64), unique=True)
    # A row written without the ORM takes no card (the database's default); the product
    # creates dealers sharing the deployment's account unless told otherwise.
    uses_platform_stripe = Column(Boolean, nullable=False, default=True,
                                  server_default=false())

    @property
    def allowed_frequencies(self) -> list[str]:
        """The plan frequencies this dealer allows (weekly, biweekly, monthly)."""
        return [f.strip() for f in (self.plan_frequencies or "").split(",") if f.strip()]

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
