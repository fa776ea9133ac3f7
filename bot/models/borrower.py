"""Borrowers (people with phones) and their accounts (loans) at one dealer."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
    false,
    update,
)
from sqlalchemy.orm import Session, relationship

from bot.models.base import Base, Timestamped


class Borrower(Timestamped, Base):
    """A person a dealer texts. Matched by E.164 phone within the dealer."""

    __tablename__ = "borrowers"
    __table_args__ = (UniqueConstraint("dealer_id", "phone", name="uq_borrowers_dealer_phone"),)

    dealer_id = Column(ForeignKey("dealers.id", ondelete="CASCADE"), nullable=False, index=True)
    name = Column(String(200), nullable=False)
    phone = Column(String(20), nullable=False, index=True)
    language = Column(String(2), nullable=False, default="en")
    timezone = Column(String(64))
    opted_out = Column(Boolean, nullable=False, default=False)
    opted_out_at = Column(DateTime)
    wrong_number = Column(Boolean, nullable=False, default=False)
    # The carrier says this is not a textable number (Twilio 21211 / 21614).
    invalid_number = Column(Boolean, nullable=False, default=False)
    last_inbound_at = Column(DateTime)
    # The phone number's telling time zones, comma-separated ("" = unknown; NULL =
    # not looked up yet). Quiet hours respect every one of them.
    phone_zones = Column(String(300))
    last_survey_at = Column(DateTime)
    # Staff agreed with the borrower: no collection texts until this (local) date.
    texts_paused_until = Column(Date)
    # Contact preferences the borrower stated (bot/contact_preferences.py): a local
    # window inside the legal hours ("18:00"-"21:00"; NULL: any legal hour), weekdays
    # to avoid ("sat,sun"), and whether they chose their language (then the language
    # of a message they write does not change it). A pause they ask for is
    # `texts_paused_until`, like one staff agreed.
    contact_window_start = Column(String(5))
    contact_window_end = Column(String(5))
    contact_avoid_days = Column(String(30))
    language_chosen = Column(Boolean, nullable=False, default=False, server_default=false())

    dealer = relationship("Dealer")
    accounts = relationship("Account", back_populates="borrower", order_by="Account.id")
    # What the bot last asked (bot/dialogue/questions.py); loaded with the borrower at
    # the start of a turn, so the dialogue's many reads of it cost no query.
    conversation_state = relationship("ConversationState", uselist=False, viewonly=True)

    @property
    def first_name(self) -> str:
        """The first word of the name, for a friendly greeting."""
        return (self.name or "").split(" ")[0]


class Account(Timestamped, Base):
    """A loan: what is owed, what is due and when, and the card on file."""

    __tablename__ = "accounts"
    __table_args__ = (
        UniqueConstraint("dealer_id", "reference", name="uq_accounts_dealer_reference"),
    )

    dealer_id = Column(ForeignKey("dealers.id", ondelete="CASCADE"), nullable=False, index=True)
    borrower_id = Column(
        ForeignKey("borrowers.id", ondelete="CASCADE"), nullable=False, index=True
    )
    reference = Column(String(64), nullable=False)
    balance_cents = Column(Integer, nullable=False, default=0)
    amount_due_cents = Column(Integer, nullable=False, default=0)
    due_date = Column(Date)
    # Indexed: in the shared Stripe account, charging and importing ask whether another
    # dealer's account holds the same customer (bot/payments/shared_account.py).
    stripe_customer_id = Column(String(255), index=True)
    stripe_payment_method_id = Column(String(255))
    card_brand = Column(String(32))
    card_last4 = Column(String(4))
    # Names the dealer approved to pay on this account for the borrower (bot/payments/
    # payers.py); enforced only when the dealer's `payers_must_be_approved` is on.
    approved_payers = Column(JSON, nullable=False, default=list, server_default="[]")
    # Every self-service page cookie carries the version it started under; a new link,
    # signing out or opting out bumps it, ending the page's sessions (end_page_sessions).
    page_session_version = Column(Integer, nullable=False, default=0, server_default="0")

    dealer = relationship("Dealer")
    borrower = relationship("Borrower", back_populates="accounts")
    payments = relationship("Payment", back_populates="account", order_by="Payment.id")


def end_page_sessions(session: Session, *, account_id: int | None = None,
                      borrower_id: int | None = None) -> None:
    """End the self-service page sessions of one account, or of each of a borrower's
    accounts: their cookies carry the version they started under, which no longer
    matches (bot/web/self_service_session.py). One UPDATE, so concurrent bumps add up."""
    which = Account.id == account_id if account_id is not None \
        else Account.borrower_id == borrower_id
    session.execute(update(Account).where(which)
                    .values(page_session_version=Account.page_session_version + 1)
                    .execution_options(synchronize_session=False))
