"""The dealer's payment policy in its own words: short answers per topic and language."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import backref, relationship

from bot.models.base import Base, Timestamped


class PolicyAnswer(Timestamped, Base):
    """What the bot says when a borrower asks about one topic (late fee, grace period, ...)."""

    __tablename__ = "policy_answers"
    __table_args__ = (
        UniqueConstraint("dealer_id", "topic", "language", name="uq_policy_answers_topic"),
    )

    dealer_id = Column(ForeignKey("dealers.id", ondelete="CASCADE"), nullable=False, index=True)
    topic = Column(String(30), nullable=False)
    language = Column(String(2), nullable=False)
    answer = Column(Text, nullable=False)

    # `dealer.policy_answers`: what templates read (the welcome's on-time reward).
    dealer = relationship("Dealer", backref=backref("policy_answers", lazy="select"))
