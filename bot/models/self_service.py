"""What a borrower did on the self-service page, for the transcript staff see."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, String, Text

from bot.models.base import Base, Timestamped


class SelfServiceEvent(Timestamped, Base):
    """One action on the self-service page (opened, paid, set up a plan, ...).

    `detail` is the sentence staff read in the console's transcript, written when
    the action happened (amounts as they were then)."""

    __tablename__ = "self_service_events"

    dealer_id = Column(ForeignKey("dealers.id", ondelete="CASCADE"), nullable=False)
    borrower_id = Column(ForeignKey("borrowers.id", ondelete="CASCADE"), nullable=False,
                         index=True)
    account_id = Column(ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False)
    action = Column(String(30), nullable=False)
    detail = Column(Text, nullable=False, default="")
