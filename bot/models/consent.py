"""The consent ledger: when a phone number agreed to texts, and every revocation since."""

from __future__ import annotations

from sqlalchemy import Column, DateTime, ForeignKey, Index, Integer, String, Text

from bot.models.base import Base


class ConsentChange:
    """What happened to consent."""

    GIVEN = "given"  # recorded when the borrower was created (import, API)
    REVOKED = "revoked"
    RESTORED = "restored"  # START after a revocation
    PREFERENCE = "preference"  # contact preferences changed (bot/contact_preferences.py)


class ConsentEvent(Base):
    """Append-only: one change of a phone number's consent to texts from a dealer.

    `source` says how (import, api, keyword, words, carrier, call, ...);
    `evidence` is the exact inbound text, or where the record came from;
    `confirmation` is the text we sent to confirm it (None: nothing was sent);
    `detail`, for a preference change, the preferences it set ("window 18:00-21:00; ...").
    """

    __tablename__ = "consent_events"
    __table_args__ = (Index("ix_consent_events_dealer_phone", "dealer_id", "phone"),
                      Index("ix_consent_events_dealer_at", "dealer_id", "at"))

    id = Column(Integer, primary_key=True)
    at = Column(DateTime, nullable=False)
    dealer_id = Column(ForeignKey("dealers.id", ondelete="CASCADE"), nullable=False)
    borrower_id = Column(ForeignKey("borrowers.id", ondelete="SET NULL"), index=True)
    phone = Column(String(20), nullable=False)
    change = Column(String(10), nullable=False)  # given | revoked | restored | preference
    source = Column(String(20), nullable=False)
    evidence = Column(Text)
    confirmation = Column(Text)
    actor = Column(String(255))  # who recorded it, when a person did (staff, an API key)
    detail = Column(Text)
