"""People who log in to the portal and console, and what they did."""

from __future__ import annotations

from sqlalchemy import Column, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint

from bot.models.base import Base, Timestamped


class User(Timestamped, Base):
    """A dealer admin or staff member. Passwords are stored hashed only."""

    __tablename__ = "users"
    __table_args__ = (UniqueConstraint("email", name="uq_users_email"),)

    dealer_id = Column(ForeignKey("dealers.id", ondelete="CASCADE"), nullable=False, index=True)
    email = Column(String(255), nullable=False)
    name = Column(String(200), nullable=False)
    password_hash = Column(String(255), nullable=False)
    role = Column(String(20), nullable=False, default="staff")  # admin | staff
    failed_logins = Column(Integer, nullable=False, default=0)
    locked_until = Column(DateTime)
    # Every session cookie carries the version it was issued under; logging out,
    # changing the password or removing the user bumps it, ending every session.
    session_version = Column(Integer, nullable=False, default=0, server_default="0")


class AuditEntry(Base):
    """Append-only: every staff and admin action (who, what, when, which account)."""

    __tablename__ = "audit_log"

    id = Column(Integer, primary_key=True)
    created_at = Column(DateTime, nullable=False)
    dealer_id = Column(ForeignKey("dealers.id", ondelete="CASCADE"), nullable=False, index=True)
    actor = Column(String(255), nullable=False)  # user email or "api-key:<prefix>"
    action = Column(String(60), nullable=False)
    account_id = Column(ForeignKey("accounts.id", ondelete="SET NULL"))
    details = Column(Text)


class CallLog(Timestamped, Base):
    """A phone call staff made from the call list, and how it went."""

    __tablename__ = "call_logs"

    dealer_id = Column(ForeignKey("dealers.id", ondelete="CASCADE"), nullable=False, index=True)
    account_id = Column(ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False, index=True)
    user_id = Column(ForeignKey("users.id", ondelete="SET NULL"))
    outcome = Column(String(30), nullable=False)  # promise | plan | dispute | no_answer | ...
    note = Column(Text)
